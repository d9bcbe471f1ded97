/**
 * `npm run bench`: runs every benchmark and prints one table (benchmark, figure, target,
 * pass/short), and writes the same rows to out/bench.json. Benchmarks measure wall time here,
 * never in tests. For now: the kernel's PHOLD; the model benchmarks join as the models land.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runPhold } from './kernel-phold.js';
import { bareHeapPholdEventsPerS } from './bare-heap-reference.js';

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

const fmt = (n: number) => n.toLocaleString('en-US');
console.log(['benchmark', 'figure', 'target', 'result'].join(' | '));
for (const r of rows) {
  const target = r.target === null ? '—' : `≥ ${fmt(r.target)} ${r.unit}`;
  const verdict = r.pass === null ? '—' : r.pass ? 'pass' : 'short';
  console.log([r.benchmark, `${fmt(r.figure)} ${r.unit}`, target, verdict].join(' | '));
}
mkdirSync('out', { recursive: true });
writeFileSync('out/bench.json', `${JSON.stringify(rows, null, 2)}\n`);
