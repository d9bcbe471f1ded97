/**
 * Page-table work over VMI: the ROM calls Linux 2.6.21's paravirt_ops MMU hooks make
 * (arch/i386/kernel/vmi.c, activate_vmi: set_pte/set_pte_at → SetPxE, pte_update(_defer) →
 * UpdatePxE, alloc_pt/alloc_pd_clone → AllocatePage, release_pt/pd → ReleasePage, write_cr3 →
 * SetCR3, flush_tlb_user → FlushTLB(VMI_FLUSH_TLB), flush_tlb_single → InvalPage, set_lazy_mode
 * → SetLazyMode, load_esp0 → UpdateKernelStack, load_tls → WriteGDTEntry when an entry differs).
 * Flag values from include/asm-i386/vmi.h (the 2.6.21 header, "MMU operation flags").
 *
 * Every VMI call is a near call into the ROM (reference/time-cpu-abi.md §1.3), `vmiCallCycles`.
 * The ROM is VMware's and its source was never published, so which calls leave the guest is a
 * MODELLING CHOICE, stated here so it can be argued with (issue item 5):
 *  - a PTE update is kept in the monitor's shadow page tables, which the monitor (mapped in the
 *    guest's address space, vmi.c reserve_top_address) updates without a world switch:
 *    `vmiCallCycles + pteUpdateCycles`, for updates to the current address space
 *    (VMI_PAGE_CURRENT_AS); updates to another address space (the child at fork) only write the
 *    guest's table and are shadowed later, `vmiCallCycles`;
 *  - in lazy MMU mode (SetLazyMode(VMI_LAZY_MMU), which 2.6.21's copy_pte_range and
 *    zap_pte_range enter) and with VMI_PAGE_DEFER ("may queue update until TLB inval", vmi.h) the
 *    ROM queues updates; leaving lazy mode hands the queue over in one exit (`exitCycles`);
 *  - SetCR3 and FlushTLB change the whole shadow context and leave the guest (`exitCycles`);
 *    InvalPage drops one shadow entry in the ROM (`vmiCallCycles + pteUpdateCycles`);
 *  - a guest page fault lands in the monitor first (the hardware IDT is the VMM's) and is
 *    reflected into the guest: one exit per fault, `exitCycles` — no ROM call (the guest made
 *    none), so with a native ROM, where nothing exits, a fault costs what it costs natively;
 *  - AllocatePage/ReleasePage register or drop a page-table page with the monitor: a ROM call
 *    plus `pageCycles`.
 */
import type { CostModel } from '../../spec/cost-model.js';
import { cowPtes, forkCopiedPtes, type MmuCall, type MmuEvent, type ProcessShape } from '../mmu.js';
import { VMI_CALL } from './constants.js';

/** include/asm-i386/vmi.h (2.6.21), "Flags shared by Allocate|Release Page and PTE updates". */
export const VMI_PAGE_PT = 0x01;
export const VMI_PAGE_PD = 0x02;
export const VMI_PAGE_PDP = 0x04;
export const VMI_PAGE_PML4 = 0x08;
/** Same header, "Flags used by VMI_{Allocate|Release}Page call". */
export const VMI_PAGE_PAE = 0x10;
export const VMI_PAGE_CLONE = 0x20;
export const VMI_PAGE_ZEROED = 0x40;
export const VMI_PAGE_NORMAL = 0x00;
/** Same header, non-PAE: VMI_PAGE_L1 = PT | ZEROED, VMI_PAGE_L2 = PD | ZEROED. */
export const VMI_PAGE_L1 = VMI_PAGE_PT | VMI_PAGE_ZEROED;
export const VMI_PAGE_L2 = VMI_PAGE_PD | VMI_PAGE_ZEROED;
/** Same header, "Flags used by PTE updates". */
export const VMI_PAGE_CURRENT_AS = 0x10;
export const VMI_PAGE_DEFER = 0x20;
export const VMI_PAGE_VA_MASK = 0xfffff000;
/** Same header, "Flags used by VMI_FlushTLB call". */
export const VMI_FLUSH_TLB = 0x01;
export const VMI_FLUSH_GLOBAL = 0x02;
/**
 * SetLazyMode's argument: vmi_set_lazy_mode passes paravirt's mode through (PARAVIRT_LAZY_NONE 0,
 * PARAVIRT_LAZY_MMU 1, include/asm-i386/paravirt.h in 2.6.21; the later vmi.h names the same values
 * VMI_LAZY_MODE_OFF 0x00 and VMI_LAZY_MMU_UPDATES 0x01).
 */
