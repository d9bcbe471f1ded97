/**
 * `auto-balloon`: host-pressure inflation balanced by a guest-side shrinker, after the KVM
 * "automatic ballooning" proposal (Rik van Riel's auto-inflate/auto-deflate idea and Luiz
 * Capitulino's RFC, linux-mm 2013-05-09; reference/memory-balloon.md §4.3). The proposal gives
 * the mechanism, not the sizes: every threshold and share below is our choice, labelled as such.
 *
 * Each decision (every `period`, 1 s — a balloon driver's poll period, §1.1), in pages:
 *   pressure(guest) = free + cache < guestPressure × (memory now)   or   swapOut grew since the
 *                     last decision (the guest is reclaiming, so its shrinker would run)
 *   auto-deflate: each guest under pressure gets target − deflateChunk (not below 0). The RFC's
 *                 shrinker frees sc->nr_to_scan pages per call; many calls per second add up to
 *                 a chunk per decision here.
 *   auto-inflate: expected free = host free − host-swapped + Σ (target − balloon now) (balloons
 *                 still moving count; host-swapped pages are memory the host owes); if it is below hostPressure × host total, cover the shortfall from the
 *                 other guests, largest free first, each giving at most
 *                   inflateShare × (free − pending inflation)   (half of what it has free), and
 *                   never so much that its free + cache drops below its own pressure line
 *                 (so the inflation does not immediately trigger the shrinker — our guard against
 *                 the "balloon thrashing" the RFC's reviewer warned of).
 * Without host pressure nothing is inflated and nothing is given back except by the shrinker:
 * the two sides are meant to balance each other over time, as in the proposal.
 *
 * Example: host 8 GiB with 512 MiB free (pressure line 0.10 × 8 GiB = 819.2 MiB, shortfall
 * ≈ 307 MiB); 1 GiB guests with 400 MiB and 150 MiB free (pressure line 51.2 MiB): the first
 * gives min(200, 307.2) = 200 MiB, the second min(75, 107.2) = 75 MiB; the other 32.2 MiB wait
 * for the next decision.
 * Validation target (§4.3): 35 × 1 GB guests on 32 GB + 16 GB swap, swap-out ≈ 1.5 M → 10–40 k pages.
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
  hostPressure: fraction(0.1).describe('host under pressure below this free fraction (our choice)'),
  inflateShare: fraction(0.5).describe('share of a guest’s free memory taken per decision (our choice)'),
  guestPressure: fraction(0.05).describe(
    'guest under pressure when free + cache is below this fraction of its memory (our choice)',
  ),
  deflateChunk: sizeBytes()
    .prefault('32MiB')
    .describe('memory returned per decision to a guest under pressure (our choice)'),
});

export type AutoBalloonOptions = z.output<typeof options>;

/** Each guest's cumulative swapOut at the last decision (null before the first). */
export interface AutoBalloonState {
  readonly swapOut: readonly (number | null)[];
}

/** The state before the first decision, for `guests` guests. */
export function autoBalloonInitialState(guests: number): AutoBalloonState {
  return { swapOut: Array.from({ length: guests }, () => null) };
}

/** One period: deflate guests under pressure, then inflate by their free memory to cover the shortfall. */
export function autoBalloonStep(
  obs: BalloonObservation,
  state: AutoBalloonState,
  o: AutoBalloonOptions,
): BalloonDecision<AutoBalloonState> {
  const gs = obs.guests;
  const cap = gs.map((g) => Math.max(0, g.memoryPages - g.minPages));
  const target = gs.map((g, i) => Math.min(Math.max(0, g.targetPages), cap[i]!));
  const line = gs.map((g) => o.guestPressure * (g.memoryPages - g.balloonPages));
  const pressed = gs.map((g, i) => {
    const last = state.swapOut[i] ?? null;
    return g.freePages + g.cachePages < line[i]! || (last !== null && g.swapOut > last);
  });
  const chunk = Math.floor(o.deflateChunk / PAGE_SIZE_BYTES);
  gs.forEach((_g, i) => {
    if (pressed[i]) target[i] = Math.max(0, target[i]! - chunk);
  });

  const pending = gs.reduce((a, g, i) => a + target[i]! - g.balloonPages, 0);
  let shortfall = Math.floor(o.hostPressure * obs.hostTotalPages) - (obs.hostNetFreePages + pending);
  // Largest free first; ties by position, so the order is deterministic.
  const order = gs.map((_g, i) => i).sort((a, b) => gs[b]!.freePages - gs[a]!.freePages || a - b);
  for (const i of order) {
    if (shortfall <= 0) break;
    if (pressed[i]) continue;
    const g = gs[i]!;
    const inFlight = Math.max(0, target[i]! - g.balloonPages);
    const free = Math.max(0, g.freePages - inFlight);
    const guard = Math.floor(g.freePages + g.cachePages - inFlight - line[i]!);
    const take = Math.max(
      0,
      Math.min(Math.floor(o.inflateShare * free), guard, shortfall, cap[i]! - target[i]!),
    );
    target[i] = target[i]! + take;
    shortfall -= take;
  }
  return { state: { swapOut: gs.map((g) => g.swapOut) }, targetPages: target };
}

export const autoBalloonPolicy = {
  name: 'auto-balloon',
  description:
    'KVM auto-ballooning: inflate by guests’ free memory under host pressure; deflate guests under pressure.',
  options,
  pressureDriven: true,
  create: (o, ctx) =>
    steppedPolicy<AutoBalloonState>(o.period, autoBalloonInitialState(ctx.guests), (obs, state) =>
      autoBalloonStep(obs, state, o),
    ),
} satisfies BalloonPolicyDecl<AutoBalloonOptions>;
