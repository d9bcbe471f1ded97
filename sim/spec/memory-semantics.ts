/**
 * How the hypervisor backs, reclaims and shares guest memory (`host.memorySemantics`): one preset
 * per hypervisor, each a few flags that sim/host/memory.ts and sim/host/host.ts obey. `auto` follows the
 * interface the host offers (sim/abi/registry.ts memorySemanticsOf: VMI → esx, Xen → xen-pv); a
 * guest that refuses VMI and runs native still runs on that ESX host, so the fallback changes
 * nothing here. Any preset may be chosen over any interface as a what-if, except the combinations
 * sim/experiment/expand.ts refuses (memorySemanticsProblem below).
 *
 *  - esx: a page gets a frame when the guest first writes it (lazy backing); past the host's
 *    frames, and in the hard and low free-memory states, the host swaps guest pages at random; page
 *    sharing (TPS) may run; in the low state a guest above its balloon target is blocked (ESX 2002,
 *    reference/memory-balloon.md §1.1, §1.2, §1.5).
 *  - kvm: the same lazy backing, host swap and page sharing (KSM) — a Linux host backs a guest's
 *    pages on first touch and swaps them like any process's — but no ESX state that blocks guests.
 *  - xen-pv: Xen 3.0.4 allocates every page of a PV domain when it builds it (xc_linux_build
 *    populates the whole `memory=` reservation) and never swaps or shares guest memory (paging came
 *    in 4.x, for HVM only). A frame the balloon gives back (decrease_reservation →
 *    guest_remove_page → put_page) returns to Xen's free heap at once; increase_reservation and
 *    populate_physmap allocate one extent after another and stop at the first
 *    __alloc_domheap_pages that fails, returning the extents done (xen/common/memory.c,
 *    3.0.4-branched). So Xen's free memory is exactly
 *      free = H − Σ_g (memory(g) − balloon(g)) − overhead × guests,
 *    and a domain that does not fit is refused when it is built.
 */
import { formatBytes, PAGE_SIZE_BYTES } from '../options/units.js';

export interface MemorySemantics {
  /** As written in `host.memorySemantics`. */
  readonly name: string;
  /** One line for `vmisim list`, the schema and the report's method text. */
  readonly description: string;
  /** True: a guest page holds a frame only once written; false: every page outside the balloon does. */
  readonly lazyBacking: boolean;
  /** The host may swap guest pages to its own disk. */
  readonly hostSwap: boolean;
  /**
   * Which of a guest's pages the host swaps: `random` (ESX: "randomly selects virtual machine
   * pages") or `lru` (a Linux host: guest memory is process memory on its LRU lists, the coldest
   * pages go first); sim/host/memory.ts touch() gives what each costs the guest.
   */
  readonly hostSwapChoice: 'random' | 'lru';
  /** Content-based page sharing (`host.sharing`) may run. */
  readonly pageSharing: boolean;
  /** In the low free-memory state the host blocks a guest above its balloon target (ESX §1.5). */
  readonly blocksInLowState: boolean;
  /**
   * The host's own page cache holds its guests' disk blocks, so refaults it still caches cost a
   * copy, not a disk read (QEMU without cache=none; sim/host/host-page-cache.ts says why ESX and
   * Xen 3.0.4 do not).
   */
  readonly hostPageCache: boolean;
}

export const MEMORY_SEMANTICS = {
  esx: {
    name: 'esx',
    description:
      'VMware ESX: pages backed when first written, random host swapping, page sharing allowed, guests above target blocked in the low state',
    lazyBacking: true,
    hostSwap: true,
    hostSwapChoice: 'random',
    pageSharing: true,
    blocksInLowState: true,
    hostPageCache: false,
  },
  'xen-pv': {
    name: 'xen-pv',
    description:
      'Xen 3.0.4 PV: every page allocated when the domain is built, no host swap, no page sharing; ballooned frames return to Xen’s free pool and reservations stop when it is empty',
    lazyBacking: false,
    hostSwap: false,
    hostSwapChoice: 'random',
    pageSharing: false,
    blocksInLowState: false,
    hostPageCache: false,
  },
  kvm: {
    name: 'kvm',
    description:
      'KVM: pages backed when first written, host swapping of the coldest pages (Linux LRU), KSM page sharing allowed, guests’ disk reads cached in the host’s free memory',
    lazyBacking: true,
    hostSwap: true,
    hostSwapChoice: 'lru',
    pageSharing: true,
    blocksInLowState: false,
    hostPageCache: true,
  },
} as const satisfies Record<string, MemorySemantics>;

/** `host.memorySemantics: auto`: the preset the offered interface declares. */
export const AUTO_MEMORY_SEMANTICS = 'auto';

export type MemorySemanticsName = keyof typeof MEMORY_SEMANTICS;

