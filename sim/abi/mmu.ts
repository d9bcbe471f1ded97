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
import type { CallEffects, HypervisorServices } from './types.js';
import { callCharger, type CallCharger } from './call-ids.js';

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

/**
 * Flushes of the *current* mm's TLB entries on every CPU that may hold them, per event (Linux
 * 2.6.21 i386, arch/i386/kernel/smp.c flush_tlb_mm → flush_tlb_others when cpu_vm_mask has other
 * CPUs than this one):
 *  - fork: dup_mmap ends with flush_tlb_mm(oldmm) after copy_pte_range write-protected the
 *    parent's private writable PTEs (kernel/fork.c);
 *  - munmap: unmap_region → tlb_finish_mmu → tlb_flush → flush_tlb_mm (include/asm-i386/tlb.h;
 *    flush_tlb_range is flush_tlb_mm on i386, include/asm-i386/tlbflush.h).
 * None for exec and exit: the mm torn down there is no longer the current one of any other CPU
 * (exec_mmap switched away from it; exit_mmap runs on the last user), and a CPU still holding it
 * lazily drops it on its next switch. None for faults: a COW fault happens in a freshly forked
 * child, whose mm no other CPU has loaded (flush_tlb_page stays local). These counts are where the
 * guest's shootdowns come from (sim/guest/guest.ts); each interface's sequence above already holds
 * the flush's own call (VMI FlushTLB, Xen mmuext_op(TLB_FLUSH_MULTI)).
 */
export const CROSS_CPU_FLUSHES: Readonly<Record<MmuEvent, number>> = {
  fork: 1,
  exec: 0,
  exit: 0,
  'context-switch': 0,
  'demand-fault': 0,
  'cow-fault': 0,
  munmap: 1,
};

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
  /**
   * GDT TLS entries that differ between the processes a switch goes between, 0–3: only those are
   * rewritten (2.6.21 vmi_maybe_load_tls; XenLinux's __switch_to queues one update_descriptor per
   * differing entry). A process and its fork share their TLS descriptors (fork copies tls_array).
   */
  tlsEntriesChangedPerSwitch: number;
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

/**
 * The PTEs fork copies into the child: only those of mappings with an anon_vma. Since 2.6.14
 * copy_page_range returns at once for a vma without one ("Don't copy ptes where a page fault will
 * fill them correctly", mm/memory.c in 2.6.20 lines 594–603; the same test in 2.6.16, XenLinux
 * 3.0.4's base): shared and read-only file mappings (text, ld.so, libc's code) are refaulted by
 * the child instead. The vmas with an anon_vma are the private writable ones that were written, so
 * the copied PTEs are taken as the private writable share (an approximation: such a vma can also
 * hold file pages not yet copied on write).
 */
export function forkCopiedPtes(s: ProcessShape): number {
  return cowPtes(s);
}

/** One event's sequence with its call names resolved to ids, and the effects of one event per call. */
interface ResolvedSequence {
  readonly calls: readonly MmuCall[];
  readonly ids: Int32Array;
  readonly one: readonly CallEffects[];
}

/**
 * Charges page-table events to the vCPUs of guest `guest`, one line per call kind; calls with
 * count 0 are left out. `n` events of a sequence are its counts, cycles, transitions and bytes
 * each × n. A sequence depends only on the event, the process's shape and the interface's cost
 * model (fixed per interface instance), so for a frozen shape (a workload's ProcessActivity) each
 * event's is built once, its names resolved to ids once (sim/abi/call-ids.ts), and the effects of
 * a single event made once: a burst's events then charge without building anything but the
 * effects of a batch of more than one. A shape that is not frozen is built for each charge.
 */
export class MmuCharger {
  private readonly c: CallCharger;
  /** The frozen shape the sequences were built for. */
  private shape: ProcessShape | undefined;
  private readonly sequences = new Map<MmuEvent, ResolvedSequence>();

  constructor(
    hv: HypervisorServices,
    private readonly guest: number,
    private readonly build: (event: MmuEvent, shape: ProcessShape) => readonly MmuCall[],
  ) {
    this.c = callCharger(hv);
  }

  charge(vcpu: number, event: MmuEvent, n: number, shape: ProcessShape): void {
    if (shape !== this.shape) {
      this.sequences.clear();
      this.shape = Object.isFrozen(shape) ? shape : undefined;
    }
    let seq = this.shape === undefined ? undefined : this.sequences.get(event);
    if (seq === undefined) {
      seq = this.resolve(this.build(event, shape));
      if (this.shape !== undefined) this.sequences.set(event, seq);
    }
    const { calls, ids, one } = seq;
    for (let i = 0; i < calls.length; i++) {
      const k = calls[i]!;
      const count = k.count * n;
      if (count <= 0) continue;
      const effects =
        n === 1 ? one[i]! : { transitions: k.transitions * n, bytes: k.bytes * n, path: 'mmu' as const };
      this.c.charge(this.guest, vcpu, ids[i]!, count, k.cycles * n, effects);
    }
  }

  private resolve(calls: readonly MmuCall[]): ResolvedSequence {
    return {
      calls,
      ids: Int32Array.from(calls, (k) => this.c.id(k.name)),
      one: calls.map((k) =>
        Object.freeze({ transitions: k.transitions, bytes: k.bytes, path: 'mmu' as const }),
      ),
    };
  }
}
