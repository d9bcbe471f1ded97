/**
 * report.html: one offline page per experiment. chart.js and its error-bar plugin (UMD builds,
 * ./umd-sources.ts) and the page script are inlined and the comparison's data is embedded as JSON;
 * each run's own charts are in a script beside the page (runs/*.js), which the page script adds
 * when that run is picked, so the page stays small however many runs there are (`<script src>`
 * works from file:// with no server). A Content-Security-Policy that allows only those exact inline
 * scripts (by hash), the scripts they add, and no network at all backs up the escaping: even if a name
 * slipped through unescaped it could neither run nor phone home.
 *
 * Everything user-supplied (experiment, alternative, guest and metric names, errors) is either
 * HTML-escaped here or set with `textContent` by the page script, never parsed as markup.
 * Tables are rendered here (server side); the browser only draws charts and switches runs.
 */
import { memorySemanticsText } from './host-semantics.js';
import { interfaceComparisonSection, type ReportNotes } from './interface-section.js';
import { cpuTimeSection } from './cpu-time-section.js';
import { memorySection } from './memory-section.js';
import { workloadSection } from './workload-section.js';
import { escapeHtml } from './escape.js';
import { createHash } from 'node:crypto';
import { parseResultsFile } from '../sim/results/schema.js';
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import {
  alternativeOrder,
  compareAlternatives,
  formatNumber,
  metricApplies,
  type ComparisonTable,
} from './aggregate.js';
import {
  comparisonCharts,
  guestCharts,
  metricCharts,
  runChartPrefix,
  runCharts,
  type ChartOptions,
  type ChartSpec,
  type ReportCharts,
} from './charts.js';
import { RunColumns } from './chart-series.js';
import { metricChartsLeftOut } from './metric-charts.js';
import { PAGE_CSS, PAGE_SCRIPT } from './html-assets.js';
import { chartJsUmdSource, errorBarsUmdSource } from './umd-sources.js';
import { reportFileStems, runDetailPath, seriesCsvPath } from './names.js';
import { overridesRows } from './overrides-row.js';
import { comparisonTableHtml } from './comparison-table.js';
import { sweepCharts } from './sweep-charts.js';
import { sweepSection } from './sweep-section.js';

export { escapeHtml } from './escape.js';
export { chartJsUmdSource } from './umd-sources.js';

/**
 * JSON safe to embed in `<script type="application/json">`: `<`, `>` and `&` become \u escapes (so
 * no `</script>` or `<!--` can end or confuse the element), as do U+2028/U+2029 (so the text is
 * also valid JavaScript). JSON.parse restores the original strings.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** "10 min", "1 h 30 min", "2.5 s": simulated durations for people. */
