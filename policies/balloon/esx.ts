/**
 * `esx`: VMware ESX Server's share-based memory allocation with the idle memory tax (Waldspurger,
 * OSDI 2002 §5–6; reference/memory-balloon.md §1.3–1.6).
 *
 * Idle memory tax (§1.3): a guest with S shares, P pages and active fraction f has the adjusted
 * shares-per-page ratio
 *   ρ = S / (P · (f + k·(1 − f))),   k = 1/(1 − τ),   τ = idleTax (Mem.IdleTax, default 0.75)
 * and memory is revoked from the guest with the lowest ρ. Worked check (§1.3, P in MB): S = 1000,
 * P = 256: τ = 0 → ρ = 3.906 for any f; τ = 0.75 → 1.056 at f = 0.1 and 3.005 at f = 0.9, so the
 * idle guest is the victim.
 *
 * Active fraction (§1.4): the host samples n pages per period and reports f = touched/sampled.
 * We keep a slow and a fast EWMA per guest over completed periods; the estimate is
 * max(slow, fast, fast-including-the-current-partial-period), so it rises within one period and
 * decays at the slow rate. The paper publishes no gains: alphaFast 0.5 and alphaSlow 0.1 are
 * assumptions (options). Before a guest's first completed period its estimate is 1 (fully
 * active, so untaxed) — our choice. E.g. after periods at 0.1 then one at 0.9: fast = 0.5,
 * slow = 0.18, estimate 0.5; one more at 0.1: fast 0.3, slow 0.172, estimate 0.3.
 * The estimate in MiB (estimate × the guest's memory outside its balloon, the pages the host
 * samples from) is the gauge `esx_working_set_MiB`, recorded per guest as a time series; it
 * changes at decisions only (every balancePeriod), as the policy sees it.
 *
 * Allocation (every `balancePeriod`, Mem.BalancePeriod = 15 s, §1.6) is dynamic min-funding
 * revocation (§1.3): memory is revoked from the guest with the lowest ρ, which raises its ρ, until
 * the total is met — so the guests end with ρ levelled, each between its min and max. Revoking a
 * page takes an idle one first (the balloon driver allocates free or cold guest pages), so the
 * guest's active pages A = f·P (f sampled on its current memory P) stay while P falls, and
 *   ρ(P) = S / (min(P, A) + k·max(0, P − A))
 * — an active page costs 1, an idle one k (reference §1.3: an idle page costs 4× an active page
 * at τ = 0.75). Holding A in pages while P falls is our reading: the paper states ρ on the current
 * P and f, and the next period's f, sampled on the smaller P, is what this anticipates. The allocation is the one with a common level λ: P_i = clamp(c⁻¹(S_i/λ), min_i, max_i)
 * with c(P) = min(P, A) + k·max(0, P − A), found by bisection on 1/λ and rounded to whole pages
 * (the remainder to the largest fractions, ties to the first guest). It uses only what ESX sees:
 * shares, memory outside the balloon, min and max, the sampled activity — never the guest's own
 * swap or page-cache state.
 * The total the guests may hold, in pages:
 *   expected free = host free − host-swapped + Σ (last target − balloon now)
 *   (balloons still moving count; pages the host swapped are memory it still owes: ESX sets
 *   targets so ballooning, not swapping, carries the reclamation, §1.5)
 *   total = Σ P_last + (expected free − targetFree × host total)   if expected free < that (reclaim)
 *         = Σ P_last + (expected free − (targetFree + hysteresis) × host total)   if above that (give back)
 *         = Σ P_last   otherwise (re-levelled: memory moves between guests as their activity changes)
 * clamped to [Σ min, Σ max]; with memory to spare every guest is at its max (no balloon).
 * Worked example (test/policies/esx.test.ts): two 1 GiB guests of equal shares, τ = 0.75 (k = 4),
 * 1792 MiB to share, sampled f = 0.1 and 0.9 (A = 102.4 and 921.6 MiB at 1024 MiB each): levelling
 * c(P_idle) = c(P_active) would put the active guest above its max, so it keeps 1024 MiB and the
 * idle one gets 768 MiB (ρ 1000/2764.8 < 1000/1331.2 there: it is still the victim). At τ = 0
 * (k = 1) c(P) = P whatever the activity: 896 MiB each.
 * The hysteresis stands for the paper's "significantly exceed" rule, whose size it does not give.
 */
import { z } from 'zod';
import type { BalloonDecision, BalloonGuestView, BalloonObservation, BalloonPolicyDecl } from './types.js';
import { steppedPolicy } from './stepped.js';
import { durationNs, strictObject } from '../../sim/options/fields.js';
import { BYTES_PER_MIB, PAGE_SIZE_BYTES } from '../../sim/options/units.js';

