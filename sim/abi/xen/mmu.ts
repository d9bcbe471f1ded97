/**
 * Page-table work over Xen: the hypercalls and trapped writes a XenLinux 3.0.4 i386 guest makes
 * (linux-2.6-xen-sparse in xen-project/xen at tag 3.0.4-branched; ABI in sim/abi/xen/mmu-abi.ts).
 * The kernel keeps every page table of a live process pinned (read-only to itself, validated by
 * Xen), and writes PTEs three ways:
 *  - set_pte_at on the current mm: HYPERVISOR_update_va_mapping(va, pte, 0), one hypercall with its
 *    arguments in registers (include/asm-i386/mach-xen/asm/pgtable-2level.h:18–22);
 *  - set_pte_at on another mm (the child at fork, an mm being torn down after exit_mm): a plain
 *    store, since that mm is not pinned yet or any more (same lines);
 *  - a plain store into a pinned table (ptep_set_wrprotect at fork, pgtable.h:280–284;
 *    ptep_get_and_clear's xchg, pgtable-2level.h:39): it faults, and Xen 3.0.4 emulates the write
 *    (ptwr_do_page_fault, xen/arch/x86/mm.c:3273): a trap (`hypercallCycles`) plus
 *    `ptwrEmulateCycles` plus the entry's validation (`pteUpdateCycles`) per write.
 * Pinning an mm (mm_pin, arch/i386/mm/pgtable-xen.c:641 → __pgd_pin :621 → pgd_walk :583) makes
 * each page-table page read-only with one update_va_mapping (:578), the pgd last with
 * UVMF_TLB_FLUSH (:615), then MMUEXT_PIN_L2_TABLE (arch/i386/mm/hypervisor.c:175–186), in which Xen
 * validates every table (alloc_l2_table/alloc_l1_table, mm.c:940/806): `pageCycles` per table and
 * `pteUpdateCycles` per present entry. Unpinning is the same walk after MMUEXT_UNPIN_TABLE.
 *
 * A hypercall costs `hypercallCycles` (a ring-1 → ring-0 trap), its argument array is copied in
 * (`copyCyclesPerByte` per byte, counted as bytes), and each entry it validates `pteUpdateCycles`.
 * A guest page fault traps to Xen first, which bounces it to the guest's handler: one trap per
 * fault, priced like a hypercall (an ASSUMPTION: the bounce is a trap in and an iret out).
 */
import type { CostModel } from '../../spec/cost-model.js';
import { cowPtes, forkCopiedPtes, type MmuCall, type MmuEvent, type ProcessShape } from '../mmu.js';
import { MMUEXT_OP, MULTICALL_ENTRY } from './mmu-abi.js';

/** The names the calls are counted under, with the command that tells their uses apart. */
export const XEN_MMU_CALL = {
  uvmPte: 'update_va_mapping(pte)',
  uvmPtRo: 'update_va_mapping(pt page RO/RW)',
  uvmPgdFlush: 'update_va_mapping(pgd, UVMF_TLB_FLUSH)',
  uvmInvlpg: 'update_va_mapping(pte, UVMF_INVLPG|UVMF_MULTI)',
  pin: 'mmuext_op(PIN_L2_TABLE)',
  unpin: 'mmuext_op(UNPIN_TABLE)',
  newBase: 'mmuext_op(NEW_BASEPTR)',
  flushMulti: 'mmuext_op(TLB_FLUSH_MULTI)',
  invlpgMulti: 'mmuext_op(INVLPG_MULTI)',
  switchMulticall: 'multicall(stack_switch, update_descriptor)',
  ptwr: 'pinned page-table write (ptwr emulated)',
  fault: 'page fault (bounced)',
} as const;

/** Entries of the context-switch multicall: stack_switch and one update_descriptor per changed TLS entry. */
export function switchMulticallEntries(s: ProcessShape): number {
  return 1 + s.tlsEntriesChangedPerSwitch;
}

function pricer(c: CostModel) {
  /** `count` hypercalls, each copying `bytesEach` and validating `entriesEach` PTEs. */
  const hc = (name: string, count: number, bytesEach = 0, entriesEach = 0, extraEach = 0): MmuCall => ({
    name,
    count,
    cycles:
      count *
      (c.hypercallCycles + bytesEach * c.copyCyclesPerByte + entriesEach * c.pteUpdateCycles + extraEach),
    transitions: count,
    bytes: count * bytesEach,
  });
  return { hc };
}

