// Waits longer than simulated time can hold. The host disk's backlog has no bound: at 1 B/s
// each page takes 4096 s to write, so the first second of swapping four guests out of a 1 GiB host
// queues ~3e17 ns of writes, and the guests held until the device has written theirs would be woken
// past 2^53 ns — where the run used to fail with "event time ... beyond 2^53 ns" (the same failure
// 3,000 guests whose overhead the host cannot hold ran into: sim/experiment/limits.ts refuses those
// up front). A hold, stall or alarm past the last representable instant now ends there, after the
// run: the run finishes, and a held guest counts as held to the end of it, never longer.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

const slowSwap = (seed: number) => ({
  ...spec(`
name: t
duration: 20s
host: { pcpus: 2, memory: 1GiB, storage: { bandwidthPerS: 1B } }
guests:
  - { name: 'g-{i}', count: 4, memory: 512MiB, workload: { type: constant, dutyCycle: 0.5, resident: 300MiB } }
`),
  seed,
});

describe('waits past the end of simulated time', () => {
  it('a swap device with a backlog of years holds the guests to the end of the run, and the run finishes', () => {
    for (const seed of [1, 2]) {
      const r = simulate(slowSwap(seed), { checkInvariants: true });
      expect(r.status, r.error).toBe('ok');
      // Touched: 4 × (64 MiB kernel + 300 MiB) + 4 × 32 MiB overhead > 1 GiB, so the host swaps at
      // once and holds guests; a hold can never exceed the run.
      const held = r.summary!.guests.map((g) => g.hostBlockedS);
      expect(Math.max(...held)).toBeGreaterThan(0);
      for (const s of held) expect(s).toBeLessThanOrEqual(20);
    }
  });
});
