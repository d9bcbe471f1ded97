// Validation scenario balloon-vs-host-swap: the source and published shape are below; the runs come from its experiment file.
import { type Scenario, guestMean, f3 } from '../scenario.js';

const ALTERNATIVES = ['full', 'balloon-128', 'balloon-320', 'host-swap-128', 'host-swap-320'] as const;

export const balloonVsHostSwap: Scenario = {
  id: 'balloon-vs-host-swap',
  kind: 'published',
  title: 'Ballooning versus host swapping (kernel compile)',
  experiment: 'experiments/validation/balloon-vs-host-swap.yaml',
  source:
    'VMware, "Understanding Memory Resource Management in VMware ESX 4.1" (white paper), as summarised in S. Drummonds, "Love your balloon driver", VMware communities blog, 2009 (reference memory-balloon.md §1.7)',
  published:
    'kernel compile with the VM’s memory cut: ballooning shows “virtually no impact”; host swapping degrades it steadily as the cut grows',
  check(runs) {
    const slow = Object.fromEntries(
      ALTERNATIVES.map((a) => [a, guestMean(runs, a, (g) => g.slowdown)]),
    ) as Record<(typeof ALTERNATIVES)[number], number>;
    const rel = (a: (typeof ALTERNATIVES)[number]) => slow[a] / slow.full;
    const balloonFree = rel('balloon-128') < 1.05 && rel('balloon-320') < 1.05;
    const swapHurts = rel('host-swap-128') > 1.2 && rel('host-swap-320') >= rel('host-swap-128');
    return {
      measured: `slowdown: full ${f3(slow.full)}; balloon 128 / 320 MiB ${f3(slow['balloon-128'])} / ${f3(slow['balloon-320'])}; host swap 128 / 320 MiB ${f3(slow['host-swap-128'])} / ${f3(slow['host-swap-320'])}`,
      pass: balloonFree && swapHurts,
      note: 'the shape only: the white paper’s figures are not in the reference. The ballooned guest gives free memory and cold page cache, whose refaults cost it a few %; the host swaps pages at random, hot ones included, and each touch waits for the disk',
    };
  },
};