/** mm_pin / mm_unpin of an address space of shape `s` (header). */
function pinWalk(c: CostModel, s: ProcessShape, pin: boolean): MmuCall[] {
  const { hc } = pricer(c);
  const validate = s.pageTablePages * c.pageCycles + s.residentPages * c.pteUpdateCycles;
  const op = hc(pin ? XEN_MMU_CALL.pin : XEN_MMU_CALL.unpin, 1, MMUEXT_OP.SIZE);
  op.cycles += pin ? validate : s.pageTablePages * c.pageCycles;
  return [hc(XEN_MMU_CALL.uvmPtRo, s.pageTablePages), hc(XEN_MMU_CALL.uvmPgdFlush, 1), op];
}

/** Trapped writes to pinned tables, each emulated by Xen. */
function ptwr(c: CostModel, writes: number): MmuCall {
  return {
    name: XEN_MMU_CALL.ptwr,
    count: writes,
    cycles: writes * (c.hypercallCycles + c.ptwrEmulateCycles + c.pteUpdateCycles),
    transitions: writes,
    bytes: 0,
  };
}

/** The hypercalls and trapped writes of one `event` on an address space of shape `s`. */
export function xenMmuCalls(event: MmuEvent, s: ProcessShape, c: CostModel): MmuCall[] {
  const { hc } = pricer(c);
  // switch_mm (include/asm-i386/mach-xen/asm/mmu_context.h:46): one mmuext_op NEW_BASEPTR
  // (+ SET_LDT when the LDTs differ, not modelled: processes without an LDT).
  const newBase = hc(XEN_MMU_CALL.newBase, 1, MMUEXT_OP.SIZE);
  switch (event) {
    case 'fork':
      // copy_pte_range: the child's PTEs are plain stores (child not pinned); the parent's private
      // writable ones are write-protected in place (ptwr, one trap each); flush_tlb_mm(parent) →
      // xen_tlb_flush_mask (hypervisor.c:144–151, TLB_FLUSH_MULTI); dup_mmap ends in
      // _arch_dup_mmap → mm_pin(child) (pgtable-xen.c:675–679), whose tables hold only the PTEs fork
      // copied (forkCopiedPtes).
      return [
        ptwr(c, cowPtes(s)),
        hc(XEN_MMU_CALL.flushMulti, 1, MMUEXT_OP.SIZE),
        ...pinWalk(c, { ...s, residentPages: forkCopiedPtes(s) }, true),
      ];
    case 'exec':
      // exec_mmap → activate_mm: mm_pin(new) (mmu_context.h:102–107; a fresh mm of one table
      // page) and switch_mm; then mmput(old) → _arch_exit_mmap → mm_unpin(old).
      return [
        ...pinWalk(c, { ...s, residentPages: 0, pageTablePages: 1 }, true),
        newBase,
        ...pinWalk(c, s, false),
      ];
    case 'exit':
      // _arch_exit_mmap (pgtable-xen.c:681–707): switch to init_mm (NEW_BASEPTR), mm_unpin; the
      // zap that follows writes unpinned tables with plain stores (current->mm is NULL by then).
      return [newBase, ...pinWalk(c, s, false)];
    case 'context-switch':
      // switch_mm's NEW_BASEPTR, then __switch_to's multicall (arch/i386/kernel/process-xen.c:517–579):
      // stack_switch always, update_descriptor per TLS entry that differs (the shape says how many),
      // fpu_taskswitch only after FPU use (not modelled).
      return [newBase, hc(XEN_MMU_CALL.switchMulticall, 1, switchMulticallEntries(s) * MULTICALL_ENTRY.SIZE)];
    case 'demand-fault':
      // Bounced fault, then set_pte_at on the current mm: update_va_mapping(va, pte, 0).
      return [hc(XEN_MMU_CALL.fault, 1), hc(XEN_MMU_CALL.uvmPte, 1, 0, 1)];
    case 'cow-fault':
      // Bounced fault; do_wp_page → ptep_establish → ptep_set_access_flags on the current mm:
      // update_va_mapping(va, pte, UVMF_INVLPG|UVMF_MULTI|mask) (pgtable.h:430–440).
      return [hc(XEN_MMU_CALL.fault, 1), hc(XEN_MMU_CALL.uvmInvlpg, 1, 0, 1)];
    case 'munmap':
      // zap_pte_range on the current, pinned mm: ptep_get_and_clear_full(full = 0) → xchg on a
      // pinned table (pgtable.h:268–278, pgtable-2level.h:39), emulated per PTE; then
      // flush_tlb_mm → TLB_FLUSH_MULTI.
      return [ptwr(c, s.pagesPerMunmap), hc(XEN_MMU_CALL.flushMulti, 1, MMUEXT_OP.SIZE)];
  }
}
