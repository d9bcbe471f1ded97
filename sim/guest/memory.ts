/**
 * Guest memory: the one place where a guest's page counts change, with the invariant
 *   reserved + pageTables + anon + cache + free + balloon = total,   0 ≤ swapped ≤ swapTotal,
 * every term a whole number of 4 KiB pages ≥ 0.
 *
 *  - anon: the workload's resident anonymous pages; with `swapped` they make its anonymous demand
 *    D (what its processes have allocated): anon + swapped = D, unless the guest ran out of swap
 *    (an OOM: counted, the demand above what fits is refused — the OOM killer's victim).
 *  - cache: page cache, grown into free memory up to the workload's cache demand, the first thing
 *    reclaimed.
 *  - Reclaim order under pressure (a growing D, or the balloon driver allocating): free memory
 *    above the `minFree` reserve, then page cache, then anonymous pages out to swap — coldest first.
 *
 * Locality (a hot/cold split, which implies a miss-ratio curve): a fraction `hotFraction` of D
 * gets `hotShare` of the accesses, uniformly within each part. Resident pages are the hot ones
 * first (LRU keeps them), so with r resident anonymous pages, H = hotFraction·D, C = D − H:
 *   miss(r) = r ≥ D: 0;   r ≥ H: (1 − hotShare)·(D − r)/C;   r < H: (1 − hotShare) + hotShare·(H − r)/H.
 * Major faults over an interval = accesses × miss(r); each swaps a page in (evicting another
 * when there is no free memory) and stalls the vCPU for the swap device's latency.
 * Example: D = 1000 pages, hotFraction 0.2, hotShare 0.9, r = 600: miss = 0.1 × 400/800 = 0.05.
 *
 * Page-cache refaults: the workload reads `reads` pages of its files (its cache demand Dc, what it
 * would keep cached) with the same hot/cold split as its anonymous memory; the cached pages are the
 * hot ones first, so with c of them resident the share of reads that miss is hotColdMiss(Dc, c):
 *   refaults = reads × miss(Dc, c).
 * A refault reads the page from disk (sim/host/storage.ts) and puts it back in the cache, evicting
 * a colder cache page: the counts do not change, the cache stays what free memory lets it be.
 * Example: Dc = 1000 pages, c = 500, 20 %/90 % locality: miss = 0.1 × 500/800 = 0.0625, so
 * 512 reads give 32 refaults.
 *
 * Zones (i386): the kernel maps the first 896 MiB directly (lowmem: the 1 GiB kernel window less
 * 128 MiB of vmalloc space); the rest, up to 4 GiB or 64 GiB with PAE, is highmem. The kernel's
 * reserve lives in lowmem; process pages and the balloon's (GFP_HIGHUSER allocations) take
 * highmem first. So the balloon holds lowmem only once it holds all of highmem:
 *   balloonLow = max(0, balloon − highmem).
 * Example: a 2 GiB guest has 1152 MiB of highmem; a 1.5 GiB balloon holds 384 MiB of lowmem.
 * The zone is 896 MiB less the hypervisor's hole (`lowmemPages`, sim/guest/lowmem.ts), and the
 * reserve includes the structures the kernel sized with memory at boot (mem_map, hashes).
 *
 * Page tables (sim/guest/lowmem.ts pageTablePages): the anonymous demand's PTE pages, in lowmem
 * beside the reserve, taken like any new page (free, cache, swap) and freed with the demand:
 *   reserved + pageTables + anon + cache + free + balloon = total.
 * Lowmem exhaustion: the kernel's own lowmem (reserve + page tables) cannot pass the zone, whatever
 * highmem is free. User pages in lowmem are movable (reclaimed and faulted back into highmem, at no
 * modelled cost); the kernel's are not, so the demand whose page tables would not fit is refused —
 * the OOM killer's victim on an i386 box with free highmem (counted in `lowmemOomPages`, and in
 * `oomPages`/`oomEvents` with the other OOMs). Example: lowmem 728 MiB (Xen PAE) and a 64 GiB guest
 * with a 64 MiB reserve: mem_map 512 MiB + hashes 0.4 MiB leave ≈151.6 MiB = 38,809 pages for
 * page tables, which map (38,809 − 4) × 512 pages ≈ 75.8 GiB: all of its memory, just.
 */

