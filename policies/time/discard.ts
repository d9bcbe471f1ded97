/**
 * `discard`: missed ticks are dropped; the guest's tick-counted clock loses them for good.
 * QEMU's LostTickPolicy `discard` (the mc146818 RTC default; reference/time-cpu-abi.md §4.3);
 * libvirt's `discard` tick policy (formatdomain, `<timer tickpolicy>`): missed ticks are thrown
 * away and injection continues normally, so the guest's time is delayed unless its OS handles
 * lost ticks. A tick-counting guest does not: it falls behind by the time it did not run, a
 * share (1 − p) of the run — half at 2:1, three quarters at 4:1 (validation row
 * lost-ticks-discard). No options, so no default to source.
 */
import type { z } from 'zod';
import type { TimerDeliveryDecl } from './types.js';
import { strictObject } from '../../sim/options/fields.js';

const options = strictObject({});

export const discardDelivery = {
  name: 'discard',
  description: 'Drop ticks missed while descheduled; tick-counting guests lose that time.',
  options,
  create: () => ({
    onResume: (backlog) => ({ deliverNow: 0, merged: 0, dropped: backlog, kept: 0 }),
    speedup: 0,
    giveUpNs: Infinity,
  }),
} satisfies TimerDeliveryDecl<z.output<typeof options>>;