export function formatDurationNs(ns: number): string {
  const s = ns / 1e9;
  if (s < 60) return `${formatNumber(s)} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s - h * 3600) / 60);
  const rest = s - h * 3600 - m * 60;
  const parts = [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : '', rest > 0 ? `${formatNumber(rest)} s` : ''];
  return parts.filter((p) => p !== '').join(' ');
}

const e = escapeHtml;

function header(r: ResultsFile, table: ComparisonTable): string {
  const x = r.experiment;
  const ok = r.runs.filter((run) => run.status === 'ok').length;
  const failed = r.runs.length - ok;
  const semantics = memorySemanticsText(r);
  const rows: [string, string][] = [
    ...(x.description === undefined ? [] : [['About', e(x.description)] as [string, string]]),
    ['Experiment file', `<code>${e(x.file)}</code>`],
    ['File hash (sha256)', `<code class="hash">${e(x.fileHash)}</code>`],
    ...overridesRows(x),
    [
      'Host',
      `${x.host.pcpus} pCPUs, ${e(formatNumber(x.host.memoryMiB))} MiB, interface <b>${e(x.host.abi)}</b>, scheduler <b>${e(x.host.scheduler)}</b>`,
    ],
    ...(semantics === undefined ? [] : [['Host memory semantics', e(semantics)] as [string, string]]),
    ['Guests', `${x.guests.length} (listed below)`],
    ['Simulated duration', e(formatDurationNs(x.durationNs))],
    ...(x.warmupNs > 0
      ? [['Warmup (left out of the summaries)', e(formatDurationNs(x.warmupNs))] as [string, string]]
      : []),
    ['Seeds', e(x.seeds.join(', '))],
    [
      'Alternatives',
      table.alternatives
        .map((a) => `<span class="alt">${e(a.alternative)}</span> <small>(${a.ok}/${a.runs} ok)</small>`)
        .join(', '),
    ],
    ['Runs', `${r.runs.length} (${ok} ok${failed > 0 ? `, <b class="bad">${failed} failed</b>` : ''})`],
    ['vmisim', `${e(r.vmisimVersion)} (results format ${r.formatVersion})`],
  ];
  return `<header>
<h1>${e(x.name)}</h1>
<dl class="meta">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
</header>`;
}

function guestTable(r: ResultsFile): string {
  const rows = r.experiment.guests
    .map(
      (g) =>
        `<tr><td class="name">${e(g.name)}</td><td class="num">${g.vcpus}</td><td class="num">${e(formatNumber(g.memoryMiB))}</td><td>${e(g.workload)}</td></tr>`,
    )
    .join('');
  return `<details><summary>Guests (${r.experiment.guests.length})</summary>
<table class="data"><thead><tr><th>Guest</th><th>vCPUs</th><th>Memory (MiB)</th><th>Workload</th></tr></thead><tbody>${rows}</tbody></table>
</details>`;
}

function runSummaryTable(r: ResultsFile): string {
  const metrics = r.metrics.filter((m) => metricApplies(r, m.id));
  const head = metrics.map((m) => `<th>${e(m.label)} <small>${e(m.unit)}</small></th>`).join('');
  const rows = r.runs
    .map(
      (run) =>
        `<tr class="${e(run.status)}"><td>${e(run.alternative)}</td><td class="num">${run.seed}</td><td>${e(run.status)}</td>${metrics
          .map((m) => `<td class="num">${e(formatNumber(run.summary?.metrics[m.id] ?? NaN))}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<details><summary>Every run (${r.runs.length})</summary><div class="scroll">
<table class="data"><thead><tr><th>Alternative</th><th>Seed</th><th>Status</th>${head}</tr></thead><tbody>${rows}</tbody></table>
</div></details>`;
}

function guestSummaryTable(run: RunResult): string {
  const guests = run.summary?.guests ?? [];
  const rows = guests
    .map((g) => {
      const calls = Object.values(g.interfaceCalls).reduce((a, b) => a + b, 0);
      return `<tr><td class="name">${e(g.name)}</td><td class="num">${e(formatNumber(g.runningNs / 1e9))}</td><td class="num">${e(formatNumber(g.stealPct))}</td><td class="num">${e(formatNumber(g.workDoneCpuS))}</td><td class="num">${e(formatNumber(g.balloonTargetMiB))}</td><td class="num">${e(formatNumber(g.balloonActualMiB))}</td><td class="num">${e(formatNumber(g.freeMiB))}</td><td class="num">${e(formatNumber(calls))}</td></tr>`;
    })
    .join('');
  return `<table class="data"><thead><tr><th>Guest</th><th>Running (s)</th><th>Steal (%)</th><th>Work done (CPU s)</th><th>Balloon target (MiB)</th><th>Balloon actual (MiB)</th><th>Free at end (MiB)</th><th>Interface calls</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * Each failed run with its error; where the run kept its time series up to the failure, where they
 * are (results.json and its series CSV) and how far they go — they are in no chart.
 */
function failedRuns(r: ResultsFile): string {
  const failed = r.runs.filter((run) => run.status === 'failed');
  if (failed.length === 0) return '';
  const stems = reportFileStems(r);
  const seriesNote = (run: RunResult): string => {
    const t = run.series?.timeS;
    if (t === undefined) return '';
    const upTo =
      t.length === 0
        ? 'no complete sample'
        : `${t.length} samples, up to ${formatNumber(t[t.length - 1]!)} s`;
    return `<p class="note">Time series before the failure (${upTo}): in results.json and <code>${e(seriesCsvPath(stems, run))}</code>.</p>`;
  };
  const items = failed
    .map(
      (run) =>
        `<li><b>${e(run.alternative)}</b>, seed ${run.seed} <small>(run id <code>${e(run.runId)}</code>)</small><pre class="error">${e(run.error ?? 'no error message recorded')}</pre>${seriesNote(run)}</li>`,
    )
    .join('');
  return `<section id="failed"><h2>Failed runs (${failed.length})</h2>
<p class="note">Failed runs are left out of every mean, interval and chart above.</p><ul class="failed">${items}</ul></section>`;
}

/**
 * Chart options of the page: ~600 points per line are plenty for a half-page-wide chart and
 * halve the page size of long runs.
 */
export const HTML_CHART_OPTIONS: Partial<ChartOptions> = { maxPoints: 600 };

/** The name of the function a run's script (runDetailPath) calls with its charts. */
export const RUN_DETAIL_CALLBACK = 'vmisimRunDetail';

/**
 * Writes the script that report.html loads when a run is picked (runDetailPath, beside the page):
 * `vmisimRunDetail({ runId, charts, guests });` with the run's charts and, per guest, that guest's,
 * written one guest at a time so a host of many guests never has all their charts in memory at
 * once. The JSON is escaped as for the page (jsonForScript: also valid JavaScript).
 */
export function writeRunDetailScript(
  run: RunResult,
  stems: ReadonlyMap<string, string>,
  write: (text: string) => void,
): void {
  const prefix = runChartPrefix(stems, run);
  const index = new RunColumns(run);
  const charts = runCharts(run, prefix, HTML_CHART_OPTIONS, index);
  // The object's JSON without its closing brace, then the guests array element by element.
  write(`${RUN_DETAIL_CALLBACK}(${jsonForScript({ runId: run.runId, charts }).slice(0, -1)},"guests":[`);
  index.guests.forEach((name, gi) => {
    const guest = { name, charts: guestCharts(run, name, `${prefix}g${gi}-`, HTML_CHART_OPTIONS, index) };
    write(`${gi > 0 ? ',' : ''}${jsonForScript(guest)}`);
  });
  write(']});\n');
}

/**
 * A run's entry in the page data (entries are joined by commas): what the run picker lists, and
 * `src`, the script with the run's charts (writeRunDetailScript), loaded when the run is picked.
 */
export function htmlRunEntry(
  run: Pick<RunResult, 'runId' | 'alternative' | 'seed'>,
  stems: Map<string, string>,
  order: readonly string[],
): string {
  return jsonForScript({
    runId: run.runId,
    alt: order.indexOf(run.alternative),
    seed: run.seed,
    src: runDetailPath(stems, run),
  });
}

/**
 * The complete report page for `results` as a string (the runs' scripts it loads are written by
 * writeRunDetailScript). Deterministic (no clock, no randomness), offline (nothing is loaded but
 * files beside it) and safe for hostile names.
 */
export function renderHtml(input: ResultsFile, notes: ReportNotes = {}): string {
  // Validate at runtime too: the page interpolates numbers unescaped, so they must really be numbers.
  const results = parseResultsFile(input);
  const order = alternativeOrder(results);
  const stems = reportFileStems(results);
  const charted = results.runs.filter((run) => run.status === 'ok' && run.series !== undefined);
  const charts = {
    metrics: metricCharts(results),
    comparison: comparisonCharts(results, HTML_CHART_OPTIONS),
    sweep: sweepCharts(results),
  };
  const page = htmlPage(results, charts, charted, notes);
  const parts = [page.before];
  charted.forEach((run, i) => parts.push(`${i > 0 ? ',' : ''}${htmlRunEntry(run, stems, order)}`));
  parts.push(page.after);
  return parts.join('');
}

/** The note under the metric charts naming those not drawn (the same value in every run); '' if none. */
function leftOutNote(left: readonly string[]): string {
  return left.length === 0
    ? ''
    : `<p class="note">Not drawn, the same value in every run: ${left.map((x) => e(x)).join(', ')}.</p>`;
}

/**
 * The page around the runs' entries: `before`, then htmlRunEntry of each run of `runsWithCharts`
 * (in order, joined by commas), then `after`.
 * `results` must be validated (parseResultsFile); only failed runs' series are used (how far they go).
 */
export function htmlPage(
  results: ResultsFile,
  charts: Pick<ReportCharts, 'metrics' | 'comparison'> & { sweep?: ChartSpec[] },
  runsWithCharts: readonly Pick<RunResult, 'runId' | 'alternative'>[],
  notes: ReportNotes = {},
): { before: string; after: string } {
  const table = compareAlternatives(results);
  const order = alternativeOrder(results);
  const chartJs = chartJsUmdSource();
  const errorBars = errorBarsUmdSource();
  const altOptions = order
    .map((a, i) => ({ a, i }))
    .filter(({ i }) => runsWithCharts.some((run) => order.indexOf(run.alternative) === i))
    .map(({ a, i }) => `<option value="${i}">${e(a)}</option>`)
    .join('');
  const runTables = runsWithCharts
    .map((run, i) => {
      const full = results.runs.find((x) => x.runId === run.runId);
      return `<div class="run-table" data-run="${i}" hidden>${full ? guestSummaryTable(full) : ''}</div>`;
    })
    .join('\n');
  const csp = [
    "default-src 'none'",
    // 'strict-dynamic': the page script (trusted by its hash) may add the <script src> of a run's
    // charts (runs/*.js beside the page); markup can add none, and host sources are ignored.
    `script-src 'sha256-${sha256Base64(chartJs)}' 'sha256-${sha256Base64(errorBars)}' 'sha256-${sha256Base64(PAGE_SCRIPT)}' 'strict-dynamic'`,
    `style-src 'sha256-${sha256Base64(PAGE_CSS)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; '); // fixed text and base64 hashes only: no quote or ampersand to escape in the attribute
  const runSection =
    runsWithCharts.length === 0
      ? '<p class="empty">No successful run has a time series.</p>'
      : `<div class="pickers">
<label>Alternative <select id="pick-alternative">${altOptions}</select></label>
<label>Seed <select id="pick-seed"></select></label>
<span class="run-id" id="run-id"></span>
</div>
<div class="charts" id="run-charts"></div>
<h3>Guests at the end of this run</h3>
${runTables}
<h3>One guest</h3>
<div class="pickers"><label>Guest <select id="pick-guest"></select></label></div>
<div class="charts" id="guest-charts"></div>`;

  const before = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${e(results.experiment.name)} — vmisim report</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${header(results, table)}
<main>
<section id="comparison"><h2>Comparison of alternatives</h2>
${comparisonTableHtml(table)}
<div class="charts" id="metric-charts"></div>
${leftOutNote(metricChartsLeftOut(table))}
${runSummaryTable(results)}
</section>
${sweepSection(results, table)}
<section id="over-time"><h2>Over time, by alternative</h2>
<p class="note">One line per alternative, from its first successful seed. Per-guest quantities are combined over guests as each says on its axis (mean, worst guest or total). A quantity whose every line holds one value throughout (such as swapped memory on a host that never swaps) is not drawn.</p>
<div class="charts" id="comparison-charts"></div>
</section>
${workloadSection(results)}
${memorySection(results)}
${cpuTimeSection(results)}
${interfaceComparisonSection(results, notes)}
<section id="runs"><h2>One run in detail</h2>
${runSection}
</section>
${failedRuns(results)}
<section id="setup"><h2>Setup</h2>
${guestTable(results)}
<p class="note">Next to this page: <code>results.json</code> (everything, with <code>results.schema.json</code>), <code>summary.csv</code>, <code>summary-by-alternative.csv</code>, <code>comparison.csv</code> (the verdicts with their differences and p-values), <code>guest-summary.csv</code>, <code>series/*.csv</code>, <code>charts/*.png</code> with the same charts as <code>.svg</code> and <code>.pdf</code> for papers (<code>charts/overview.png</code> for slides), and <code>runs/*.js</code> (each run's charts, loaded by this page when the run is picked).</p>
</section>
</main>
<script type="application/json" id="vmisim-data">{"alternatives":${jsonForScript(order)},"metrics":${jsonForScript(charts.metrics)},"comparison":${jsonForScript(charts.comparison)},"sweep":${jsonForScript(charts.sweep ?? [])},"runs":[`;
  // The page data is JSON.stringify({ alternatives, metrics, comparison, sweep, runs }) in pieces: the
  // escapes of jsonForScript replace single characters, so escaping each piece escapes the whole.
  const after = `]}</script>
<script>${chartJs}</script>
<script>${errorBars}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
  return { before, after };
}
