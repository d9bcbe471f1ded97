/**
 * The host's storage: one disk shared by every guest and by the host's own swap, behind guest
 * page-cache refaults, guest swap-ins and swap-outs, and host swap-ins and swap-outs (guests'
 * virtual disks and swap, and the host's swap file, all on the one device — a 2006 host with one
 * local disk or one LUN; several devices are not modelled).
 *
 * Service time of a request (a positioning, then the transfer):
 *   read of one 4 KiB page at a random place:   t_r = L + 4096 / B
 *   write of n pages in clusters of k pages:      t_w(n) = ⌈n / k⌉ · L + n · 4096 / B
 *   the host's swap-out of n pages:               t_h(n) = L + n · 4096 / B
 * L = `requestLatencyNs` (seek + rotational latency + controller), B = `bandwidthBytesPerS`, k =
 * `writeClusterPages`. Reads are one page each: a refault or a swap-in lands at a random place of
 * the file or the swap area, and readahead (Linux page_cluster = 3, swapin_readahead) only helps
 * when the neighbours are wanted, which a hot/cold model cannot say. Writes are clustered: the
 * kernel's reclaim writes its victims in batches that the swap allocator places in consecutive
 * slots (SWAP_CLUSTER_MAX = 32 pages in 2.6 vmscan.c; the default k). The host swaps a whole
 * tick's pages at once into its swap file, written as one sequential request (an assumption). The
 * host's swapping takes all its pace from here (sim/host/memory.ts, HostSwapWriter): a guest the
 * host blocks for frames waits until this disk has written them, queue included, and background
 * reclaim queues only what this disk can finish within a second.
 *
 * Queue: first in, first out, one request at a time (Linux's noop elevator). Linux 2.6.18 used
 * CFQ (per-process fairness) and sorted requests by sector, and ESX shares a LUN by per-VM disk
 * shares; both bound how much one busy guest delays another, which FIFO does not — so this model
 * is the pessimistic end for cross-guest interference (our choice, stated, not a measurement).
 * A batch submitted at time t starts at s = max(t, busyUntil), the device is then busy until
 *   busyUntil' = s + Σ service,
 * and the requester waits busyUntil' − t, of which s − t is queueing behind earlier requests.
 * Requests arrive only at guests' memory ticks (once a second, staggered), as one batch each.
 *
 * Presets (sim/spec/storage.ts STORAGE_PRESETS): `sata-2006`, a 7,200 rpm SATA disk of 2005–06 — average read seek
 * 8.5 ms (Seagate Barracuda 7200.7, hard-drive history, redhill.net.au/d/141.php) plus half a
 * revolution, 60 / 7200 / 2 = 4.17 ms, so L = 12.7 ms; sustained read 64.8 MB/s in the outer zone
 * and 31.0 MB/s in the inner (Hitachi Deskstar 7K500 specification, Table 10), of which we take
 * 50 MB/s as the mean over the disk (our choice). `ssd`: a SATA flash disk of 2009 (Intel X25-M:
 * about 85 µs read latency and 250 MB/s sequential read, recalled from its datasheet, unverified).
 * Example (sata-2006): 100 refaults cost 100 × (12.7 ms + 4096 / 50 MB/s = 0.082 ms) = 1.278 s;
 * 64 pages written cost 2 × 12.7 + 64 × 0.082 = 30.6 ms.
 *
 * Deterministic: service times are fixed numbers of ns, requests are served in the order the
 * (deterministic) event loop submits them; no randomness is used.
 */
import { InvariantError } from '../kernel/index.js';
import type { StorageConfig } from '../spec/storage.js';
import type { HostSwapWriter } from './memory.js';

export const PAGE_BYTES = 4096;

/** Who made a request: a guest's index, or the host's own swap. */
export const HOST_REQUESTER = -1;

/**
 * One batch of a requester: pages to write first (they free the pages the reads need), then pages
 * to read. `sequentialWrite`: the writes go to consecutive slots as one request (the host's swap).
 */
export interface IoBatch {
  writePages: number;
  readPages: number;
  sequentialWrite?: boolean;
}

