/**
 * No paravirtual interface, as a registered interface (sim/abi/interface.ts): what a guest runs
 * when it refuses the one the host offers. Its kernel counts periodic ticks (`tick-counting`),
 * a clock every guest may also choose over any interface.
 */
import type { GuestClockDecl, InterfaceDecl } from '../interface.js';
import { NativeOps } from './native-ops.js';

/**
 * A periodic-tick kernel at HZ: jiffies advance one per global timer interrupt on vCPU 0, which
 * also takes its local APIC timer — two streams there, one on every other vCPU
 * (reference/time-cpu-abi.md §4.1). It never goes tickless and reads no clock through an interface.
 */
export const TICK_COUNTING_CLOCK: GuestClockDecl = {
  name: 'tick-counting',
  paravirtual: false,
  accountsOnIdleExit: false,
  periodicTimer: (kernel, local) => ({ mode: 'periodic', hz: kernel.hz, streams: local === 0 ? 2 : 1 }),
};

export const nativeInterface: InterfaceDecl = {
  name: 'native',
  description: 'what a guest falls back to when it refuses the VMI ROM offered: host.vmiRom',
  clock: TICK_COUNTING_CLOCK,
  // Never the host's: a guest falls back to native on a host that offered another interface, and
  // the host keeps that interface's semantics. Were a host to offer native, it would be an ESX host.
  memorySemantics: 'esx',
  create: ({ hv, guest, costs }) => new NativeOps(hv, guest, costs),
};
