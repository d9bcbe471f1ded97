// Validation scenario kvm-auto-balloon: the source and published shape are below; the runs come from its experiment file.
import { type Scenario, guestMean, metricMean, f1 } from '../scenario.js';

export const kvmAutoBalloon: Scenario = {
  id: 'kvm-auto-balloon',
  kind: 'published',
  title: 'KVM auto-ballooning',
  experiment: 'experiments/validation/kvm-auto-balloon.yaml',
  source:
    'Capitulino, "[RFC 2/2] virtio_balloon: auto-ballooning support", linux-mm 2013-05-09 (reference memory-balloon.md §4.3, V8)',
  published:
    '35 × 1 GB kernel builds on 32 GB: host swap-out 1.36–1.64 M pages without, 9–43 k with auto-ballooning (over 10× less); runtime about equal (543–649 s vs 624–631 s)',
  check(runs) {
    const swap = (alt: string) => metricMean(runs, alt, 'host_swap_out_pages');
    const build = (alt: string) => guestMean(runs, alt, (g) => g.workloadMetrics.build_time_s ?? NaN) / 35;
    const [off, on] = [swap('auto-balloon-off'), swap('auto-balloon-on')];
    const [tOff, tOn] = [build('auto-balloon-off'), build('auto-balloon-on')];
    return {
      measured: `host swap-out ${Math.round(off).toLocaleString('en-US')} vs ${Math.round(on).toLocaleString('en-US')} pages; mean build ${f1(tOff)} s vs ${f1(tOn)} s`,
      pass: off > 10 * Math.max(on, 1) && Math.abs(tOn / tOff - 1) < 0.15,
      note: 'the host swaps the guests’ coldest pages (memorySemantics kvm, Linux LRU), so host swapping costs the builds little; with ballooning the guests re-read the page cache the balloon took, and the host’s own page cache (QEMU without cache=none; sim/host/host-page-cache.ts) serves the part of those re-reads that the memory the balloon handed back can hold, the rest from the one shared disk',
    };
  },
};
