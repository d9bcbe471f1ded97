/**
 * What the Xen boot and event paths pass through guest memory, as Xen 3.0.4 copies it
 * (xen-project/xen @ 3.0.4-branched; i386 sizes): the callback_op command and types
 * (xen/include/public/callback.h), the argument structs of event_channel_op
 * (event_channel.h: do_event_channel_op copies each in with copy_from_guest and, for the binds,
 * back out with copy_to_guest), vcpu_op(register_runstate_memory_area) (vcpu.h; Xen copies the
 * 8-byte handle in and, for the running vCPU, writes the 44-byte vcpu_runstate_info out at once),
 * and the xen_version answers (xen/common/kernel.c do_xen_version: copy_to_guest of each).
 */

/** callback.h: CALLBACKOP_* commands and CALLBACKTYPE_* types. */
export const CALLBACKOP = { register: 0, unregister: 1 } as const;
export const CALLBACKTYPE = { event: 0, failsafe: 1, syscall: 2, sysenter: 3, nmi: 4 } as const;

/** struct callback_register { u16 type; u16 flags; xen_callback_t { ulong cs; ulong eip; } }: 12 B on i386. */
export const CALLBACK_REGISTER_BYTES = 12;

/** event_channel.h argument structs on i386 (u32 fields, domid_t u16). */
export const EVTCHN_BYTES = {
  /** { u32 virq; u32 vcpu; evtchn_port_t port } */
  bind_virq: 12,
  /** { u32 vcpu; evtchn_port_t port } */
  bind_ipi: 8,
  /** { domid_t dom, remote_dom; evtchn_port_t port } */
  alloc_unbound: 8,
  /** { evtchn_port_t port } */
  send: 4,
  /** { evtchn_port_t port } */
  unmask: 4,
} as const;

/** struct vcpu_register_runstate_memory_area: a guest handle in a u64 union, 8 B. */
export const RUNSTATE_AREA_HANDLE_BYTES = 8;
/** struct vcpu_runstate_info on i386 (reference/time-cpu-abi.md §2.5, measured): 44 B. */
export const VCPU_RUNSTATE_INFO_BYTES = 44;

/** xen_platform_parameters_t { unsigned long virt_start; }: 4 B on i386. */
export const XEN_PLATFORM_PARAMETERS_BYTES = 4;
/** xen_feature_info_t { unsigned int submap_idx; uint32_t submap; }: 8 B, copied in and out. */
export const XEN_FEATURE_INFO_BYTES = 8;
