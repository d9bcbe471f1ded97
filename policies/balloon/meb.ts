/**
 * `meb`: MEB, the Memory Balancer (Zhao & Wang, "Dynamic memory balancing for virtual machines",
 * VEE 2009; Zhao et al., "Low cost working set size tracking", USENIX ATC 2011; Wang et al.,
 * "Dynamic Memory Balancing for Virtualization", ACM TACO 13(1), 2016; reference/memory-balloon.md
 * §6). The hypervisor keeps an LRU stack-distance histogram per VM, which gives its miss-ratio
 * curve MRC_i(m); every balancing period (`interval`, 5 s) it sets balloon targets:
 *
 *   WSS_i  = smallest workload memory m with MRC_i(m) ≤ threshold
 *   need_i = clamp(reserved_i + WSS_i, minPages_i, memoryPages_i)   (the kernel reserve is not in
 *            the curve, which covers the workload's anon + cache pages only)
 *   M      = hostTotalPages − hostReserve
 *   if Σ need_i ≤ M: m_i = need_i + the spare (M − Σ need) shared ∝ WSS_i, capped at memoryPages
 *   else (greedy marginal utility, minimising Σ A_i · MRC_i(m_i) subject to Σ m_i ≤ M):
 *     start every m_i at minPages; repeatedly give one chunk to the guest with the largest
 *     A_i · (MRC_i(m_i) − MRC_i(m_i + chunk)) (accesses/s saved per page), until M is used
 *
 * MRC_i is linear between the histogram's points (mrc[k] at k · mrcStepPages) and flat beyond the
 * last one; A_i is accessesPerS. Sharing the spare ∝ WSS is the reference's suggestion; the papers
 * leave it open. If no guest gains from another chunk, the rest is shared ∝ WSS as well.
 *
 * The curves are estimated as MEB estimates them: the host samples a share `sampleRate` of each
 * guest's page accesses into an LRU stack-distance histogram that ages with half-life `halfLife`
 * (sim/host/miss-ratio-tracker.ts), so the policy errs by sampling noise and lags a phase change
 * by about a half-life. Defaults are assumptions, overridable: the papers report about 2 %
 * overhead and 95.2 % accuracy of the working-set estimate (TACO'16; reference §6) but the
 * reference gives no sampling rate; a 1 % sample and a 30 s half-life come close to that accuracy
 * on the test workloads. The tracking's CPU cost is not charged. `curve: exact` hands the policy
 * the exact curve instead: an upper bound on MEB, not MEB. Greedy one-chunk steps are optimal for
 * convex curves; on a plateau before a cliff they stall (no lookahead).
 *
 * Worked example: two 1 GiB guests, no reserve, minimum 64 MiB, 1000 accesses/s each, curves
 * falling linearly to 0 at 512 MiB (A) and 256 MiB (B), threshold 0.01; with M = 1024 MiB
 * everything fits (WSS 506.9 + 253.4 MiB) and the spare 263.7 MiB goes 2:1 → 682.7 and 341.3 MiB;
 * with M = 512 MiB the steeper B is filled first up to its 256 MiB knee and A gets the other 192,
 * so 256 MiB each.
 */
import { z } from 'zod';
import type { BalloonGuestView, BalloonPolicyDecl } from './types.js';
import { durationNs, sizeBytes, strictObject } from '../../sim/options/fields.js';
import { PAGE_SIZE_BYTES } from '../../sim/options/units.js';
import { waterFill } from '../shared/water-fill.js';

const options = strictObject({
  interval: durationNs()
    .refine((n) => n > 0, 'interval must be longer than 0')
    .prefault('5s')
    .describe('time between balancing passes (MEB rebalances every few seconds)'),
  threshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.01)
    .describe('miss ratio at or below which memory counts as the working set'),
  chunk: sizeBytes()
    .refine((b) => b >= PAGE_SIZE_BYTES, 'chunk must be at least one page')
    .prefault('1MiB')
    .describe('memory handed out per greedy step'),
  hostReserve: sizeBytes()
    .prefault('0MiB')
    .describe('host memory never given to guests (0: hostTotalPages is for guests)'),
  curve: z
    .enum(['sampled', 'exact'])
    .default('sampled')
    .describe('miss-ratio curves estimated from sampled accesses (MEB) or exact (an upper bound)'),
  sampleRate: z
    .number()
    .gt(0)
    .max(1)
    .default(0.01)
    .describe('share of page accesses sampled into the LRU histogram (an assumption; not in the papers)'),
  halfLife: durationNs()
    .refine((n) => n > 0, 'halfLife must be longer than 0')
    .prefault('30s')
    .describe('half-life of a sampled access in the histogram (an assumption)'),
});