const fraction = (d: number) => z.number().min(0).max(1).default(d);

const options = strictObject({
  idleTax: z
    .number()
    .min(0)
    .max(0.99)
    .default(0.75)
    .describe('idle memory tax rate τ (Mem.IdleTax, default 75 %)'),
  balancePeriod: durationNs()
    .refine((n) => n > 0, 'balancePeriod must be longer than 0')
    .prefault('15s')
    .describe('time between reallocations (Mem.BalancePeriod = 15 s, ESX 2 manual)'),
  alphaFast: fraction(0.5).describe('gain of the fast EWMA of the active fraction (assumption: unpublished)'),
  alphaSlow: fraction(0.1).describe('gain of the slow EWMA of the active fraction (assumption: unpublished)'),
  targetFree: fraction(0.06).describe('free fraction of host memory to restore (the "high" threshold, 6 %)'),
  hysteresis: fraction(0.02).describe(
    'free fraction above targetFree before memory is given back (our choice)',
  ),
});

export type EsxOptions = z.output<typeof options>;

/** What the policy remembers about one guest's activity. */
export interface EsxGuestState {
  /** Completed sampling periods consumed so far; the EWMAs mean nothing while it is 0. */
  readonly periods: number;
  readonly slow: number;
  readonly fast: number;
  /** The guest's samplesTaken at the last decision: periods after it are new. */
  readonly seen: number;
  /** The active-fraction estimate used at the last decision. */
  readonly estimate: number;
  /** That estimate in pages: estimate × (memoryPages − balloonPages) at the last decision. */
  readonly workingSetPages: number;
}

export interface EsxState {
  readonly guests: readonly EsxGuestState[];
}

/** ESX's adjusted shares-per-page ratio ρ = S / (P·(f + k(1−f))), k = 1/(1−τ). */
export function rho(shares: number, pages: number, f: number, tau: number): number {
  const k = 1 / (1 - tau);
  return shares / (pages * (f + k * (1 - f)));
}

const fresh = (): EsxGuestState => ({
  periods: 0,
  slow: 0,
  fast: 0,
  seen: 0,
  estimate: 1,
  workingSetPages: 0,
});

/** Folds the guest's new completed periods into its EWMAs and returns the new estimate state. */
export function updateActivity(s: EsxGuestState, g: BalloonGuestView, o: EsxOptions): EsxGuestState {
  const added = Math.min(g.samplesTaken - s.seen, g.samples.length);
  let { periods, slow, fast } = s;
  for (const smp of g.samples.slice(g.samples.length - added)) {
    if (smp.sampled <= 0) continue;
    const f = smp.touched / smp.sampled;
    // The first period seeds both averages: there is nothing to smooth yet.
    slow = periods === 0 ? f : slow + o.alphaSlow * (f - slow);
    fast = periods === 0 ? f : fast + o.alphaFast * (f - fast);
    periods++;
  }
  let estimate = periods === 0 ? 1 : Math.max(slow, fast);
  const cur = g.currentSample;
  if (periods > 0 && cur.sampled > 0) {
    // The partial period's touched count only grows, so it is a lower bound of its f.
    estimate = Math.max(estimate, fast + o.alphaFast * (cur.touched / cur.sampled - fast));
  }
  // The host samples the pages outside the balloon (sim/guest/guest.ts activeFraction).
  const workingSetPages = estimate * Math.max(0, g.memoryPages - g.balloonPages);
  return { periods, slow, fast, seen: g.samplesTaken, estimate, workingSetPages };
}

/**
 * ESX's cost of holding `pages` pages with `activePages` of them active: c(P) = min(P, A) +
 * k·max(0, P − A), so that ρ = S / c(P) (header).
 */
export function costPages(pages: number, activePages: number, tau: number): number {
  const k = 1 / (1 - tau);
  const a = Math.max(0, activePages);
  return Math.min(pages, a) + k * Math.max(0, pages - a);
}

/** One guest as the levelling sees it: shares, active pages, and the least and most it may hold. */
export interface LevelGuest {
  readonly shares: number;
  readonly activePages: number;
  readonly minPages: number;
  readonly maxPages: number;
}

/** The pages guest `g` holds at ρ = 1/u: P = c⁻¹(S·u) clamped to [min, max]. */
function pagesAt(g: LevelGuest, u: number, tau: number): number {
  const k = 1 / (1 - tau);
  const c = g.shares * u;
  const a = Math.max(0, g.activePages);
  const p = c <= a ? c : a + (c - a) / k;
  return Math.min(g.maxPages, Math.max(g.minPages, p));
}

