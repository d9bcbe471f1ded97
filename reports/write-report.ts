/**
 * Writes every file of a report into an existing directory. The caller owns atomicity: it creates a
 * temporary directory, calls this, then renames the directory into place, so a reader never sees a
 * half-written report (DESIGN §3.12).
 *
 * Layout of `dir`:
 *   results.json                 everything (deterministic bytes), results.schema.json its JSON Schema
 *   summary.csv                  one row per run; summary-by-alternative.csv mean and 95 % CI per alternative
 *   guest-summary.csv            one row per run × guest
 *   series/<alt>__seed-<n>.csv   each run's time series
 *   report.html                  the self-contained page
 *   charts/*.png                 charts of the report, charts/overview.png for papers and slides
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { resultsJsonSchemaText } from '../sim/results/schema.js';
import type { ResultsFile } from '../sim/results/types.js';
import { buildReportCharts } from './charts.js';
import { renderHtml } from './html.js';
import { writeChartPngs } from './png.js';
import { serializeResults } from './results-json.js';
import { allCsvFiles } from './tables.js';

/**
 * Writes results.json, results.schema.json, the CSV tables, series/*.csv, report.html and
 * charts/*.png into `dir`, which must already exist. Everything except the PNG bytes is a pure
 * function of `results`. Throws (before writing anything) if `results` is invalid or `dir` is not a
 * directory. Returns nothing; the files are the output.
 */
export async function writeReportFiles(results: ResultsFile, dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new Error(`report directory ${JSON.stringify(dir)} does not exist or is not a directory`);
  // Build every text first: an invalid ResultsFile fails here, before any file is written.
  const texts = new Map<string, string>([
    ['results.json', serializeResults(results)],
    ['results.schema.json', resultsJsonSchemaText()],
    ...allCsvFiles(results),
    ['report.html', renderHtml(results)],
  ]);
  for (const [rel, text] of texts) {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
  }
  await writeChartPngs(results, buildReportCharts(results), dir);
}
