// A KVM host's page cache in front of its guests' disks (sim/host/host-page-cache.ts): the hit
// ratio h = min(1, C / E), its carry, and what it does to a squeezed guest's refaults, worked by
// hand below.
import { describe, expect, it } from 'vitest';
import { HOST_CACHE_HIT_NS, HostPageCache, hostCacheHitRatio } from '../../sim/host/host-page-cache.js';
import { HostMemory, type GuestFrames } from '../../sim/host/memory.js';
import { MEMORY_SEMANTICS } from '../../sim/spec/memory-semantics.js';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import type { GuestSummary } from '../../sim/results/types.js';

describe('host page cache: hit ratio', () => {
  it('holds C / E of the dropped pages: 1,000 free frames over 4,000 dropped pages give 0.25', () => {
    expect(hostCacheHitRatio(1000, 4000)).toBe(0.25);
    // All of them fit: every refault hits; no free frames, or nothing dropped: none does.
    expect(hostCacheHitRatio(5000, 4000)).toBe(1);
    expect(hostCacheHitRatio(0, 4000)).toBe(0);
    expect(hostCacheHitRatio(1000, 0)).toBe(0);
  });

  it('serves whole pages and carries the fraction: 10 refaults at 0.25 → 2 hits, then 3', () => {
    const c = new HostPageCache(2);
    expect(c.serve(0, 10, 1000, 4000)).toBe(2); // 2.5 → 2, carry 0.5
    expect(c.serve(0, 10, 1000, 4000)).toBe(3); // 2.5 + 0.5
    expect(c.serve(1, 10, 1000, 4000)).toBe(2); // its own carry
    expect(c.hits).toEqual([5, 2]);
  });

  it('shrinks first when a guest grows: free frames fall, and with them the hits, before the host swaps', () => {
    // One lazily backed 1,000-page guest on a 1,200-frame host, no overhead: 100 reserve + 300 anon
    // touched, 600 free pages untouched → 400 frames used, 800 free: h = 800 / 1,600 = 0.5.
    const g = {
      name: 'g',
      totalPages: 1000,
      balloonPages: 0,
      reservedPages: 100,
      anonPages: 300,
      freePages: 600,
      anonDemandPages: 300,
      accessLocality: () => ({ hotFraction: 0.2, hotShare: 0.9 }),
    } satisfies GuestFrames;
    const host = new HostMemory(
      {
        totalPages: 1200,
        overheadPagesPerGuest: 0,
        thresholds: { high: 0.06, soft: 0.04, hard: 0.02, low: 0.01, hysteresis: 0.01 },
        samplePages: 100,
        samplePeriodNs: 1e9,
        sharing: { scanRate: 0, kernelFraction: 0, workloadFraction: 0 },
        workloadKind: ['w'],
        semantics: MEMORY_SEMANTICS.kvm,
      },
      [g],
    );
    expect(host.freePages()).toBe(800);
    expect(hostCacheHitRatio(host.freePages(), 1600)).toBe(0.5);
    // The guest's processes take 600 more pages, all of its free ones: 1,000 frames used, 200 free,
    // h = 200 / 1,600 = 0.125 — and the host has swapped nothing.
    Object.assign(g, { anonPages: 900, anonDemandPages: 900, freePages: 0 });
    host.settleUntouched(0);
    expect(host.freePages()).toBe(200);
    expect(host.swappedPages()).toBe(0);
    expect(hostCacheHitRatio(host.freePages(), 1600)).toBe(0.125);
  });
});

