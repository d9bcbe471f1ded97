/**
 * Argument words of each Xen hypercall on i386 as XenLinux 3.0.4 issues it: the `_hypercallN`
 * of each wrapper in linux-2.6-xen-sparse/include/asm-i386/mach-xen/asm/hypercall.h (N words in
 * EBX, ECX, EDX, ESI, EDI; a 64-bit timeout is split into two). sim/abi/register-args.ts counts
 * them as bytes passed in registers. Shared-memory reads and writes (clock reads, event upcalls,
 * the event mask) are not hypercalls and pass nothing.
 */
import type { ArgWordsTable } from '../register-args.js';

export const XEN_ARG_WORDS: ArgWordsTable = {
  set_trap_table: 1,
  mmu_update: 4,
  mmuext_op: 4,
  set_gdt: 2,
  stack_switch: 2,
  set_callbacks: 4,
  fpu_taskswitch: 1,
  sched_op_compat: 2,
  sched_op: 2,
  set_timer_op: 2,
  set_debugreg: 2,
  get_debugreg: 1,
  update_descriptor: 4,
  memory_op: 2,
  multicall: 2,
  update_va_mapping: 4,
  event_channel_op: 2,
  event_channel_op_compat: 1,
  xen_version: 2,
  console_io: 3,
  physdev_op: 2,
  grant_table_op: 3,
  update_va_mapping_otherdomain: 5,
  vm_assist: 2,
  vcpu_op: 3,
  nmi_op: 2,
  hvm_op: 2,
  callback_op: 2,
  xenoprof_op: 2,
  kexec_op: 2,
};
