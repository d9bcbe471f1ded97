// `memhog` (workloads/memhog.ts): linear growth at `rate` per simulated second up to `max`
// (default: the guest's usable memory), touchAll locality, determinism, a whole run with
// invariants on, and option errors.
import { describe, expect, it } from 'vitest';
import { memhogWorkload } from '../../workloads/memhog.js';
import { constantWorkload } from '../../workloads/constant.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { burstSequence, drive, exp, make } from './fake-ctx.js';

const MiB = 256; // pages per MiB

describe('memhog workload', () => {
  it('grows at rate per simulated second from start and stops at max (worked example)', () => {
    const w = make(memhogWorkload, { start: '64MiB', rate: '4MiB', max: '128MiB' });
    expect(w.anonPages(0)).toBe(64 * MiB);
    expect(w.anonPages(10e9)).toBe(104 * MiB);
    expect(w.anonPages(0.5e9)).toBe(66 * MiB);
    expect(w.anonPages(16e9)).toBe(128 * MiB);
    expect(w.anonPages(1000e9)).toBe(128 * MiB);
    for (let t = 1; t <= 16; t++) expect(w.anonPages(t * 1e9) - w.anonPages((t - 1) * 1e9)).toBe(4 * MiB);
  });

  it("stops at the guest's usable memory when max is not given", () => {
    const w = make(memhogWorkload, { rate: '100MiB' }, 1, 1, 1000 * MiB);
    expect(w.anonPages(5e9)).toBe(564 * MiB);
    expect(w.anonPages(100e9)).toBe(1000 * MiB);
  });

  it('marks every page hot with touchAll, and leaves the default locality otherwise', () => {
    expect(make(memhogWorkload, { touchAll: true }).locality!()).toEqual({ hotFraction: 1, hotShare: 1 });
    expect(make(memhogWorkload, {}).locality).toBeUndefined();
  });

  it('loads the CPU like constant: same draws, busy fraction dutyCycle', () => {
    const o = { dutyCycle: 0.3, burst: '5ms' };
    expect(burstSequence(make(memhogWorkload, o, 3, 2), 2, 200)).toEqual(
      burstSequence(make(constantWorkload, o, 3, 2), 2, 200),
    );
    // 200,000 s of Exp(5 ms) bursts: the busy share's standard error is far below 1 %.
    expect(Math.abs(drive(make(memhogWorkload, o), 0, 2e13).busyNs / 2e13 / 0.3 - 1)).toBeLessThan(0.02);
  });

  it('runs in a whole experiment with invariants on and its resident set grows', () => {
    const r = simulate(
      spec(
        exp(
          `  - { name: a, memory: 1GiB, workload: { type: memhog, start: 64MiB, rate: 8MiB, max: 200MiB } }`,
        ),
      ),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    // 64 MiB + 8 MiB/s reaches 200 MiB at 17 s, before the 20-s run ends.
    expect(g.anonMiB + g.swappedMiB).toBeCloseTo(200, 0);
    expect(g.minorFaults).toBeGreaterThanOrEqual(200 * MiB);
  });

  it('refuses max over usable memory and start above max, naming the field', () => {
    const guest = (o: string) => exp(`  - { name: a, memory: 1GiB, workload: { type: memhog, ${o} } }`);
    // 1024 − 64 (reserve) − 8.75 (mem_map and boot hashes) = 951.25 MiB usable.
    expect(() => experiment(guest('max: 2GiB'))).toThrow(
      /workload\.max: max 2GiB does not fit in the guest's 951\.25MiB of usable memory/,
    );
    expect(() => experiment(guest('start: 256MiB, max: 128MiB'))).toThrow(
      /workload\.start: start 256MiB must not exceed max 128MiB/,
    );
    expect(() => experiment(guest('rate: 4'))).toThrow(/workload\.rate: a size needs a unit/);
  });
});
