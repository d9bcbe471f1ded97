/**
 * A KVM host's page cache in front of its guests' disk images: a guest re-read of a page-cache
 * page it dropped (a refault, sim/guest/memory.ts) is served from host memory when the host still
 * caches that block, and goes to the disk (sim/host/storage.ts) only when it does not.
 *
 * Why only KVM (MemorySemantics.hostPageCache): QEMU opens a disk image without O_DIRECT unless
 * told cache=none, so every guest read goes through the host's page cache — the default was
 * cache=writethrough (O_DSYNC, reads cached) from Liguori's cache= patch of 2008 (kvm list, "This
 * patch changes the cache= option to accept none, writeback, or writethough") and cache=writeback
 * from QEMU 1.2 (2012; recalled, not checked against its changelog) — either way reads are cached,
 * as on the 2013 host of the KVM auto-balloon row. ESX keeps VM disks on VMFS, which has no host
 * page cache for them; Xen 3.0.4's blkback builds bios on the guest's granted pages and submits
 * them to the physical device (dispatch_rw_block_io → submit_bio; recalled), so dom0 caches
 * nothing of a physical-device vbd (a file-backed loop vbd would be cached; not modelled).
 *
 * Capacity: the host's free frames, C = H − used (sim/host/memory.ts freePages). Linux reclaims
 * clean page cache before it swaps anonymous memory, so the cache is the first thing to shrink
 * when guests grow (modelled as: the cache only ever holds free frames, it never makes the host
 * swap and costs the guests nothing when reclaimed; writeback of dirty data is not modelled).
 *
 * Hit ratio: the host sees only the guests' misses (a guest cache hit never reaches QEMU), so its
 * LRU holds the blocks the guests read back most recently — the pages they dropped and reread.
 * Guest g's rereads spread over its dropped-but-wanted cache, E_g = max(0, Dc_g − c_g) pages (its
 * cache demand less its cache, sim/guest/memory.ts); with the guest's cache holding its hot part
 * (c_g ≥ hotFraction·Dc_g) the refaults fall uniformly on E_g (the cold part of the hot/cold
 * split), and an LRU cache of C pages under uniform independent references over E = Σ_g E_g pages
 * holds a share C / E of them, so
 *   h = min(1, C / E)   (0 when E = 0),  hits = refaults × h,  misses = refaults − hits,
 * the same h for every guest (the host's LRU is global), whole pages with the fraction carried per
 * guest to its next tick. Limits: a guest whose cache is below its hot part rereads some hot pages
 * more often, which an LRU keeps better than C / E says (h is then low); the blocks the guests
 * write, their swap I/O and the host's swap do not pass through this cache (their reads go to the
 * disk as before); the host's LRU takes time to fill, which h ignores.
 * Example: C = 1,000 free frames, E = 4,000 dropped pages: h = 0.25; 10 refaults → 2 hits (2.5 →
 * 2, carry 0.5) and 8 disk reads; the next tick's 10 refaults → 3 hits (2.5 + 0.5).
 *
 * Cost of a hit: HOST_CACHE_HIT_NS = 10 µs, the vCPU stalls that long per page: a 4 KiB copy from
 * the host's cache into guest memory (about 2 µs at 2 GB/s, a 2006–13 memcpy) plus the emulated
 * request's exit to QEMU, its handling and the completion interrupt (several µs) — our estimate,
 * not a measurement; against 12.8 ms per random read of the sata-2006 disk it is 1/1,280 of a miss.
 *
 * Deterministic: no randomness; the counts follow the event loop's order.
 */

/** Stall of one host-cache hit, ns (header). */
export const HOST_CACHE_HIT_NS = 10_000;

/** h = min(1, C / E), 0 when nothing was dropped (header). */
export function hostCacheHitRatio(capacityPages: number, droppedPages: number): number {
  if (droppedPages <= 0 || capacityPages <= 0) return 0;
  return Math.min(1, capacityPages / droppedPages);
}

export class HostPageCache {
  /** Per guest: refaults served from the host's cache. */
  readonly hits: number[];
  private readonly carry: number[];

  constructor(guests: number) {
    this.hits = new Array<number>(guests).fill(0);
    this.carry = new Array<number>(guests).fill(0);
  }

  /**
   * Guest `g`'s `refaults` this tick with `capacityPages` free host frames and `droppedPages`
   * dropped-but-wanted cache pages over all guests: returns the hits (whole pages).
   */
  serve(g: number, refaults: number, capacityPages: number, droppedPages: number): number {
    if (refaults <= 0) return 0;
    const exact = refaults * hostCacheHitRatio(capacityPages, droppedPages) + this.carry[g]!;
    const hits = Math.min(refaults, Math.floor(exact));
    this.carry[g] = hits === Math.floor(exact) ? exact - hits : 0;
    this.hits[g]! += hits;
    return hits;
  }
}
