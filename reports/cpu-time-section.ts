/**
 * The report's "CPU, steal and guest clocks" section: per alternative, what each guest got from
 * the scheduler against what it is entitled to, how much steal it suffered and saw, how long its
 * woken vCPUs waited, and how its clock fared — timer interrupts delivered, lost and merged and
 * the clock error against true time. Means over successful seeds; rendered from results only.
 */
import type { GuestSummary, ResultsFile, RunResult } from '../sim/results/types.js';
import { perGuestBlocks, type Group } from './guest-table.js';

const GROUPS: Group[] = [
  {
    head: 'CPU (pCPUs)',
    columns: [
      { head: 'got', title: 'running time ÷ elapsed, pCPUs', value: (g) => g.cpuPcpus },
      {
        head: 'entitled',
        title: 'what the scheduler promises under full contention, pCPUs',
        value: (g) => g.entitlementPcpus,
      },
      {
        head: 'slowdown',
        title: 'work its workload would have done unconstrained ÷ work it did (1 = none)',
        value: (g) => g.slowdown,
      },
    ],
  },
  {
    head: 'Steal (%)',
    columns: [
      { head: 'host', title: 'runnable + offline, % of vCPU time (host view)', value: (g) => g.stealPct },
      {
        head: 'seen',
        title: 'steal the guest accounted through its interface, %',
        value: (g) => g.seenStealPct,
      },
    ],
  },
  {
    head: 'Wake-to-run (µs)',
    columns: [
      { head: 'p50', title: 'wake-to-run latency, median, µs', value: (g) => g.wakeLatencyUs.p50 },
      { head: 'p95', title: 'wake-to-run latency, 95th percentile, µs', value: (g) => g.wakeLatencyUs.p95 },
      { head: 'p99', title: 'wake-to-run latency, 99th percentile, µs', value: (g) => g.wakeLatencyUs.p99 },
    ],
  },
  {
    head: 'Caps',
    columns: [{ head: 'parks', title: 'times a vCPU was parked by a cap or limit', value: (g) => g.parks }],
  },
  {
    head: 'Timer interrupts',
    columns: [
      {
        head: 'delivered',
        title: 'periodic timer interrupts delivered',
        value: (g) => g.timerInterrupts.delivered,
      },
      {
        head: 'lost',
        title: 'never delivered (discarded or given up)',
        value: (g) => g.timerInterrupts.lost,
      },
      { head: 'merged', title: 'folded into another interrupt', value: (g) => g.timerInterrupts.merged },
      { head: 'pending', title: 'still in the backlog at the end', value: (g) => g.timerInterrupts.pending },
    ],
  },
  {
    head: 'Clock error (ms)',
    columns: [
      { head: 'max', title: 'largest |true − guest time|, ms', value: (g) => g.clockErrorMs.maxAbs },
      {
        head: 'final',
        title: 'true − guest time at the end, ms (positive: behind)',
        value: (g) => g.clockErrorMs.final,
      },
      {
        head: 'RMS',
        title: 'root mean square of the error over samples, ms',
        value: (g) => g.clockErrorMs.rms,
      },
    ],
  },
];

/** The schedulers' own counters present in these runs, as one column group. */
function counterGroup(runs: RunResult[]): Group[] {
  const names = new Set<string>();
  for (const r of runs)
    for (const g of r.summary?.guests ?? []) for (const k of Object.keys(g.schedulerCounters)) names.add(k);
  if (names.size === 0) return [];
  return [
    {
      head: 'Scheduler',
      columns: [...names].sort().map((k) => ({
        head: k,
        title: `the scheduler's count of ${k} for the guest`,
        value: (g: GuestSummary) => g.schedulerCounters[k] ?? 0,
      })),
    },
  ];
}

export function cpuTimeSection(r: ResultsFile): string {
  const blocks = perGuestBlocks(
    r,
    (runs) => [...GROUPS.slice(0, 4), ...counterGroup(runs), ...GROUPS.slice(4)],
    { head: 'clock', value: (g) => g.clock },
  );
  return `<section id="cpu-time"><h2>CPU, steal and guest clocks</h2>
<p class="note">Per guest, means over successful seeds. <b>CPU got</b> against <b>entitled</b> (pCPUs; entitlement by the scheduler's rule if every vCPU wanted to run). <b>Steal</b> as the host measures it and as the guest accounted it (whole jiffies through VMI's STOLEN counter or Xen's runstate area; 0 for a guest that cannot see it). <b>Wake</b>: from a halted vCPU becoming runnable to it running, µs. <b>Timer interrupts</b>: periodic timer interrupts delivered, lost, merged or still pending under the host's delivery policy (<code>host.timer</code>); <b>clock error</b>: true − guest time, ms. Hover a column for its definition.</p>
${blocks}
</section>`;
}
