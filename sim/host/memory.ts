/**
 * Host (machine) memory: frames, the hypervisor's per-guest overhead, its free-memory state and
 * its last resort, swapping guest pages to its own disk. The one place where host page counts
 * change; invariant: the host never hands out more frames than it has —
 *   Σ_g backed(g) + overhead × guests ≤ H,   backed(g) = memory(g) − balloon(g) − hostSwapped(g).
 *
 * What the hypervisor does is its memory semantics (`cfg.semantics`, sim/spec/memory-semantics.ts):
 * everything below about lazy backing, host swapping, the low state's blocking and page sharing
 * holds for ESX and KVM hosts. On a Xen PV host every page outside the balloon holds a frame from
 * the start (untouched = 0 always: populate_physmap allocates the frames of pages the balloon gives
 * back), the host never swaps (tick only tracks the state), and nothing is shared, so
 *   used = Σ_g (memory(g) − balloon(g)) + overhead × guests ≤ H
 * holds because the Xen interface grows a guest only from free frames (sim/abi/xen/hypercalls.ts).
 *
 * With lazy backing, a guest page holds a frame once the guest has used it — a freshly booted
 * guest has touched only its kernel and its processes' memory; pages it freed later stay backed (Linux does not hand
 * them back) — unless it is in the balloon or the host swapped it:
 *   backed(g) = memory(g) − balloon(g) − hostSwapped(g) − untouched(g),
 * untouched(g) ⊆ free(g): the guest's allocator hands out recently freed (touched) pages first,
 * so untouched ones are used last: untouched = min(untouched, free) after every change; pages
 * a balloon gives back arrive untouched (the host backs them when the guest first writes them). When the guests' demand exceeds H, or when free memory falls
 * into the `hard` state, the host swaps randomly chosen guest pages — in expectation in
 * proportion to each guest's resident pages, which is how they are split here (largest
 * remainder, so counts stay whole) — until free memory is back at the `soft` threshold.
 *
 * States (ESX 2002, reference/memory-balloon.md §1.5), by free fraction φ of H, defaults 6/4/2/1 %,
 * judged at each tick before the host swaps (so a host that keeps swapping stays hard):
 *   high φ ≥ 6 %;  soft 4 % ≤ φ < 6 %;  hard 1 % ≤ φ < 4 %;  low φ < 1 %.
 * Moving to a better state needs φ to exceed its threshold by `hysteresis` (default 1 point).
 *
 * The host's swap is written to the host's one disk (sim/host/storage.ts, through `HostSwapWriter`),
 * queued behind the guests' reads and writes: a swap-out of n pages is one sequential request of
 * t_h(n) = L + n × 4096 / B, started when the disk has finished what it was given. Frames the host
 * must have now (the guests' use is over H) are swapped out at once and the guest whose growth
 * needed them is blocked until the disk has written them — the stall of touching memory the host
 * cannot back, as long as the real disk takes, queue included. Background reclaim (hard and low
 * states, back to the soft threshold) only queues what the disk can finish within the next second,
 * so it sustains at most the disk's rate, less what the guests use of it. In the low state the
 * host also blocks every guest above its target (its balloon smaller than the host asks) for a poll
 * period at a time, as ESX does (reference §1.5) — host.ts applies that.
 *
 * Double paging: a guest touching a page the host swapped takes a host-level fault (a read from
 * the host's disk, sim/host/storage.ts, which host.ts queues with the guest's own reads) and the
 * page comes back; the chance an access lands on one is
 * hostSwapped / resident. Balloon inflation returns host-swapped pages for free in proportion
 * (onInflate gives the share).
 *
 * Page sharing (ESX TPS §1.2, KSM): a scanner visits `scanRate` pages a second, split evenly over
 * the guests, and finds identical pages: kernelFraction of each guest's kernel reserve (same OS
 * everywhere) and workloadFraction of its anonymous pages (identical only among guests running the
 * same workload type). Of identical content held by m guests one copy is kept, so a guest's shared
 * pages save frames at (m − 1)/m each:  saved(g) = sharedKernel(g)·(n−1)/n + sharedAnon(g)·(m−1)/m.
 * Found pages never exceed what is shareable now (a write or a free breaks sharing).
 *
 * Running sums: each poll's tick needs Σ_g backed(g) (in `usedPages`, several times when it swaps)
 * and the policy's observation Σ_g hostSwapOut(g); summing over every guest at each of the guests'
 * polls costs O(guests²) per simulated second. So the sums are kept as they change: backed(g) is
 * recomputed (O(1)) and the sum moved by the difference wherever one of its terms changes — here
 * for the host's own counts (untouched, host-swapped, shared pages), and for the guest's (balloon
 * and anonymous pages) in `guestChanged`, which the guest's memory calls after each change
 * (sim/guest/memory.ts onPagesChanged). Every term is a whole number of pages, so the running sum
 * is exactly the full one (check() asserts it).
 *
 * Working-set sampling (ESX, §1.4): every `samplePeriodNs` the host samples `samplePages` of
 * each guest's pages at random and counts those the guest touched in the period: a binomial
 * draw with the guest's active fraction, from the run's `sampling:<guest>` stream.
 */