import { InvariantError } from '../kernel/index.js';
import type { Locality } from '../../workloads/types.js';
import { pageTablePages } from './lowmem.js';

/** Directly mapped kernel memory of an i386 guest (3G/1G split, 128 MiB vmalloc), 4 KiB pages. */
export const LOWMEM_PAGES = (896 * 1024 * 1024) / 4096;

export interface MemoryConfig {
  totalPages: number;
  reservedPages: number;
  minFreePages: number;
  swapTotalPages: number;
  /** Pages in the balloon when the guest is built (Xen `memory=` below `maxmem=`; default 0). */
  startBalloonPages?: number;
  /** The lowmem zone (sim/guest/lowmem.ts lowmemZoneBytes), pages; default LOWMEM_PAGES. */
  lowmemPages?: number;
  /** PAE page tables (8-byte entries, 512 per PTE page); default false. */
  pae?: boolean;
}

/** Miss ratio of a hot/cold demand of `demand` pages with `resident` of them in memory. */
export function hotColdMiss(demand: number, resident: number, loc: Locality): number {
  if (demand <= 0 || resident >= demand) return 0;
  const hot = loc.hotFraction * demand;
  const cold = demand - hot;
  if (resident >= hot) return cold <= 0 ? 0 : ((1 - loc.hotShare) * (demand - resident)) / cold;
  return 1 - loc.hotShare + (hot <= 0 ? 0 : (loc.hotShare * (hot - Math.max(0, resident))) / hot);
}

export class GuestMemory {
  readonly totalPages: number;
  readonly reservedPages: number;
  readonly minFreePages: number;
  readonly swapTotalPages: number;
  anonPages = 0;
  cachePages = 0;
  balloonPages = 0;
  swappedPages = 0;
  /** Cumulative counters (virtio / MoM names). */
  majorFaults = 0;
  minorFaults = 0;
  swapIn = 0;
  swapOut = 0;
  /** Anonymous pages, with their page tables, refused because memory and swap were full (OOM events). */
  oomPages = 0;
  oomEvents = 0;
  /** Page-cache reads that missed and went to disk (refaults). */
  cacheRefaults = 0;
  /** What the workload last asked for: anonymous and page-cache pages (whether or not it got them). */
  anonWantedPages = 0;
  cacheWantedPages = 0;
  /** Page-table pages of the anonymous demand (in lowmem). */
  pageTablePages = 0;
  /** Anonymous pages refused because their page tables would not fit in lowmem. */
  lowmemOomPages = 0;
  private readonly lowmemZonePages: number;
  private readonly pae: boolean;
  /**
   * Called after every change of the anonymous or balloon pages (setDemand, access, inflate,
   * deflate), the counts the host's frames depend on: the host keeps its running sum of the frames
   * the guests hold with it (sim/host/memory.ts HostMemory.guestChanged).
   */
  onPagesChanged: () => void = () => {};

  constructor(cfg: MemoryConfig) {
    this.totalPages = cfg.totalPages;
    this.reservedPages = cfg.reservedPages;
    this.minFreePages = cfg.minFreePages;
    this.swapTotalPages = cfg.swapTotalPages;
    this.balloonPages = cfg.startBalloonPages ?? 0;
    this.lowmemZonePages = cfg.lowmemPages ?? LOWMEM_PAGES;
    this.pae = cfg.pae ?? false;
  }

  /** Pages in the lowmem and highmem zones. */
  get lowmemPages(): number {
    return Math.min(this.totalPages, this.lowmemZonePages);
  }

  /** Lowmem the kernel holds: its reserve (with the boot structures) and the page tables. */
  get kernelLowmemPages(): number {
    return this.reservedPages + this.pageTablePages;
  }

  /** The largest anonymous demand whose page tables still fit in lowmem beside the reserve. */
  private lowmemDemandCap(): number {
    const room = this.lowmemPages - this.reservedPages;
    const dirs = pageTablePages(1, this.pae) - 1;
    return Math.max(0, room - dirs) * (this.pae ? 512 : 1024);
  }

