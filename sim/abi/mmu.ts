/**
 * The page-table work of a guest's processes, as the guest kernel hands it to its interface
 * (ParavirtOps.mmu). Each interface turns one event into the calls its 2006 kernel made:
 * sim/abi/vmi/mmu.ts (Linux 2.6.21 paravirt_ops over the VMI ROM), sim/abi/xen/mmu.ts (XenLinux
 * 3.0.4), sim/abi/native/mmu.ts (an unmodified kernel under shadow paging). What an event touches
 * is given by the process's shape (how many PTEs it has mapped, how many of them are private and
 * writable, how many page-table pages hold them) — workloads/process-activity.ts says where those
 * numbers come from.
 *
 * A sequence is data (MmuCall[]): what is called, how often, what it costs and how many times the
 * guest left for the hypervisor, so the conformance suite can check each one against the kernels'
 * sources and the host charges it as one line per call name.
 */
import type { HypervisorServices } from './types.js';

/** What a guest process did that changes page tables. */
export type MmuEvent =
  /** fork(): the child's page tables are copied, the parent's private writable PTEs write-protected (COW). */
  | 'fork'
  /** execve(): the old address space is torn down, a fresh one built and switched to. */
  | 'exec'
  /** exit(): the address space is torn down and its page-table pages freed. */
  | 'exit'
  /** A switch between two processes with different address spaces (the page-table base changes). */
  | 'context-switch'
  /** A fault on a page never mapped (anonymous demand-zero, or a file page in the cache): one new PTE. */
  | 'demand-fault'
  /** A write to a COW-shared page: a new private copy, the PTE replaced and its TLB entry dropped. */
  | 'cow-fault'
  /** munmap() of a region: its PTEs cleared and the TLB flushed. */
  | 'munmap';

export const MMU_EVENTS: readonly MmuEvent[] = [
  'fork',
  'exec',
  'exit',
  'context-switch',
  'demand-fault',
  'cow-fault',
  'munmap',
];

/** The address space an event acts on. */
export interface ProcessShape {
  /** PTEs present in the process (copied at fork, cleared at exit). */
  residentPages: number;
  /** Share of them in private writable mappings: write-protected at fork for copy-on-write. */
  writableShare: number;
  /** User page-table pages (L1) holding them. */
  pageTablePages: number;
  /** PTEs one munmap clears. */
  pagesPerMunmap: number;
}

/** One kind of call in a sequence: `count` calls of `name`, `cycles` in all. */
export interface MmuCall {
  /** How the statistics name it: the interface's own call name, with its argument where it matters. */
  name: string;
  count: number;
  cycles: number;
  /** Times the guest left for the hypervisor (traps, exits, hypercalls) among them. */
  transitions: number;
  /** Bytes of guest memory the hypervisor copied in (argument arrays: mmu_update, mmuext_op, multicall). */
  bytes: number;
}

/** The PTEs write-protected at fork: the private writable share of the resident ones, whole. */
export function cowPtes(s: ProcessShape): number {
  return Math.round(s.residentPages * s.writableShare);
}

/** Scales a one-event sequence to `n` events. */
export function times(calls: readonly MmuCall[], n: number): MmuCall[] {
  return calls.map((c) => ({
    ...c,
    count: c.count * n,
    cycles: c.cycles * n,
    transitions: c.transitions * n,
    bytes: c.bytes * n,
  }));
}

/** Charges a sequence to `vcpu` of `guest`, one line per call kind; calls with count 0 are left out. */
export function chargeMmu(
  hv: HypervisorServices,
  guest: number,
  vcpu: number,
  calls: readonly MmuCall[],
): void {
  for (const c of calls) {
    if (c.count <= 0) continue;
    hv.chargeCall(guest, vcpu, c.name, c.count, c.cycles, {
      transitions: c.transitions,
      bytes: c.bytes,
      path: 'mmu',
    });
  }
}
