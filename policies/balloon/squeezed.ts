/**
 * `squeezed`: XenServer/XCP's host-side memory balancer, "proportional" policy
 * (xapi-project/squeezed lib/squeeze.ml, see reference/memory-balloon.md §3.4). Every guest is put
 * at the same fractional position γ inside its dynamic range:
 *
 *   surplus  = host_free + Σ max(0, actual_i − dyn_min_i) − host_target_free
 *   γ        = clamp(surplus / Σ (dyn_max_i − dyn_min_i), 0, 1)
 *   target_i = dyn_min_i + γ · (dyn_max_i − dyn_min_i)
 *
 * with dyn_min = minPages, dyn_max = memoryPages, actual = memoryPages − balloonPages,
 * host_free = hostNetFreePages: on a Xen PV host (`host.memorySemantics: xen-pv`, the default for
 * `abi: xen`) Xen's real free memory, H − Σ (memory − balloon) − overhead × guests, since every
 * page of a domain holds a frame and nothing is host-swapped (test/model/xen-memory.test.ts has a
 * worked example on a whole run); on a host that swaps (a what-if), free − host-swapped, the
 * host-swapped pages being frames owed; host_target_free = 1 MiB emergency pool + 8 MiB extra_mem_to_keep
 * = 9 MiB; checked every 10 s (balance_check_interval). Like squeeze.ml (Int64.of_float) the
 * fractional part of γ · range is truncated. Balloon target = memoryPages − target_i.
 *
 * Not modelled: squeezed's stuck-driver exclusion (a domain making no progress for 5 s is left
 * out and the others squeezed harder) — the vmisim host handles stuck drivers itself — and the
 * 512 KiB "balanced enough" tolerance, which only suppresses tiny moves.
 *
 * Worked example (§3.4): ranges [256, 1024] and [512, 2048] MiB, free 0, actual 800 and 1500 MiB:
 * surplus = 544 + 988 − 9 = 1523 MiB, γ = 1523 / 2304 = 0.661, targets 763.7 and 1527.3 MiB.
 */
import type { z } from 'zod';
import type { BalloonGuestView, BalloonPolicyDecl } from './types.js';
import { durationNs, sizeBytes, strictObject } from '../../sim/options/fields.js';
import { PAGE_SIZE_BYTES } from '../../sim/options/units.js';

const options = strictObject({
  interval: durationNs()
    .refine((n) => n > 0, 'interval must be longer than 0')
    .prefault('10s')
    .describe('time between balancing passes (squeezed balance_check_interval = 10 s)'),
  hostTargetFree: sizeBytes()
    .prefault('9MiB')
    .describe('host memory kept free (squeezed: 1 MiB emergency pool + 8 MiB extra_mem_to_keep = 9 MiB)'),
});

export type SqueezedOptions = z.output<typeof options>;

/** The common position γ ∈ [0, 1] of every guest in its dynamic range, given free host pages. */
export function squeezeGamma(
  guests: readonly BalloonGuestView[],
  hostFreePages: number,
  hostTargetFreePages: number,
): number {
  let surplus = hostFreePages - hostTargetFreePages;
  let range = 0;
  for (const g of guests) {
    // A stuck guest is left where it is: neither its memory nor its range is shared out.
    if (g.driverStuck) continue;
    surplus += Math.max(0, g.memoryPages - g.balloonPages - g.minPages);
    range += Math.max(0, g.memoryPages - g.minPages);
  }
  // With no range to share every guest sits at its (single) size, whatever γ is.
  if (range <= 0) return 1;
  return Math.min(1, Math.max(0, surplus / range));
}

/** Memory (pages) for a guest at position γ of its range [minPages, memoryPages]. */
export function squeezeTarget(g: BalloonGuestView, gamma: number): number {
  const range = Math.max(0, g.memoryPages - g.minPages);
  return Math.min(g.memoryPages, g.minPages + Math.floor(gamma * range));
}

export const squeezedPolicy = {
  name: 'squeezed',
  description: 'XenServer squeezed: every guest at the same fraction γ of its [dynamic-min, max] range.',
  options,
  pressureDriven: true,
  create: (o) => ({
    periodNs: o.interval,
    decide: (obs) => {
      const gamma = squeezeGamma(
        obs.guests,
        obs.hostNetFreePages,
        Math.ceil(o.hostTargetFree / PAGE_SIZE_BYTES),
      );
      return obs.guests.map((g) =>
        g.driverStuck ? g.balloonPages : g.memoryPages - squeezeTarget(g, gamma),
      );
    },
  }),
} satisfies BalloonPolicyDecl<SqueezedOptions>;
