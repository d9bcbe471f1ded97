/**
 * Xen public ABI for i386 PV guests, as of Xen 3.0.4 (the 2006 ABI): hypercall numbers and the
 * sub-command numbers of the hypercalls the simulator models. Source: xen/include/public/*.h at
 * 3.0.4-branched, as recorded in reference/time-cpu-abi.md §2. Only numbers that reference gives
 * are here; where a family has members the reference does not list (other VIRQs, XENMEMF_* flags,
 * SHUTDOWN_* reasons, …) they are left out rather than recalled.
 */

/**
 * __HYPERVISOR_* numbers (xen.h, §2.2), unchanged since 3.0.4. A hypercall enters at
 * hypercall_page + number × 32. 11 and 38–47 are unused in 3.0.4.
 */
export const XEN_HYPERCALL = {
  set_trap_table: 0,
  mmu_update: 1,
  set_gdt: 2,
  stack_switch: 3,
  set_callbacks: 4,
  fpu_taskswitch: 5,
  sched_op_compat: 6,
  platform_op: 7, // named dom0_op before 3.0.4
  set_debugreg: 8,
  get_debugreg: 9,
  update_descriptor: 10,
  memory_op: 12,
  multicall: 13,
  update_va_mapping: 14,
  set_timer_op: 15,
  event_channel_op_compat: 16,
  xen_version: 17,
  console_io: 18,
  physdev_op_compat: 19,
  grant_table_op: 20,
  vm_assist: 21,
  update_va_mapping_otherdomain: 22,
  iret: 23,
  vcpu_op: 24,
  set_segment_base: 25, // x86_64 only: an i386 guest never issues it
  mmuext_op: 26,
  acm_op: 27, // xsm_op in current trees
  nmi_op: 28,
  sched_op: 29,
  callback_op: 30,
  xenoprof_op: 31,
  event_channel_op: 32,
  physdev_op: 33,
  hvm_op: 34,
  sysctl: 35,
  domctl: 36,
  kexec_op: 37,
  arch_0: 48,
  arch_1: 49,
  arch_2: 50,
  arch_3: 51,
  arch_4: 52,
  arch_5: 53,
  arch_6: 54,
  arch_7: 55,
} as const;

export type XenHypercallName = keyof typeof XEN_HYPERCALL;

/** Hypercalls that exist only in current trees (§2.2); a 2006 hypervisor answers them -ENOSYS. */
export const XEN_HYPERCALL_CURRENT_ONLY = {
  tmem_op: 38,
  argo_op: 39,
  xenpmu_op: 40,
  dm_op: 41,
  hypfs_op: 42,
} as const;

/** Bytes per hypercall-page stub: call number n enters at hypercall_page + n × 32 (§2.1). */
export const HYPERCALL_STUB_BYTES = 32;

/** i386 guest layout (arch-x86_32.h, §2.1): the guest kernel runs in ring 1. */
export const FLAT_RING1_CS = 0xe019;
export const FLAT_RING1_DS = 0xe021;
export const FLAT_RING3_CS = 0xe02b;
export const FLAT_RING3_DS = 0xe033;
export const HYPERVISOR_VIRT_START_NONPAE = 0xfc000000;
export const HYPERVISOR_VIRT_START_PAE = 0xf5800000;
export const MAX_VIRT_CPUS = 32;

/** Virtual IRQs (xen.h). VIRQ_TIMER is per-vCPU; the rest are global. */
export const VIRQ_TIMER = 0;
export const VIRQ_DEBUG = 1;
export const VIRQ_CONSOLE = 2;
export const VIRQ_DOM_EXC = 3;
export const NR_VIRQS = 24;

/** sizeof(long)² × 64: one pending bit per port, two levels of unsigned long (1024 on i386). */
export const NR_EVENT_CHANNELS = 1024;
/** A domain's name for itself in domid fields (domid_t is u16). */
export const DOMID_SELF = 0x7ff0;

/** sched_op(cmd, arg) commands (sched.h, §2.2). */
export const SCHEDOP = {
  yield: 0,
  block: 1,
  shutdown: 2,
  poll: 3,
  remote_shutdown: 4,
} as const;

/**
 * set_timer_op(timeout): absolute Xen system time in ns, 0 cancels. A negative timeout, or one
 * more than 2^50 ns (~13 days) ahead, fires in 100 ms instead (schedule.c do_set_timer_op, §2.2).
 */
export const SET_TIMER_OP_MAX_AHEAD_NS = 2 ** 50;
export const SET_TIMER_OP_FALLBACK_NS = 100_000_000;

/**
 * vcpu_op(cmd, vcpuid, arg) commands (vcpu.h, §2.5). 0–5 are the 3.0.4 set; 6–15 do not exist
 * in 3.0.4 (see VCPUOP_ADDED_IN_3_1 for the ones the reference dates).
 */
export const VCPUOP = {
  initialise: 0,
  up: 1,
  down: 2,
  is_up: 3,
  get_runstate_info: 4,
  register_runstate_memory_area: 5,
  set_periodic_timer: 6,
  stop_periodic_timer: 7,
  set_singleshot_timer: 8,
  stop_singleshot_timer: 9,
  register_vcpu_info: 10,
  send_nmi: 11,
  get_physid: 12,
  register_vcpu_time_memory_area: 13,
  register_runstate_phys_area: 14,
  register_vcpu_time_phys_area: 15,
} as const;

export type VcpuOpName = keyof typeof VCPUOP;

