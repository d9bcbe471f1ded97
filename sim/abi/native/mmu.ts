/**
 * Page-table work of an unmodified kernel (no paravirtual interface) under a hypervisor that keeps
 * shadow page tables by trap-and-emulate — the baseline the paravirtual interfaces improved on.
 * ASSUMPTIONS (no per-call figures are published for this 2006 baseline): the page tables of the
 * running address space are write-protected, so every store to them traps and is emulated
 * (`exitCycles + pteUpdateCycles`); stores to another address space (the child at fork, before it
 * ever runs) do not trap; a CR3 write, an INVLPG and every guest page fault trap (`exitCycles`).
 */
import type { CostModel } from '../../spec/cost-model.js';
import { cowPtes, type MmuCall, type MmuEvent, type ProcessShape } from '../mmu.js';

export const NATIVE_MMU_CALL = {
  pteWrite: 'PTE write (trapped)',
  cr3: 'MOV CR3 (trapped)',
  invlpg: 'INVLPG (trapped)',
  fault: 'page fault (trapped)',
} as const;

/** The traps of one `event` on an address space of shape `s`. */
export function nativeMmuCalls(event: MmuEvent, s: ProcessShape, c: CostModel): MmuCall[] {
  const trap = (name: string, count: number, extra = 0): MmuCall => ({
    name,
    count,
    cycles: count * (c.exitCycles + extra),
    transitions: count,
    bytes: 0,
  });
  const pteWrites = (n: number) => trap(NATIVE_MMU_CALL.pteWrite, n, c.pteUpdateCycles);
  switch (event) {
    case 'fork':
      // The parent's COW write-protects hit its live (shadowed) tables; a CR3 reload flushes.
      return [pteWrites(cowPtes(s)), trap(NATIVE_MMU_CALL.cr3, 1)];
    case 'exec':
      return [trap(NATIVE_MMU_CALL.cr3, 1), pteWrites(s.residentPages)];
    case 'exit':
      return [pteWrites(s.residentPages), trap(NATIVE_MMU_CALL.cr3, 1)];
    case 'context-switch':
      return [trap(NATIVE_MMU_CALL.cr3, 1)];
    case 'demand-fault':
      return [trap(NATIVE_MMU_CALL.fault, 1), pteWrites(1)];
    case 'cow-fault':
      return [trap(NATIVE_MMU_CALL.fault, 1), pteWrites(1), trap(NATIVE_MMU_CALL.invlpg, 1)];
    case 'munmap':
      return [pteWrites(s.pagesPerMunmap), trap(NATIVE_MMU_CALL.cr3, 1)];
  }
}
