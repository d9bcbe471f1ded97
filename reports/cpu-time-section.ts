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

const COLUMNS: Column[] = [
  { head: 'CPU got', title: 'running time ÷ elapsed, pCPUs', value: (g) => g.cpuPcpus },
  {
    head: 'entitled',
    title: 'what the scheduler promises under full contention, pCPUs',
    value: (g) => g.entitlementPcpus,
  },
  { head: 'steal %', title: 'runnable + offline, % of vCPU time (host view)', value: (g) => g.stealPct },
  {
    head: 'seen %',
    title: 'steal the guest accounted through its interface, %',
    value: (g) => g.seenStealPct,
  },
  { head: 'wake p50', title: 'wake-to-run latency, median, µs', value: (g) => g.wakeLatencyUs.p50 },
  { head: 'p95', title: 'wake-to-run latency, 95th percentile, µs', value: (g) => g.wakeLatencyUs.p95 },
  { head: 'p99', title: 'wake-to-run latency, 99th percentile, µs', value: (g) => g.wakeLatencyUs.p99 },
  { head: 'parks', title: 'times a vCPU was parked by a cap or limit', value: (g) => g.parks },
  {
    head: 'timer irqs',
    title: 'periodic timer interrupts delivered',
    value: (g) => g.timerInterrupts.delivered,
  },
  { head: 'lost', title: 'timer interrupts never delivered', value: (g) => g.timerInterrupts.lost },
  { head: 'merged', title: 'timer interrupts folded into another', value: (g) => g.timerInterrupts.merged },
  { head: 'clock err max', title: 'largest |true − guest time|, ms', value: (g) => g.clockErrorMs.maxAbs },
  {
    head: 'final',
    title: 'true − guest time at the end, ms (positive: behind)',
    value: (g) => g.clockErrorMs.final,
  },
  { head: 'RMS', title: 'root mean square of the error over samples, ms', value: (g) => g.clockErrorMs.rms },
];

function mean(xs: number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function altTable(runs: RunResult[], guests: string[]): string {
  const rows = guests.map((name) => {
    const gs = runs.flatMap((r) => r.summary?.guests.filter((g) => g.name === name) ?? []);
    if (gs.length === 0) return '';
    const clock = gs[0]!.clock;
    const cells = COLUMNS.map((c) => `<td class="num">${e(formatNumber(mean(gs.map(c.value))))}</td>`).join(
      '',
    );
    return `<tr><td class="name">${e(name)}</td><td>${e(clock)}</td>${cells}</tr>`;
  });
  const head = COLUMNS.map((c) => `<th title="${e(c.title)}">${e(c.head)}</th>`).join('');
  return `<div class="scroll"><table class="data"><thead><tr><th>Guest</th><th>clock</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
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
<p class="note">Per guest, means over successful seeds. <b>CPU got</b> against <b>entitled</b> (pCPUs; entitlement by the scheduler's rule if every vCPU wanted to run). <b>Steal</b> as the host measures it and as the guest accounted it (whole jiffies through VMI's STOLEN counter or Xen's runstate area; 0 for a guest that cannot see it). <b>Wake</b>: from a halted vCPU becoming runnable to it running, µs. <b>Timer irqs</b>: periodic timer interrupts delivered, lost and merged by the host's delivery policy (<code>host.timer</code>); <b>clock err</b>: true − guest time, ms. Hover a column for its definition.</p>
${blocks}
</section>`;
}
