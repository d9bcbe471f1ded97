/**
 * Where each number of each cost preset (sim/abi/costs.ts) comes from: one label per preset and
 * field, saying what kind of figure it is and its source, so a reader (and `vmisim list`) can tell
 * a measured number from a guess. The kinds:
 *  - `structural`: follows from how the interface works (a near call, no trap), the number an
 *    order of magnitude;
 *  - `sourced`: a published or measured figure for this quantity, with where it was taken from
 *    (recalled figures are marked [R] or UNVERIFIED, as in reference/time-cpu-abi.md §5);
 *  - `assumption`: no published figure; the label says the reasoning;
 *  - `zero`: the `zero` preset — nothing priced, the guest runs as on bare metal.
 * test/abi/cost-sources.test.ts holds every preset field to a label, so a new field or preset
 * cannot come without one.
 */
import type { CostModel } from '../spec/cost-model.js';
import type { COST_PRESETS } from './costs.js';

export type CostSourceKind = 'structural' | 'sourced' | 'assumption' | 'zero';

export interface CostSource {
  kind: CostSourceKind;
  source: string;
  /**
   * `sourced` only: the cycles the cited figures allow, lowest and highest (the preset's number
   * lies within them, a rounding included), so a changed number that leaves its source shows.
   */
  range?: readonly [number, number];
}

type Labels = Record<keyof typeof COST_PRESETS, Record<keyof CostModel, CostSource>>;

const ZERO: CostSource = {
  kind: 'zero',
  source: 'nothing priced: bare metal, or identical work over every interface',
};

/** What decides the VMI–Xen comparison is stated once (fidelity review A1). */
const VMI_EXIT_CAVEAT =
  'applied to VMI, an ASSUMPTION that decides the VMI–Xen comparison (fidelity review A1): a VMI virtual machine “always use[s] Binary Translation (BT) and shadow page tables” (VMware, Performance Best Practices for vSphere 4.0, p. 30), so leaving a VMI guest was an entry into the software monitor, not a VT-x round trip, and for VMI this figure is an upper bound';

export const COST_SOURCES: Labels = {
  'p4-2006': {
    vmiCallCycles: {
      kind: 'structural',
      source:
        'a near `call rel32` patched into the ROM in the guest’s address space, no trap (Linux 2.6.21 arch/i386/kernel/vmi.c vmi_patch; reference time-cpu-abi.md §1.3, §5); 50 cycles an order of magnitude, consistent with VMware’s VMI-on-bare-hardware lmbench figures (Holler, linux-kernel 2006-03-20: fork +2 %, exec +2 %, 2p/0K ±0 on a 2.4 GHz P4), which the validation row vmi-native-lmbench reproduces within its tolerance',
    },
    exitCycles: {
      kind: 'sourced',
      range: [2000, 4000],
      source: `a first-generation VT-x exit + entry round trip on NetBurst: Prescott ≈ 4,000 cycles (Agesen et al., USENIX ATC 2012, Table 1) and 2,000–4,000 on the Pentium 4 of Adams & Agesen, ASPLOS 2006 — both UNVERIFIED, recalled (reference §5); ${VMI_EXIT_CAVEAT}`,
    },
    hypercallCycles: {
      kind: 'sourced',
      range: [1000, 1080],
      source:
        'an `int $0x82` ring-1 → ring-0 trap and return, the same kind of trap as a system call: lmbench’s null call (getppid through int 0x80) took 0.45 µs on native Linux on a 2.4 GHz Xeon ≈ 1,080 cycles, rounded to 1,000 (Barham et al., SOSP 2003, Table 3, row L-UP [R], recalled); order of magnitude, UNVERIFIED for the hypercall itself',
    },
    copyCyclesPerByte: {
      kind: 'assumption',
      source: 'memcpy-like, ~1 cycle per byte on a Pentium 4 (no published figure for Xen’s copy_from_guest)',
    },
    pageCycles: {
      kind: 'assumption',
      source: 'a page handed over or taken back: a p2m / frame-table update and a TLB flush, ~500 cycles',
    },
    pteUpdateCycles: {
      kind: 'assumption',
      source:
        'validating (Xen get_page_from_l1e) or shadowing (VMware’s monitor) one entry: a few cache misses on a Pentium 4, ~200 cycles',
    },
    ptwrEmulateCycles: {
      kind: 'assumption',
      source:
        'Xen 3.0.4 decoding, emulating and revalidating a write to a pinned page table (ptwr_do_page_fault, xen/arch/x86/mm.c) beyond its trap, ~2,000 cycles',
    },
  },
  modern: {
    vmiCallCycles: {
      kind: 'structural',
      source:
        'a near call, as in p4-2006; a what-if: VMI was removed from Linux in 2.6.37, 2010 (recalled, UNVERIFIED)',
    },
    exitCycles: {
      kind: 'sourced',
      range: [1344, 1400],
      source:
        'an AMD SVM VMRUN → #VMEXIT round trip under KVM, ~1,344–1,376 cycles (AMD EPYC, lkml 2020-12, reference §5), rounded to 1,400; Intel Westmere / Sandy Bridge ≈ 760–780 (Agesen et al. 2012, UNVERIFIED). Applied to VMI, an upper bound as in p4-2006: VMI guests ran under binary translation even where hardware assist existed (vSphere 4.0 best practices, p. 30)',
    },
    hypercallCycles: {
      kind: 'sourced',
      range: [430, 434],
      source:
        'taken as a system-call trap: syscall(getppid) measured at 434 cycles (AMD EPYC 2.6 GHz, Linux 6.18 guest, mitigations on; reference §5 “measured here”), rounded to 430. That a hypercall costs what a system call costs is an ASSUMPTION',
    },
    copyCyclesPerByte: {
      kind: 'assumption',
      source: 'memcpy-like with wide loads and stores, ~0.25 cycle per byte',
    },
    pageCycles: {
      kind: 'assumption',
      source: 'half the p4-2006 figure: the same p2m update and TLB flush with faster caches, ~250 cycles',
    },
    pteUpdateCycles: { kind: 'assumption', source: 'half the p4-2006 figure, ~100 cycles' },
    ptwrEmulateCycles: {
      kind: 'assumption',
      source: '~800 cycles, 0.4 × the p4-2006 guess; no figure behind it',
    },
  },
  zero: {
    vmiCallCycles: ZERO,
    exitCycles: ZERO,
    hypercallCycles: ZERO,
    copyCyclesPerByte: ZERO,
    pageCycles: ZERO,
    pteUpdateCycles: ZERO,
    ptwrEmulateCycles: ZERO,
  },
};