import { InvariantError, type RandomStream } from '../kernel/index.js';
import type { HostMemoryState } from '../../policies/balloon/types.js';
import type { MemorySemantics } from '../spec/memory-semantics.js';
import { hotColdMiss } from '../guest/memory.js';
import type { Locality } from '../../workloads/types.js';

export interface HostMemoryConfig {
  totalPages: number;
  overheadPagesPerGuest: number;
  /** Free-memory thresholds as fractions of total, high > soft > hard > low, and the hysteresis. */
  thresholds: { high: number; soft: number; hard: number; low: number; hysteresis: number };
  samplePages: number;
  samplePeriodNs: number;
  sharing: { scanRate: number; kernelFraction: number; workloadFraction: number };
  /** Workload type per guest: anonymous pages are identical only among guests running the same one. */
  workloadKind: readonly string[];
  /** How the hypervisor backs, swaps and shares guest memory (sim/spec/memory-semantics.ts). */
  semantics: MemorySemantics;
  /** False: usedPages and hostSwapOutTotal sum over every guest at each read (sim/host/aggregations.ts). */
  runningSums?: boolean;
}

export interface GuestFrames {
  /** As the experiment names the guest (error messages). */
  readonly name: string;
  readonly totalPages: number;
  readonly balloonPages: number;
  readonly reservedPages: number;
  readonly anonPages: number;
  readonly freePages: number;
  /** Its anonymous demand (resident + in its own swap) and how its accesses spread over it. */
  readonly anonDemandPages: number;
  accessLocality(): Locality;
}

/**
 * Where the host's swap-outs are written: the host's disk (StorageDevice), or, for unit tests of
 * the page arithmetic, a device that writes at once (INSTANT_SWAP).
 */
export interface HostSwapWriter {
  /** Queues `pages` as one sequential write at `nowNs`; returns ns until they are written. */
  writeSequential(nowNs: number, pages: number): number;
  /** Most pages one sequential write queued at `nowNs` can hold and still be written by `byNs`. */
  pagesWritableBy(nowNs: number, byNs: number): number;
}

/** A swap device with no cost: every write done at once, any number of pages. */
export const INSTANT_SWAP: HostSwapWriter = {
  writeSequential: () => 0,
  pagesWritableBy: () => Number.MAX_SAFE_INTEGER,
};

const STATE_ORDER: HostMemoryState[] = ['high', 'soft', 'hard', 'low'];
/** Background reclaim queues at most this much of the disk's time ahead (one poll period). */
const RECLAIM_HORIZON_NS = 1e9;
/** Rounds of swapOutFrames: each swaps the shortfall at the last round's pages per frame freed. */
const MAX_SWAP_ROUNDS = 8;

