/**
 * The i386 guest kernel's lowmem: the zone it maps directly, and the kernel structures that must
 * live there and grow with the guest's memory. Pure arithmetic, shared by the experiment loader
 * (which refuses a guest whose structures do not fit) and the guest model (which charges them).
 *
 * Zone size (Linux 2.6.20 include/asm-i386/page.h:124, arch/i386/mm/init.c:46,
 * arch/i386/mm/pgtable.c:171-179):
 *   MAXMEM = 4 GiB − PAGE_OFFSET − __VMALLOC_RESERVE = 1 GiB − 128 MiB = 896 MiB,
 * and reserve_top_address(hole), which a hypervisor calls to keep the top of the address space
 * for itself, adds the hole to __VMALLOC_RESERVE: lowmem = 896 MiB − hole. Holes: Xen 3.0.4 64 MiB
 * without PAE, 168 MiB with (HYPERVISOR_VIRT_START 0xFC000000 / 0xF5800000; reference
 * fidelity-review.md M18); VMI: 4 GiB − the ROM's virtual_top (vmi.c `reserve_top_address(
 * -vmi_rom->virtual_top)`, reference time-cpu-abi.md §2). The zone is the smaller of that and
 * the guest's memory.
 *
 * Structures sized at boot:
 *  - mem_map: one struct page per physical page, 32 B on i386 (Linux 2.6.20
 *    include/linux/mm_types.h:18-66: flags, _count, _mapcount, private, mapping, index 4 B each,
 *    lru 8 B; no `virtual` field, i386 does not define WANT_PAGE_VIRTUAL), allocated from
 *    bootmem in lowmem (mm/page_alloc.c:2700-2723 alloc_node_mem_map). 256 MiB → 2 MiB;
 *    64 GiB → 512 MiB.
 *  - the dentry and inode hash tables: alloc_large_system_hash (mm/page_alloc.c:3309-3345) with
 *    one 4-byte bucket per 2^13 (dentry, fs/dcache.c:2033) and 2^14 (inode, fs/inode.c:1381)
 *    bytes of lowmem, rounded up to a power of two: 256 MiB of lowmem → 128 KiB + 64 KiB.
 * Structures that grow with the working set:
 *  - page tables: one PTE page maps 1024 pages (4-byte entries, pgtable-2level-defs.h:16) or 512
 *    with PAE (8-byte entries, pgtable-3level-defs.h:20); PAE adds a page-middle directory of 4
 *    pages per process (its 32-byte PGD is slab), non-PAE a one-page PGD. One process holds the
 *    workload's anonymous demand (resident or swapped: a swapped page keeps its PTE, holding the
 *    swap entry). PTE pages are in lowmem: CONFIG_HIGHPTE (arch/i386/Kconfig:630) is off by
 *    default, and the model assumes it off.
 * Other per-page structures of 2.6.21 (page_cgroup, page_ext) came later; swap_map is in vmalloc
 * space and not charged.
 */

import { PAGE_SIZE_BYTES } from '../options/units.js';

const MiB = 1024 * 1024;
/** Kernel virtual space above PAGE_OFFSET (3G/1G split) less __VMALLOC_RESERVE's 128 MiB. */
export const LOWMEM_MAX_BYTES = 1024 * MiB - 128 * MiB;
/** sizeof(struct page) on i386, Linux 2.6.20–21. */
export const STRUCT_PAGE_BYTES = 32;
const HASH_BUCKET_BYTES = 4; // sizeof(struct hlist_head)
const DENTRY_HASH_SCALE = 13;
const INODE_HASH_SCALE = 14;

/** The lowmem zone of a guest with `memoryBytes` whose hypervisor keeps `holeBytes` at the top, bytes. */
export function lowmemZoneBytes(memoryBytes: number, holeBytes: number): number {
  return Math.min(memoryBytes, LOWMEM_MAX_BYTES - holeBytes);
}

function roundUpPow2(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}

/** A boot hash of one bucket per 2^scale bytes of lowmem (at least one page), bytes. */
function bootHashBytes(lowmemBytes: number, scale: number): number {
  const mb = Math.ceil(lowmemBytes / MiB) * MiB; // nr_kernel_pages rounded up to a MiB
  const entries = roundUpPow2(Math.max(PAGE_SIZE_BYTES / HASH_BUCKET_BYTES, mb / 2 ** scale));
  return entries * HASH_BUCKET_BYTES;
}

/**
 * Lowmem the kernel allocates at boot for a guest of `memoryBytes` with a lowmem zone of
 * `lowmemBytes`: mem_map and the dentry and inode hashes, bytes. 256 MiB: 2 MiB + 128 KiB + 64 KiB.
 */
export function bootStructuresBytes(memoryBytes: number, lowmemBytes: number): number {
  const memMap = Math.floor(memoryBytes / PAGE_SIZE_BYTES) * STRUCT_PAGE_BYTES;
  return (
    memMap + bootHashBytes(lowmemBytes, DENTRY_HASH_SCALE) + bootHashBytes(lowmemBytes, INODE_HASH_SCALE)
  );
}

/** Page-table pages for one process mapping `demandPages` pages: PTE pages plus the directories. */
export function pageTablePages(demandPages: number, pae: boolean): number {
  if (demandPages <= 0) return 0;
  const perPte = pae ? 512 : 1024;
  return Math.ceil(demandPages / perPte) + (pae ? 4 : 1);
}
