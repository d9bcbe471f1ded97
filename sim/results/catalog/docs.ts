/**
 * docs/results.md, generated from the figure catalog: every run metric, series column and
 * guest-summary.csv column with its unit, direction, window and meaning, in the order the outputs
 * have them. A test fails when the checked-in page differs:
 * `VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/results-doc.test.ts` rewrites it.
 */
import { metricColumnNames } from '../column-names.js';
import { GUEST_SERIES } from './guest-series.js';
import { GUEST_SUMMARY_COLUMNS } from './guest-columns.js';
import { HOST_SERIES } from './host-series.js';
import {
  metricWindowText,
  SERIES_WINDOW_TEXT,
  type GuestSeriesFigure,
  type HostSeriesFigure,
} from './figure.js';
import { METRICS, RUN_METRICS } from './run-metrics.js';

/** Default location of the page, relative to the repository root. */
export const RESULTS_DOC_PATH = 'docs/results.md';

export const code = (s: string) => `\`${s}\``;
/** Text safe in a table cell: no pipes, no line breaks. */
const cell = (s: string) => s.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (r: readonly string[]) => `| ${r.map(cell).join(' | ')} |\n`;
  return line(head) + line(head.map(() => '---')) + rows.map(line).join('');
}

export const better = (b: string) => (b === 'neither' ? '—' : b);

/** A series figure's row: quantity, unit, direction, window, meaning. */
export function seriesRow(f: HostSeriesFigure | GuestSeriesFigure): string[] {
  const reference = 'reference' in f && f.reference === true ? ' (a reference level, drawn dashed)' : '';
  const levels =
    'levels' in f && f.levels !== undefined
      ? `; levels ${f.levels.map((l, i) => `${i} ${l}`).join(', ')}`
      : '';
  const over = 'overGuests' in f ? [f.overGuests] : [];
  return [
    code(f.quantity),
    f.unit,
    better(f.better),
    ...over,
    SERIES_WINDOW_TEXT[f.window],
    f.description + reference + levels,
  ];
}

/** The page's markdown, before formatting. */
export function resultsDocMarkdown(): string {
  const columns = metricColumnNames(METRICS);
  return `# What a run measures

<!-- Generated from sim/results/catalog/ (one row per figure); do not edit by hand. Regenerate with
VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/results-doc.test.ts -->

Every figure below is one row of the figure catalog in \`sim/results/catalog/\`, which the
statistics sample and summarize, results.json declares and the CSV tables name their columns from.
Summaries cover the measured window: the run less its \`warmup\` (states such as memory are at the
end of the run). Series keep every sample, the warmup's included.

## Run metrics

One value per run: \`runs[].summary.metrics\` in results.json (declared in its \`metrics\`), a column
of summary.csv, and \`<column>_mean\`, \`<column>_ci95\`, \`<column>_n\` in summary-by-alternative.csv.
The workload measures at the end (web latency, dropped requests, transactions, builds) are what
the workloads measured of themselves over the whole run, warmup included; a run none of whose guests
runs such a workload has no value for them (an empty cell, not 0), and the report leaves a metric no
run measured out of its comparison.

${table(
  ['metric', 'CSV column', 'unit', 'better', 'how', 'what'],
  RUN_METRICS.map((m, i) => [
    code(m.id),
    code(columns[i] ?? ''),
    m.unit,
    better(m.better),
    metricWindowText(m.window),
    m.description,
  ]),
)}
## Time series

A row per sample (\`time_s\` first) in \`series/<alternative>__seed-<n>.csv\` and
\`runs[].series\` of results.json. Column names carry their unit.

### Host

${table(['column', 'unit', 'better', 'at each sample', 'what'], HOST_SERIES.map(seriesRow))}
### Each guest

Named \`<guest>_<quantity>\`, after the host's columns, guest by guest. A balloon policy that
reports figures of its own (e.g. ESX's working-set estimate) adds them after each guest's.
\`over guests\` is how the report's comparison charts draw a quantity for all guests on one line
(results.json carries it on each column as \`overGuests\`): \`mean\`, \`worst\` (largest in
magnitude) or \`total\`.

${table(['quantity', 'unit', 'better', 'over guests', 'at each sample', 'what'], GUEST_SERIES.map(seriesRow))}
## guest-summary.csv

A row per successful run × guest: \`run_id\`, \`alternative\`, \`seed\`, \`guest\`, then these
(cumulative figures over the measured window), then \`calls_<name>\` per interface call name and
\`workload_<metric>\` per measure a workload reports (empty for guests whose workload lacks it).

${table(
  ['column', 'unit', 'what'],
  GUEST_SUMMARY_COLUMNS.map((c) => [code(c.column), c.unit, c.description]),
)}`;
}

/** Markdown formatted with the project's prettier settings, as a page at `path` is checked in. */
export async function formattedMarkdown(markdown: string, path: string): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(markdown, { ...config, filepath: path });
}

/** The page as checked in: resultsDocMarkdown formatted with the project's prettier settings. */
export async function resultsDocText(path: string = RESULTS_DOC_PATH): Promise<string> {
  return formattedMarkdown(resultsDocMarkdown(), path);
}