export class HostMemory {
  readonly hostSwapped: number[] = [];
  /** Per guest: how many guests run its workload type (the m of the sharing formula). */
  private readonly sameKind: number[];
  /** Per guest: shared kernel and anonymous pages found so far. */
  readonly sharedKernel: number[] = [];
  readonly sharedAnon: number[] = [];
  /** Per guest: free pages never touched, which hold no frame yet. */
  readonly untouched: number[] = [];
  /** Cumulative per guest: pages the host swapped out and back in, and host-level faults. */
  readonly hostSwapOut: number[] = [];
  readonly hostSwapIn: number[] = [];
  readonly hostFaults: number[] = [];
  /** Per guest: backedPages(g) when its terms last changed, and their sum; Σ hostSwapOut. */
  private readonly backedNow: number[] = [];
  private backedSum = 0;
  private swapOutSum = 0;
  /**
   * Debug mode (sim/host/run.ts checkInvariants): compare the running sum with the full one at
   * every read, not only after each event — a read in the middle of an event (a Xen hypercall
   * asking for free frames, the host page cache's capacity) sees a change the event has not yet
   * reported, which the check after the event no longer can.
   */
  checkSumsOnRead = false;
  state: HostMemoryState = 'high';
  /** Simulated ns spent in each state (high, soft, hard, low), accounted at each tick. */
  readonly stateNs = [0, 0, 0, 0];
  private stateSinceNs = 0;

  constructor(
    readonly cfg: HostMemoryConfig,
    private readonly guests: readonly GuestFrames[],
    private readonly swapDevice: HostSwapWriter = INSTANT_SWAP,
  ) {
    this.sameKind = cfg.workloadKind.map((k) => cfg.workloadKind.filter((x) => x === k).length);
    // Lazy backing: a booting guest's free pages hold no frame yet. Eager (Xen PV): all of them do.
    const lazy = cfg.semantics.lazyBacking;
    for (const g of guests) {
      this.untouched.push(lazy ? g.freePages : 0);
      this.hostSwapped.push(0);
      this.sharedKernel.push(0);
      this.sharedAnon.push(0);
      this.hostSwapOut.push(0);
      this.hostSwapIn.push(0);
      this.hostFaults.push(0);
    }
    for (let g = 0; g < guests.length; g++) {
      this.backedNow.push(0);
      this.guestChanged(g);
    }
  }

  /**
   * Guest g's balloon or anonymous pages changed (or one of the host's counts of it did): its
   * backed pages are recomputed and the running sum follows. Every change of a term of
   * backedPages(g) must end here before the next read of usedPages.
   */
  guestChanged(g: number): void {
    const b = this.backedPages(g);
    this.backedSum += b - this.backedNow[g]!;
    this.backedNow[g] = b;
  }

  backedPages(g: number): number {
    const x = this.guests[g]!;
    return x.totalPages - x.balloonPages - this.hostSwapped[g]! - this.untouched[g]! - this.savedPages(g);
  }

  /** Frames guest g's shared pages save (whole pages). */
  savedPages(g: number): number {
    if (this.sharedKernel[g] === 0 && this.sharedAnon[g] === 0) return 0;
    const n = this.guests.length;
    const m = this.sameKind[g] ?? 1;
    // What was found may since have been written or freed: never more than is shareable now.
    const [kMax, aMax] = this.shareable(g);
    const k = Math.min(this.sharedKernel[g]!, kMax);
    const a = Math.min(this.sharedAnon[g]!, aMax);
    return Math.floor((k * (n - 1)) / n + (a * (m - 1)) / m);
  }

