/**
 * What a XenLinux 3.0.4 guest tells Xen at boot besides its trap table (installIdt), in order
 * (xen-project/xen @ 3.0.4-branched, linux-2.6-xen-sparse):
 *  1. drivers/xen/core/features.c setup_xen_features: xen_version(XENVER_get_features), submap 0;
 *  2. include/asm-i386/mach-xen/setup_arch_post.h machine_specific_arch_setup:
 *     callback_op(CALLBACKOP_register) for the event callback, then (if that worked) the failsafe
 *     one; on −ENOSYS (a hypervisor older than 3.0.2's callback_op, CONFIG_XEN_COMPAT_030002)
 *     set_callbacks(event cs, eip, failsafe cs, eip) instead; then callback_op for the NMI
 *     callback, with nmi_op(XENNMI_register_callback) as the −ENOSYS fallback — a domU's is
 *     refused −EINVAL (dom 0, vCPU 0 only), which the kernel ignores; then
 *     xen_version(XENVER_platform_parameters) for the hypervisor hole (set_fixaddr_top);
 *  3. per vCPU: arch/i386/kernel/time-xen.c init_missing_ticks_accounting registers the runstate
 *     area (vcpu_op(VCPUOP_register_runstate_memory_area, cpu)) and local_setup_timer binds
 *     VIRQ_TIMER (event_channel_op(EVTCHNOP_bind_virq)); drivers/xen/core/smpboot.c
 *     xen_smp_intr_init binds the RESCHEDULE and CALL_FUNCTION IPIs (EVTCHNOP_bind_ipi, two);
 *  4. the virtual device's front end allocates its channel (xenbus_alloc_evtchn →
 *     EVTCHNOP_alloc_unbound): device interrupts are event channels, not IDT vectors.
 * Not modelled: XENMEM_memory_map and XENMEM_machphys_mapping (memory setup), and bringing up
 * secondary vCPUs (VCPUOP_initialise with a vcpu_guest_context, VCPUOP_up).
 */
import { EVTCHNOP, VCPUOP, VIRQ_TIMER, XEN_ERRNO, XEN_HYPERCALL, XENNMI, XENVER } from './constants.js';
import { CALLBACKOP, CALLBACKTYPE } from './boot-structs.js';

/** Issues one hypercall under `name` and returns EAX (the caller decodes, counts and charges it). */
export type XenBootCall = (name: string, nr: number, args: readonly number[]) => number;

/** IPIs XenLinux binds per CPU (smpboot.c xen_smp_intr_init): RESCHEDULE_VECTOR, CALL_FUNCTION_VECTOR. */
export const XEN_IPIS_PER_CPU = 2;

/** The boot sequence above, for a guest of `vcpus` vCPUs, through `call`. */
export function xenBootSequence(call: XenBootCall, vcpus: number): void {
  const ENOSYS = -XEN_ERRNO.ENOSYS;
  call('xen_version(get_features)', XEN_HYPERCALL.xen_version, [XENVER.get_features]);
  const cb = (type: number) =>
    call('callback_op(register)', XEN_HYPERCALL.callback_op, [CALLBACKOP.register, type]);
  let ret = cb(CALLBACKTYPE.event);
  if (ret === 0) ret = cb(CALLBACKTYPE.failsafe);
  if (ret === ENOSYS) call('set_callbacks', XEN_HYPERCALL.set_callbacks, []);
  if (cb(CALLBACKTYPE.nmi) === ENOSYS)
    call('nmi_op(register_callback)', XEN_HYPERCALL.nmi_op, [XENNMI.register_callback]);
  call('xen_version(platform_parameters)', XEN_HYPERCALL.xen_version, [XENVER.platform_parameters]);
  for (let cpu = 0; cpu < vcpus; cpu++) {
    call('vcpu_op(register_runstate_memory_area)', XEN_HYPERCALL.vcpu_op, [
      VCPUOP.register_runstate_memory_area,
      cpu,
    ]);
    call('event_channel_op(bind_virq)', XEN_HYPERCALL.event_channel_op, [
      EVTCHNOP.bind_virq,
      VIRQ_TIMER,
      cpu,
    ]);
    for (let i = 0; i < XEN_IPIS_PER_CPU; i++)
      call('event_channel_op(bind_ipi)', XEN_HYPERCALL.event_channel_op, [EVTCHNOP.bind_ipi, cpu]);
  }
  call('event_channel_op(alloc_unbound)', XEN_HYPERCALL.event_channel_op, [EVTCHNOP.alloc_unbound]);
}
