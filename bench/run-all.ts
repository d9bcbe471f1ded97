/**
 * `npm run bench`: runs every benchmark and prints one table (benchmark, figure, target,
 * pass/short), and writes the same rows to out/bench.json. Benchmarks measure wall time here,
 * never in tests. The kernel's PHOLD, and the dense host of bench/dense-host.yaml (one thread,
 * in this process; peak RSS read after it, so it includes the PHOLD run before).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runPhold } from './kernel-phold.js';
import { bareHeapPholdEventsPerS } from './bare-heap-reference.js';
import { loadExperimentFile, runSpecs } from '../sim/experiment/load.js';
import { simulate } from '../sim/host/run.js';

interface Row {
  benchmark: string;
  figure: number;
  unit: string;
  /** null for calibration rows that have no target. */
  target: number | null;
  pass: boolean | null;
}

const rows: Row[] = [];
const phold = runPhold();
rows.push({
  benchmark: 'kernel PHOLD (1,000 LPs × 10 events, lookahead 0.1)',
  figure: Math.round(phold.eventsPerS),
  unit: 'events/s',
  target: 5_000_000,
  pass: phold.eventsPerS >= 5_000_000,
});

const bare = bareHeapPholdEventsPerS();
rows.push({
  benchmark: 'reference: same PHOLD on a bare typed-array heap (machine calibration)',
  figure: Math.round(bare),
  unit: 'events/s',
  target: null,
  pass: null,
});

// Dense host: 64 guests × 2 vCPUs on 16 pCPUs, one simulated hour, one thread.
const dense = runSpecs(loadExperimentFile('bench/dense-host.yaml'))[0]!;
const t0 = process.hrtime.bigint();
simulate(dense, { checkInvariants: false });
const denseWallS = Number(process.hrtime.bigint() - t0) / 1e9;
const realTime = dense.durationNs / 1e9 / denseWallS;
rows.push({
  benchmark: 'dense host (bench/dense-host.yaml): simulated s per wall s, one thread',
  figure: Math.round(realTime),
  unit: '× real time',
  target: 1000,
  pass: realTime >= 1000,
});
rows.push({
  benchmark: 'peak RSS of this benchmark process (after the dense host)',
  figure: Math.round(process.resourceUsage().maxRSS / 1024),
  unit: 'MiB',
  target: null,
  pass: null,
});

const fmt = (n: number) => n.toLocaleString('en-US');
console.log(['benchmark', 'figure', 'target', 'result'].join(' | '));
for (const r of rows) {
  const target = r.target === null ? '—' : `≥ ${fmt(r.target)} ${r.unit}`;
  const verdict = r.pass === null ? '—' : r.pass ? 'pass' : 'short';
  console.log([r.benchmark, `${fmt(r.figure)} ${r.unit}`, target, verdict].join(' | '));
}
mkdirSync('out', { recursive: true });
writeFileSync('out/bench.json', `${JSON.stringify(rows, null, 2)}\n`);
