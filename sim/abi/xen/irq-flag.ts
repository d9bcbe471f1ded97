/**
 * The interrupt-flag path of a XenLinux 3.0.4 guest (include/asm-i386/mach-xen/asm/system.h,
 * drivers/xen/core/evtchn.c, arch/i386/kernel/entry-xen.S): the virtual interrupt flag is the
 * byte `evtchn_upcall_mask` of the vCPU's vcpu_info in shared memory. local_irq_disable (__cli)
 * writes 1; local_irq_save (__save_and_cli) reads it and writes 1; local_irq_enable (__sti) and
 * local_irq_restore (__restore_flags) write 0 and then test `evtchn_upcall_pending`: an event
 * that arrived while masked is waiting, and the kernel asks Xen to deliver it with
 * force_evtchn_callback() = HYPERVISOR_xen_version(0, NULL) ("making a call down into Xen. The
 * pending flag will be checked by Xen on return", evtchn.c:204) — one hypercall per deferred
 * event. The upcall returns with a plain iret (entry-xen.S restore_nocheck; events re-enabled in
 * its critical region), so a handler's return costs no call.
 *
 * Mask writes are shared-memory stores, not transitions: counted (0 cycles) so the comparison
 * shows what replaced VMI's ROM calls; the deferred deliveries are hypercalls.
 */
import type { CostModel } from '../../spec/cost-model.js';
import type { HypervisorServices, IrqFlagWork } from '../types.js';
import { callCharger } from '../call-ids.js';

export const XEN_IRQ_CALL = {
  maskWrite: 'shared evtchn_upcall_mask write',
  forceCallback: 'xen_version(0) force_evtchn_callback',
} as const;

/**
 * What charges `work` on a vCPU of guest `guest` as a XenLinux kernel does it: its calls are
 * named once, here, and charged by id (sim/abi/call-ids.ts) at every interrupt.
 */
export function xenIrqFlag(
  hv: HypervisorServices,
  guest: number,
  costs: CostModel,
): (vcpu: number, work: IrqFlagWork) => void {
  const c = callCharger(hv);
  const maskWrite = c.id(XEN_IRQ_CALL.maskWrite);
  const forceCallback = c.id(XEN_IRQ_CALL.forceCallback);
  return (vcpu, work) => {
    // Each section masks once and unmasks once.
    const writes = 2 * (work.disables + work.saves);
    if (writes > 0) c.charge(guest, vcpu, maskWrite, writes, 0, { path: 'interrupt' });
    if (work.deferred > 0)
      c.charge(guest, vcpu, forceCallback, work.deferred, work.deferred * costs.hypercallCycles, {
        transitions: work.deferred,
        path: 'interrupt',
      });
  };
}