export const VMI_LAZY_OFF = 0;
export const VMI_LAZY_MMU = 1;

/**
 * The flags vmi_set_pte_at / vmi_update_pte pass for a PTE at `va` (vmi.c vmi_flags_addr): the
 * level, and for the current address space CURRENT_AS with the page's address; `defer` adds
 * VMI_PAGE_DEFER (vmi_flags_addr_defer, pte_update_defer).
 */
export function vmiPteFlags(va: number, currentAs: boolean, defer = false): number {
  if (!currentAs) return VMI_PAGE_PT;
  return (VMI_PAGE_PT | VMI_PAGE_CURRENT_AS | (defer ? VMI_PAGE_DEFER : 0) | (va & VMI_PAGE_VA_MASK)) >>> 0;
}

/** The name a call is counted under, with its argument where two uses must be told apart. */
export const VMI_MMU_CALL = {
  setPxeCurrent: 'SetPxE(CURRENT_AS)',
  setPxeOther: 'SetPxE(other AS)',
  updatePxe: 'UpdatePxE(CURRENT_AS)',
  allocL1: 'AllocatePage(L1)',
  allocL2Clone: 'AllocatePage(L2|CLONE)',
  releaseL1: 'ReleasePage(L1)',
  releaseL2: 'ReleasePage(L2)',
  lazyOn: 'SetLazyMode(MMU)',
  lazyOff: 'SetLazyMode(OFF) flush',
  setCr3: 'SetCR3',
  flushTlb: 'FlushTLB(VMI_FLUSH_TLB)',
  invalPage: 'InvalPage',
  kernelStack: 'UpdateKernelStack',
  tls: 'WriteGDTEntry(TLS)',
  fault: 'page fault (reflected)',
} as const;

/** The VMI call number behind each counted name (for the conformance suite). */
export const VMI_MMU_CALL_NUMBER: Record<string, number> = {
  [VMI_MMU_CALL.setPxeCurrent]: VMI_CALL.SetPxE,
  [VMI_MMU_CALL.setPxeOther]: VMI_CALL.SetPxE,
  [VMI_MMU_CALL.updatePxe]: VMI_CALL.UpdatePxE,
  [VMI_MMU_CALL.allocL1]: VMI_CALL.AllocatePage,
  [VMI_MMU_CALL.allocL2Clone]: VMI_CALL.AllocatePage,
  [VMI_MMU_CALL.releaseL1]: VMI_CALL.ReleasePage,
  [VMI_MMU_CALL.releaseL2]: VMI_CALL.ReleasePage,
  [VMI_MMU_CALL.lazyOn]: VMI_CALL.SetLazyMode,
  [VMI_MMU_CALL.lazyOff]: VMI_CALL.SetLazyMode,
  [VMI_MMU_CALL.setCr3]: VMI_CALL.SetCR3,
  [VMI_MMU_CALL.flushTlb]: VMI_CALL.FlushTLB,
  [VMI_MMU_CALL.invalPage]: VMI_CALL.InvalPage,
  [VMI_MMU_CALL.kernelStack]: VMI_CALL.UpdateKernelStack,
  [VMI_MMU_CALL.tls]: VMI_CALL.WriteGDTEntry,
};

/** Builds the call list with the prices above. */
function pricer(c: CostModel) {
  const rom = (name: string, count: number, extra = 0): MmuCall => ({
    name,
    count,
    cycles: count * (c.vmiCallCycles + extra),
    transitions: 0,
    bytes: 0,
  });
  const exit = (name: string, count: number, extra = 0): MmuCall => ({
    name,
    count,
    cycles: count * (c.vmiCallCycles + c.exitCycles) + extra,
    transitions: count,
    bytes: 0,
  });
  /** An exit the guest did not call for (a fault the monitor reflects). */
  const reflect = (name: string, count: number): MmuCall => ({
    name,
    count,
    cycles: count * c.exitCycles,
    transitions: count,
    bytes: 0,
  });
  return { rom, exit, reflect };
}

/**
 * One lazy-MMU section: SetLazyMode(MMU), the queued updates, SetLazyMode(OFF). Handing the queue
 * over is one exit, and the monitor then applies each queued current-AS update (`pteUpdateCycles`).
 */
function lazySection(c: CostModel, queuedCurrentAs: number): MmuCall[] {
  const { rom, exit } = pricer(c);
  return [rom(VMI_MMU_CALL.lazyOn, 1), exit(VMI_MMU_CALL.lazyOff, 1, queuedCurrentAs * c.pteUpdateCycles)];
}