  /**
   * Identical kernel and anonymous pages guest g holds in memory now. Kernel and anonymous pages
   * are touched pages, of which the host swapped the fraction hostSwapped / touched (it swaps only
   * pages that hold frames): those are not in memory to share. So shareable ≤ (reserved + anon) ×
   * (touched − hostSwapped) / touched ≤ touched − hostSwapped, and the frames sharing saves never
   * exceed the frames the guest holds (reserved + anon ≤ touched, untouched pages being free).
   */
  private shareable(g: number): [number, number] {
    const sh = this.cfg.sharing;
    const x = this.guests[g]!;
    const touched = this.touchedPages(g);
    const inMem = touched <= 0 ? 0 : Math.max(0, 1 - this.hostSwapped[g]! / touched);
    return [
      Math.floor(sh.kernelFraction * x.reservedPages * inMem),
      Math.floor(sh.workloadFraction * x.anonPages * inMem),
    ];
  }

  /** The sharing scanner runs for `dtNs`; shared pages never exceed what is shareable now. */
  scan(dtNs: number): void {
    const sh = this.cfg.sharing;
    const perGuest = (sh.scanRate * dtNs) / 1e9 / Math.max(1, this.guests.length);
    for (let g = 0; g < this.guests.length; g++) {
      const x = this.guests[g]!;
      const resident = x.totalPages - x.balloonPages;
      const [kMax, aMax] = this.shareable(g);
      // The scanner finds shareable pages in proportion to how many of the pages it visits are shareable.
      const visitK = resident <= 0 ? 0 : Math.floor((perGuest * kMax) / resident);
      const visitA = resident <= 0 ? 0 : Math.floor((perGuest * aMax) / resident);
      this.sharedKernel[g] = Math.min(kMax, this.sharedKernel[g]! + visitK);
      this.sharedAnon[g] = Math.min(aMax, this.sharedAnon[g]! + visitA);
      this.guestChanged(g);
    }
  }

  /** After the guest's memory changed: untouched pages are the last free ones used. */
  settleUntouched(g: number): void {
    this.untouched[g] = Math.min(this.untouched[g]!, this.guests[g]!.freePages);
    this.guestChanged(g);
  }

  /**
   * The balloon gave `n` pages back through the guest's interface: under lazy backing fresh pages,
   * backed only once written; under Xen PV populate_physmap allocated their frames already.
   */
  onDeflate(g: number, n: number): void {
    if (this.cfg.semantics.lazyBacking) this.untouched[g]! += n;
    this.guestChanged(g);
  }

  usedPages(): number {
    if (this.cfg.runningSums === false) return this.usedPagesFull();
    if (this.checkSumsOnRead) this.checkSums();
    return this.cfg.overheadPagesPerGuest * this.guests.length + this.backedSum;
  }

  /** usedPages summed over every guest now (what the running sum must equal). */
  private usedPagesFull(): number {
    let sum = this.cfg.overheadPagesPerGuest * this.guests.length;
    for (let g = 0; g < this.guests.length; g++) sum += this.backedPages(g);
    return sum;
  }

  /** Guest pages the host has swapped out since boot, all guests. */
  hostSwapOutTotal(): number {
    if (this.cfg.runningSums === false) return this.hostSwapOut.reduce((a, b) => a + b, 0);
    return this.swapOutSum;
  }

  freePages(): number {
    return Math.max(0, this.cfg.totalPages - this.usedPages());
  }

  swappedPages(): number {
    return this.hostSwapped.reduce((a, b) => a + b, 0);
  }

  /** Guest g's pages outside its balloon that it has used: backed, shared or host-swapped. */
  touchedPages(g: number): number {
    const x = this.guests[g]!;
    return x.totalPages - x.balloonPages - this.untouched[g]!;
  }