/** Bisection steps on 1/λ: each halves the interval, so 200 reach a double's resolution. */
const LEVEL_STEPS = 200;

/**
 * Min-funding revocation's end state: whole pages per guest summing to `totalPages` (clamped to
 * [Σ min, Σ max]) with ρ levelled between guests not at a bound (header).
 */
export function levelRho(guests: readonly LevelGuest[], totalPages: number, tau: number): number[] {
  const lo = guests.reduce((a, g) => a + g.minPages, 0);
  const hi = guests.reduce((a, g) => a + g.maxPages, 0);
  const total = Math.min(hi, Math.max(lo, Math.floor(totalPages)));
  const sum = (u: number) => guests.reduce((a, g) => a + pagesAt(g, u, tau), 0);
  // u = 1/λ: at 0 every guest is at its min; at the largest c(max)/S every guest is at its max.
  let [uLo, uHi] = [0, 0];
  for (const g of guests)
    if (g.shares > 0) uHi = Math.max(uHi, costPages(g.maxPages, g.activePages, tau) / g.shares);
  for (let i = 0; i < LEVEL_STEPS && uHi > uLo; i++) {
    const mid = (uLo + uHi) / 2;
    if (sum(mid) >= total) uHi = mid;
    else uLo = mid;
  }
  const exact = guests.map((g) => pagesAt(g, uHi, tau));
  const out = exact.map((p) => Math.floor(p));
  let left = total - out.reduce((a, p) => a + p, 0);
  const order = exact
    .map((p, i) => ({ i, frac: p - Math.floor(p) }))
    .sort((x, y) => y.frac - x.frac || x.i - y.i);
  for (let j = 0; left > 0 && j < order.length * 2; j++) {
    const i = order[j % order.length]!.i;
    if (out[i]! < guests[i]!.maxPages) {
      out[i] = out[i]! + 1;
      left--;
    }
  }
  return out;
}

/** The state before the first decision, for `guests` guests. */
export function esxInitialState(guests: number): EsxState {
  return { guests: Array.from({ length: guests }, fresh) };
}

/** One balance period: activity estimates updated, then ρ levelled over the guests' total (header). */
export function esxStep(obs: BalloonObservation, state: EsxState, o: EsxOptions): BalloonDecision<EsxState> {
  const gs = obs.guests;
  const guests = gs.map((g, i) => updateActivity(state.guests[i] ?? fresh(), g, o));
  const lo = gs.map((g) => Math.min(g.memoryPages, Math.max(0, g.minPages)));
  const last = gs.map((g, i) => Math.min(Math.max(0, g.targetPages), g.memoryPages - lo[i]!));
  const held = gs.reduce((a, g, i) => a + g.memoryPages - last[i]!, 0);
  const pending = gs.reduce((a, g, i) => a + last[i]! - g.balloonPages, 0);
  const free = obs.hostNetFreePages + pending;
  const want = Math.floor(o.targetFree * obs.hostTotalPages);
  const ceiling = Math.floor((o.targetFree + o.hysteresis) * obs.hostTotalPages);
  const change = free < want ? free - want : free > ceiling ? free - ceiling : 0;
  const level = gs.map((g, i) => ({
    shares: g.shares,
    activePages: guests[i]!.workingSetPages,
    minPages: lo[i]!,
    maxPages: g.memoryPages,
  }));
  const mem = levelRho(level, held + change, o.idleTax);
  return { state: { guests }, targetPages: gs.map((g, i) => g.memoryPages - mem[i]!) };
}

export const esxPolicy = {
  name: 'esx',
  description:
    'ESX share-based allocation with the idle memory tax: min-funding revocation levels ρ across guests, keeping 6 % free.',
  options,
  pressureDriven: true,
  gauges: [
    {
      quantity: 'esx_working_set_MiB',
      unit: 'MiB',
      overGuests: 'total',
      description:
        'ESX working-set estimate at the last decision: max(slow, fast, fast with the current period) × memory outside the balloon (1 × it before the first sampling period ends)',
    },
  ],
  create: (o, ctx) =>
    steppedPolicy<EsxState>(
      o.balancePeriod,
      esxInitialState(ctx.guests),
      (obs, state) => esxStep(obs, state, o),
      [(s, i) => ((s.guests[i]?.workingSetPages ?? 0) * PAGE_SIZE_BYTES) / BYTES_PER_MIB],
    ),
} satisfies BalloonPolicyDecl<EsxOptions>;
