/**
 * `merge`: all ticks missed while descheduled arrive as one interrupt on resume — what a local
 * APIC does by itself, since it holds one pending interrupt per vector. The guest counts one tick
 * for the whole gap. QEMU/libvirt `merge` (reference/time-cpu-abi.md §4.3); libvirt's text
 * (formatdomain, `<timer tickpolicy>`): the missed ticks are merged into one tick and injected,
 * and the guest time "may be delayed, depending on how the OS reacts". A tick-counting guest
 * counts one tick per gap: behind by the rest. With credit's 30 ms slices at HZ 100 a gap is 3
 * ticks at 2:1 and 9 at 4:1, so it gets 2/3 and 1/3 of its ticks (validation row
 * lost-ticks-merge). No options, so no default to source.
 */
import type { z } from 'zod';
import type { TimerDeliveryDecl } from './types.js';
import { strictObject } from '../../sim/options/fields.js';

const options = strictObject({});

export const mergeDelivery = {
  name: 'merge',
  description: 'Missed ticks arrive as a single interrupt on resume; the rest of the gap is lost.',
  options,
  create: () => ({
    onResume: (backlog) =>
      backlog > 0
        ? { deliverNow: 1, merged: backlog - 1, dropped: 0, kept: 0 }
        : { deliverNow: 0, merged: 0, dropped: 0, kept: 0 },
    speedup: 0,
    giveUpNs: Infinity,
  }),
} satisfies TimerDeliveryDecl<z.output<typeof options>>;
