/**
 * Argument words of each VMI call as Linux 2.6.21 makes it (sim/abi/register-args.ts counts them
 * as bytes passed in registers). Most ROM entries are filled straight into paravirt_ops
 * (vmi.c para_fill: "ABI compatible with VMI"), so a call takes the paravirt op's C arguments
 * under the kernel's regparm(3) convention; the rest go through the wrappers of vmi.c's
 * `vmi_ops` cache, whose prototypes are read from vmi.c (set_pte 3 words, update_pte 2,
 * allocate_page 5, release_page 2, set_linear_mapping 4, flush_tlb 1, set_initial_ap_state 2,
 * set_lazy_mode 1). The paravirt-op prototypes (apic_write(reg, v), apic_read(reg),
 * write_idt_entry(dt, entry, low, high), load_idt(dtr), restore_fl(flags), write_cr3(val),
 * flush_tlb_single(addr)) and vmi_timer_ops (get_cycle_counter(int), set_alarm(u32, u64, u64),
 * cancel_alarm(u32), reference/time-cpu-abi.md §1.5) give the others. Non-PAE sizes: a pte_t is
 * one word.
 *
 * The balloon and device ports are not ROM calls: an I/O instruction with the port in DX and
 * the value in EAX (2 words); the balloon's backdoor command also passes its command and
 * argument in ECX and EBX (4 words) — recalled from vmmemctl's backdoor protocol, not read.
 */
import type { ArgWordsTable } from '../register-args.js';
import { BALLOON_PORT } from './constants.js';

export const VMI_ARG_WORDS: ArgWordsTable = {
  Halt: 0,
  EnableInterrupts: 0,
  DisableInterrupts: 0,
  GetInterruptMask: 0,
  SetInterruptMask: 1,
  IRET: 0,
  APICWrite: 2,
  APICRead: 1,
  SetIDT: 1,
  WriteIDTEntry: 4,
  GetCycleFrequency: 0,
  GetCycleCounter: 1,
  SetAlarm: 5,
  CancelAlarm: 1,
  SetPxE: 3,
  UpdatePxE: 2,
  AllocatePage: 5,
  ReleasePage: 2,
  SetLinearMapping: 4,
  FlushTLB: 1,
  InvalPage: 1,
  SetCR3: 1,
  SetLazyMode: 1,
  SetInitialAPState: 2,
  device: 2,
  [BALLOON_PORT.GetTarget]: 4,
  [BALLOON_PORT.Lock]: 4,
  [BALLOON_PORT.Unlock]: 4,
};
