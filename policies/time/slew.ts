/**
 * `slew`: missed ticks are kept and delivered by shortening the tick period a little while the
 * vCPU runs — Hyper-V's period modulation and QEMU's `slew` (reference/time-cpu-abi.md §4.3) —
 * never dropped. Slower to converge than `catch-up` but never gives up.
 * Backlog falls by `speedup` ticks per nominal period: with speedup 0.1 (periods 1/1.1 of
 * nominal) a 30-tick backlog clears after 300 nominal periods of running. The 10 % default is an
 * assumption: neither source gives a rate (QEMU's RTC re-injects coalesced interrupts on ack,
 * RTC_REINJECT_ON_ACK_COUNT 20, a count, not a rate; libvirt's `<catchup threshold slew limit>`
 * attributes are named but not explained). Unlike Hyper-V, which skips signals when too many
 * were missed, this never drops any. What the default decides: a vCPU running a share p of the
 * time receives min(1, 1.1 p) of its ticks — 55 % at 2:1, 27.5 % at 4:1 — and the rest stays
 * pending (validation row lost-ticks-slew, a model identity).
 */
import { z } from 'zod';
import type { TimerDeliveryDecl } from './types.js';
import { strictObject } from '../../sim/options/fields.js';

const options = strictObject({
  speedup: z
    .number()
    .gt(0)
    .max(1)
    .default(0.1)
    .describe(
      'extra ticks per nominal tick while behind (0.1 = periods 10% shorter); QEMU and Hyper-V give no rate: an assumption',
    ),
});

export type SlewOptions = z.output<typeof options>;

export const slewDelivery = {
  name: 'slew',
  description: 'Keep missed ticks and deliver them with slightly shortened periods; never drop them.',
  options,
  create: (o) => ({
    onResume: (backlog) => ({ deliverNow: 0, merged: 0, dropped: 0, kept: backlog }),
    speedup: o.speedup,
    giveUpNs: Infinity,
  }),
} satisfies TimerDeliveryDecl<SlewOptions>;
