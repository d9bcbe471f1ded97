/**
 * The interrupt-flag path of a Linux 2.6.21 VMI guest (arch/i386/kernel/vmi.c): vmi_patch
 * rewrites each paravirt patch site into a near call into the ROM — local_irq_disable →
 * DisableInterrupts, local_irq_enable → EnableInterrupts, local_save_flags → GetInterruptMask,
 * local_irq_restore → SetInterruptMask, local_irq_save → GetInterruptMask + DisableInterrupts
 * (two calls, PARAVIRT_SAVE_FLAGS_IRQ_DISABLE), and an interrupt's return (iret) → IRET. Which of
 * them leave the guest is the ROM's business, not vmi.c's or vmi.h's: all are charged as ROM
 * calls completed in the guest (`vmiCallCycles`) — an ASSUMPTION, the cheap case the inline
 * patching was designed for.
 *
 * An interrupt that arrived while the vCPU had interrupts masked is delivered when they are
 * unmasked; the ROM cannot run the guest's handler itself, so it hands over to the VMM, which
 * injects it — charged as one exit per deferred interrupt (ASSUMPTION; the equivalent of a VT-x
 * interrupt-window exit, and the counterpart of Xen's force_evtchn_callback hypercall).
 */
import type { CostModel } from '../../spec/cost-model.js';
import type { CallEffects, HypervisorServices, IrqFlagWork } from '../types.js';
import { callCharger } from '../call-ids.js';

export const VMI_IRQ_CALL = {
  pendingExit: 'EnableInterrupts (pending interrupt, exit)',
} as const;

/**
 * What charges `work` on a vCPU of guest `guest` as a VMI kernel does it: its calls are named
 * once, here, and charged by id (sim/abi/call-ids.ts) at every interrupt.
 */
export function vmiIrqFlag(
  hv: HypervisorServices,
  guest: number,
  costs: CostModel,
): (vcpu: number, work: IrqFlagWork) => void {
  const c = callCharger(hv);
  const iret = c.id('IRET');
  const disable = c.id('DisableInterrupts');
  const enable = c.id('EnableInterrupts');
  const getMask = c.id('GetInterruptMask');
  const setMask = c.id('SetInterruptMask');
  const pendingExit = c.id(VMI_IRQ_CALL.pendingExit);
  // One effects object and one set of scratch arrays for every charge: the host reads them and
  // keeps nothing of them. The five ROM calls go to the host as one batch (chargeMany).
  const interrupt: CallEffects = { path: 'interrupt' };
  const ids = new Int32Array(5);
  const counts = new Float64Array(5);
  const cycles = new Float64Array(5);
  /** Puts `count` calls of `id` at entry n if there are any; the next free entry. */
  const put = (n: number, id: number, count: number): number => {
    if (count <= 0) return n;
    ids[n] = id;
    counts[n] = count;
    cycles[n] = count * costs.vmiCallCycles;
    return n + 1;
  };
  return (vcpu, work) => {
    let n = put(0, iret, work.returns);
    n = put(n, disable, work.disables + work.saves);
    n = put(n, enable, work.disables);
    n = put(n, getMask, work.saves);
    n = put(n, setMask, work.saves);
    c.chargeMany(guest, vcpu, ids, counts, cycles, n, interrupt);
    if (work.deferred > 0)
      c.charge(guest, vcpu, pendingExit, work.deferred, work.deferred * costs.exitCycles, {
        transitions: work.deferred,
        path: 'interrupt',
      });
  };
}
