/**
 * `static`: a fixed balloon per guest, set once — `fraction` of each guest's configured memory
 * (e.g. 0.25 of a 2 GiB guest = 512 MiB). Equivalent to booting guests smaller without the
 * reboot, as in Waldspurger's balloon-versus-static-size comparison (OSDI 2002, Fig. 2; see
 * reference/memory-balloon.md §1.7). Targets ignore host pressure entirely.
 */
import { z } from 'zod';
import type { BalloonPolicyDecl } from './types.js';
import { strictObject } from '../../sim/options/fields.js';
import { NS_PER_S } from '../../sim/kernel/time.js';

const options = strictObject({
  fraction: z
    .number()
    .min(0)
    .max(0.95)
    .default(0.25)
    .describe('fraction of each guest’s configured memory held by its balloon (0–0.95)'),
});

export type StaticBalloonOptions = z.output<typeof options>;

export const staticPolicy = {
  name: 'static',
  description: 'A fixed balloon of `fraction` × configured memory in every guest.',
  options,
  pressureDriven: false,
  create: (o) => ({
    periodNs: NS_PER_S,
    decide: (obs) => obs.guests.map((g) => Math.floor(g.memoryPages * o.fraction)),
  }),
} satisfies BalloonPolicyDecl<StaticBalloonOptions>;
