/**
 * A guest's miss-ratio curve as MEB's hypervisor estimates it: an LRU stack-distance histogram
 * built from a sample of the guest's page accesses (Zhao & Wang, VEE 2009; Zhao et al., USENIX
 * ATC 2011; Wang et al., ACM TACO 2016; reference/memory-balloon.md §6), in place of the exact
 * curve the workload's hot/cold split implies (Guest.missRatioCurve, which stays the oracle for
 * tests and for MEB's `curve: exact`).
 *
 * MEB traps accesses to pages outside a hot set and maps each to its position in an LRU stack.
 * The model samples each access with probability `sampleRate` and draws its stack distance from
 * the workload's locality, as the guest model's miss ratio assumes (sim/guest/memory.ts): with
 * demand D, H = hotFraction·D hot pages kept on top of the stack,
 *   distance ~ U[0, H) with probability hotShare,   ~ U[H, D) otherwise,
 * so P(distance ≥ r) is exactly hotColdMiss(D, r). The estimate at r is the share of the sampled
 * weight at distances ≥ r; it errs by sampling noise and lags because the histogram ages with a
 * half-life (`halfLifeNs`): a sample taken t ago weighs 2^(−t / halfLife).
 *   estimate(r) = Σ_{bins above r} w / Σ w   (linear within the bin holding r).
 * Samples per memory tick: ⌊accesses × sampleRate + carry⌋, at most MAX_SAMPLES_PER_TICK drawn
 * (each then weighs n / drawn), so a fast workload costs a bounded number of draws. Before any
 * sample the curve is all zeros: MEB has seen no access, so it sees no working set.
 * Worked example (a test repeats it): D = 1000 pages, hotFraction 0.2, hotShare 0.9; at r = 600
 * the true miss ratio is 0.1 × 400/800 = 0.05, and 40,000 samples estimate it within ±0.006
 * (3σ of a binomial share: 3·√(0.05·0.95/40,000) ≈ 0.0033, plus the bins' width).
 *
 * The published figures — about 2 % overhead and 95.2 % accuracy of the working-set estimate
 * (TACO'16) — are not inputs here: accuracy follows from the sampling rate and half-life chosen,
 * both assumptions (the papers' sampling rate is not in the reference), and the tracking's CPU
 * cost is not charged to the guest.
 */

import type { RandomStream } from '../kernel/index.js';
import type { Locality } from '../../workloads/types.js';

/** Most samples drawn per guest per memory tick; more are folded into these by weight. */
export const MAX_SAMPLES_PER_TICK = 4096;
/** Histogram bins over the guest's memory. */
const BINS = 512;

export interface MissRatioTracking {
  /** Share of the guest's page accesses sampled (0 < rate ≤ 1). */
  readonly sampleRate: number;
  /** Half-life of a sample's weight, ns. */
  readonly halfLifeNs: number;
}

export class MissRatioTracker {
  private readonly hist = new Float64Array(BINS);
  private total = 0;
  private carry = 0;
  private lastNs = 0;
  private readonly binPages: number;

  constructor(
    totalPages: number,
    private readonly tracking: MissRatioTracking,
    private readonly rng: RandomStream,
  ) {
    this.binPages = Math.max(1, totalPages / BINS);
  }

  /** Samples that fell in the histogram, by weight (tests read it). */
  get sampledWeight(): number {
    return this.total;
  }

  /** A memory tick at `nowNs`: `accesses` page accesses of a demand of `demandPages` with locality `loc`. */
  observe(nowNs: number, accesses: number, demandPages: number, loc: Locality): void {
    const age = 2 ** (-(nowNs - this.lastNs) / this.tracking.halfLifeNs);
    this.lastNs = nowNs;
    if (age < 1) {
      for (let i = 0; i < BINS; i++) this.hist[i]! *= age;
      this.total *= age;
    }
    const exact = accesses * this.tracking.sampleRate + this.carry;
    const n = Math.floor(exact);
    this.carry = exact - n;
    if (n <= 0 || demandPages <= 0) return;
    const drawn = Math.min(n, MAX_SAMPLES_PER_TICK);
    const w = n / drawn;
    const hot = loc.hotFraction * demandPages;
    const cold = demandPages - hot;
    for (let k = 0; k < drawn; k++) {
      const isHot = this.rng.nextFloat() < loc.hotShare;
      const d = isHot || cold <= 0 ? hot * this.rng.nextFloat() : hot + cold * this.rng.nextFloat();
      this.hist[Math.min(BINS - 1, Math.floor(d / this.binPages))]! += w;
    }
    this.total += n;
  }

  /** Estimated miss ratio with `pages` of workload memory: the sampled share at distance ≥ pages. */
  missRatio(pages: number): number {
    if (this.total <= 0) return 0;
    const x = Math.max(0, pages) / this.binPages;
    if (x >= BINS) return 0;
    const k = Math.floor(x);
    let above = this.hist[k]! * (1 - (x - k));
    for (let i = k + 1; i < BINS; i++) above += this.hist[i]!;
    return Math.min(1, above / this.total);
  }

  /** The curve at memory sizes 0, step, 2·step, … (`points` values); the kernel's `reservedPages` come first. */
  curve(points: number, stepPages: number, reservedPages: number): number[] {
    return Array.from({ length: points }, (_, i) => this.missRatio(i * stepPages - reservedPages));
  }
}
