/**
 * Validation scenario vmi-native-lmbench: what the VMI interface itself costs, from VMware's own
 * measurement of a VMI kernel on bare hardware. The runs come from
 * experiments/validation/vmi-native-lmbench.yaml: as in the lmbench-processes row, one guest per
 * benchmark, each doing the page-table work of one loop iteration per native latency of its own
 * CPU work, alone on its pCPU and busy all the time, so that
 *   modelled latency ratio (VMI-native / native) = work done on bare metal ÷ work done over VMI.
 *
 * The source, read here (not recalled): Anne Holler (VMware performance team), "RE: [RFC, PATCH
 * 0/24] VMI i386 Linux virtualization interface proposal", linux-kernel, 20 March 2006,
 * Message-ID <E7152B8C330AD042B484826CB1A4122F04565F@PA-EXCH01.vmware.com>, with two text
 * attachments: score.2.6.16-rc6.txt ("2.6.16-rc6 Transparent Paravirtualization Performance
 * Scoreboard") and confid.2.6.16-rc6.txt (95 % confidence-interval widths). Linux 2.6.16-rc6 with
 * the VMI patches running natively (the ROM on bare hardware, no hypervisor) against the same
 * kernel without VMI; lmbench 3.0-a4, the average of the best 18 of 30 runs; uniprocessor kernel;
 * the P4 column: a 2.4 GHz Pentium 4, 1 GiB.
 *  - lmbench process latencies, VMI-Native/Native [µs]: fork proc 1.02 [137/134], exec proc 1.02
 *    [536/525], sh proc 1.01 [3204/3169].
 *  - context switch 2p/0K: 1.00 [2.84/2.84]; 95 % confidence-interval widths 0.8 % (native) and
 *    1.8 % (VMI-native), as a percentage of the mean.
 *  - The author: on the P4 only fork proc, sh proc, mmap and page fault lay outside the confidence
 *    interval, with overheads of 2 %, 1 %, 2 % and 1 %. (The Opteron column: fork 1.04 [100/96],
 *    exec 1.03 [309/301]; not used, the model's clock and prices are the P4's.)
 *
 * What is compared: the model's VMI interface with every transition that would leave the guest
 * priced at 0 (exits, page-table validation, pages, copies: there is no hypervisor under a native
 * ROM) and each ROM call at `vmiCallCycles` (50 on a P4, sim/abi/cost-sources.ts), against bare
 * metal (the preset `zero`). So the row checks the number of ROM calls the model makes per fork,
 * exec and switch (sim/abi/vmi/mmu.ts and the interrupt path) times the price of one call, the
 * part of VMI's cost that a hypervisor does not add to. VMI under ESX is not checked by any row:
 * no published VMI-over-hypervisor lmbench figure could be read here.
 *
 * Simplified, as in lmbench-processes: only page-table work and the interface's calls are priced;
 * the rest of each loop is the native latency itself; per-iteration event counts and the process
 * shape are the same assumptions (experiments/validation/lmbench-processes.yaml). The exiting
 * child of lat_proc fork is torn down with the full shape's 160 PTEs, though it holds only the 40
 * fork copied: this overstates the modelled fork overhead (by about 120 ROM calls, ~1 %).
 *
 * History: the row's first run failed on fork (1.062×) and the switch (1.022×), exec 1.029×. The
 * causes were three departures from the kernel, each corrected from its source, not by tuning:
 * fork copied every PTE, as 2.4 did (2.6 copies only mappings with an anon_vma, sim/abi/mmu.ts
 * forkCopiedPtes); every switch rewrote one TLS descriptor (vmi_maybe_load_tls writes only those
 * that differ, and lat_ctx's and lat_proc's processes are forks of each other); a reflected page
 * fault was charged a ROM call. The tolerance is the one fixed before that first run.
 *
 * Tolerance, fixed before the row was first run:
 *  - fork and exec: the modelled VMI overhead (ratio − 1) within a factor of two of the published
 *    one — fork 137/134 → 1.0112–1.0448×; exec 536/525 → 1.0105–1.0419×;
 *  - context switch: the published ratio is 1.00, inside the confidence interval; the modelled
 *    overhead must stay below 1.8 %, the width of the VMI-native run's 95 % interval on 2p/0K: an
 *    overhead that large would have been seen.
 */
import type { RunResult } from '../../results/types.js';
import { type Scenario, f3 } from '../scenario.js';
import { type LmbenchGuest, latencyRatio, withinTolerance } from './lmbench-processes.js';

