/**
 * The report's "Workloads" section: per alternative and guest, what its workload asked for beside
 * what it got — CPU it would have run unconstrained against CPU it ran, memory it asked for against
 * memory it holds — and whatever the workload measured of itself (request latency percentiles,
 * buffer-pool hit ratio, builds finished). The over-time view of the same pairs is in "One run in
 * detail" (CPU: demand vs got, Memory: demand vs resident).
 */
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import { perGuestBlocks, type Column, type Group } from './guest-table.js';

const FIXED: Group[] = [
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

/** `latency_p99_ms` → head "latency p99 (ms)". */
function metricColumn(key: string): Column {
  const m = /^(.*)_(ms|us|s|pct|ratio|count|per_s|MiB|cpu_s)$/.exec(key);
  const words = (m?.[1] ?? key).replace(/_/g, ' ');
  const unit = m?.[2];
  const head =
    unit === undefined || unit === 'count' || unit === 'ratio'
      ? words
      : `${words} (${unit.replace('per_s', '/s').replace('pct', '%').replace('cpu_s', 'CPU s')})`;
  return {
    head,
    title: `${key}: measured by the workload itself`,
    value: (g) => g.workloadMetrics[key] ?? NaN,
  };
}

function groupsFor(runs: RunResult[]): Group[] {
  const keys = [
    ...new Set(runs.flatMap((r) => r.summary?.guests.flatMap((g) => Object.keys(g.workloadMetrics)) ?? [])),
  ].sort();
  return keys.length === 0
    ? FIXED
    : [...FIXED, { head: 'Measured by the workload', columns: keys.map(metricColumn) }];
}

export function workloadSection(r: ResultsFile): string {
  const blocks = perGuestBlocks(r, groupsFor, { head: 'workload', value: (g) => g.workload });
  return `<section id="workloads"><h2>Workloads: demand and what they got</h2>
<p class="note">Per guest, means over successful seeds: the CPU its workload would have run with nothing holding it back beside the CPU it ran, the memory it asked for beside what it holds at the end, and what the workload measured of itself (– where a workload does not measure that). “One run in detail” draws the same pairs over time.</p>
${blocks}
</section>`;
}
