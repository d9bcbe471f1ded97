/**
 * The report's "Interface comparison": for each alternative (typically `host.abi: vmi` versus
 * `xen`), how many calls of each kind the guests made and what the transitions cost — totals over
 * all guests, then per guest — as means over successful seeds. Rendered from results only, and
 * the caller's sentence on what each interface's calls count (the interfaces declare it,
 * sim/abi/registry.ts callCatalogue; the report does not know the interfaces).
 */
import type { GuestSummary, InterfacePathTotals, ResultsFile, RunResult } from '../sim/results/types.js';
import { escapeHtml as e } from './escape.js';
import { alternativeOrder, formatNumber } from './aggregate.js';

/** What the report states about the simulator but cannot read from results: its caller passes it. */
export interface ReportNotes {
  /** One sentence on what each interface's calls count, e.g. `VMI counts ROM calls, …; Xen counts …`. */
  readonly interfaceCalls?: string;
}

function mean(xs: number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Calls of `call` in one run: summed over guests, or for one guest. */
function callsIn(run: RunResult, call: string, guest?: string): number {
  let n = 0;
  for (const g of run.summary?.guests ?? []) {
    if (guest === undefined || g.name === guest) n += g.interfaceCalls[call] ?? 0;
  }
  return n;
}

/** A per-guest summary number, summed over guests (or for one guest). */
function sumOver(run: RunResult, pick: (g: GuestSummary) => number, guest?: string): number {
  let n = 0;
  for (const g of run.summary?.guests ?? []) if (guest === undefined || g.name === guest) n += pick(g);
  return n;
}

function table(r: ResultsFile, alts: string[], okRuns: Map<string, RunResult[]>, guest?: string): string {
  const calls = new Set<string>();
  for (const runs of okRuns.values()) {
    for (const run of runs) {
      for (const g of run.summary?.guests ?? []) {
        if (guest === undefined || g.name === guest)
          for (const c of Object.keys(g.interfaceCalls)) calls.add(c);
      }
    }
  }
  const durationS = r.experiment.durationNs / 1e9;
  // Steal rows average over guests (one guest: itself).
  const guestCount = guest === undefined ? Math.max(1, r.experiment.guests.length) : 1;
  const cell = (alt: string, f: (run: RunResult) => number, dashIfZero = false) => {
    const m = mean((okRuns.get(alt) ?? []).map(f));
    return `<td class="num">${dashIfZero && m === 0 ? '—' : e(formatNumber(m))}</td>`;
  };
  const callRows = (value: (run: RunResult, call: string) => number) =>
    [...calls]
      .sort()
      .map(
        (c) =>
          `<tr><td class="name"><code>${e(c)}</code></td>${alts.map((a) => cell(a, (run) => value(run, c), true)).join('')}</tr>`,
      )
      .join('');
  const rows = callRows((run, c) => callsIn(run, c, guest) / durationS);
  const cycleRows = callRows((run, c) => sumOver(run, (g) => g.interfaceCallCycles[c] ?? 0, guest) / 1e6);
  const totalCalls = `<tr class="total"><td>All calls (per s)</td>${alts
    .map((a) => cell(a, (run) => [...calls].reduce((s, c) => s + callsIn(run, c, guest), 0) / durationS))
    .join('')}</tr>`;
  const total = (label: string, pick: (g: GuestSummary) => number, scale = 1) =>
    `<tr class="total"><td>${label}</td>${alts.map((a) => cell(a, (run) => sumOver(run, pick, guest) / scale)).join('')}</tr>`;
  const cycles =
    total('Transitions to the hypervisor (per s)', (g) => g.interfaceTransitions, durationS) +
    total('Cycles in transitions (Mcycles)', (g) => g.interfaceCycles, 1e6) +
    total('Bytes copied between guest memory and the hypervisor', (g) => g.interfaceBytesCopied) +
    total('Argument bytes passed in registers', (g) => g.interfaceRegisterBytes) +
    total('Calls that returned an error', (g) => g.interfaceErrors) +
    total('TLB shootdowns (cross-CPU flushes)', (g) => g.shootdowns) +
    total('Shootdown IPIs sent', (g) => g.shootdownIpis) +
    total('Shootdown spin of the senders (ms of CPU)', (g) => g.shootdownSpinNs, 1e6) +
    `<tr class="total"><td>Spin per shootdown (µs)</td>${alts
      .map((a) =>
        cell(a, (run) => {
          const n = sumOver(run, (g) => g.shootdowns, guest);
          return n === 0 ? 0 : sumOver(run, (g) => g.shootdownSpinNs, guest) / n / 1e3;
        }),
      )
      .join('')}</tr>` +
    total('Steal measured by the host (% of vCPU time, mean over guests)', (g) => g.stealPct, guestCount) +
    total('Steal the guests see through the interface (%)', (g) => g.seenStealPct, guestCount);
  const paths = new Set<string>();
  for (const runs of okRuns.values())
    for (const run of runs)
      for (const g of run.summary?.guests ?? [])
        if (guest === undefined || g.name === guest)
          for (const p of Object.keys(g.interfacePaths)) paths.add(p);
  const pathRows = [...paths]
    .sort()
    .flatMap((p) => {
      const of =
        (f: keyof InterfacePathTotals, scale = 1) =>
        (g: GuestSummary) =>
          (g.interfacePaths[p]?.[f] ?? 0) / scale;
      return [
        total(`${e(p)} path: calls`, of('calls')),
        total(`${e(p)} path: cycles (Mcycles)`, of('cycles'), 1e6),
        total(`${e(p)} path: transitions`, of('transitions')),
        total(`${e(p)} path: bytes copied`, of('bytesCopied')),
        total(`${e(p)} path: argument bytes in registers`, of('registerBytes')),
      ];
    })
    .join('');
  const head = (first: string) =>
    `<thead><tr><th>${first}</th>${alts.map((a) => `<th>${e(a)}</th>`).join('')}</tr></thead>`;
  return `<div class="side-by-side"><div class="scroll"><table class="data">${head('Calls per simulated second')}<tbody>${rows}${totalCalls}${cycles}${pathRows}</tbody></table></div>
<div class="scroll"><table class="data">${head('Cycles by call (Mcycles)')}<tbody>${cycleRows}</tbody></table></div></div>`;
}

export function interfaceComparisonSection(r: ResultsFile, notes: ReportNotes = {}): string {
  const alts = alternativeOrder(r);
  const okRuns = new Map(
    alts.map((a) => [a, r.runs.filter((x) => x.alternative === a && x.status === 'ok')]),
  );
  const guests = r.experiment.guests.map((g) => g.name);
  const perGuest = guests
    .map((g) => `<details><summary>${e(g)}</summary>${table(r, alts, okRuns, g)}</details>`)
    .join('');
  return `<section id="interface"><h2>Interface comparison</h2>
<p class="note">Interface calls of all guests by name, per simulated second; how often they left the guest, the cycles that cost by the cost model (<code>host.costs</code>), the bytes copied between guest memory and the hypervisor (priced per byte) apart from the argument bytes passed in registers (not priced beyond the call), the errors returned, the TLB shootdowns with the IPIs they sent and the CPU time their senders spun waiting for every target to be scheduled and acknowledge, and the same totals per kernel path (boot, interrupt, mmu, shootdown, balloon); means over successful seeds.${notes.interfaceCalls ? ` ${e(notes.interfaceCalls)}` : ''}</p>
${table(r, alts, okRuns)}
<h3>Per guest</h3>
${perGuest}
</section>`;
}
