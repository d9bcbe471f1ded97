/**
 * `npm run bench`: runs every benchmark and prints one table (benchmark, figure, target,
 * pass/short), and writes the same rows to out/bench.json. Benchmarks measure wall time here,
 * never in tests. For now: the kernel's PHOLD; the model benchmarks join as the models land.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runPhold } from './kernel-phold.js';

interface Row {
  benchmark: string;
  figure: number;
  unit: string;
  target: number;
  pass: boolean;
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

const fmt = (n: number) => n.toLocaleString('en-US');
console.log(['benchmark', 'figure', 'target', 'result'].join(' | '));
for (const r of rows) {
  console.log(
    [
      r.benchmark,
      `${fmt(r.figure)} ${r.unit}`,
      `≥ ${fmt(r.target)} ${r.unit}`,
      r.pass ? 'pass' : 'short',
    ].join(' | '),
  );
}
mkdirSync('out', { recursive: true });
writeFileSync('out/bench.json', `${JSON.stringify(rows, null, 2)}\n`);