  get highmemPages(): number {
    return this.totalPages - this.lowmemPages;
  }

  /** Balloon pages taken from lowmem (the balloon takes highmem first). */
  get balloonLowmemPages(): number {
    return Math.max(0, this.balloonPages - this.highmemPages);
  }

  get freePages(): number {
    return (
      this.totalPages -
      this.reservedPages -
      this.pageTablePages -
      this.anonPages -
      this.cachePages -
      this.balloonPages
    );
  }

  /** Anonymous demand the guest is carrying (resident + swapped). */
  get anonDemandPages(): number {
    return this.anonPages + this.swappedPages;
  }

  /**
   * Frees up to `n` pages for a new use, keeping the `minFree` reserve (min_free_kbytes): free
   * memory above it first, then cache, then anonymous pages to swap. Returns the pages made available.
   */
  private makeRoom(n: number): number {
    let got = Math.min(n, Math.max(0, this.freePages - this.minFreePages));
    if (got < n) {
      const c = Math.min(n - got, this.cachePages);
      this.cachePages -= c;
      got += c;
    }
    if (got < n) {
      const s = Math.min(n - got, this.anonPages, this.swapTotalPages - this.swappedPages);
      this.anonPages -= s;
      this.swappedPages += s;
      this.swapOut += s;
      got += s;
    }
    return got;
  }

  /**
   * The workload's demand changed: anonymous demand `anonDemand`, page-cache demand `cacheDemand`.
   * New anonymous pages take free memory (reclaiming cache and swapping if they must; each new page
   * is a minor fault); released ones leave swap first. Returns the pages that swapped out.
   */
  setDemand(wantedAnon: number, cacheDemand: number): number {
    this.anonWantedPages = wantedAnon;
    this.cacheWantedPages = cacheDemand;
    const before = this.swapOut;
    const cur = this.anonDemandPages;
    const anonDemand = this.capByLowmem(wantedAnon, cur);
    if (anonDemand > cur) {
      // The new pages come with their page tables, taken first (a fault maps its PTE page first).
      const want = anonDemand - cur;
      const tables = Math.max(0, pageTablePages(anonDemand, this.pae) - this.pageTablePages);
      const got = this.makeRoom(want + tables);
      const pages = got < want + tables ? this.pagesWithTables(cur, got) : want;
      this.pageTablePages = Math.max(this.pageTablePages, pageTablePages(cur + pages, this.pae));
      this.anonPages += pages;
      this.minorFaults += pages;
      if (pages < want) {
        this.oomPages += want - pages;
        this.oomEvents += 1;
      }
    } else if (anonDemand < cur) {
      let drop = cur - anonDemand;
      const fromSwap = Math.min(drop, this.swappedPages);
      this.swappedPages -= fromSwap;
      drop -= fromSwap;
      this.anonPages -= Math.min(drop, this.anonPages);
    }
    this.fitPageTables();
    // Page cache only grows into free memory above the reserve; it shrinks to its demand.
    if (cacheDemand < this.cachePages) this.cachePages = Math.max(0, cacheDemand);
    else
      this.cachePages += Math.max(
        0,
        Math.min(cacheDemand - this.cachePages, this.freePages - this.minFreePages),
      );
    this.onPagesChanged();
    return this.swapOut - before;
  }

  /**
   * The part of a demand growing from `cur` to `wanted` pages whose page tables fit in lowmem; the
   * rest is refused as an OOM (see the header).
   */
  private capByLowmem(wanted: number, cur: number): number {
    const cap = Math.max(cur, this.lowmemDemandCap());
    if (wanted <= cap) return wanted;
    this.lowmemOomPages += wanted - cap;
    this.oomPages += wanted - cap;
    this.oomEvents += 1;
    return cap;
  }

  /** The most new anonymous pages that `room` pages hold beside the page tables they add to `cur`. */
  private pagesWithTables(cur: number, room: number): number {
    const extraTables = (n: number) => Math.max(0, pageTablePages(cur + n, this.pae) - this.pageTablePages);
    let n = Math.max(0, room - extraTables(room));
    while (n > 0 && n + extraTables(n) > room) n--;
    while (n + 1 + extraTables(n + 1) <= room) n++;
    return n;
  }

