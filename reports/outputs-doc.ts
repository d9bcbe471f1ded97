/**
 * docs/outputs.md, generated: every file of an output folder, every column of its tables and every
 * metric of the tidy table with its unit and meaning, from the same declarations the writers use
 * (the figure catalog in sim/results/catalog/, COMPARISON_CSV_HEADER, tidyMetrics). A test fails
 * when the checked-in page differs, or when a report holds a file or a column the page does not
 * name: `VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/outputs-doc.test.ts` rewrites it.
 */
import { better, code, formattedMarkdown, seriesRow, table } from '../sim/results/catalog/docs.js';
import { GUEST_SERIES } from '../sim/results/catalog/guest-series.js';
import { GUEST_SUMMARY_COLUMNS } from '../sim/results/catalog/guest-columns.js';
import { HOST_SERIES } from '../sim/results/catalog/host-series.js';
import { COMPARISON_CSV_HEADER } from './comparison-csv.js';
import { COMPARE_CSV_HEADER } from './compare-folders.js';
import { TIDY_CSV, TIDY_PARQUET, tidyMetrics } from './tidy.js';

export const OUTPUTS_DOC_PATH = 'docs/outputs.md';

/** Every entry of an output folder: its name (a pattern for families of files) and what it holds. */
export const OUTPUT_FILES: readonly { name: string; what: string }[] = [
  {
    name: 'results.json',
    what: 'everything: the experiment (with experiment.host.memorySemantics, the host memory semantics each alternative ran with: esx, xen-pv or kvm), the metric declarations, every run’s summary and series (identical runs give identical bytes); a summary’s `time` holds the host settings that define time (`cpuMHz`, the lost-tick policy `timerDelivery` with its options), and each guest’s `timeSource` (HZ, time sync, the periodic timer it asks for and its rate: HZ, the VMI alarm rate or Xen’s 100 Hz) and `vcpuRunstates` (running, runnable, blocked and offline ns of each vCPU over the window)',
  },
  { name: 'results.schema.json', what: 'the JSON Schema of results.json' },
  { name: 'summary.csv', what: 'one row per run: its run metrics' },
  {
    name: 'summary.md',
    what: 'the comparison table and verdicts in Markdown, and the host memory semantics the runs used',
  },
  {
    name: 'summary-by-alternative.csv',
    what: 'one row per alternative: mean and 95 % interval of each metric',
  },
  {
    name: 'comparison.csv',
    what: 'the verdicts: one row per ranked metric × swept point × alternative against the baseline',
  },
  {
    name: 'guest-summary.csv',
    what: 'one row per successful run × guest: its figures over the measured window',
  },
  {
    name: TIDY_CSV,
    what: 'the tidy table: one row per successful run × host-or-guest × metric, for pandas, R or DuckDB',
  },
  { name: TIDY_PARQUET, what: `the same table as ${TIDY_CSV}, in Apache Parquet with typed columns` },
  { name: 'series/<alternative>__seed-<n>.csv', what: 'one row per sample of one run’s time series' },
  {
    name: 'report.html',
    what: 'the report page, offline: its header says the host and the host memory semantics the runs used; the comparison embedded, each run’s charts loaded from runs/ when the run is picked',
  },
  {
    name: 'runs/<alternative>__seed-<n>.js',
    what: 'one run’s charts for report.html (keep the folder beside the page)',
  },
  {
    name: 'charts/*.png, charts/*.svg, charts/*.pdf',
    what: 'the experiment’s charts (metrics, sweep-<metric> against a swept factor, comparison over time) as images and as vectors for papers; charts/overview.png for slides',
  },
  {
    name: 'timings.json',
    what: 'wall-clock time of each run (never in results.json, which stays reproducible)',
  },
  {
    name: '.vmisim-output.json',
    what: 'marks the folder as vmisim’s: the names above are replaced by a new run',
  },
];