  /**
   * The guest's balloon handed `n` pages to the host through its interface. The guest's counts
   * already hold them in its balloon and untouched pages are not yet settled, so before the guest
   * took them touchedPages(g) was T = touchedPages(g) + n. (An interface reports during its call,
   * before the guest frees pages the hypervisor refused; no interface refuses part of a list
   * today: Xen's decrease_reservation takes every frame the driver names.) A page the balloon
   * takes holds a frame, is host-swapped, or is untouched (holds no frame). The guest's allocator hands out untouched pages last, so the
   * untouched ones taken are those free memory no longer has room for,
   *   u = U − min(U, free′)      (U untouched before, free′ the guest's free pages now),
   * and the other n − u are touched pages. The host swapped touched pages at random, so the
   * fraction S / T of those is host-swapped (S host-swapped), and these need no
   * frame back:
   *   released = round((n − u) · S / T),   at most S.
   * The guest's backed pages then stay ≥ 0: T − S − (n − u) + released ≥ (T − S)(1 − (n − u)/T) − ½,
   * a whole number, so ≥ 0. (Taking the share over all pages outside the balloon, untouched ones
   * included, released too few when the balloon took touched pages and too many when it took
   * untouched ones, and could leave a guest more host-swapped pages than it had touched.)
   * Example: U = 400 of 1000 pages, S = 590 of the T = 600 touched, the balloon takes 400 touched
   * free pages (free′ = 400, u = 0): released = round(400 · 590 / 600) = 393, S′ = 197, backed
   * 1000 − 400 − 197 − 400 = 3 (test/model/memory.test.ts).
   */
  onInflate(g: number, n: number): void {
    const touchedBefore = this.touchedPages(g) + n;
    const before = this.untouched[g]!;
    this.settleUntouched(g);
    const touchedTaken = n - (before - this.untouched[g]!);
    const s = this.hostSwapped[g]!;
    if (s <= 0 || touchedBefore <= 0 || touchedTaken <= 0) return;
    this.hostSwapped[g] = s - Math.min(s, Math.round((touchedTaken * s) / touchedBefore));
    this.guestChanged(g);
  }

  /**
   * `accesses` by guest g (and `guestSwapOuts` pages it wrote to its own swap, which the host must
   * first read back if it had swapped them — double paging): host-level faults bring pages back.
   * Returns the host-level faults: pages the host must read back from its disk.
   */
  touch(g: number, accesses: number, guestSwapOuts: number): number {
    const guest = this.guests[g]!;
    const resident = guest.totalPages - guest.balloonPages;
    const s = this.hostSwapped[g]!;
    if (s <= 0 || resident <= 0) return 0;
    const p = s / resident;
    const exact =
      this.cfg.semantics.hostSwapChoice === 'lru'
        ? accesses * lruHostMiss(s, resident, guest) + guestSwapOuts * p
        : (accesses + guestSwapOuts) * p;
    const faults = Math.min(s, Math.round(exact));
    this.hostSwapped[g]! -= faults;
    this.hostSwapIn[g]! += faults;
    this.hostFaults[g]! += faults;
    this.guestChanged(g);
    return faults;
  }

  /** Free fraction → state: down at once, up one state at a time past threshold + hysteresis. */
  /** The state for `usedPages` frames in use (passed in: summing every guest is not cheap). */
  private nextState(usedPages: number): HostMemoryState {
    const t = this.cfg.thresholds;
    const phi = (this.cfg.totalPages - usedPages) / this.cfg.totalPages;
    const raw = phi >= t.high ? 0 : phi >= t.soft ? 1 : phi >= t.low ? 2 : 3;
    let s = STATE_ORDER.indexOf(this.state);
    if (raw >= s) return STATE_ORDER[raw]!;
    // Lower bound of high, soft and hard.
    const lower = [t.high, t.soft, t.low];
    while (s > raw && phi >= lower[s - 1]! + t.hysteresis) s--;
    return STATE_ORDER[s]!;
  }

