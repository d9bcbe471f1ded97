/**
 * `auto-balloon`: host-pressure inflation balanced by a guest-side shrinker, after the KVM
 * "automatic ballooning" proposal (Rik van Riel's auto-inflate/auto-deflate idea and Luiz
 * Capitulino's RFC v2, linux-mm 2013-05-09; reference/memory-balloon.md §4.3).
 *
 * Auto-inflate, as the proposal's QEMU side does it (KVM wiki, Projects/auto-ballooning, 2013
 * revision): each QEMU registers for the host kernel's memory-pressure notifications (vmpressure,
 * Linux 3.10) and, on each VMPRESSURE_MEDIUM event, inflates its guest's balloon by a fixed,
 * user-set amount ("which could default to 16MB or 32MB"). vmpressure reports from inside the
 * host's page reclaim, and its level reaches medium when reclaim frees few of the pages it scans —
 * when the host must swap, not merely drop clean cache (the host page cache of this model lives in
 * free frames and costs nothing to drop, sim/host/host-page-cache.ts). So here:
 *   event = the host swapped guest pages out since the last decision (obs.hostSwapOutPages grew),
 *   on an event every guest's target grows by inflateStep (not above its floor's limit).
 * The host therefore swaps first and the balloons answer a decision later, as on a real host,
 * where the notification is a consequence of reclaim. The eventfd that carries the events counts
 * them and a read returns the sum, so several events between two decisions are one inflation step
 * here (how the QEMU patch treated a count above 1 is not known to us: an assumption).
 *
 * Auto-deflate, the RFC's guest side: a shrinker registered by the virtio balloon driver, which
 * deflates the balloon by sc->nr_to_scan pages whenever the guest's kernel reclaims. The kernel
 * reclaims continually while its cache is full, and sizes nr_to_scan from the pages it scanned;
 * we do not model guest reclaim passes, so the shrinker is a fixed deflateChunk per decision for a
 * guest under pressure (our simplification):
 *   pressure(guest) = free + cache < guestPressure × (memory now)   or   swapOut grew since the
 *                     last decision (the guest is reclaiming anonymous memory, so its shrinker runs)
 * The RFC's shrinker does not lower the target (the reviewer's "balloon thrashing" warning); here
 * it does, so a guest that gives memory back is asked for it again only at the next host event.
 *
 * Per decision (every `period`, 1 s, a balloon driver's poll period, §1.1):
 *   target′ = clamp(target + (event ? step : 0) − (pressure ? chunk : 0), 0, memory − min).
 * Example: step 16 MiB, chunk 32 MiB, a guest with a 100 MiB balloon: an event and no guest
 * pressure → 116 MiB; an event and guest pressure → 84 MiB; no event, no pressure → 100 MiB.
 * Validation target (§4.3): 35 × 1 GB guests on 32 GB + 16 GB swap, swap-out ≈ 1.5 M → 9–43 k pages.
 */
import { z } from 'zod';
import type { BalloonDecision, BalloonObservation, BalloonPolicyDecl } from './types.js';
import { steppedPolicy } from './stepped.js';
import { durationNs, sizeBytes, strictObject } from '../../sim/options/fields.js';
import { PAGE_SIZE_BYTES } from '../../sim/options/units.js';

const fraction = (d: number) => z.number().min(0).max(1).default(d);

const options = strictObject({
  period: durationNs()
    .refine((n) => n > 0, 'period must be longer than 0')
    .prefault('1s')
    .describe('time between decisions (1 s, the balloon poll period)'),
  inflateStep: sizeBytes()
    .prefault('16MiB')
    .describe('balloon growth per host memory-pressure event (the RFC’s QEMU default: 16 or 32 MB)'),
  guestPressure: fraction(0.05).describe(
    'guest under pressure when free + cache is below this fraction of its memory (our choice)',
  ),
  deflateChunk: sizeBytes()
    .prefault('32MiB')
    .describe('memory returned per decision to a guest under pressure (our choice)'),
});

export type AutoBalloonOptions = z.output<typeof options>;

/**
 * Each guest's cumulative swapOut, and the host's cumulative swap-out, at the last decision (null
 * before the first).
 */
export interface AutoBalloonState {
  readonly swapOut: readonly (number | null)[];
  readonly hostSwapOut: number | null;
}

/** The state before the first decision, for `guests` guests. */
export function autoBalloonInitialState(guests: number): AutoBalloonState {
  return { swapOut: Array.from({ length: guests }, () => null), hostSwapOut: null };
}

/** One period: a host pressure event inflates every guest by a step; the shrinker deflates guests under pressure. */
export function autoBalloonStep(
  obs: BalloonObservation,
  state: AutoBalloonState,
  o: AutoBalloonOptions,
): BalloonDecision<AutoBalloonState> {
  const gs = obs.guests;
  const event = state.hostSwapOut !== null && obs.hostSwapOutPages > state.hostSwapOut;
  const step = event ? Math.floor(o.inflateStep / PAGE_SIZE_BYTES) : 0;
  const chunk = Math.floor(o.deflateChunk / PAGE_SIZE_BYTES);
  const target = gs.map((g, i) => {
    const last = state.swapOut[i] ?? null;
    const pressed =
      g.freePages + g.cachePages < o.guestPressure * (g.memoryPages - g.balloonPages) ||
      (last !== null && g.swapOut > last);
    const cap = Math.max(0, g.memoryPages - g.minPages);
    return Math.max(0, Math.min(Math.max(0, g.targetPages) + step - (pressed ? chunk : 0), cap));
  });
  return {
    state: { swapOut: gs.map((g) => g.swapOut), hostSwapOut: obs.hostSwapOutPages },
    targetPages: target,
  };
}

export const autoBalloonPolicy = {
  name: 'auto-balloon',
  description:
    'KVM auto-ballooning: inflate every guest by a step on each host pressure (swap) event; deflate guests under pressure.',
  options,
  pressureDriven: true,
  create: (o, ctx) =>
    steppedPolicy<AutoBalloonState>(o.period, autoBalloonInitialState(ctx.guests), (obs, state) =>
      autoBalloonStep(obs, state, o),
    ),
} satisfies BalloonPolicyDecl<AutoBalloonOptions>;