/** Named columns of summary.csv and summary-by-alternative.csv, with `<column>` for each metric's. */
const SUMMARY_COLUMNS: [string, string][] = [
  ['run_id', 'the run: `<alternative>/seed-<seed>`'],
  ['alternative', 'the alternative (compare name, swept point, or both: `<compare>/<key>=<value>,…`)'],
  ['seed', 'the seed of the run'],
  ['status', '`ok`, or `failed` (its metrics empty)'],
  [
    '<column>',
    'one per run metric, named `<id>_<unit>` (see Metrics below; the CSV name is in docs/results.md)',
  ],
  ['error', 'why the run failed; empty for a successful run'],
];

const BY_ALTERNATIVE_COLUMNS: [string, string][] = [
  ['alternative', 'the alternative'],
  ['n_runs', 'its runs'],
  ['n_ok', 'its successful runs'],
  ['n_failed', 'its failed runs'],
  ['<column>_mean', 'per run metric: mean over its successful seeds'],
  ['<column>_ci95', 'the 95 % t interval’s half-width (empty with fewer than 2 successful seeds)'],
  ['<column>_n', 'the seeds the mean is over'],
];

const COMPARISON_COLUMNS: Readonly<Record<(typeof COMPARISON_CSV_HEADER)[number], string>> = {
  metric: 'the metric’s CSV column name',
  unit: 'its unit',
  better: '`higher` or `lower` (metrics with no direction have no rows)',
  point: 'the swept point (`host.pcpus=4`); empty without a sweep',
  alternative: 'the alternative of the row',
  baseline: 'the alternative it is compared with (its own row says `baseline`)',
  test: '`paired` (same seeds) or `welch`',
  n: 'pairs (paired), or values of both (Welch)',
  df: 'degrees of freedom of the t test',
  diff: 'alternative − baseline: mean of the paired differences, or difference of the means',
  diff_ci95_lo: 'lower end of the 95 % interval of the difference',
  diff_ci95_hi: 'upper end of the 95 % interval of the difference',
  p: 'two-sided p-value of “no difference”',
  p_holm: 'p, Holm-corrected across the alternatives at the point',
  p_equivalent_holm: 'p-value of equivalence within ±margin (two one-sided tests), Holm-corrected',
  margin: 'the practical-equivalence margin, in the metric’s unit',
  verdict: '`baseline`, `better`, `worse`, `equivalent`, `equal` or `inconclusive`',
  among_best: '`yes` when not distinguishable from the best at the point',
  winner: '`yes` for the outright winner at the point',
};

/** `vmisim compare --out`: A and B, then the difference columns as comparison.csv has them, B − A. */
const COMPARE_COLUMNS: Readonly<Record<(typeof COMPARE_CSV_HEADER)[number], string>> = {
  ...COMPARISON_COLUMNS,
  metric: 'the metric’s id',
  better: '`higher`, `lower`, or `neither` (compared, never ranked)',
  alternative: 'an alternative in both folders (matched by name)',
  n_a: 'its successful seeds in A',
  mean_a: 'its mean in A',
  n_b: 'its successful seeds in B',
  mean_b: 'its mean in B',
  test: '`paired` (same experiment file and seeds) or `welch`',
  p_holm: 'p, Holm-corrected across the alternatives compared for the metric',
  margin: 'the practical-equivalence margin, from A’s mean',
  diff: 'B − A',
  diff_ci95_lo: 'lower end of the 95 % interval of B − A',
  diff_ci95_hi: 'upper end of the 95 % interval of B − A',
  verdict:
    'B against A: `better`, `worse` (`higher`, `lower` for a metric with no direction), `equivalent`, `equal` or `inconclusive`',
};

const TIDY_COLUMNS: [string, string, string][] = [
  ['run', 'string', 'the run: `<alternative>/seed-<seed>`'],
  ['alternative', 'string', 'the alternative'],
  [
    'compare',
    'string',
    'a factor: the compare alternative’s name (absent for a sweep alone, whose alternatives are its points)',
  ],
  [
    '<swept field>',
    'string',
    'a factor per swept field, named by its path (`host.pcpus`), the value as written',
  ],
  ['seed', 'int64', 'the seed'],
  ['guest', 'string', 'the guest; empty (null) for a host-wide metric'],
  ['metric', 'string', 'the metric’s id (see Metrics below)'],
  ['value', 'double', 'its value; empty (null) where it is not a finite number'],
  ['unit', 'string', 'its unit; empty (null) for counts and ratios'],
];

