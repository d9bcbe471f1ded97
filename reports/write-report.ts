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
 *   report.html                  the self-contained page
 *   charts/*.png                 charts of the report (charts/sweep-<metric>.png: each metric against the
 *                                swept factor), charts/overview.png for papers and slides
 *
 * The series are read one run at a time (ResultsSource), so memory holds every run's summary but
 * only one run's series: first the first successful run of each alternative, reduced to what the
 * comparison charts draw; then every run once, written into results.json, its series CSV, its
 * charts in report.html and, for those first runs, its PNGs, before the next is read. What this
 * holds at its peak is what sim/experiment/estimate.ts counts for the main process.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseResultsFile, parseRunResult, resultsJsonSchemaText } from '../sim/results/schema.js';
import { sourceFromResults, type ResultsSource } from '../sim/results/source.js';
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import { alternativeOrder } from './aggregate.js';
import {
  CHART_DEFAULTS,
  comparisonChartsOf,
  firstOkRunIndexes,
  metricCharts,
  reduceForComparison,
  runChartPrefix,
  runCharts,
} from './charts.js';
import { HTML_CHART_OPTIONS, htmlPage, writeHtmlRunData } from './html.js';
import type { ReportNotes } from './interface-section.js';
import { reportFileStems, seriesCsvPath } from './names.js';
import { ChartPngWriter } from './png.js';
import { resultsJsonPieces } from './results-json.js';
import { summaryCsvFiles, writeSeriesCsv } from './tables.js';
import { TextFile, writeTextFile } from './text-file.js';
import { sweepCharts } from './sweep-charts.js';
import { writeTidyTables } from './tidy.js';

/**
 * Writes results.json, results.schema.json, the CSV tables, series/*.csv, report.html and
 * charts/*.png into `dir`, which must already exist. Everything except the PNG bytes is a pure
 * function of `results` (and of `notes`, the caller's text on what the simulator's interfaces
 * count). Throws (before writing anything) if `results` is invalid or `dir` is not a
 * directory. Returns nothing; the files are the output.
 */
export async function writeReportFiles(
  results: ResultsFile,
  dir: string,
  notes: ReportNotes = {},
): Promise<void> {
  await checkDir(dir);
  // Validate everything first: an invalid ResultsFile fails here, before any file is written.
  await writeReport(sourceFromResults(parseResultsFile(results)), dir, notes);
}

/**
 * writeReportFiles from a source whose series are read one run at a time. The summaries are
 * validated before anything is written; each run's series when it is read, so an invalid one
 * throws with files half-written in `dir` (the caller discards the directory).
 */
export async function writeReport(src: ResultsSource, dir: string, notes: ReportNotes = {}): Promise<void> {
  await checkDir(dir);
  const results = parseResultsFile(src.results);
  const order = alternativeOrder(results);
  const stems = reportFileStems(results);
  const readRun = (i: number): RunResult => {
    const series = src.readSeries(i);
    return parseRunResult(series === undefined ? results.runs[i] : { ...results.runs[i], series }, i);
  };

  // The comparison charts: the first successful run of each alternative, reduced as it is read.
  const firsts = firstOkRunIndexes(results, (i) => src.hasSeries(i));
  let reduced = firsts.map((i, k) => reduceForComparison(readRun(i), k < CHART_DEFAULTS.maxLines));
  const metrics = metricCharts(results);
  const sweep = sweepCharts(results);
  const comparisonHtml = comparisonChartsOf(reduced, order, HTML_CHART_OPTIONS);
  const comparisonPng = comparisonChartsOf(reduced, order);
  reduced = [];

  const files = new Map<string, string>([
    ['results.schema.json', resultsJsonSchemaText()],
    ...summaryCsvFiles(results),
  ]);
  for (const [rel, text] of files) await writeFile(join(dir, rel), text, 'utf8');
  writeTidyTables(results, dir);
  const png = new ChartPngWriter(dir);
  await png.write([...metrics, ...sweep, ...comparisonPng]);

  // Every run once, in order: its part of results.json and report.html, its CSV, its PNGs.
  const withCharts = results.runs.filter((run, i) => run.status === 'ok' && src.hasSeries(i));
  // The page says how far each failed run's series go: those runs are few, read here whole.
  const withFailedSeries = {
    ...results,
    runs: results.runs.map((run, i) => (run.status === 'failed' && src.hasSeries(i) ? readRun(i) : run)),
  };
  const page = htmlPage(withFailedSeries, { metrics, comparison: comparisonHtml, sweep }, withCharts, notes);
  const json = resultsJsonPieces(results);
  const firstSet = new Set(firsts);
  const jsonFile = new TextFile(join(dir, 'results.json'));
  const htmlFile = new TextFile(join(dir, 'report.html'));
  try {
    jsonFile.write(json.head);
    htmlFile.write(page.before);
    let charted = 0;
    for (let i = 0; i < results.runs.length; i++) {
      const run = readRun(i);
      const series = run.series;
      if (series !== undefined) {
        const path = join(dir, seriesCsvPath(stems, run));
        await mkdir(dirname(path), { recursive: true });
        writeTextFile(path, (write) => writeSeriesCsv(series, write));
        if (run.status === 'ok') {
          if (charted++ > 0) htmlFile.write(',');
          writeHtmlRunData(run, stems, order, (text) => htmlFile.write(text));
          if (firstSet.has(i)) await png.write(runCharts(run, runChartPrefix(stems, run)));
        }
      }
      // Last: it reorders the run's records in place (the page and CSVs above read the summary as is).
      json.run(run, i, (text) => jsonFile.write(text));
    }
    jsonFile.write(json.tail);
    htmlFile.write(page.after);
  } finally {
    jsonFile.close();
    htmlFile.close();
  }
  await png.overview(results, { metrics, comparison: comparisonPng });
}

async function checkDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new Error(`report directory ${JSON.stringify(dir)} does not exist or is not a directory`);
}
