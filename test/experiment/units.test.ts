// Unit parsing at the edge: IEC and SI prefixes with their true meanings, times to integer ns,
// and refusal of bare numbers and unknown units.
import { describe, expect, it } from 'vitest';
import { parseDurationNs, parseSizeBytes } from '../../sim/options/units.js';

const ok = (r: ReturnType<typeof parseSizeBytes>) => (r.ok ? r.value : `error: ${r.problem}`);

describe('sizes', () => {
  it('IEC prefixes are powers of 1024, SI prefixes powers of 1000', () => {
    expect(ok(parseSizeBytes('1KiB'))).toBe(1024);
    expect(ok(parseSizeBytes('1KB'))).toBe(1000);
    expect(ok(parseSizeBytes('1kB'))).toBe(1000);
    expect(ok(parseSizeBytes('2GiB'))).toBe(2 * 1024 ** 3);
    expect(ok(parseSizeBytes('2GB'))).toBe(2e9);
    expect(ok(parseSizeBytes('512MiB'))).toBe(512 * 1024 ** 2);
    expect(ok(parseSizeBytes('512MB'))).toBe(512e6);
    expect(ok(parseSizeBytes('1.5GiB'))).toBe(1.5 * 1024 ** 3);
    expect(ok(parseSizeBytes('4096B'))).toBe(4096);
  });
  it('refuses a bare number, an unknown unit and a fraction of a byte', () => {
    const bare = parseSizeBytes(2);
    expect(bare.ok).toBe(false);
    expect(!bare.ok && bare.problem).toMatch(/needs a unit/);
    const unknown = parseSizeBytes('2Gib');
    expect(!unknown.ok && unknown.problem).toMatch(/unknown size unit 'Gib'.*did you mean 'GiB'/);
    expect(parseSizeBytes('0.3B').ok).toBe(false);
    expect(parseSizeBytes('lots').ok).toBe(false);
  });
});

describe('durations', () => {
  it('converts every unit to integer nanoseconds', () => {
    expect(ok(parseDurationNs('250ns'))).toBe(250);
    expect(ok(parseDurationNs('3us'))).toBe(3000);
    expect(ok(parseDurationNs('30ms'))).toBe(30_000_000);
    expect(ok(parseDurationNs('0.1ms'))).toBe(100_000);
    expect(ok(parseDurationNs('10s'))).toBe(10e9);
    expect(ok(parseDurationNs('10m'))).toBe(600e9);
    expect(ok(parseDurationNs('2h'))).toBe(7200e9);
  });
  it('refuses unknown units and times past 2^53 ns', () => {
    const r = parseDurationNs('10 parsecs');
    expect(!r.ok && r.problem).toMatch(/unknown duration unit 'parsecs'/);
    // 2^53 ns ≈ 9.007e15 ns ≈ 2502 h.
    expect(parseDurationNs('2500h').ok).toBe(true); // 9.0e15 ns
    expect(parseDurationNs('2600h').ok).toBe(false); // 9.36e15 ns
    expect(parseDurationNs(30).ok).toBe(false);
  });
});
