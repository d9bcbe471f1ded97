// `leak` (workloads/leak.ts): linear growth to max while the hot set stays at workingSet
// (hotFraction = workingSet/current, read live by the guest), a whole run with invariants on
// (leaked pages swap out without faulting back), and option errors.
import { describe, expect, it } from 'vitest';
import { leakWorkload } from '../../workloads/leak.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { burstSequence, exp, make } from './fake-ctx.js';

const MiB = 256; // pages per MiB

describe('leak workload', () => {
  it('grows like memhog and stops at max (worked example)', () => {
    const w = make(leakWorkload, { workingSet: '64MiB', start: '64MiB', rate: '1MiB', max: '512MiB' });
    expect(w.anonPages(0)).toBe(64 * MiB);
    expect(w.anonPages(192e9)).toBe(256 * MiB);
    expect(w.anonPages(448e9)).toBe(512 * MiB);
    expect(w.anonPages(10_000e9)).toBe(512 * MiB);
  });

  it('keeps the hot set at workingSet as the leak grows', () => {
    const w = make(leakWorkload, { workingSet: '64MiB', start: '64MiB', rate: '3MiB' });
    // The guest keeps the object locality() returned at boot; it must follow the demand.
    const loc = w.locality!();
    expect(loc.hotShare).toBe(1);
    for (let t = 0; t <= 300; t += 7) {
      const d = w.anonPages(t * 1e9);
      expect(loc.hotFraction * d).toBeCloseTo(64 * MiB, 6);
    }
    expect(w.anonPages(192e9)).toBe(640 * MiB);
    expect(loc.hotFraction).toBeCloseTo(0.1, 12);
  });

  it('is all hot while the demand is below the working set', () => {
    const w = make(leakWorkload, { workingSet: '128MiB', start: '32MiB' });
    w.anonPages(0);
    expect(w.locality!().hotFraction).toBe(1);
  });

  it('is deterministic: same seed, same bursts', () => {
    expect(burstSequence(make(leakWorkload, {}, 5, 2), 2, 100)).toEqual(
      burstSequence(make(leakWorkload, {}, 5, 2), 2, 100),
    );
  });

  it('runs in a whole experiment with invariants on; the leak swaps out but is not faulted back', () => {
    // A 256-MiB guest (256 − 64 reserve − 2.1875 of mem_map and boot hashes = 189.8125 MiB usable)
    // leaking 16 MiB/s up to all of its usable memory: the last pages come out of the free-memory
    // reserve (minFree), so the guest must swap some out.
    const yaml = (type: string, extra: string) =>
      exp(
        `  - { name: a, memory: 256MiB, workload: { type: ${type}, dutyCycle: 0.5, start: 64MiB, rate: 16MiB${extra} } }`,
        '30s',
      );
    const leak = simulate(spec(yaml('leak', ', workingSet: 64MiB')), { checkInvariants: true }).summary!
      .guests[0]!;
    const hog = simulate(spec(yaml('memhog', ', touchAll: true')), { checkInvariants: true }).summary!
      .guests[0]!;
    expect(leak.swappedMiB).toBeGreaterThan(0);
    expect(leak.anonMiB + leak.swappedMiB).toBeCloseTo(189.8125, 3);
    // Leaked pages get no accesses (hotShare 1, hot set resident): no major faults, unlike a
    // memhog that touches everything it allocated.
    expect(leak.majorFaults).toBe(0);
    expect(hog.majorFaults).toBeGreaterThan(0);
  });

  it('refuses a working set or max that does not fit, naming the field', () => {
    const guest = (o: string) => exp(`  - { name: a, memory: 256MiB, workload: { type: leak, ${o} } }`);
    expect(() => experiment(guest('workingSet: 1GiB'))).toThrow(
      /workload\.workingSet: workingSet 1GiB does not fit/,
    );
    expect(() => experiment(guest('max: 1GiB'))).toThrow(/workload\.max: max 1GiB does not fit/);
    expect(() => experiment(guest('hotShare: 1.5'))).toThrow(/workload\.hotShare: Too big/);
  });
});