/**
 * One always-busy vCPU in a 512 MiB guest on a KVM host, no balloon: 64 MiB reserve plus the
 * kernel's lowmem structures K = 4.50390625 MiB (mem_map 4 MiB, dentry and inode hashes 256 + 128
 * KiB, page tables for 128 MiB 132 KiB: sim/guest/lowmem.ts, worked in test/model/refaults.test.ts),
 * 16 MiB minFree, 128 MiB resident, and a 1 GiB cache demand (Dc = 262,144 pages) read 10 pages
 * per CPU-second uniformly (hotFraction = hotShare = 1, so miss(c) = (Dc − c) / Dc). Its cache is
 * what fits: c = 512 − 64 − K − 128 − 16 = 299.49609375 MiB, so it has dropped E = 1,024 − c =
 * 724.50390625 MiB and misses E / 1,024 = 0.707523 of its reads: 7.07523 refaults per CPU-second. A miss is a
 * 12.78192 ms disk read (sata-2006: 12.7 ms + 4096 B / 50 MB/s), a hit HOST_CACHE_HIT_NS = 10 µs.
 * The guest holds 512 − 16 (its free pages, never touched) = 496 MiB of frames, plus 32 MiB of
 * host overhead: 528 MiB. Over the 180 s window (300 s less 120 s warmup), slowdown = 1 + wait per
 * CPU-second, work = 180 / slowdown, refaults = 7.03125 × work:
 *  - 2 GiB host: C = 2,048 − 528 = 1,520 MiB ≥ E, h = 1: 7.07523 × 10 µs = 70.8 µs per CPU-second;
 *    work 179.987 CPU-s, 1,273 refaults, refault wait 0.0127 s.
 *  - 888 MiB host: C = 888 − 528 = 360 MiB, h = 360 / 724.504 = 0.496892: 3.515625 hits × 0.01 ms
 *    + 3.559609 misses × 12.78192 ms = 45.534 ms per CPU-second, slowdown 1.045534, work 172.16
 *    CPU-s, 1,218 refaults, wait 7.84 s.
 *  - host page cache off (2 GiB): 7.07523 × 12.78192 ms = 90.435 ms, slowdown 1.090435, work
 *    165.07 CPU-s, 1,168 refaults, wait 14.93 s.
 */
const yaml = (hostMemory: string, hostPageCache: string) => `
name: t
duration: 300s
warmup: 120s
host:
  pcpus: 1
  memory: ${hostMemory}
  memorySemantics: kvm
  balloon: { policy: none }
  storage: { hostPageCache: ${hostPageCache} }
guests:
  - name: g
    memory: 512MiB
    workload:
      type: constant
      dutyCycle: 1
      resident: 128MiB
      cache: 1GiB
      cacheReadsPerS: 10
      hotFraction: 1
      hotShare: 1
`;

function runOf(hostMemory: string, hostPageCache: string): { g: GuestSummary; freeMiB: number } {
  const r = simulate(spec(yaml(hostMemory, hostPageCache)), { checkInvariants: true });
  expect(r.status, r.error).toBe('ok');
  return { g: r.summary!.guests[0]!, freeMiB: r.summary!.metrics.host_free_mean_MiB! };
}

const within = (x: number, want: number, rel: number) => {
  expect(x).toBeGreaterThan(want * (1 - rel));
  expect(x).toBeLessThan(want * (1 + rel));
};

describe('host page cache: a guest whose files do not fit, on a KVM host', () => {
  it('a hit: with all it dropped in host memory, a refault costs 10 µs, not a disk read', () => {
    const { g } = runOf('2GiB', 'auto');
    expect(g.cacheMiB).toBe(299.49609375);
    within(g.cacheRefaultPages, 1273, 0.01);
    expect(g.hostCacheHitPages).toBe(g.cacheRefaultPages);
    expect(g.refaultWaitS).toBeCloseTo((g.cacheRefaultPages * HOST_CACHE_HIT_NS) / 1e9, 4);
    expect(g.slowdown).toBeLessThan(1.005);
  });

  it('half hits, half misses: 360 MiB of free host memory over 720 MiB dropped', () => {
    const { g, freeMiB } = runOf('888MiB', 'auto');
    expect(freeMiB).toBe(360);
    expect(g.cacheMiB).toBe(299.49609375);
    expect(g.slowdown).toBeCloseTo(1.045534, 2);
    within(g.workDoneCpuS, 172.16, 0.01);
    within(g.cacheRefaultPages, 1218, 0.01);
    // h = 360 / 724.50390625 from the first tick: hits are that share of the refaults, give or take
    // the carried fraction.
    expect(Math.abs(g.hostCacheHitPages - (g.cacheRefaultPages * 360) / 724.50390625)).toBeLessThanOrEqual(1);
    within(g.refaultWaitS, 7.84, 0.01);
  });

  it('a miss: with the host page cache off, every refault is a disk read', () => {
    const { g } = runOf('2GiB', 'off');
    expect(g.slowdown).toBeCloseTo(1.090435, 2);
    within(g.workDoneCpuS, 165.07, 0.01);
    within(g.cacheRefaultPages, 1168, 0.01);
    expect(g.hostCacheHitPages).toBe(0);
    within(g.refaultWaitS, 14.93, 0.01);
  });
});
