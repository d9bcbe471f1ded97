/**
 * `discard`: missed ticks are dropped; the guest's tick-counted clock loses them for good.
 * QEMU's LostTickPolicy `discard` (the mc146818 RTC default; reference/time-cpu-abi.md §4.3).
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