  /**
   * Once per tick: enforce the frame limit, swap in the hard and low states toward the soft
   * threshold as fast as the disk writes, and update the state. Returns how long the guest that
   * just ticked must wait for frames the host could only find by swapping (0 if none): until the
   * disk has written them, ns.
   */
  tick(nowNs: number): number {
    const dt = nowNs - this.stateSinceNs;
    this.stateNs[STATE_ORDER.indexOf(this.state)]! += dt;
    this.stateSinceNs = nowNs;
    if (this.cfg.sharing.scanRate > 0 && this.cfg.semantics.pageSharing) this.scan(dt);
    const H = this.cfg.totalPages;
    const used = this.usedPages();
    const over = used - H;
    // The state is the one the host found itself in; swapping is what it does about it (here at
    // once, so free memory is back at the soft threshold until the next tick). A host that cannot
    // swap (Xen PV) never over-commits: its frames are allocated when given (check() holds it).
    this.state = this.nextState(used);
    if (!this.cfg.semantics.hostSwap) return 0;
    let waitNs = 0;
    if (over > 0) waitNs = this.swapDevice.writeSequential(nowNs, this.swapOutFrames(over));
    if (this.state === 'hard' || this.state === 'low') {
      const want = Math.ceil(this.cfg.thresholds.soft * H) - (H - (over > 0 ? this.usedPages() : used));
      const n = Math.min(want, this.swapDevice.pagesWritableBy(nowNs, nowNs + RECLAIM_HORIZON_NS));
      if (n > 0) this.swapDevice.writeSequential(nowNs, this.swapOut(n));
    }
    return Math.round(waitNs);
  }

  /**
   * Swaps guest pages out until `frames` more frames are free (or nothing is left to swap) and
   * returns the pages swapped. With page sharing a swapped page frees less than a frame: fewer of
   * the guest's pages are in memory to share (shareable scales with 1 − hostSwapped / touched), so
   * what sharing saves shrinks as well. Each round swaps what is still short, scaled by the pages
   * the previous round swapped per frame it freed (the relation is linear between whole pages and
   * the points where found shared pages reach the shareable cap, so a few rounds settle it).
   */
  private swapOutFrames(frames: number): number {
    let swapped = 0;
    let short = frames;
    let pagesPerFrame = 1;
    for (let round = 0; short > 0 && round < MAX_SWAP_ROUNDS; round++) {
      const used = this.usedPages();
      const n = this.swapOut(Math.ceil(short * pagesPerFrame));
      const freed = used - this.usedPages();
      swapped += n;
      if (n === 0 || freed <= 0) break;
      short -= freed;
      pagesPerFrame = n / freed;
    }
    return swapped;
  }