/** Tearing an address space down (exit_mmap): zap in lazy mode, flush, release its tables. */
function teardown(c: CostModel, s: ProcessShape): MmuCall[] {
  const { rom, exit } = pricer(c);
  return [
    // zap_pte_range: ptep_get_and_clear_full → pte_update on the still-active mm (CURRENT_AS), queued.
    rom(VMI_MMU_CALL.updatePxe, s.residentPages),
    ...lazySection(c, s.residentPages),
    exit(VMI_MMU_CALL.flushTlb, 1),
    rom(VMI_MMU_CALL.releaseL1, s.pageTablePages, c.pageCycles),
    rom(VMI_MMU_CALL.releaseL2, 1, c.pageCycles),
  ];
}

/** The switch to another process's address space (context_switch → switch_mm, __switch_to). */
function switchTo(c: CostModel, s: ProcessShape): MmuCall[] {
  const { rom, exit } = pricer(c);
  // load_cr3 → SetCR3; load_esp0 → UpdateKernelStack; load_tls → vmi_maybe_load_tls, a
  // WriteGDTEntry per TLS entry that differs (the shape says how many).
  return [
    exit(VMI_MMU_CALL.setCr3, 1),
    rom(VMI_MMU_CALL.kernelStack, 1),
    rom(VMI_MMU_CALL.tls, s.tlsEntriesChangedPerSwitch),
  ];
}

/** The ROM calls of one `event` on an address space of shape `s`. */
export function vmiMmuCalls(event: MmuEvent, s: ProcessShape, c: CostModel): MmuCall[] {
  const { rom, exit, reflect } = pricer(c);
  switch (event) {
    case 'fork': {
      // dup_mmap: pgd_alloc → alloc_pd_clone (AllocatePage(L2|CLONE)); per new table alloc_pt;
      // copy_pte_range in lazy mode, for the mappings fork copies (forkCopiedPtes): the child's
      // PTEs with set_pte_at on another AS (SetPxE, no CURRENT_AS), the parent's private writable
      // ones write-protected (ptep_set_wrprotect → pte_update, CURRENT_AS, queued); then
      // flush_tlb_mm(parent) (FlushTLB).
      const cow = cowPtes(s);
      return [
        rom(VMI_MMU_CALL.allocL2Clone, 1, c.pageCycles),
        rom(VMI_MMU_CALL.allocL1, s.pageTablePages, c.pageCycles),
        rom(VMI_MMU_CALL.setPxeOther, forkCopiedPtes(s)),
        rom(VMI_MMU_CALL.updatePxe, cow),
        ...lazySection(c, cow),
        exit(VMI_MMU_CALL.flushTlb, 1),
      ];
    }
    case 'exec':
      // exec_mmap: a fresh mm (AllocatePage(L2|CLONE)), switched to (SetCR3), then the old one
      // torn down; the new image's pages arrive later as demand faults.
      return [
        rom(VMI_MMU_CALL.allocL2Clone, 1, c.pageCycles),
        exit(VMI_MMU_CALL.setCr3, 1),
        ...teardown(c, s),
      ];
    case 'exit':
      return teardown(c, s);
    case 'context-switch':
      return switchTo(c, s);
    case 'demand-fault':
      // The fault is reflected by the monitor; do_anonymous_page → set_pte_at(current mm) → SetPxE.
      return [reflect(VMI_MMU_CALL.fault, 1), rom(VMI_MMU_CALL.setPxeCurrent, 1, c.pteUpdateCycles)];
    case 'cow-fault':
      // Reflected fault; do_wp_page: ptep_clear_flush (UpdatePxE + InvalPage), set_pte_at (SetPxE).
      return [
        reflect(VMI_MMU_CALL.fault, 1),
        rom(VMI_MMU_CALL.updatePxe, 1, c.pteUpdateCycles),
        rom(VMI_MMU_CALL.invalPage, 1, c.pteUpdateCycles),
        rom(VMI_MMU_CALL.setPxeCurrent, 1, c.pteUpdateCycles),
      ];
    case 'munmap':
      // unmap_region: zap_pte_range in lazy mode (UpdatePxE per PTE, queued), flush_tlb_range →
      // flush_tlb_mm on i386 (FlushTLB).
      return [
        rom(VMI_MMU_CALL.updatePxe, s.pagesPerMunmap),
        ...lazySection(c, s.pagesPerMunmap),
        exit(VMI_MMU_CALL.flushTlb, 1),
      ];
  }
}
