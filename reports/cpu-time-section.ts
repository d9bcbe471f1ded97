/**
 * The report's "CPU, steal and guest clocks" section: per alternative, what each guest got from
 * the scheduler against what it is entitled to, how much steal it suffered and saw, how long its
 * woken vCPUs waited, and how its clock fared — timer interrupts delivered, lost and merged and
 * the clock error against true time. Means over successful seeds; rendered from results only.
 */
import type { GuestSummary, ResultsFile, RunResult } from '../sim/results/types.js';
import { escapeHtml as e } from './escape.js';
import { alternativeOrder, formatNumber } from './aggregate.js';

interface Column {
  head: string;
  title: string;
  value: (g: GuestSummary) => number;
}

interface Group {
  head: string;
  columns: Column[];
}

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

function mean(xs: number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

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

function altTable(runs: RunResult[], guests: string[]): string {
  const groups = [...GROUPS.slice(0, 4), ...counterGroup(runs), ...GROUPS.slice(4)];
  const rows = guests.map((name) => {
    const gs = runs.flatMap((r) => r.summary?.guests.filter((g) => g.name === name) ?? []);
    if (gs.length === 0) return '';
    const cells = groups
      .flatMap((grp) =>
        grp.columns.map(
          (c, i) =>
            `<td class="num${i === 0 ? ' group-start' : ''}">${e(formatNumber(mean(gs.map(c.value))))}</td>`,
        ),
      )
      .join('');
    return `<tr><td class="name">${e(name)}</td><td>${e(gs[0]!.clock)}</td>${cells}</tr>`;
  });
  const groupHead = groups
    .map((g) => `<th class="group-start" colspan="${g.columns.length}">${e(g.head)}</th>`)
    .join('');
  const head = groups
    .flatMap((g) =>
      g.columns.map(
        (c, i) => `<th${i === 0 ? ' class="group-start"' : ''} title="${e(c.title)}">${e(c.head)}</th>`,
      ),
    )
    .join('');
  return `<div class="scroll"><table class="data grouped"><thead><tr><th rowspan="2">Guest</th><th rowspan="2">clock</th>${groupHead}</tr><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function cpuTimeSection(r: ResultsFile): string {
  const alts = alternativeOrder(r);
  const guests = r.experiment.guests.map((g) => g.name);
  const blocks = alts
    .map((a, i) => {
      const runs = r.runs.filter((x) => x.alternative === a && x.status === 'ok');
      if (runs.length === 0) return '';
      return `<details${i === 0 ? ' open' : ''}><summary>${e(a)} <span class="note">(${runs.length} seed${runs.length === 1 ? '' : 's'})</span></summary>${altTable(runs, guests)}</details>`;
    })
    .join('');
  return `<section id="cpu-time"><h2>CPU, steal and guest clocks</h2>
<p class="note">Per guest, means over successful seeds. <b>CPU got</b> against <b>entitled</b> (pCPUs; entitlement by the scheduler's rule if every vCPU wanted to run). <b>Steal</b> as the host measures it and as the guest accounted it (whole jiffies through VMI's STOLEN counter or Xen's runstate area; 0 for a guest that cannot see it). <b>Wake</b>: from a halted vCPU becoming runnable to it running, µs. <b>Timer interrupts</b>: periodic timer interrupts delivered, lost, merged or still pending under the host's delivery policy (<code>host.timer</code>); <b>clock error</b>: true − guest time, ms. Hover a column for its definition.</p>
${blocks}
</section>`;
}
