/**
 * The report's share of `vmisim run` (issue 18): for bench/report-32.yaml and bench/report-48.yaml,
 * `vmisim run --threads 2 --fresh` timed as a user runs it, the wall time after its last run's
 * progress line (results, CSV, report.html, runs/*.js and the charts in three formats) as a share of
 * the whole command, and report.html's bytes per run. Targets: at most 25 % and 150 KB per run.
 * Part of `npm run bench` (bench/run-all.ts); alone: `npm run build && node dist/bench/report-share.js`.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeCli } from './cli-run.js';

/** A row of the bench table (bench/run-all.ts prints them). */
export interface Row {
  benchmark: string;
  /** null when the benchmark could not produce it (see `shown`). */
  figure: number | null;
  unit: string;
  /** null for calibration rows that have no target. */
  target: number | null;
  /** How the figure meets the target: at least (default) or at most. */
  cmp?: '≥' | '≤';
  pass: boolean | null;
  /** Printed instead of figure and unit (a yes/no benchmark, or why there is no figure). */
  shown?: string;
  /** Printed instead of the numeric target. */
  targetShown?: string;
}

export const REPORT_SHARE_MAX = 0.25;
export const HTML_BYTES_PER_RUN_MAX = 150 * 1024;

/** Runs each file under `out` (its output and run cache removed first) and returns the rows. */
export async function reportShareRows(
  root: string,
  out: string,
  progress: (s: string) => void,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [file, runs] of [
    ['bench/report-32.yaml', 32],
    ['bench/report-48.yaml', 48],
  ] as const) {
    const name = `report-${runs}`;
    const dir = join(out, name);
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(out, `.${name}.runs`), { recursive: true, force: true });
    progress(`report share: vmisim run ${file} (${runs} runs, --threads 2) …`);
    const t = await timeCli(['run', file, '--threads', '2', '--fresh', '--out', dir], root);
    const afterRunsS = t.runsDoneWallS === undefined ? undefined : t.totalWallS - t.runsDoneWallS;
    const share = afterRunsS === undefined ? null : afterRunsS / t.totalWallS;
    const charts = existsSync(join(dir, 'charts')) ? readdirSync(join(dir, 'charts')) : [];
    const count = (ext: string) => charts.filter((f) => f.endsWith(ext)).length;
    rows.push({
      benchmark: `report share (${file}, ${runs} runs, --threads 2): wall after the last run / whole \`vmisim run\` (${round(afterRunsS ?? NaN, 2)} of ${round(t.totalWallS, 2)} s; ${count('.png')} PNG, ${count('.svg')} SVG, ${count('.pdf')} PDF)`,
      figure: share === null ? null : round(share * 100, 1),
      unit: '%',
      target: REPORT_SHARE_MAX * 100,
      cmp: '≤',
      pass: share === null ? false : share <= REPORT_SHARE_MAX,
      ...(share === null ? { shown: 'no progress line of the last run' } : {}),
    });
    const htmlBytes = existsSync(join(dir, 'report.html')) ? statSync(join(dir, 'report.html')).size : NaN;
    const perRunKiB = htmlBytes / runs / 1024;
    rows.push({
      benchmark: `report share (${file}): report.html KiB per run (${round(htmlBytes / 1024, 0)} KiB in all)`,
      figure: round(perRunKiB, 1),
      unit: 'KiB',
      target: HTML_BYTES_PER_RUN_MAX / 1024,
      cmp: '≤',
      pass: htmlBytes / runs <= HTML_BYTES_PER_RUN_MAX,
    });
  }
  return rows;
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

// Run on its own: print the rows.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const rows = await reportShareRows(root, join(root, 'out', 'bench'), (s) =>
    process.stderr.write(`bench: ${s}\n`),
  );
  for (const r of rows)
    console.log(
      [
        r.benchmark,
        r.shown ?? `${r.figure} ${r.unit}`,
        `${r.cmp ?? '≥'} ${r.target} ${r.unit}`,
        r.pass ? 'pass' : 'short',
      ].join(' | '),
    );
}
