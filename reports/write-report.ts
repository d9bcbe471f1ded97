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
 * results.json is done in parallel. Under `vmisim run` this starts before the runs are done
 * (writeReportAsRunsFinish): each run's files are written as it finishes and the comparison charts
 * once every alternative's first run is in, so only what compares all runs is left for the end.
 * Each run's own charts are in the page (every run), not in charts/:
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
import {
  pendingFromSource,
  sourceFromResults,
  type PendingResults,
  type ResultsSource,
  type RunHandle,
  type RunSlot,
} from '../sim/results/source.js';
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import { alternativeOrder, compareAlternatives } from './aggregate.js';
import {
  CHART_DEFAULTS,
  comparisonChartsOf,
  metricCharts,
  reduceForComparison,
  type ChartSpec,
} from './charts.js';
import { HTML_CHART_OPTIONS, htmlPage, htmlRunEntry } from './html.js';
import type { ReportNotes } from './interface-section.js';
import { reportFileStems, runDetailPath, seriesCsvPath } from './names.js';
import { comparisonCandidates } from './comparison-charts.js';
import { RenderPool } from './render-pool.js';
import { resultsJsonPieces } from './results-json.js';
import { summaryCsvFiles } from './tables.js';
import { TextFile, writeTextFile } from './text-file.js';
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
  /** Stops the report (Ctrl-C): rendering ends and the report rejects; the caller discards `dir`. */
  signal?: AbortSignal;
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
  parseResultsFile(src.results);
  await writeReportAsRunsFinish(pendingFromSource(src), dir, notes, opts);
}

/**
 * writeReport while the runs are still finishing (`vmisim run`): each run's series CSV, page script
 * and part of results.json are written as soon as it and the runs before it are in, the comparison
 * charts once every alternative's first successful run is; the rest (everything that compares all
 * runs) when the last run is in. The files are those writeReport writes from the finished results,
 * byte for byte: the same code, only waiting at different places.
 *
 * Rejects when `pending` stops before every run is in (an interrupted run); the caller discards `dir`.
 */
export async function writeReportAsRunsFinish(
  pending: PendingResults,
  dir: string,
  notes: ReportNotes = {},
  opts: ReportOptions = {},
): Promise<void> {
  await checkDir(dir);
  const { runs: _none, ...header } = parseResultsFile({ ...pending.header, runs: [] });
  // What names the files: the alternatives and seeds, known before any run finishes.
  const skeleton = { experiment: header.experiment, runs: pending.slots };
  const order = alternativeOrder(skeleton);
  const stems = reportFileStems(skeleton);
  const n = pending.slots.length;
  // Each run as it comes in. Its summary is validated with its series when read (readRun), and
  // with every other run once all are in (parseResultsFile, for the rules across runs).
  const handles: RunHandle[] = [];
  const arrived = async (i: number): Promise<RunHandle> => (handles[i] ??= await pending.run(i));
  const readRun = (i: number): RunResult => {
    const h = handles[i]!;
    const series = h.readSeries();
    return parseRunResult(series === undefined ? h.result : { ...h.result, series }, i);
  };
  const pool = new RenderPool(dir, {
    threads: opts.threads ?? 1,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const stop = () => void pool.close();
  opts.signal?.addEventListener('abort', stop, { once: true });
  const throwIfStopped = () => {
    if (opts.signal?.aborted) throw new Error('the report was stopped');
  };
  try {
    // The comparison charts as soon as their runs are in (chart ids: compare-*, so queueing them
    // before the metric-* and sweep-* charts names no file differently).
    const comparison = comparisonChartsWhenIn(pending.slots, order, arrived, readRun).then((c) => {
      pool.charts(c.png);
      return c;
    });
    // Awaited below; an error in the loop first must not leave this rejection unhandled.
    comparison.catch(() => {});
    // Every run once, in order: its part of results.json here, its series CSV and script on the pool.
    const json = resultsJsonPieces(header, n);
    const jsonFile = new TextFile(join(dir, 'results.json'));
    try {
      jsonFile.write(json.head);
      for (let i = 0; i < n; i++) {
        await arrived(i);
        throwIfStopped();
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
        // Last: it reorders the run's records in place (everything else reads the summary as is).
        json.run(run, i, (text) => jsonFile.write(text));
      }
      jsonFile.write(json.tail);
    } finally {
      jsonFile.close();
    }
    const { html: comparisonHtml, png: comparisonPng } = await comparison;

    // Every run is in: what compares them.
    throwIfStopped();
    const results = parseResultsFile({ ...header, runs: handles.map((h) => h.result) });
    const table = compareAlternatives(results);
    const metrics = metricCharts(results, table);
    const sweep = sweepCharts(results, table);
    // A sweep's overview shows each metric against the swept factor; otherwise the metric bars.
    // Queued first: it is the longest task, and the charts fill the other processes meanwhile.
    const overview = sweep.length > 0 ? sweepOverviewCharts(sweep) : metrics;
    pool.overview(results, overview, comparisonPng);
    pool.charts([...metrics, ...sweep]);

    const files = new Map<string, string>([
      ['results.schema.json', resultsJsonSchemaText()],
      ...summaryCsvFiles(results),
    ]);
    for (const [rel, text] of files) await writeFile(join(dir, rel), text, 'utf8');
    writeTidyTables(results, dir);

    const withCharts = results.runs.filter((run, i) => run.status === 'ok' && handles[i]!.hasSeries);
    // The page says how far each failed run's series go: those runs are few, read here whole.
    const withFailedSeries = {
      ...results,
      runs: results.runs.map((run, i) =>
        run.status === 'failed' && handles[i]!.hasSeries ? readRun(i) : run,
      ),
    };
    const page = htmlPage(
      withFailedSeries,
      { metrics, comparison: comparisonHtml, sweep },
      withCharts,
      notes,
    );
    writeTextFile(join(dir, 'report.html'), (write) => {
      write(page.before);
      withCharts.forEach((run, k) => write(`${k > 0 ? ',' : ''}${htmlRunEntry(run, stems, order)}`));
      write(page.after);
    });
    await pool.finish();
    throwIfStopped();
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    await pool.close();
  }
}

/**
 * The comparison charts (page and files), from the first successful run with a series of each
 * alternative (as firstOkRunIndexes picks them), waiting for each alternative's runs in that order
 * only as far as its first successful one.
 */
async function comparisonChartsWhenIn(
  slots: readonly RunSlot[],
  order: readonly string[],
  arrived: (i: number) => Promise<RunHandle>,
  readRun: (i: number) => RunResult,
): Promise<{ html: ChartSpec[]; png: ChartSpec[] }> {
  const firsts: number[] = [];
  for (const candidates of comparisonCandidates(slots, order)) {
    for (const i of candidates) {
      const h = await arrived(i);
      if (h.result.status === 'ok' && h.hasSeries) {
        firsts.push(i);
        break;
      }
    }
  }
  const reduced = firsts.map((i, k) => reduceForComparison(readRun(i), k < CHART_DEFAULTS.maxLines));
  return {
    html: comparisonChartsOf(reduced, order, HTML_CHART_OPTIONS),
    png: comparisonChartsOf(reduced, order),
  };
}

async function checkDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new Error(`report directory ${JSON.stringify(dir)} does not exist or is not a directory`);
}