export function memorySemanticsNames(): MemorySemanticsName[] {
  return Object.keys(MEMORY_SEMANTICS) as MemorySemanticsName[];
}

/** The preset registered as `name`; throws for a name validation rules out. */
export function memorySemanticsNamed(name: string): MemorySemantics {
  if (!Object.hasOwn(MEMORY_SEMANTICS, name)) throw new Error(`unknown host memory semantics '${name}'`);
  return MEMORY_SEMANTICS[name as MemorySemanticsName];
}

/** What a host's memory semantics is checked against: the host and its guests as built. */
export interface SemanticsCheckInput {
  semantics: MemorySemantics;
  /** The interface offered, by name, and the preset it declares. */
  abi: string;
  abiSemantics: string;
  hostMemoryBytes: number;
  guestOverheadBytes: number;
  sharingScanRate: number;
  /** host.storage.hostPageCache as written. */
  hostPageCache: HostPageCacheChoice;
  /** Per guest: the memory it is built with (its `balloon.start`, else its memory). */
  guestStartBytes: readonly number[];
}

/** host.storage.hostPageCache: `auto` follows the semantics (on for kvm), `on` needs kvm. */
export const HOST_PAGE_CACHE_CHOICES = ['auto', 'on', 'off'] as const;
export type HostPageCacheChoice = (typeof HOST_PAGE_CACHE_CHOICES)[number];

/** Whether the host caches guests' disk blocks, `auto` resolved. */
export function hostPageCacheOn(choice: HostPageCacheChoice, s: MemorySemantics): boolean {
  return choice === 'auto' ? s.hostPageCache : choice === 'on';
}

/** A refused combination: the field to point at and why, naming the numbers. */
export interface SemanticsProblem {
  path: (string | number)[];
  problem: string;
}

/**
 * Why a host with these semantics cannot be built as configured, or undefined. Refused:
 *  - page sharing on a host that has none (xen-pv);
 *  - a host page cache for guest disks (host.storage.hostPageCache on) on esx or xen-pv;
 *  - Xen PV semantics under another interface: only a Xen guest's balloon driver asks the
 *    hypervisor for frames (populate_physmap) and takes no for an answer; a VMI guest's driver
 *    would be handed frames Xen does not have;
 *  - on a host without lazy backing, guests whose built memory and overhead exceed the host: Xen
 *    refuses to build the domain that does not fit (its allocation fails), so the experiment is
 *    refused, with the sum.
 */
export function memorySemanticsProblem(c: SemanticsCheckInput): SemanticsProblem | undefined {
  const s = c.semantics;
  if (!s.pageSharing && c.sharingScanRate > 0)
    return {
      path: ['host', 'sharing', 'scanRate'],
      problem: `host memory semantics ${s.name} has no page sharing (Xen 3.0.4 never shares PV guest pages); set sharing.scanRate to 0 or choose memorySemantics esx or kvm`,
    };
  if (c.hostPageCache === 'on' && !s.hostPageCache)
    return {
      path: ['host', 'storage', 'hostPageCache'],
      problem: `host memory semantics ${s.name} has no host page cache for guest disks (ESX's VMFS and Xen 3.0.4's blkback bypass it); set hostPageCache to auto or off, or choose memorySemantics kvm`,
    };
  if (!s.lazyBacking && !s.hostSwap && c.abiSemantics !== s.name)
    return {
      path: ['host', 'memorySemantics'],
      problem: `host memory semantics ${s.name} needs host.abi xen (its balloon driver asks Xen for frames and stops when none are free); host.abi is ${c.abi}`,
    };
  if (!s.lazyBacking) {
    // In whole pages, as the host counts them (sim/host/run.ts).
    const n = c.guestStartBytes.length;
    const guestPages = c.guestStartBytes.reduce((a, b) => a + Math.floor(b / PAGE_SIZE_BYTES), 0);
    const overheadPages = Math.ceil(c.guestOverheadBytes / PAGE_SIZE_BYTES);
    const needPages = guestPages + n * overheadPages;
    if (needPages > Math.floor(c.hostMemoryBytes / PAGE_SIZE_BYTES)) {
      const b = (pages: number) => formatBytes(pages * PAGE_SIZE_BYTES);
      return {
        path: ['host', 'memory'],
        problem: `a ${s.name} host allocates every guest page when it builds the domain and never swaps, so expected host.memory of at least ${b(needPages)} (the ${n} guest(s) are built with ${b(guestPages)}, plus ${n} × ${b(overheadPages)} overhead); Xen would refuse to build the domain that does not fit. Start guests smaller (guests[].balloon.start), give the host more memory, or choose memorySemantics esx or kvm`,
      };
    }
  }
  return undefined;
}