const rows2 = (rows: readonly (readonly string[])[]) => rows.map(([name, ...rest]) => [code(name!), ...rest]);

/** The page's markdown, before formatting. */
export function outputsDocMarkdown(): string {
  const metrics = tidyMetrics();
  const metricRows = (guest: boolean) =>
    metrics
      .filter((m) => m.guest === guest)
      .map((m) => [code(m.id), m.unit, better(m.better), m.description]);
  return `# What a report writes

<!-- Generated by reports/outputs-doc.ts from the declarations the writers use; do not edit by hand.
Regenerate with VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/outputs-doc.test.ts -->

\`vmisim run\` and \`vmisim report\` write these into the output folder (default \`out/<experiment
name>\`). The CSV files are RFC 4180 (quoted where needed, \`\\n\` line ends, UTF-8, a header row);
numbers are written in their shortest exact form and a missing value is an empty cell. How each
figure is measured, window by window, is in [results.md](results.md).

## Files

${table(['file', 'what'], rows2(OUTPUT_FILES.map((f) => [f.name, f.what])))}
## Columns

### summary.csv

${table(['column', 'what'], rows2(SUMMARY_COLUMNS))}
### summary-by-alternative.csv

${table(['column', 'what'], rows2(BY_ALTERNATIVE_COLUMNS))}
### comparison.csv

${table(['column', 'what'], rows2(COMPARISON_CSV_HEADER.map((c) => [c, COMPARISON_COLUMNS[c]])))}
### guest-summary.csv

${table(
  ['column', 'unit', 'what'],
  rows2([
    ['run_id', '', 'the run'],
    ['alternative', '', 'the alternative'],
    ['seed', '', 'the seed'],
    ['guest', '', 'the guest’s name'],
    ...GUEST_SUMMARY_COLUMNS.map((c) => [c.column, c.unit, c.description]),
    ['calls_<name>', 'calls', 'interface calls of that name, one column per name seen in the results'],
    [
      'workload_<key>',
      '',
      'a measure its workload reports, one column per key; empty for guests whose workload lacks it',
    ],
  ]),
)}
### ${TIDY_CSV} and ${TIDY_PARQUET}

Tidy (one observation per row): filter by \`metric\` and \`guest\`, group by the factors. In
${TIDY_PARQUET} strings are UTF-8, \`seed\` is INT64 and \`value\` DOUBLE; an empty cell of
${TIDY_CSV} is a null there. Failed runs have no rows (their errors are in summary.csv).

${table(['column', 'type', 'what'], rows2(TIDY_COLUMNS))}
### \`series/<alternative>__seed-<n>.csv\`

\`time_s\` (simulated seconds since boot), then the host's columns, then each guest's named
\`<guest>_<quantity>\`. A balloon policy that reports figures of its own adds them after each
guest's.

${table(['host column', 'unit', 'better', 'at each sample', 'what'], HOST_SERIES.map(seriesRow))}
${table(['guest quantity', 'unit', 'better', 'at each sample', 'what'], GUEST_SERIES.map(seriesRow))}
## \`vmisim compare DIR_A DIR_B --out FILE\`

One row per metric in both folders × alternative in both.

${table(['column', 'what'], rows2(COMPARE_CSV_HEADER.map((c) => [c, COMPARE_COLUMNS[c]])))}
## Metrics

The \`metric\` column of ${TIDY_CSV}; \`vmisim list metrics\` prints the same. Each covers the
measured window (the run less its \`warmup\`; states such as memory are at the end of the run).

### Host-wide (guest empty)

Also the metric columns of summary.csv, ranked in the comparison where a direction is given.

${table(['metric', 'unit', 'better', 'what'], metricRows(false))}
### Per guest

Also the columns of guest-summary.csv.

${table(['metric', 'unit', 'better', 'what'], metricRows(true))}`;
}

/** The page as checked in. */
export async function outputsDocText(path: string = OUTPUTS_DOC_PATH): Promise<string> {
  return formattedMarkdown(outputsDocMarkdown(), path);
}