export class StorageDevice implements HostSwapWriter {
  /** The device is busy until then (its queue drains then), ns. */
  private busyUntilNs = 0;
  /** Total service time given, ns (including any still in the future). */
  private busyNs = 0;
  /** Per guest: time its batches waited behind earlier requests, and their service time, ns. */
  readonly queueWaitNs: number[];
  readonly serviceNs: number[];
  /** The host's own swap I/O: queue wait and service, ns. */
  hostQueueWaitNs = 0;
  hostServiceNs = 0;
  /** Requests served (positionings: one per page read, one per written cluster). */
  requests = 0;

  constructor(
    readonly cfg: StorageConfig,
    guests: number,
  ) {
    this.queueWaitNs = new Array<number>(guests).fill(0);
    this.serviceNs = new Array<number>(guests).fill(0);
  }

  /** Transfer time of `pages` pages, ns. */
  private transferNs(pages: number): number {
    return (pages * PAGE_BYTES * 1e9) / this.cfg.bandwidthBytesPerS;
  }

  /** Positioned requests the batch's writes take. */
  private writeRequests(b: IoBatch): number {
    if (b.writePages <= 0) return 0;
    return b.sequentialWrite === true ? 1 : Math.ceil(b.writePages / this.cfg.writeClusterPages);
  }

  /** Service time of a batch (header formula), ns. */
  serviceTimeNs(b: IoBatch): number {
    const writeRequests = this.writeRequests(b);
    return (
      (writeRequests + b.readPages) * this.cfg.requestLatencyNs + this.transferNs(b.writePages + b.readPages)
    );
  }

  /**
   * Queues `b` from `who` (a guest index or HOST_REQUESTER) at `nowNs`; returns how long until the
   * device has finished it (queueing + service), ns, rounded to whole ns (0 for an empty batch).
   */
  submit(nowNs: number, who: number, b: IoBatch): number {
    if (b.writePages <= 0 && b.readPages <= 0) return 0;
    const start = Math.max(nowNs, this.busyUntilNs);
    const service = this.serviceTimeNs(b);
    this.busyUntilNs = start + service;
    this.busyNs += service;
    this.requests += this.writeRequests(b) + b.readPages;
    if (who === HOST_REQUESTER) {
      this.hostQueueWaitNs += start - nowNs;
      this.hostServiceNs += service;
    } else {
      this.queueWaitNs[who]! += start - nowNs;
      this.serviceNs[who]! += service;
    }
    return Math.round(this.busyUntilNs - nowNs);
  }

  /** The host's swap-out of `pages`, one sequential request (t_h); ns until it is written. */
  writeSequential(nowNs: number, pages: number): number {
    return this.submit(nowNs, HOST_REQUESTER, { writePages: pages, readPages: 0, sequentialWrite: true });
  }

  /**
   * Most pages one sequential write queued at `nowNs` can hold and be written by `byNs`: it starts
   * at s = max(now, busyUntil) and needs L + n × 4096 / B, so n = ⌊(byNs − s − L) × B / 4096⌋ ≥ 0.
   * Example (sata-2006, idle disk): within 1 s, ⌊(1 s − 12.7 ms) × 50 MB/s / 4096⌋ = 12,052 pages.
   */
  pagesWritableBy(nowNs: number, byNs: number): number {
    const roomNs = byNs - Math.max(nowNs, this.busyUntilNs) - this.cfg.requestLatencyNs;
    return roomNs <= 0 ? 0 : Math.floor((roomNs * this.cfg.bandwidthBytesPerS) / 1e9 / PAGE_BYTES);
  }

  /**
   * Time the device was busy up to `nowNs`, ns: every request arrived by then, so what is still
   * queued is one busy stretch from now to busyUntil.
   */
  busyNsUpTo(nowNs: number): number {
    return this.busyNs - Math.max(0, this.busyUntilNs - nowNs);
  }

  /** Queue wait of every requester (guests and host), ns. */
  totalQueueWaitNs(): number {
    return this.queueWaitNs.reduce((a, b) => a + b, this.hostQueueWaitNs);
  }

  /** Throws an InvariantError if the busy time is negative or not finite. */
  check(): void {
    if (!(this.busyNs >= 0) || !Number.isFinite(this.busyUntilNs))
      throw new InvariantError(
        'host storage',
        `busy ${this.busyNs} ns, busy until ${this.busyUntilNs} ns`,
        'busy time is ≥ 0 and the queue drains at a finite time',
      );
  }
}
