/**
 * Writes every file of a report into an existing directory. The caller owns atomicity: it creates a
 * temporary directory, calls this, then renames the directory into place, so a reader never sees a
 * half-written report (DESIGN §3.12).
 *
 * Layout of `dir`:
 *   results.json                 everything (deterministic bytes), results.schema.json its JSON Schema
 *   summary.csv                  one row per run; summary-by-alternative.csv mean and 95 % CI per alternative
 *   comparison.csv               the verdicts: differences from the baseline, p-values, margins
 *   guest-summary.csv            one row per run × guest
 *   tidy.csv, tidy.parquet       one row per run × host-or-guest × metric (./tidy.ts)
 *   series/<alt>__seed-<n>.csv   each run's time series
 *   report.html                  the page: comparison, tables, charts; runs/<alt>__seed-<n>.js each
 *                                run's charts, loaded by the page when the run is picked
 *   charts/*.{png,svg,pdf}       the experiment's charts (metrics, sweep-<metric>: each metric against
 *                                the swept factor, comparison over time) as images and vectors;
 *                                charts/overview.png for slides
 *
 * Charts, series CSVs and run scripts are written by a render pool of `threads` processes
 * (reports/render-pool.ts) while this thread writes results.json and the page, so every file but
 * results.json is done in parallel. Each run's own charts are in the page (every run), not in charts/:
 * a chart per guest quantity per run in three formats would be most of the report's time.
 *
 * The series are read one run at a time (ResultsSource), so memory holds every run's summary but
 * only a few runs' series: first the first successful run of each alternative, reduced to what the
 * comparison charts draw; then every run once, written into results.json here and handed to the
 * pool for its series CSV and page script (read when the pool has room: one run per process). At
 * its peak this holds what sim/experiment/estimate.ts counts for the main process plus the series of
 * up to `threads` runs on their way to the render processes (not counted there yet).
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseResultsFile, parseRunResult, resultsJsonSchemaText } from '../sim/results/schema.js';
import { sourceFromResults, type ResultsSource } from '../sim/results/source.js';
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import { alternativeOrder, compareAlternatives } from './aggregate.js';
import {
  CHART_DEFAULTS,
  comparisonChartsOf,
  firstOkRunIndexes,
  metricCharts,
  reduceForComparison,
} from './charts.js';
import { HTML_CHART_OPTIONS, htmlPage, htmlRunEntry } from './html.js';
import type { ReportNotes } from './interface-section.js';
import { reportFileStems, runDetailPath, seriesCsvPath } from './names.js';
import { RenderPool } from './render-pool.js';
import { resultsJsonPieces } from './results-json.js';
import { summaryCsvFiles } from './tables.js';
import { TextFile } from './text-file.js';
import { sweepCharts, sweepOverviewCharts } from './sweep-charts.js';
import { writeTidyTables } from './tidy.js';

/** How a report is written (beyond what it is written from). */
export interface ReportOptions {
  /** Render threads (default 1: on this thread). */
  threads?: number;
  /**
   * Progress of the render pool: tasks (a chart in every format, a run's files, the overview)
   * finished and queued so far; the queued count grows until every run has been read.
   */
  onProgress?: (done: number, queued: number) => void;
}

/**
 * Writes results.json, results.schema.json, the CSV tables, series/*.csv, report.html, runs/*.js
 * and charts/* into `dir`, which must already exist. Everything is a pure function of `results`
 * (and of `notes`, the caller's text on what the simulator's interfaces count), whatever
 * `opts.threads`. Throws (before writing anything) if `results` is invalid or `dir` is not a
 * directory. Returns nothing; the files are the output.
 */
export async function writeReportFiles(
  results: ResultsFile,
  dir: string,
  notes: ReportNotes = {},
  opts: ReportOptions = {},
): Promise<void> {
  await checkDir(dir);
  // Validate everything first: an invalid ResultsFile fails here, before any file is written.
  await writeReport(sourceFromResults(parseResultsFile(results)), dir, notes, opts);
}

