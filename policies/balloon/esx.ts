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
 * Reclaim (every `balancePeriod`, Mem.BalancePeriod = 15 s, §1.6), in pages:
 *   expected free = host free − host-swapped + Σ (last target − balloon now)
 *   (balloons still moving count; pages the host swapped are memory it still owes: ESX sets
 *   targets so ballooning, not swapping, carries the reclamation, §1.5)
 *   if expected free < targetFree × host total (the "high" threshold, 6 %, §1.5):
 *     repeat until the shortfall is covered: take min(chunk, what is left, P − minPages) from the
 *     guest with the lowest ρ (P = its memory under its last target), recomputing ρ each chunk;
 *   else if expected free > (targetFree + hysteresis) × host total:
 *     give the surplus above that back, chunk by chunk, to the ballooned guest with the highest ρ.
 * This is a simplification of dynamic min-funding revocation: ESX computes per-VM targets from
 * the whole allocation and lets the balloon (soft) or the swap daemon (hard/low) enforce them;
 * here only the balloon targets are set, greedily by chunk, which converges to the same ρ-levelled
 * allocation (within one chunk) for the pages that have to move. The hysteresis stands for the
 * paper's "significantly exceed" rule, whose size it does not give.
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
  chunkPages: z
    .number()
    .int()
    .min(1)
    .default(256)
    .describe('pages moved between ρ recomputations (our choice)'),
  rebalanceChunks: z
    .number()
    .int()
    .min(0)
    .default(16)
    .describe('chunks a guest short of memory may take per period from a lower-ρ guest (our choice)'),
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

/** Moves `amount` pages out of (`sign` −1) or into (+1) `mem`, a chunk at a time, by ρ. */
function move(
  mem: number[],
  lo: number[],
  hi: number[],
  score: (i: number) => number,
  amount: number,
  sign: 1 | -1,
  chunk: number,
): void {
  let left = amount;
  while (left > 0) {
    let pick = -1;
    let best = 0;
    for (let i = 0; i < mem.length; i++) {
      const room = sign < 0 ? mem[i]! - lo[i]! : hi[i]! - mem[i]!;
      if (room <= 0) continue;
      const r = score(i);
      // Reclaim from the lowest ρ, give to the highest; ties go to the first guest.
      if (pick < 0 || (sign < 0 ? r < best : r > best)) [pick, best] = [i, r];
    }
    if (pick < 0) return;
    const room = sign < 0 ? mem[pick]! - lo[pick]! : hi[pick]! - mem[pick]!;
    const step = Math.min(chunk, left, room);
    mem[pick] = mem[pick]! + sign * step;
    left -= step;
  }
}

/**
 * Min-funding revocation between guests: a guest that wants more memory (it has pages in its
 * own swap, so its demand exceeds its allocation) takes a chunk from the guest with the lowest ρ
 * while that ρ is below its own — at most `rebalanceChunks` chunks per period, so the transfer
 * proceeds at a balloon-like pace. Without it, an even split reached while no activity had been
 * sampled yet would never be revisited.
 */
function rebalance(
  gs: readonly BalloonGuestView[],
  mem: number[],
  lo: number[],
  hi: number[],
  score: (i: number) => number,
  o: EsxOptions,
): void {
  for (let k = 0; k < o.rebalanceChunks; k++) {
    let taker = -1;
    for (let i = 0; i < gs.length; i++) {
      if (gs[i]!.swappedPages > 0 && mem[i]! < hi[i]! && (taker < 0 || score(i) > score(taker))) taker = i;
    }
    if (taker < 0) return;
    let giver = -1;
    for (let j = 0; j < gs.length; j++) {
      if (j !== taker && mem[j]! - lo[j]! > 0 && (giver < 0 || score(j) < score(giver))) giver = j;
    }
    if (giver < 0 || score(giver) >= score(taker)) return;
    const step = Math.min(o.chunkPages, mem[giver]! - lo[giver]!, hi[taker]! - mem[taker]!);
    mem[giver] = mem[giver]! - step;
    mem[taker] = mem[taker]! + step;
  }
}

/** The state before the first decision, for `guests` guests. */
export function esxInitialState(guests: number): EsxState {
  return { guests: Array.from({ length: guests }, fresh) };
}

/** One balance period: activity estimates updated, then memory moved by ρ (see header). */
export function esxStep(obs: BalloonObservation, state: EsxState, o: EsxOptions): BalloonDecision<EsxState> {
  const gs = obs.guests;
  const guests = gs.map((g, i) => updateActivity(state.guests[i] ?? fresh(), g, o));
  const lo = gs.map((g) => Math.min(g.memoryPages, Math.max(0, g.minPages)));
  const hi = gs.map((g) => g.memoryPages);
  const last = gs.map((g, i) => Math.min(Math.max(0, g.targetPages), g.memoryPages - lo[i]!));
  const mem = gs.map((g, i) => g.memoryPages - last[i]!);
  const pending = gs.reduce((a, g, i) => a + last[i]! - g.balloonPages, 0);
  const free = obs.hostNetFreePages + pending;
  const want = Math.floor(o.targetFree * obs.hostTotalPages);
  const ceiling = Math.floor((o.targetFree + o.hysteresis) * obs.hostTotalPages);
  const score = (i: number) => rho(gs[i]!.shares, mem[i]!, guests[i]!.estimate, o.idleTax);
  if (free < want) move(mem, lo, hi, score, want - free, -1, o.chunkPages);
  else if (free > ceiling) move(mem, lo, hi, score, free - ceiling, 1, o.chunkPages);
  rebalance(gs, mem, lo, hi, score, o);
  return { state: { guests }, targetPages: gs.map((g, i) => g.memoryPages - mem[i]!) };
}

export const esxPolicy = {
  name: 'esx',
  description:
    'ESX share-based allocation with the idle memory tax: reclaim from the lowest ρ to keep 6 % free.',
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
