// Page-cache refaults: a balloon that squeezes a guest's page cache makes it re-read its files
// from the host's disk, and the wait shows in its slowdown. Expected figures worked by hand below.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import type { GuestSummary } from '../../sim/results/types.js';

/**
 * One always-busy vCPU (dutyCycle 1) in a 512 MiB guest: 64 MiB kernel reserve plus the kernel's
 * lowmem structures (sim/guest/lowmem.ts; VMI, 512 MiB of lowmem): mem_map 131,072 × 32 B = 4 MiB,
 * dentry hash 512 MiB / 2^13 × 4 B = 256 KiB, inode hash 512 MiB / 2^14 × 4 B = 128 KiB, page
 * tables for 128 MiB (32,768 pages / 1024 + 1 PGD = 33 pages = 132 KiB): K = 4,612 KiB =
 * 4.50390625 MiB; 16 MiB minFree,
 * 128 MiB resident, a 256 MiB page cache (Dc = 65,536 pages) it reads 10 pages of per CPU-second,
 * uniformly (hotFraction = hotShare = 1, so miss(c) = (Dc − c) / Dc), on a sata-2006 disk.
 *
 * Unballooned: 64 + K + 128 + 256 = 452.5 MiB leaves 59.5 MiB free, above minFree: the whole cache fits,
 * no refaults, slowdown 1 (but for the interface's own small costs).
 *
 * static 0.5: a 256 MiB balloon. The driver takes the 48 MiB above minFree at once, then the cache
 * at 512 pages per poll, +16 a poll (about 56 polls for the other 208 MiB); after the 120 s warmup
 * the cache is what is left: c = 512 − 64 − K − 128 − 256 − 16 = 43.49609375 MiB = 11,135 pages, so
 *   miss = (65,536 − 11,135) / 65,536 = 0.830093,   refaults = 8.30093 per CPU-second,
 * each a random read of 12.7 ms + 4096 B / 50 MB/s = 12.78192 ms, so every CPU-second of work
 * waits 8.30093 × 12.78192 ms = 0.106102 s. The vCPU alternates the two, so over the window
 *   work = W / 1.106102,  slowdown = 1.106102,  refault wait = W − work = 0.0959 W,
 * W the window (180 s): work 162.73 CPU-s, refault wait 17.27 s, 1,351 refaults.
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

    expect(squeezed.cacheMiB).toBe(43.49609375);
    expect(squeezed.slowdown).toBeCloseTo(1.106102, 2);
    expect(squeezed.workDoneCpuS).toBeGreaterThan(162.73 * 0.99);
    expect(squeezed.workDoneCpuS).toBeLessThan(162.73 * 1.01);
    expect(squeezed.cacheRefaultPages).toBeGreaterThan(1351 * 0.99);
    expect(squeezed.cacheRefaultPages).toBeLessThan(1351 * 1.01);
    expect(squeezed.refaultWaitS).toBeCloseTo(squeezed.cacheRefaultPages * 0.01278192, 1);
    // A lone guest never queues behind anyone; its swap is untouched.
    expect(squeezed.swapIoWaitS).toBe(0);
    expect(squeezed.slowdown - free.slowdown).toBeGreaterThan(0.09);
  });
});
