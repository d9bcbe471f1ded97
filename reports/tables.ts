/**
 * CSV tables for pandas/R/spreadsheets: one row per run (summary.csv), one row per alternative with
 * mean and 95 % CI over seeds (summary-by-alternative.csv), the verdicts with their differences and
 * p-values (comparison.csv, ./comparison-csv.ts), one row per run × guest
 * (guest-summary.csv), and each run's time series (series/<alternative>__seed-<n>.csv).
 *
 * Format: RFC 4180 quoting (fields containing `,`, `"`, CR or LF are wrapped in quotes, inner quotes
 * doubled), `\n` line ends, UTF-8 without BOM, header row first. Numbers are written as JavaScript
 * prints them (shortest round-trip form); missing or non-finite values are empty cells.
 */
import type { ResultsFile, RunResult, RunSeries } from '../sim/results/types.js';
import { compareAlternatives } from './aggregate.js';
import { reportFileStems, seriesCsvPath } from './names.js';
import { metricColumnNames } from '../sim/results/column-names.js';
import { GUEST_SUMMARY_COLUMNS } from '../sim/results/catalog/guest-columns.js';
import { summaryMarkdown } from './summary-md.js';
import { comparisonCsv } from './comparison-csv.js';
import { toCsv, type CsvValue } from './csv.js';

export { csvField, toCsv, type CsvValue } from './csv.js';

/** summary.csv: run_id, alternative, seed, status, one column per metric (`<id>_<unit>`), error. */
export function summaryCsv(r: ResultsFile): string {
  const cols = metricColumnNames(r.metrics);
  const header = ['run_id', 'alternative', 'seed', 'status', ...cols, 'error'];
  const rows = r.runs.map((run) => [
    run.runId,
    run.alternative,
    run.seed,
    run.status,
    ...r.metrics.map((m) => run.summary?.metrics[m.id]),
    run.error,
  ]);
  return toCsv([header, ...rows]);
}

/**
 * summary-by-alternative.csv: one row per alternative with n_runs, n_ok, n_failed and, per metric
 * that applies to the experiment (aggregate.ts metricApplies: some run measured it),
 * `<col>_mean`, `<col>_ci95` (half-width, empty with fewer than 2 successful seeds) and `<col>_n`.
 */
export function summaryByAlternativeCsv(r: ResultsFile): string {
  const table = compareAlternatives(r);
  const header = [
    'alternative',
    'n_runs',
    'n_ok',
    'n_failed',
    ...table.metrics.flatMap((m) => [`${m.column}_mean`, `${m.column}_ci95`, `${m.column}_n`]),
  ];
  const rows = table.alternatives.map((a, i) => [
    a.alternative,
    a.runs,
    a.ok,
    a.failed,
    ...table.metrics.flatMap((m) => {
      const s = m.stats[i]?.stats;
      return [s?.mean, s?.ci95Half, s?.n];
    }),
  ]);
  return toCsv([header, ...rows]);
}

/**
 * guest-summary.csv: one row per successful run × guest with its figures over the measured window
 * (the figure catalog's columns, sim/results/catalog/guest-columns.ts), one `calls_<name>` column
 * per interface call name seen anywhere in the file and one `workload_<metric>` column per workload
 * metric (empty for guests whose workload lacks it).
 */
export function guestSummaryCsv(r: ResultsFile): string {
  const callNames = [
    ...new Set(
      r.runs.flatMap((run) => run.summary?.guests.flatMap((g) => Object.keys(g.interfaceCalls)) ?? []),
    ),
  ].sort();
  const metricNames = [
    ...new Set(
      r.runs.flatMap((run) => run.summary?.guests.flatMap((g) => Object.keys(g.workloadMetrics)) ?? []),
    ),
  ].sort();
  const header = [
    'run_id',
    'alternative',
    'seed',
    'guest',
    ...GUEST_SUMMARY_COLUMNS.map((c) => c.column),
    ...callNames.map((c) => `calls_${c}`),
    ...metricNames.map((m) => `workload_${m}`),
  ];
  const rows = r.runs.flatMap((run) =>
    (run.summary?.guests ?? []).map((g) => [
      run.runId,
      run.alternative,
      run.seed,
      g.name,
      ...GUEST_SUMMARY_COLUMNS.map((c) => c.read(g)),
      ...callNames.map((c) => g.interfaceCalls[c] ?? 0),
      // Empty, not 0, where a guest's workload does not measure that quantity.
      ...metricNames.map((m) => g.workloadMetrics[m] ?? ''),
    ]),
  );
  return toCsv([header, ...rows]);
}

/** One run's series as CSV: `time_s`, then every column under its own name (names carry units). */
export function seriesCsv(run: RunResult): string | undefined {
  if (run.series === undefined) return undefined;
  const parts: string[] = [];
  writeSeriesCsv(run.series, (s) => parts.push(s));
  return parts.join('');
}

/** Rows per piece handed to `write` by writeSeriesCsv: a long series is never one string. */
const ROWS_PER_PIECE = 1000;

/** Writes the text of seriesCsv in pieces of whole lines, for a file written a run at a time. */
export function writeSeriesCsv(s: RunSeries, write: (text: string) => void): void {
  write(toCsv([['time_s', ...s.columns.map((c) => c.name)]]));
  for (let from = 0; from < s.timeS.length; from += ROWS_PER_PIECE) {
    const to = Math.min(s.timeS.length, from + ROWS_PER_PIECE);
    const rows: CsvValue[][] = [];
    for (let i = from; i < to; i++) rows.push([s.timeS[i], ...s.values.map((col) => col[i])]);
    write(toCsv(rows));
  }
}

/** The CSV tables built from the runs' summaries alone (every CSV but the series), path → text. */
export function summaryCsvFiles(r: ResultsFile): Map<string, string> {
  return new Map<string, string>([
    ['summary.csv', summaryCsv(r)],
    ['summary.md', summaryMarkdown(r)],
    ['summary-by-alternative.csv', summaryByAlternativeCsv(r)],
    ['comparison.csv', comparisonCsv(r)],
    ['guest-summary.csv', guestSummaryCsv(r)],
  ]);
}

/** Every CSV of a report as relative path → text, series files included. */
export function allCsvFiles(r: ResultsFile): Map<string, string> {
  const files = summaryCsvFiles(r);
  const stems = reportFileStems(r);
  for (const run of r.runs) {
    const text = seriesCsv(run);
    if (text !== undefined) files.set(seriesCsvPath(stems, run), text);
  }
  return files;
}
