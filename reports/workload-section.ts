/**
 * The report's "Workloads" section: per alternative and guest, what its workload asked for beside
 * what it got — CPU it would have run unconstrained against CPU it ran, memory it asked for against
 * memory it holds — and whatever the workload measured of itself (request latency percentiles,
 * buffer-pool hit ratio, builds finished). The over-time view of the same pairs is in "One run in
 * detail" (CPU: demand vs got, Memory: demand vs resident).
 */
import type { GuestSummary, ResultsFile } from '../sim/results/types.js';
import { perGuestBlocks, type Group } from './guest-table.js';
import { formatNumber } from './aggregate.js';

const GROUPS: Group[] = [
  {
    head: 'CPU (CPU s)',
    columns: [
      {
        head: 'demand',
        title:
          'CPU its workload would have run unconstrained: every vCPU on a pCPU of its own, no costs, no faults',
        value: (g) => g.unconstrainedWorkCpuS,
      },
      { head: 'got', title: 'CPU its workload ran', value: (g) => g.workDoneCpuS },
      {
        head: 'slowdown',
        title: 'demand ÷ got (1 = it got everything it asked for)',
        value: (g) => g.slowdown,
      },
    ],
  },
  {
    head: 'Memory at the end (MiB)',
    columns: [
      {
        head: 'demand',
        title: 'anonymous memory and page cache its workload asked for',
        value: (g) => g.anonDemandMiB + g.cacheDemandMiB,
      },
      {
        head: 'resident',
        title: 'anonymous memory and page cache resident in the guest',
        value: (g) => g.anonMiB + g.cacheMiB,
      },
      { head: 'swapped', title: 'anonymous memory in the guest’s swap', value: (g) => g.swappedMiB },
    ],
  },
];

const UNITS: Record<string, string> = {
  ms: ' ms',
  us: ' µs',
  s: ' s',
  pct: ' %',
  per_s: '/s',
  MiB: ' MiB',
  cpu_s: ' CPU s',
  ratio: '',
  count: '',
};

/** `latency_p99_ms` = 19.8 → "latency p99 19.8 ms"; `hit_ratio` = 0.83 → "hit ratio 0.83". */
export function formatMetric(key: string, value: number): string {
  const m = /^(.*?)_(cpu_s|per_s|ms|us|s|pct|ratio|count|MiB)$/.exec(key);
  // A ratio keeps its word ("hit ratio 0.83"); a count is just the number ("requests 5").
  const words = (m === null ? key : m[2] === 'ratio' ? `${m[1]}_ratio` : m[1]!).replace(/_/g, ' ');
  return `${words} ${formatNumber(value)}${m === null ? '' : UNITS[m[2]!]!}`;
}

/** Each metric the guest's runs report, as its mean over those runs, in key order. */
function metricsText(runs: GuestSummary[]): string {
  const keys = [...new Set(runs.flatMap((g) => Object.keys(g.workloadMetrics)))].sort();
  if (keys.length === 0) return '–';
  return keys
    .map((k) => {
      const xs = runs.map((g) => g.workloadMetrics[k]).filter((x): x is number => x !== undefined);
      return formatMetric(k, xs.reduce((a, b) => a + b, 0) / xs.length);
    })
    .join('; ');
}

export function workloadSection(r: ResultsFile): string {
  const blocks = perGuestBlocks(
    r,
    () => GROUPS,
    { head: 'workload', value: (g) => g.workload },
    {
      head: 'Measured by the workload (means over seeds)',
      title: 'what the workload measured of itself: request latency, hit ratio, builds, trace rows',
      value: metricsText,
    },
  );
  return `<section id="workloads"><h2>Workloads: demand and what they got</h2>
<p class="note">Per guest, means over successful seeds: the CPU its workload would have run with nothing holding it back beside the CPU it ran, the memory it asked for beside what it holds at the end, and what the workload measured of itself (– where a workload does not measure that). “One run in detail” draws the same pairs over time.</p>
${blocks}
</section>`;
}