export type MebOptions = z.output<typeof options>;

/** Miss ratio with `pages` of workload memory: linear between points, flat past the last. */
export function missRatioAt(g: BalloonGuestView, pages: number): number {
  const last = g.mrc.length - 1;
  if (last < 0) return 0;
  if (!(g.mrcStepPages > 0)) return g.mrc[last]!; // a curve without a scale: take its tail
  const x = Math.max(0, pages) / g.mrcStepPages;
  if (x >= last) return g.mrc[last]!;
  const k = Math.floor(x);
  const f = x - k;
  return g.mrc[k]! + f * (g.mrc[k + 1]! - g.mrc[k]!);
}

/** Working-set size (workload pages): where the curve first reaches `threshold`, interpolated. */
export function workingSetPages(g: BalloonGuestView, threshold: number): number {
  const k = g.mrc.findIndex((r) => r <= threshold);
  if (k === 0) return 0;
  // A curve that never gets there: more memory than its extent does not help (flat beyond).
  if (k < 0) return Math.max(0, g.mrc.length - 1) * g.mrcStepPages;
  const a = g.mrc[k - 1]!;
  const b = g.mrc[k]!;
  return Math.ceil(g.mrcStepPages * (k - 1 + (a - threshold) / (a - b)));
}

/** Accesses/s that `add` more pages would save a guest holding `memory` pages, per page. */
function gainPerPage(g: BalloonGuestView, memory: number, add: number): number {
  if (add <= 0) return 0;
  const m = memory - g.reservedPages;
  return (g.accessesPerS * (missRatioAt(g, m) - missRatioAt(g, m + add))) / add;
}

/** Memory (pages) per guest under MEB, given `available` pages for guests. */
export function mebAllocate(guests: readonly BalloonGuestView[], available: number, o: MebOptions): number[] {
  const wss = guests.map((g) => workingSetPages(g, o.threshold));
  const need = guests.map((g, i) => Math.max(g.minPages, Math.min(g.memoryPages, g.reservedPages + wss[i]!)));
  const shareSpare = (base: number[], spare: number) => {
    const room = guests.map((g, i) => Math.max(0, g.memoryPages - base[i]!));
    const extra = waterFill(wss, room, spare);
    return base.map((b, i) => b + Math.floor(extra[i]!));
  };
  const needed = need.reduce((a, b) => a + b, 0);
  if (needed <= available) return shareSpare(need, available - needed);

  const chunk = Math.max(1, Math.floor(o.chunk / PAGE_SIZE_BYTES));
  const mem = guests.map((g) => g.minPages);
  let left = available - mem.reduce((a, b) => a + b, 0);
  const step = (i: number) => Math.min(chunk, guests[i]!.memoryPages - mem[i]!, left);
  const gain = guests.map((g, i) => gainPerPage(g, mem[i]!, step(i)));
  while (left > 0) {
    let best = -1;
    for (let i = 0; i < guests.length; i++) {
      // Ties go to the first guest in observation order (deterministic).
      if (gain[i]! > 0 && (best < 0 || gain[i]! > gain[best]!)) best = i;
    }
    if (best < 0) break;
    const add = step(best);
    mem[best]! += add;
    left -= add;
    // Only the receiver's gain changes, unless the last partial chunk shrank everyone's step.
    if (left < chunk) guests.forEach((g, i) => (gain[i] = gainPerPage(g, mem[i]!, step(i))));
    else gain[best] = gainPerPage(guests[best]!, mem[best]!, step(best));
  }
  return left > 0 ? shareSpare(mem, left) : mem;
}

export const mebPolicy = {
  name: 'meb',
  description: 'MEB: working sets from miss-ratio curves; greedy miss minimisation when they do not fit.',
  options,
  pressureDriven: true,
  create: (o) => ({
    periodNs: o.interval,
    missRatioTracking: { exact: o.curve === 'exact', sampleRate: o.sampleRate, halfLifeNs: o.halfLife },
    decide: (obs) => {
      const available = Math.max(0, obs.hostTotalPages - Math.ceil(o.hostReserve / PAGE_SIZE_BYTES));
      const memory = mebAllocate(obs.guests, available, o);
      return obs.guests.map((g, i) => g.memoryPages - memory[i]!);
    },
  }),
} satisfies BalloonPolicyDecl<MebOptions>;
