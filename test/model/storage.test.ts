// The host's shared disk (sim/host/storage.ts): the header's worked example, and FIFO queueing that
// makes one guest's I/O delay another's — figures worked by hand below.
import { describe, expect, it } from 'vitest';
import { HOST_REQUESTER, StorageDevice } from '../../sim/host/storage.js';
import { STORAGE_PRESETS } from '../../sim/spec/storage.js';

const sata = () => new StorageDevice(STORAGE_PRESETS['sata-2006'], 2);
/** 4096 B at 50 MB/s, ns. */
const PAGE_NS = (4096 / 50e6) * 1e9;

describe('host storage', () => {
  it('100 random page reads take 100 × (12.7 ms + 81.92 µs) = 1.27819 s', () => {
    expect(sata().submit(0, 0, { writePages: 0, readPages: 100 })).toBe(1_278_192_000);
  });

  it('64 pages swapped out by a guest are two clusters of 32: 2 × 12.7 ms + 64 × 81.92 µs = 30.64 ms', () => {
    expect(sata().serviceTimeNs({ writePages: 64, readPages: 0 })).toBeCloseTo(25.4e6 + 64 * PAGE_NS, 3);
    // The host writes its swap-outs as one sequential request: 12.7 ms + 64 × 81.92 µs.
    expect(sata().serviceTimeNs({ writePages: 64, readPages: 0, sequentialWrite: true })).toBeCloseTo(
      12.7e6 + 64 * PAGE_NS,
      3,
    );
  });

  it('first in, first out: a guest that asks while another is served waits behind it', () => {
    const d = sata();
    const t = 12.7e6 + PAGE_NS;
    // Guest 0 reads 10 pages at 0: the disk is busy until 10 t. Guest 1 asks for 1 page at 5 t: it
    // waits 5 t in the queue, then t of service, so 6 t after it asked.
    expect(d.submit(0, 0, { writePages: 0, readPages: 10 })).toBe(Math.round(10 * t));
    expect(d.submit(5 * t, 1, { writePages: 0, readPages: 1 })).toBe(Math.round(6 * t));
    expect(d.queueWaitNs[0]).toBe(0);
    expect(d.queueWaitNs[1]).toBeCloseTo(5 * t, 3);
    // The host's writes at 6 t queue behind guest 1's read (until 11 t).
    d.submit(6 * t, HOST_REQUESTER, { writePages: 32, readPages: 0, sequentialWrite: true });
    expect(d.hostQueueWaitNs).toBeCloseTo(5 * t, 3);
    // Busy: 11 t of reads by 11 t; the host's write is still going then.
    expect(d.busyNsUpTo(11 * t)).toBeCloseTo(11 * t, 3);
    expect(d.totalQueueWaitNs()).toBeCloseTo(10 * t, 3);
  });

  it('an empty batch costs nothing and leaves the disk idle', () => {
    const d = sata();
    expect(d.submit(0, 0, { writePages: 0, readPages: 0 })).toBe(0);
    expect(d.busyNsUpTo(1e9)).toBe(0);
  });
});
