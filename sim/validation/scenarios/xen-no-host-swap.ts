// Validation scenario xen-no-host-swap: the source and published behaviour are below; the runs come from its experiment file.
import { type Scenario, metricMean } from '../scenario.js';

const n = (x: number) => Math.round(x).toLocaleString('en-US');

export const xenNoHostSwap: Scenario = {
  id: 'xen-no-host-swap',
  kind: 'published',
  title: 'A Xen PV host never host-swaps',
  experiment: 'experiments/validation/xen-no-host-swap.yaml',
  source:
    'xen/common/memory.c and page_alloc.c, Xen 3.0.4 (increase_reservation / populate_physmap stop at the first failed allocation; no paging of PV guest memory); reference memory-balloon.md §3.1 and feature table',
  published:
    'Xen 3.0.4 allocates every page of a PV domain at build and never swaps guest memory: an over-committed host shows no host swapping; guests that want more than Xen has free get fewer pages from populate_physmap and swap in their own swap',
  check(runs) {
    const alts = [...new Set(runs.map((r) => r.alternative))];
    const host = alts.map((a) => metricMean(runs, a, 'host_swap_out_pages'));
    const guest = alts.map((a) => metricMean(runs, a, 'guest_swap_out_pages'));
    return {
      measured: alts
        .map((a, i) => `${a}: host swap-out ${n(host[i]!)} pages, guest swap-out ${n(guest[i]!)} pages`)
        .join('; '),
      pass: host.every((h) => h === 0) && guest.every((g) => g > 0),
    };
  },
};
