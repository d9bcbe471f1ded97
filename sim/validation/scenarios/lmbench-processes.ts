/**
 * Validation scenario lmbench-processes: lmbench's fork, exec and context-switch latencies, native
 * Linux against XenoLinux, from Barham et al., "Xen and the Art of Virtualization", SOSP 2003. The
 * runs come from experiments/validation/lmbench-processes.yaml: one guest per benchmark, each doing
 * the page-table work of one loop iteration per native-latency of its own CPU work (110 µs for
 * fork, 530 µs for exec, 0.77 µs for a switch), alone on its pCPU and busy all the time. Over bare
 * metal (every transition free) a guest so runs at the published native latency; over an interface
 * its work per second drops by what the interface adds, so
 *   modelled latency ratio (interface / native) = work done on bare metal ÷ work done over it.
 *
 * Reference note — the published figures. [R]: RECALLED, not read from the paper here (the paper's
 * text could not be retrieved through the sources at hand: search copies of the paper and of its
 * repetition, Clark et al., "Xen and the Art of Repeated Research", USENIX 2004 FREENIX, gave only
 * their opening pages). Test machine [R]: a Dell 2650, two 2.4 GHz Xeons (NetBurst), 2 GiB; Linux
 * 2.4.21; lmbench 3.0.
 *  - Table 3, "lmbench: Processes — times in µs", columns fork proc / exec proc / sh proc:
 *    L-UP (native Linux, uniprocessor kernel) 110 / 530 / 4k0; Xen 198 / 768 / 4k8;
 *    VMW (VMware Workstation 3.2) 874 / 2k3 / 10k; UML 21k / 33k / 58k.                        [R]
 *  - Table 4, "lmbench: Context switching times in µs", column 2p/0K:
 *    L-UP 0.77; Xen 1.97; VMW 18.1; UML 15.5.                                                 [R]
 *
 * What is compared, and what is not:
 *  - Xen 1.0 of 2003 (mmu_update batches through a queue, no writable page tables yet) against
 *    this model's XenLinux 3.0.4 (sim/abi/xen/mmu.ts: pinned tables, ptwr-emulated writes,
 *    mmuext_op). The mechanism differs in detail; the check holds only the size of the overhead
 *    to the paper, loosely.
 *  - VMW is VMware Workstation's full virtualization (binary translation and traced shadow page
 *    tables), not VMI: it is no target for the VMI model, and no published figure is given for
 *    VMI here. The VMI ratios are reported beside Xen's, unchecked.
 *  - Native Linux is bare metal: the cost preset `zero`, not the model's `native` interface
 *    (sim/abi/native/mmu.ts), which is an unmodified kernel under a hypervisor that shadows its
 *    page tables by trap-and-emulate. That path (alternative `no-vmi`: the VMI ROM refused) is
 *    reported too, unchecked: it is the model's nearest thing to the VMW column, which it is not
 *    (VMware traced page tables and translated kernel code, on a hosted monitor).
 *  - sh proc is not modelled (the shell's own exec and path search add nothing the model prices
 *    differently from exec proc).
 *  - Simplifications: only page-table work is priced; the rest of fork and exec (copying the
 *    task structures, reading the binary, the scheduler) is taken as the native latency itself,
 *    the same over every interface. The exit of the exec'd program uses the forking process's
 *    shape (one shape per workload); over Xen an exit does not depend on it (mm_unpin walks the
 *    table pages only). Per-iteration event counts (5 COW faults per fork, 80 demand faults per
 *    exec) and the process shape are assumptions, stated in the experiment file.
 *
 * Tolerance, fixed before the row was first run: for each benchmark the modelled Xen overhead
 * (ratio − 1) lies within a factor of two of the published one: published fork 198/110 = 1.80×
 * → 1.40–2.60×; exec 768/530 = 1.45× → 1.23–1.91×; switch 1.97/0.77 = 2.56× → 1.78–4.12×.
 */
import type { RunResult } from '../../results/types.js';
import { type Scenario, guestMean, f3 } from '../scenario.js';

/** The published latencies (µs), Table 3 and 4 [R], native (L-UP) and Xen, per benchmark guest. */
export const LMBENCH_US = {
  fork: { native: 110, xen: 198 },
  exec: { native: 530, xen: 768 },
  ctx: { native: 0.77, xen: 1.97 },
} as const;

export type LmbenchGuest = keyof typeof LMBENCH_US;
const GUESTS = Object.keys(LMBENCH_US) as LmbenchGuest[];