/** The vcpu_op commands of Xen 3.0.4 (a 2006 hypervisor answers the others -ENOSYS). */
export const VCPUOP_XEN_3_0_4: readonly VcpuOpName[] = [
  'initialise',
  'up',
  'down',
  'is_up',
  'get_runstate_info',
  'register_runstate_memory_area',
];

/**
 * The timer commands added in Xen 3.1 (commit eb1a565927, 2007-03-09, §2.5). The reference lists
 * 10–15 under the same comment without dating them separately; they are at least 3.1 and some
 * are much later, so they are not claimed for 3.1 here.
 */
export const VCPUOP_ADDED_IN_3_1: readonly VcpuOpName[] = [
  'set_periodic_timer',
  'stop_periodic_timer',
  'set_singleshot_timer',
  'stop_singleshot_timer',
];

/** vcpu_set_singleshot_timer.flags bit (§2.5): the timeout must lie in the future. */
export const VCPU_SSHOTTMR_future = 1;
/** Xen 3.1 gives PV guests a 100 Hz VIRQ_TIMER by default and rejects periods under 1 ms. */
export const PV_DEFAULT_PERIODIC_NS = 10_000_000;
export const VCPUOP_MIN_PERIOD_NS = 1_000_000;

/** vcpu_runstate_info.state. Linux counts runnable + offline as steal, blocked as idle. */
export const RUNSTATE_running = 0;
export const RUNSTATE_runnable = 1;
export const RUNSTATE_blocked = 2;
export const RUNSTATE_offline = 3;
/** Newer Xen sets bit 63 of state_entry_time while it rewrites the area (a seqlock bit). */
export const XEN_RUNSTATE_UPDATE = 1n << 63n;

/** memory_op(cmd, arg) commands (memory.h, §2.6): 0–13 exist in 3.0.4. */
export const XENMEM = {
  increase_reservation: 0,
  decrease_reservation: 1,
  maximum_ram_page: 2,
  current_reservation: 3,
  maximum_reservation: 4,
  machphys_mfn_list: 5,
  populate_physmap: 6,
  add_to_physmap: 7,
  translate_gpfn_list: 8,
  memory_map: 9,
  machine_memory_map: 10,
  exchange: 11,
  machphys_mapping: 12,
  set_memory_map: 13,
} as const;

/** memory_op commands added after 3.0.4 that the reference names (15 and 17+ are not given). */
export const XENMEM_LATER = {
  maximum_gpfn: 14,
  set_pod_target: 16,
} as const;

/** event_channel_op(cmd, arg) commands (event_channel.h, §2.7); the compat hypercall is 16. */
export const EVTCHNOP = {
  bind_interdomain: 0,
  bind_virq: 1,
  bind_pirq: 2,
  close: 3,
  send: 4,
  status: 5,
  alloc_unbound: 6,
  bind_ipi: 7,
  bind_vcpu: 8,
  unmask: 9,
} as const;

/** nmi_op(cmd, arg) commands (nmi.h, §2.8). Registering is for dom0 vCPU 0 only (else -EINVAL). */
export const XENNMI = {
  register_callback: 0,
  unregister_callback: 1,
} as const;

/** arch_shared_info.nmi_reason bits (§2.8). */
export const NMI_REASON_IO_ERROR = 1 << 0;
export const NMI_REASON_PARITY_ERROR = 1 << 1;
export const NMI_REASON_UNKNOWN = 1 << 2;

/** xen_version(cmd, arg) commands (version.h, §2.9). XENVER_version returns major << 16 | minor. */
export const XENVER = {
  version: 0,
  extraversion: 1,
  compile_info: 2,
  capabilities: 3,
  changeset: 4,
  platform_parameters: 5,
  get_features: 6,
  pagesize: 7,
  guest_handle: 8,
} as const;

/** Lengths of the char-array answers of xen_version (§2.9). */
export const XEN_EXTRAVERSION_LEN = 16;
export const XEN_CAPABILITIES_INFO_LEN = 1024;
export const XEN_CHANGESET_INFO_LEN = 64;

/** vcpu_time_info.flags (pad1[0] in 2006; pvclock-abi.h today, §2.4). Xen 3.0.4 writes 0. */
export const PVCLOCK_TSC_STABLE_BIT = 1 << 0;
export const PVCLOCK_GUEST_STOPPED = 1 << 1;
export const PVCLOCK_COUNTS_FROM_ZERO = 1 << 2;

/** __XEN_LATEST_INTERFACE_VERSION__ of 3.0.4 (xen-compat.h, §2). */
export const XEN_INTERFACE_VERSION_3_0_4 = 0x00030205;

/**
 * Error numbers a hypercall returns negated (-EINVAL etc.). These are Xen's errno.h values
 * (xen/include/public/errno.h), which equal Linux's; they are not in the reference file.
 */
export const XEN_ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  ENOMEM: 12,
  EFAULT: 14,
  EINVAL: 22,
  ENOSYS: 38,
} as const;

/** XENVER_version's answer: major in bits 31:16, minor in bits 15:0. */
export function xenVersionWord(major: number, minor: number): number {
  if (!Number.isInteger(major) || major < 0 || major > 0xffff)
    throw new RangeError(`Xen major version must be an integer in [0, 65535], got ${major}`);
  if (!Number.isInteger(minor) || minor < 0 || minor > 0xffff)
    throw new RangeError(`Xen minor version must be an integer in [0, 65535], got ${minor}`);
  return ((major << 16) | minor) >>> 0;
}