/**
 * writeReportFiles from a source whose series are read one run at a time. The summaries are
 * validated before anything is written; each run's series when it is read, so an invalid one
 * throws with files half-written in `dir` (the caller discards the directory).
 */
export async function writeReport(
  src: ResultsSource,
  dir: string,
  notes: ReportNotes = {},
  opts: ReportOptions = {},
): Promise<void> {
  await checkDir(dir);
  const results = parseResultsFile(src.results);
  const order = alternativeOrder(results);
  const stems = reportFileStems(results);
  const readRun = (i: number): RunResult => {
    const series = src.readSeries(i);
    return parseRunResult(series === undefined ? results.runs[i] : { ...results.runs[i], series }, i);
  };
  const pool = new RenderPool(dir, {
    threads: opts.threads ?? 1,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  try {
    // The comparison charts: the first successful run of each alternative, reduced as it is read.
    const firsts = firstOkRunIndexes(results, (i) => src.hasSeries(i));
    let reduced = firsts.map((i, k) => reduceForComparison(readRun(i), k < CHART_DEFAULTS.maxLines));
    // One comparison for both chart sets (each would otherwise run every test of difference again).
    const table = compareAlternatives(results);
    const metrics = metricCharts(results, table);
    const sweep = sweepCharts(results, table);
    const comparisonHtml = comparisonChartsOf(reduced, order, HTML_CHART_OPTIONS);
    const comparisonPng = comparisonChartsOf(reduced, order);
    reduced = [];
    pool.charts([...metrics, ...sweep, ...comparisonPng]);
    // A sweep's overview shows each metric against the swept factor; otherwise the metric bars.
    const overview = sweep.length > 0 ? sweepOverviewCharts(sweep) : metrics;
    pool.overview(results, overview, comparisonPng);

    const files = new Map<string, string>([
      ['results.schema.json', resultsJsonSchemaText()],
      ...summaryCsvFiles(results),
    ]);
    for (const [rel, text] of files) await writeFile(join(dir, rel), text, 'utf8');
    writeTidyTables(results, dir);

    // Every run once, in order: its part of results.json and report.html here, its files on the pool.
    const withCharts = results.runs.filter((run, i) => run.status === 'ok' && src.hasSeries(i));
    // The page says how far each failed run's series go: those runs are few, read here whole.
    const withFailedSeries = {
      ...results,
      runs: results.runs.map((run, i) => (run.status === 'failed' && src.hasSeries(i) ? readRun(i) : run)),
    };
    const page = htmlPage(
      withFailedSeries,
      { metrics, comparison: comparisonHtml, sweep },
      withCharts,
      notes,
    );
    const json = resultsJsonPieces(results);
    const jsonFile = new TextFile(join(dir, 'results.json'));
    const htmlFile = new TextFile(join(dir, 'report.html'));
    try {
      jsonFile.write(json.head);
      htmlFile.write(page.before);
      withCharts.forEach((run, k) => htmlFile.write(`${k > 0 ? ',' : ''}${htmlRunEntry(run, stems, order)}`));
      htmlFile.write(page.after);
      for (let i = 0; i < results.runs.length; i++) {
        // The pool reads the run when it has room for its files (it gets its own copy: json.run
        // below reorders the run's records).
        const run = await pool.run(
          () => readRun(i),
          (r) => {
            if (r.series === undefined) return undefined;
            const csvPath = seriesCsvPath(stems, r);
            return r.status === 'ok' ? { csvPath, detailPath: runDetailPath(stems, r) } : { csvPath };
          },
          stems,
        );
        // Last: it reorders the run's records in place (the page and CSVs above read the summary as is).
        json.run(run, i, (text) => jsonFile.write(text));
      }
      jsonFile.write(json.tail);
    } finally {
      jsonFile.close();
      htmlFile.close();
    }
    await pool.finish();
  } finally {
    await pool.close();
  }
}

async function checkDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new Error(`report directory ${JSON.stringify(dir)} does not exist or is not a directory`);
}