/** The modelled overhead may be at most this factor above, or below, the published one. */
export const OVERHEAD_FACTOR = 2;

/** Latency over `alt` ÷ latency on bare metal, for guest `name`: work done natively ÷ over `alt`. */
export function latencyRatio(runs: RunResult[], alt: string, name: LmbenchGuest): number {
  const w = (a: string) => guestMean(runs, a, (g) => g.workDoneCpuS, name);
  return w('native') / w(alt);
}

/** Whether a modelled ratio is within the tolerance of the published one. */
export function withinTolerance(modelled: number, published: number): boolean {
  const m = modelled - 1;
  const p = published - 1;
  return m >= p / OVERHEAD_FACTOR && m <= p * OVERHEAD_FACTOR;
}

export const lmbenchProcesses: Scenario = {
  id: 'lmbench-processes',
  kind: 'published',
  title: 'lmbench fork, exec and context switch: Xen against native',
  experiment: 'experiments/validation/lmbench-processes.yaml',
  source:
    'Barham et al., "Xen and the Art of Virtualization", SOSP 2003: Table 3 (lmbench processes, fork proc and exec proc) and Table 4 (context switch, 2p/0K), rows L-UP and Xen; figures recalled [R], see the note',
  published:
    'native 110 / 530 / 0.77 µs, Xen 198 / 768 / 1.97 µs [R]: Xen slower by 1.80× on fork, 1.45× on exec, 2.56× on a context switch; the row asks each modelled Xen overhead to lie within a factor of two of the published one',
  check(runs) {
    const ratio = (alt: string, g: LmbenchGuest) => latencyRatio(runs, alt, g);
    const published = (g: LmbenchGuest) => LMBENCH_US[g].xen / LMBENCH_US[g].native;
    const names: Record<LmbenchGuest, string> = { fork: 'fork', exec: 'exec', ctx: 'switch' };
    const pass = GUESTS.every((g) => withinTolerance(ratio('xen', g), published(g)));
    const us = (g: LmbenchGuest, alt: string) => {
      const x = LMBENCH_US[g].native * ratio(alt, g);
      return x < 10 ? x.toFixed(2) : x.toFixed(0);
    };
    return {
      measured:
        'Xen ÷ native latency: ' +
        GUESTS.map(
          (g) => `${names[g]} ${f3(ratio('xen', g))}× (${us(g, 'xen')} µs; published ${f3(published(g))}×)`,
        ).join(', ') +
        '; unchecked, VMI ÷ native: ' +
        GUESTS.map((g) => `${names[g]} ${f3(ratio('vmi', g))}×`).join(', ') +
        '; no VMI (shadow paging by trap-and-emulate) ÷ native: ' +
        GUESTS.map((g) => `${names[g]} ${f3(ratio('no-vmi', g))}×`).join(', '),
      pass,
      note:
        'Reference note. The published figures are RECALLED [R], not read from the paper (its text and that of its repetition, Clark et al., USENIX 2004, could not be retrieved here): Table 3 (lmbench processes, µs), fork proc / exec proc / sh proc — L-UP 110 / 530 / 4k0, Xen 198 / 768 / 4k8, VMW 874 / 2k3 / 10k, UML 21k / 33k / 58k; Table 4 (context switch, µs), 2p/0K — L-UP 0.77, Xen 1.97, VMW 18.1, UML 15.5; machine a 2.4 GHz Xeon (the experiment runs its clock at 2,400 MHz). ' +
        'Compared: Xen 1.0 of 2003 against this model of XenLinux 3.0.4 (pinned page tables, emulated writes, mmuext_op), so only the size of the overhead is held to the paper, within a factor of two. ' +
        'The VMW column is VMware Workstation’s full virtualization (binary translation), not VMI: no target for the VMI model, whose ratios are shown unchecked. Native is bare metal (every transition free), not the model’s no-VMI path (an unmodified kernel whose page tables are shadowed by trap-and-emulate), whose ratios are shown unchecked too — the nearest thing to the VMW column, but not it. sh proc is not modelled. ' +
        'Simplified: only page-table work is priced; the rest of fork and exec (task copy, reading the binary) is the native latency itself over every interface; the per-iteration event counts (5 COW faults per fork, 80 demand faults per exec) and the process shape (160 PTEs, a quarter private writable, 3 table pages) are assumptions, and the page-table prices are assumptions of sim/abi/costs.ts.',
    };
  },
};