  /**
   * Swaps up to `n` guest pages out, split over guests by their backed pages (largest remainder);
   * returns how many (fewer only when the guests hold fewer frames).
   */
  private swapOut(n: number): number {
    const backed = this.guests.map((_, g) => Math.max(0, this.backedPages(g)));
    const total = backed.reduce((a, b) => a + b, 0);
    if (total <= 0) return 0;
    n = Math.min(n, total);
    const exact = backed.map((b) => (n * b) / total);
    const share = exact.map(Math.floor);
    let left = n - share.reduce((a, b) => a + b, 0);
    const order = exact
      .map((x, g) => [x - Math.floor(x), g] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, g] of order) {
      if (left <= 0) break;
      if (share[g]! < backed[g]!) {
        share[g]! += 1;
        left--;
      }
    }
    share.forEach((k, g) => {
      if (k === 0) return;
      this.hostSwapped[g]! += k;
      this.hostSwapOut[g]! += k;
      this.swapOutSum += k;
      this.guestChanged(g);
    });
    return n;
  }

  /** Simulated ns spent in each state (high, soft, hard, low) up to `nowNs`. */
  timeInStates(nowNs: number): number[] {
    const t = [...this.stateNs];
    t[STATE_ORDER.indexOf(this.state)]! += nowNs - this.stateSinceNs;
    return t;
  }

  /** One sampling period's draw for a guest with active fraction `f`. */
  sample(f: number, rng: RandomStream): { sampled: number; touched: number } {
    let touched = 0;
    for (let i = 0; i < this.cfg.samplePages; i++) if (rng.bernoulli(f)) touched++;
    return { sampled: this.cfg.samplePages, touched };
  }

  /** Throws an InvariantError if the host hands out more frames than it has or a count is broken. */
  check(): void {
    const used = this.usedPagesFull();
    if (used > this.cfg.totalPages)
      throw new InvariantError(
        'host',
        `${used} frames in use, but the host has ${this.cfg.totalPages}`,
        'the host never hands out more frames than it has: Σ backed + overhead × guests ≤ host memory',
      );
    for (let g = 0; g < this.guests.length; g++) {
      const x = this.guests[g]!;
      const s = this.hostSwapped[g]!;
      const u = this.untouched[g]!;
      if (u < 0 || !Number.isInteger(u) || u > x.freePages)
        throw new InvariantError(
          `guest ${x.name}`,
          `untouched pages ${u} out of range 0..${x.freePages} (its free pages)`,
          'untouched pages are a whole number of the guest’s free pages',
        );
      const touched = this.touchedPages(g);
      if (s < 0 || !Number.isInteger(s) || s > touched)
        throw new InvariantError(
          `guest ${x.name}`,
          `host-swapped pages ${s} out of range 0..${touched} (its touched pages: memory ${x.totalPages} − balloon ${x.balloonPages} − untouched ${u})`,
          'the host swaps only pages that hold frames, a whole number of the guest’s touched pages',
        );
      const backed = this.backedPages(g);
      if (backed < 0)
        throw new InvariantError(
          `guest ${x.name}`,
          `${backed} backed pages (touched ${touched} − host-swapped ${s} − saved by sharing ${this.savedPages(g)})`,
          'a guest holds a whole number ≥ 0 of frames: touched − host-swapped − saved by sharing ≥ 0',
        );
    }
    this.checkSums();
  }

  /** Throws an InvariantError if a running sum differs from the sum over the guests. */
  private checkSums(): void {
    const used = this.usedPagesFull();
    const running = this.cfg.overheadPagesPerGuest * this.guests.length + this.backedSum;
    if (running !== used)
      throw new InvariantError(
        'host',
        `running sum of frames in use ${running}, summed over the guests ${used}`,
        'every change of a guest’s backed pages reaches HostMemory.guestChanged',
      );
    const swapOut = this.hostSwapOut.reduce((a, b) => a + b, 0);
    if (this.swapOutSum !== swapOut)
      throw new InvariantError(
        'host',
        `running sum of host swap-outs ${this.swapOutSum}, summed over the guests ${swapOut}`,
        'the host swaps out only in swapOut, which keeps the sum',
      );
  }
}

/**
 * Share of guest g's accesses to its resident anonymous pages that land on the `s` pages an LRU
 * host swapped: the host takes the pages the guest does not access first (its free, cache and
 * kernel pages, resident − anon of them), then its anonymous pages coldest first, so with
 * e = max(0, s − (resident − anon)) anonymous pages swapped the accesses that miss in the host are
 * those of the e coldest resident ones: miss(D, anon − e) − miss(D, anon), the guest's hot/cold
 * curve (sim/guest/memory.ts hotColdMiss) at D = its anonymous demand.
 * Example: resident 1000, anon 600 (D = 600, 20 %/90 %), s = 500: e = 100, miss(600, 500) −
 * miss(600, 600) = 0.1 × 100/480 = 0.0208 (random choice: 500/1000 = 0.5).
 */
export function lruHostMiss(s: number, resident: number, g: GuestFrames): number {
  const e = Math.min(g.anonPages, Math.max(0, s - (resident - g.anonPages)));
  if (e <= 0) return 0;
  const loc = g.accessLocality();
  return (
    hotColdMiss(g.anonDemandPages, g.anonPages - e, loc) - hotColdMiss(g.anonDemandPages, g.anonPages, loc)
  );
}