  /**
   * Page tables follow the anonymous demand: a shrinking demand frees its PTE pages; any still
   * missing (a demand that met an OOM) are taken like any page (free, cache, swap) when there is room.
   */
  private fitPageTables(): void {
    const need = pageTablePages(this.anonDemandPages, this.pae);
    if (need <= this.pageTablePages) {
      this.pageTablePages = need;
      return;
    }
    const got = this.makeRoom(need - this.pageTablePages);
    this.pageTablePages += got;
  }

  /**
   * `accesses` memory accesses at the current residency: the missing ones are major faults, each
   * a swap-in of one page (which first needs a page: free, then cache, then another swap-out).
   * Returns the number of major faults.
   */
  access(accesses: number, loc: Locality, carry: { frac: number }): number {
    const miss = hotColdMiss(this.anonDemandPages, this.anonPages, loc);
    const exact = accesses * miss + carry.frac;
    const faults = Math.min(Math.floor(exact), this.swappedPages);
    carry.frac = faults === Math.floor(exact) ? exact - faults : 0;
    // Each faulting page needs a page of memory first: free, then cache, then another (cold)
    // anonymous page swapped out — the churn of a guest that does not fit.
    const room = this.makeRoom(faults);
    const n = Math.min(room, faults, this.swappedPages);
    this.swappedPages -= n;
    this.anonPages += n;
    this.swapIn += n;
    this.majorFaults += faults;
    this.onPagesChanged();
    return faults;
  }

  /**
   * `reads` page-cache reads at the current cache residency (header): returns the refaults, whole
   * pages, the fractions carried in `carry` to the next call.
   */
  cacheAccess(reads: number, loc: Locality, carry: { frac: number }): number {
    const exact = reads * hotColdMiss(this.cacheWantedPages, this.cachePages, loc) + carry.frac;
    const refaults = Math.floor(exact);
    carry.frac = exact - refaults;
    this.cacheRefaults += refaults;
    return refaults;
  }

  /**
   * The balloon driver asks for `n` pages. Free memory above the reserve comes without effort;
   * beyond that, up to `hardLimit` more pages make the guest reclaim cache or swap anonymous
   * pages out (as a guest does when vmmemctl or the Xen driver allocates under pressure).
   * Returns the pages it got.
   */
  inflate(n: number, hardLimit: number): number {
    const easy = Math.min(n, Math.max(0, this.freePages - this.minFreePages));
    this.balloonPages += easy;
    const hard = Math.min(n - easy, hardLimit);
    const more = hard > 0 ? this.makeRoom(hard) : 0;
    this.balloonPages += more;
    this.onPagesChanged();
    return easy + more;
  }

  /** The balloon gives back `n` pages; they become free. */
  deflate(n: number): number {
    const d = Math.min(n, this.balloonPages);
    this.balloonPages -= d;
    this.onPagesChanged();
    return d;
  }

  /**
   * Throws an InvariantError naming guest `name` if a page count is negative or fractional (free
   * pages are what the others leave of the total, so a negative free count is pages that do not
   * add up) or more pages are swapped than the swap holds.
   */
  check(name: string): void {
    const parts: [string, number][] = [
      ['reserved', this.reservedPages],
      ['pageTables', this.pageTablePages],
      ['anon', this.anonPages],
      ['cache', this.cachePages],
      ['free', this.freePages],
      ['balloon', this.balloonPages],
      ['swapped', this.swappedPages],
    ];
    const bad = parts.filter(([, p]) => p < 0 || !Number.isInteger(p));
    if (bad.length > 0)
      throw new InvariantError(
        `guest ${name}`,
        `page counts ${bad.map(([k, p]) => `${k} ${p}`).join(', ')} (${parts.map(([k, p]) => `${k} ${p}`).join(', ')}; total ${this.totalPages})`,
        'every page count is a whole number ≥ 0 and reserved + pageTables + anon + cache + free + balloon = total',
      );
    if (this.swappedPages > this.swapTotalPages)
      throw new InvariantError(
        `guest ${name}`,
        `${this.swappedPages} pages swapped, its swap holds ${this.swapTotalPages}`,
        'swapped pages ≤ swap size',
      );
  }
}
