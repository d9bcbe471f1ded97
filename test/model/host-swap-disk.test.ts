// The host's swap takes its time from the host's one disk (sim/host/memory.ts HostSwapWriter,
// sim/host/storage.ts): a guest the host blocks for frames waits until the disk has written them,
// behind the guests' I/O already queued; background reclaim queues only what the disk can write
// within a second. Figures worked by hand from the sata-2006 preset (12.7 ms, 50 MB/s).
import { describe, expect, it } from 'vitest';
import { HostMemory } from '../../sim/host/memory.js';
import { StorageDevice } from '../../sim/host/storage.js';
import { MEMORY_SEMANTICS } from '../../sim/spec/memory-semantics.js';
import { STORAGE_PRESETS } from '../../sim/spec/storage.js';
import { DEFAULT_LOCALITY } from '../../workloads/types.js';

/** 4096 B at 50 MB/s, ns. */
const PAGE_NS = (4096 / 50e6) * 1e9;
const L = 12.7e6;

/** One guest of 1000 pages, 600 of them anonymous (touched), on a host of `frames` frames. */
function setup(frames: number, soft = 0) {
  const guest = {
    name: 'solo',
    totalPages: 1000,
    balloonPages: 0,
    reservedPages: 100,
    anonPages: 500,
    freePages: 400,
    anonDemandPages: 500,
    accessLocality: () => DEFAULT_LOCALITY,
  };
  const disk = new StorageDevice(STORAGE_PRESETS['sata-2006'], 1);
  const mem = new HostMemory(
    {
      totalPages: frames,
      overheadPagesPerGuest: 0,
      thresholds: { high: soft, soft, hard: soft / 2, low: 0, hysteresis: 0 },
      samplePages: 1,
      samplePeriodNs: 1,
      sharing: { scanRate: 0, kernelFraction: 0, workloadFraction: 0 },
      workloadKind: ['x'],
      semantics: MEMORY_SEMANTICS.kvm,
    },
    [guest],
    disk,
  );
  // Every page touched once: the guest's free pages hold frames too (set by hand, so the running
  // sum of backed pages is told, as every change of them must).
  mem.untouched[0] = 0;
  mem.guestChanged(0);
  return { mem, disk };
}

describe('the host swaps to its one disk', () => {
  it('a guest short of frames waits for the disk to write them: L + n × 4096 / B', () => {
    const { mem, disk } = setup(900);
    // 1000 touched pages on 900 frames: 100 pages swapped at once, one sequential write.
    expect(mem.tick(0)).toBe(Math.round(L + 100 * PAGE_NS));
    expect(mem.hostSwapped[0]).toBe(100);
    expect(disk.hostServiceNs).toBeCloseTo(L + 100 * PAGE_NS, 3);
  });

  it('behind the guests’ reads already queued: their service is part of the wait', () => {
    const { mem, disk } = setup(900);
    // The guest's 10 refaults at t = 0 keep the disk busy 10 × (L + 4096 / B) = 127.8192 ms.
    disk.submit(0, 0, { writePages: 0, readPages: 10 });
    const wait = mem.tick(0);
    expect(wait).toBe(Math.round(10 * (L + PAGE_NS) + L + 100 * PAGE_NS));
    expect(disk.hostQueueWaitNs).toBeCloseTo(10 * (L + PAGE_NS), 3);
  });

  it('background reclaim queues only what the disk can write within a second', () => {
    // An idle disk writes ⌊(1 s − 12.7 ms) × 50 MB/s / 4096⌋ = ⌊12,052.002⌋ = 12,052 pages in one
    // request within 1 s; one busy with 39 reads (39 × 12.78192 ms = 498.49 ms) only
    // ⌊(1 s − 498.49488 ms − 12.7 ms) × 50 MB/s / 4096⌋ = ⌊5,966.86⌋ = 5,966.
    const disk = new StorageDevice(STORAGE_PRESETS['sata-2006'], 1);
    expect(disk.pagesWritableBy(0, 1e9)).toBe(12_052);
    disk.submit(0, 0, { writePages: 0, readPages: 39 });
    expect(disk.pagesWritableBy(0, 1e9)).toBe(5_966);
    // A disk busy past the horizon takes nothing more this second.
    disk.submit(0, 0, { writePages: 0, readPages: 100 });
    expect(disk.pagesWritableBy(0, 1e9)).toBe(0);
  });

  it('the hard state swaps toward the soft threshold no faster than the disk allows', () => {
    // 1000 touched pages on 1040 frames, soft threshold 10 % (104 frames): 64 pages to swap in the
    // hard state. An idle disk takes them all; a disk busy for 2 s takes none this tick.
    const idle = setup(1040, 0.1);
    idle.mem.tick(0);
    expect(idle.mem.hostSwapped[0]).toBe(64);
    const busy = setup(1040, 0.1);
    busy.disk.submit(0, 0, { writePages: 0, readPages: 160 }); // 160 × 12.78 ms = 2.05 s
    busy.mem.tick(0);
    expect(busy.mem.hostSwapped[0]).toBe(0);
  });
});
