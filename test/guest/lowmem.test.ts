// i386 lowmem: the zone after the hypervisor's hole, the structures a guest kernel sizes with its
// memory at boot, the page tables of its working set, and what happens when lowmem runs out while
// highmem is free. Expected numbers are worked by hand in the comments.
import { describe, expect, it } from 'vitest';
import { bootStructuresBytes, lowmemZoneBytes, pageTablePages } from '../../sim/guest/lowmem.js';
import { GuestMemory } from '../../sim/guest/memory.js';
import { spec } from '../helpers/experiment.js';
import { simulate } from '../../sim/host/run.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('lowmem arithmetic', () => {
  it('the zone is 896 MiB less the hole, at most the memory', () => {
    expect(lowmemZoneBytes(4 * GiB, 0)).toBe(896 * MiB);
    expect(lowmemZoneBytes(4 * GiB, 64 * MiB)).toBe(832 * MiB); // Xen 3.0.4 without PAE
    expect(lowmemZoneBytes(64 * GiB, 168 * MiB)).toBe(728 * MiB); // Xen 3.0.4 with PAE
    expect(lowmemZoneBytes(256 * MiB, 64 * MiB)).toBe(256 * MiB);
  });

  it('mem_map is 32 B per page; the dentry and inode hashes one 4-byte bucket per 8 and 16 KiB of lowmem', () => {
    // 256 MiB: 65,536 pages × 32 B = 2 MiB; 256 MiB / 8 KiB = 32,768 buckets = 128 KiB; / 16 KiB =
    // 16,384 buckets = 64 KiB.
    expect(bootStructuresBytes(256 * MiB, 256 * MiB)).toBe(2 * MiB + 128 * 1024 + 64 * 1024);
    // 64 GiB with 728 MiB of lowmem: 16 Mi pages × 32 B = 512 MiB of mem_map; 728 MiB / 8 KiB =
    // 93,184 → 2^17 buckets = 512 KiB; / 16 KiB = 46,592 → 2^16 = 256 KiB.
    expect(bootStructuresBytes(64 * GiB, 728 * MiB)).toBe(512 * MiB + 512 * 1024 + 256 * 1024);
  });

  it('page tables: one PTE page per 1024 pages (512 with PAE) and the directories', () => {
    expect(pageTablePages(0, false)).toBe(0);
    expect(pageTablePages(1, false)).toBe(2); // one PTE page, one PGD page
    expect(pageTablePages(1025, false)).toBe(3);
    expect(pageTablePages(1024, true)).toBe(2 + 4); // two PTE pages, four PMD pages
  });
});

describe('a guest kernel whose lowmem runs out', () => {
  it('refuses the demand whose page tables do not fit in lowmem, though highmem is free', () => {
    // 100,000 pages, a 2,000-page lowmem zone of which the reserve holds 1,990: 10 pages for page
    // tables, 1 for the directory and 9 PTE pages mapping 9 × 1024 = 9,216 pages. A demand of
    // 50,000 pages (far below the 98,000 free) gets 9,216; 40,784 are refused.
    const m = new GuestMemory({
      totalPages: 100_000,
      reservedPages: 1990,
      minFreePages: 100,
      swapTotalPages: 100_000,
      lowmemPages: 2000,
    });
    m.setDemand(50_000, 0);
    expect(m.anonPages).toBe(9216);
    expect(m.pageTablePages).toBe(10);
    expect(m.lowmemOomPages).toBe(40_784);
    expect(m.oomEvents).toBe(1);
    expect(m.kernelLowmemPages).toBe(2000);
    expect(m.freePages).toBe(100_000 - 1990 - 10 - 9216);
    m.check('g');
  });

  it('with room in lowmem the same demand is met in full, page tables and all', () => {
    // Lowmem 896 MiB: 50,000 pages need ⌈50,000/1024⌉ + 1 = 50 page-table pages.
    const m = new GuestMemory({
      totalPages: 100_000,
      reservedPages: 1990,
      minFreePages: 100,
      swapTotalPages: 0,
    });
    m.setDemand(50_000, 0);
    expect([m.anonPages, m.pageTablePages, m.lowmemOomPages]).toEqual([50_000, 50, 0]);
    // Released demand frees its page tables.
    m.setDemand(1000, 0);
    expect([m.anonPages, m.pageTablePages]).toEqual([1000, 2]);
    m.check('g');
  });
});

describe('kernel structures in a run specification', () => {
  const yaml = (abi: string, memory: string, pae: boolean) => `
name: t
duration: 1s
host: { pcpus: 1, memory: 128GiB, abi: ${abi} }
guests:
  - { name: g, memory: ${memory}, pae: ${pae}, workload: { type: idle } }
`;

  it('a 64 GiB PAE Xen guest with a 64 MiB reserve boots, and pays 512 MiB of its 728 MiB lowmem for mem_map', () => {
    const g = spec(yaml('xen', '64GiB', true)).guests[0]!;
    expect(g.lowmem).toEqual({
      zoneBytes: 728 * MiB,
      pae: true,
      bootStructuresBytes: 512 * MiB + 768 * 1024,
    });
  });

  it('a larger guest carries a larger mem_map: the ballooned guest of the validation row', () => {
    const small = spec(yaml('vmi', '256MiB', false)).guests[0]!.lowmem.bootStructuresBytes;
    const big = spec(yaml('vmi', '512MiB', false)).guests[0]!.lowmem.bootStructuresBytes;
    // 2 MiB + 192 KiB against 4 MiB + 384 KiB.
    expect(big - small).toBe(2 * MiB + 192 * 1024);
  });
});

describe('a run whose guest kernel fills its lowmem', () => {
  it('refuses the demand its page tables cannot map, with highmem free, and reports it', () => {
    // A 4 GiB Xen guest without PAE: lowmem 896 − 64 = 832 MiB; mem_map 1 Mi pages × 32 B =
    // 32 MiB, hashes 0.75 MiB, reserve 797 MiB: 829.75 MiB, leaving 2.25 MiB = 576 pages for
    // page tables: one directory and 575 PTE pages mapping 575 × 1024 pages = 2300 MiB. The
    // workload wants 3000 MiB; it gets 2300, and its kernel holds all 832 MiB of lowmem while
    // 4096 − 832 − 2300 = 964 MiB stay free.
    const r = simulate(
      spec(`
name: t
duration: 5s
host: { pcpus: 1, memory: 8GiB, abi: xen }
guests:
  - { name: g, memory: 4GiB, kernel: { reserved: 797MiB }, workload: { type: constant, dutyCycle: 0.1, resident: 3000MiB } }
`),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    expect(g.anonMiB + g.swappedMiB).toBe(2300);
    expect(g.kernelLowmemMiB).toBe(832);
    expect(g.freeMiB).toBe(964);
    expect(g.lowmemOomPages).toBeGreaterThanOrEqual(700 * 256);
    expect(g.oomEvents).toBeGreaterThan(0);
  });
});