/** The published latencies (µs), P4 column: native and VMI-native, per benchmark guest. */
export const VMI_NATIVE_US: Record<LmbenchGuest, { native: number; vmi: number }> = {
  fork: { native: 134, vmi: 137 },
  exec: { native: 525, vmi: 536 },
  ctx: { native: 2.84, vmi: 2.84 },
};

export type VmiNativeGuest = LmbenchGuest;

/** Context switch: the modelled overhead below this (the 95 % interval's width, VMI-native 2p/0K). */
export const CTX_MAX_OVERHEAD = 0.018;

/** Latency over VMI-native ÷ latency on bare metal, for guest `name`. */
export const vmiNativeRatio = (runs: RunResult[], name: VmiNativeGuest) =>
  latencyRatio(runs, 'vmi-native', name);

/**
 * Whether the modelled ratio of guest `name` meets the tolerance: fork and exec as lmbench-processes
 * (the overhead within a factor of two of the published one), a switch under CTX_MAX_OVERHEAD.
 */
export function vmiNativeWithin(name: VmiNativeGuest, modelled: number): boolean {
  if (name === 'ctx') return modelled >= 1 && modelled - 1 < CTX_MAX_OVERHEAD;
  return withinTolerance(modelled, VMI_NATIVE_US[name].vmi / VMI_NATIVE_US[name].native);
}

const GUESTS = Object.keys(VMI_NATIVE_US) as VmiNativeGuest[];
const LABEL: Record<VmiNativeGuest, string> = { fork: 'fork', exec: 'exec', ctx: 'switch' };

export const vmiNativeLmbench: Scenario = {
  id: 'vmi-native-lmbench',
  kind: 'published',
  title: 'lmbench fork, exec and context switch: a VMI kernel on bare hardware against native',
  experiment: 'experiments/validation/vmi-native-lmbench.yaml',
  source:
    'Anne Holler (VMware), "RE: [RFC, PATCH 0/24] VMI i386 Linux virtualization interface proposal", linux-kernel, 2006-03-20, Message-ID E7152B8C330AD042B484826CB1A4122F04565F@PA-EXCH01.vmware.com: attachment score.2.6.16-rc6.txt, P4 2.4 GHz column (Linux 2.6.16-rc6 with VMI, native ROM, against without; lmbench 3.0-a4)',
  published:
    'VMI-Native/Native: fork proc 1.02 [137/134 µs], exec proc 1.02 [536/525 µs], context switch 2p/0K 1.00 [2.84/2.84 µs]; the row asks the modelled fork and exec overheads to lie within a factor of two of these, and the switch overhead under 1.8 % (the 95 % interval width of that measurement)',
  check(runs) {
    const ratio = (g: VmiNativeGuest) => vmiNativeRatio(runs, g);
    const published = (g: VmiNativeGuest) => VMI_NATIVE_US[g].vmi / VMI_NATIVE_US[g].native;
    return {
      measured:
        'VMI-native ÷ native latency: ' +
        GUESTS.map((g) => {
          const us = VMI_NATIVE_US[g].native * ratio(g);
          return `${LABEL[g]} ${f3(ratio(g))}× (${us < 10 ? us.toFixed(2) : us.toFixed(0)} µs; published ${f3(published(g))}×)`;
        }).join(', '),
      pass: GUESTS.every((g) => vmiNativeWithin(g, ratio(g))),
      note:
        'What this row checks is the VMI interface without a hypervisor: the ROM calls the model makes per fork, exec and switch, at vmiCallCycles (50 on a P4) each, with exits and page-table validation priced at 0 because a native ROM has none. VMI under a hypervisor (exits, validation) is checked against no published figure: none could be read here; those prices are assumptions (sim/abi/cost-sources.ts) and the sensitivity section of interface-comparison shows which of them decide its verdicts. ' +
        'Simplified as in lmbench-processes: only page-table work and interface calls are priced, the rest of each loop is the native latency itself, and the per-iteration event counts and process shape are the same assumptions; the exiting child of lat_proc fork is torn down with the full 160 PTEs, not the 40 it holds, which overstates fork by about 1 %. ' +
        'History: the first run failed (fork 1.062×, switch 1.022×). Three departures from the kernel were corrected from its source, the tolerance unchanged: fork copied every PTE as 2.4 did (2.6 copies only mappings with an anon_vma); every switch rewrote a TLS descriptor (vmi_maybe_load_tls writes only those that differ, and these processes are forks of each other); a reflected page fault was charged a ROM call.',
    };
  },
};
