// Page-cache refaults: a balloon that squeezes a guest's page cache makes it re-read its files
// from the host's disk, and the wait shows in its slowdown. Expected figures worked by hand below.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import type { GuestSummary } from '../../sim/results/types.js';

/**
 * One always-busy vCPU (dutyCycle 1) in a 512 MiB guest: 64 MiB kernel reserve, 16 MiB minFree,
 * 128 MiB resident, a 256 MiB page cache (Dc = 65,536 pages) it reads 10 pages of per CPU-second,
 * uniformly (hotFraction = hotShare = 1, so miss(c) = (Dc − c) / Dc), on a sata-2006 disk.
 *
 * Unballooned: 64 + 128 + 256 = 448 MiB leaves 64 MiB free, above minFree: the whole cache fits,
 * no refaults, slowdown 1 (but for the interface's own small costs).
 *
 * static 0.5: a 256 MiB balloon. The driver takes the 48 MiB above minFree at once, then the cache
 * at 512 pages per poll, +16 a poll (about 56 polls for the other 208 MiB); after the 120 s warmup
 * the cache is what is left: c = 512 − 64 − 128 − 256 − 16 = 48 MiB = 12,288 pages, so
 *   miss = (65,536 − 12,288) / 65,536 = 0.8125,   refaults = 8.125 per CPU-second,
 * each a random read of 12.7 ms + 4096 B / 50 MB/s = 12.78192 ms, so every CPU-second of work
 * waits 8.125 × 12.78192 ms = 0.103853 s. The vCPU alternates the two, so over the window
 *   work = W / 1.103853,  slowdown = 1.103853,  refault wait = W − work = 0.0941 W,
 * W the window (180 s): work 163.07 CPU-s, refault wait 16.93 s, 1,325 refaults.
 */
const yaml = (balloon: string) => `
name: t
duration: 300s
warmup: 120s
host: { pcpus: 1, memory: 2GiB, balloon: ${balloon} }
guests:
  - name: g
    memory: 512MiB
    workload:
      type: constant
      dutyCycle: 1
      resident: 128MiB
      cache: 256MiB
      cacheReadsPerS: 10
      hotFraction: 1
      hotShare: 1
`;

function guestOf(balloon: string): GuestSummary {
  const r = simulate(spec(yaml(balloon)), { checkInvariants: true });
  expect(r.status, r.error).toBe('ok');
  return r.summary!.guests[0]!;
}

describe('page-cache refaults', () => {
  it('a balloon that squeezes the page cache pays for the refaults in slowdown', () => {
    const free = guestOf('{ policy: none }');
    const squeezed = guestOf('{ policy: static, fraction: 0.5 }');

    expect(free.cacheMiB).toBe(256);
    expect(free.cacheRefaultPages).toBe(0);
    expect(free.refaultWaitS).toBe(0);
    expect(free.slowdown).toBeLessThan(1.005);

    expect(squeezed.cacheMiB).toBe(48);
    expect(squeezed.slowdown).toBeCloseTo(1.103853, 2);
    expect(squeezed.workDoneCpuS).toBeGreaterThan(163.07 * 0.99);
    expect(squeezed.workDoneCpuS).toBeLessThan(163.07 * 1.01);
    expect(squeezed.cacheRefaultPages).toBeGreaterThan(1325 * 0.99);
    expect(squeezed.cacheRefaultPages).toBeLessThan(1325 * 1.01);
    expect(squeezed.refaultWaitS).toBeCloseTo(squeezed.cacheRefaultPages * 0.01278192, 1);
    // A lone guest never queues behind anyone; its swap is untouched.
    expect(squeezed.swapIoWaitS).toBe(0);
    expect(squeezed.slowdown - free.slowdown).toBeGreaterThan(0.09);
  });
});
