/**
 * Chart specifications as plain data: chart.js configurations built from results, shared by the
 * HTML report (rendered in the browser) and the PNG renderer (rendered with node-canvas), so the two
 * always show the same thing. Specs never contain functions, so they survive JSON round trips; the
 * environment-specific options (responsive, animation, pixel ratio, fonts) are added by each renderer.
 *
 * Columns are grouped by what they measure, never by hard-coded names: host-wide columns by unit,
 * per-guest columns by quantity, and per-guest quantities sharing a first word and a unit (e.g.
 * `balloon_target_MiB` and `balloon_actual_MiB`) into one "family" chart. Charts stay readable with
 * many guests or alternatives by capping the number of lines and saying so in the subtitle.
 */
import type { ChartDataset } from 'chart.js';
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import {
  displayUnit,
  lowerFirst,
  quantityLabel,
  shortAlternative,
  shortName,
  timeScale,
  unitNoun,
  withUnit,
} from './chart-labels.js';
import {
  familyLabel,
  linePoints,
  RunColumns,
  seriesLabel,
  topGuests,
  type ColumnRef,
} from './chart-series.js';
import {
  CHART_DEFAULTS,
  DASHES,
  PALETTE,
  type BarChartConfig,
  type BarValue,
  type ChartOptions,
  type ChartSpec,
  type LineChartConfig,
  type LinePoint,
} from './chart-spec.js';
import {
  comparisonCharts,
  comparisonChartsOf,
  firstOkRuns,
  firstOkRunIndexes,
  reduceForComparison,
} from './comparison-charts.js';
import { lineConfig, lineDataset } from './line-chart.js';
import { levelsOf } from './catalog-hints.js';
import { metricCharts } from './metric-charts.js';
import { reportFileStems, safeFileStem } from './names.js';
import { sanitizeUnit } from '../sim/results/column-names.js';

// Public surface: consumers import chart things from here.
export type { BarChartConfig, BarValue, ChartOptions, ChartSpec, LineChartConfig, LinePoint };
export type { ComparisonRun } from './comparison-charts.js';
export {
  CHART_DEFAULTS,
  PALETTE,
  comparisonCharts,
  comparisonChartsOf,
  displayUnit,
  firstOkRunIndexes,
  firstOkRuns,
  linePoints,
  metricCharts,
  quantityLabel,
  reduceForComparison,
  shortName,
  timeScale,
  withUnit,
};

function runLabel(run: RunResult): string {
  return `${shortAlternative(run.alternative)}, seed ${run.seed}`;
}

/**
 * Charts of one run: host-wide columns (one chart per unit) and one chart per per-guest family with
 * one line per guest (capped at `maxLines` lines; the subtitle says which guests are shown).
 * `idPrefix` keeps ids unique across runs. Returns [] for a run without series.
 */
export function runCharts(
  run: RunResult,
  idPrefix: string,
  options: Partial<ChartOptions> = {},
  index: RunColumns = new RunColumns(run),
): ChartSpec[] {
  const opt = { ...CHART_DEFAULTS, ...options };
  const cols = index.cols;
  const timeS = run.series?.timeS ?? [];
  if (cols.length === 0 || timeS.length === 0) return [];
  const ts = timeScale(timeS[timeS.length - 1] ?? 0);
  const time = { unit: ts.unit, max: (timeS[timeS.length - 1] ?? 0) / ts.divisor };
  const pts = (v: number[]) => linePoints(timeS, v, ts.divisor, opt.maxPoints);
  const specs: ChartSpec[] = [];

  const hostCols = cols.filter((c) => c.def.guest === undefined);
  const hostUnits = [...new Set(hostCols.map((c) => c.def.unit))];
  for (const unit of hostUnits) {
    const group = hostCols.filter((c) => c.def.unit === unit).slice(0, opt.maxLines);
    const labels = group.map((c) => quantityLabel(c.def.quantity, unit));
    // The run goes in the subtitle: long alternative names would push a one-line title off the canvas.
    // Up to two quantities named in the title; more (e.g. free memory with its thresholds) only in the legend.
    // A state (levels) is named by its ticks: its unit would say nothing more.
    const levels = group.length === 1 && group[0] !== undefined ? levelsOf(group[0].def) : undefined;
    const title =
      levels !== undefined
        ? (labels[0] ?? 'Host state')
        : labels.length <= 2
          ? `Host ${unitNoun(unit)}: ${labels.map(lowerFirst).join(', ')}`
          : `Host ${unitNoun(unit)}`;
    const yLabel = group.length === 1 ? (labels[0] ?? 'Value') : `Host ${unitNoun(unit)}`;
    const yTitle = levels === undefined ? withUnit(yLabel, unit) : yLabel;
    // Reference levels (thresholds) are dashed, in the colour after the data's.
    const datasets = group.map((c, i) =>
      lineDataset(labels[i] ?? c.def.name, pts(c.values), i, c.def.reference === true ? [6, 4] : []),
    );
    specs.push({
      id: `${idPrefix}host-${safeFileStem(sanitizeUnit(unit) || 'value')}`,
      title: `${title} — ${runLabel(run)}`,
      config: lineConfig(title, runLabel(run), yTitle, time, datasets, levels),
      ...(levels === undefined ? {} : { yTickLabels: [...levels] }),
    });
  }

  const guests = index.guests;
  for (const fam of index.families) {
    const perGuest = Math.max(1, Math.floor(opt.maxLines / fam.quantities.length));
    const first = fam.quantities[0] as string;
    const shown = topGuests((g) => index.column(g, first), guests, perGuest);
    const datasets: ChartDataset<'line', LinePoint[]>[] = [];
    shown.forEach((g) => {
      fam.quantities.forEach((q, qi) => {
        const c = index.column(g, q);
        if (!c) return;
        const suffix = seriesLabel(fam, q);
        datasets.push(
          lineDataset(
            suffix ? `${shortName(g)} ${suffix}` : shortName(g),
            pts(c.values),
            // Stable colour per guest while the palette suffices; with more guests than colours,
            // colours by position among the lines shown, so no two drawn guests share one.
            guests.length <= PALETTE.length ? index.guestIndex(g) : shown.indexOf(g),
            fam.quantities.length > 1 ? DASHES[qi % DASHES.length] : [],
          ),
        );
      });
    });
    const label = familyLabel(fam);
    const title = `${label} per guest`;
    const subtitle =
      shown.length < guests.length
        ? `${runLabel(run)}; ${shown.length} of ${guests.length} guests shown (highest mean ${quantityLabel(fam.quantities[0] as string, fam.unit).toLowerCase()})`
        : runLabel(run);
    specs.push({
      id: `${idPrefix}guests-${safeFileStem(fam.stem)}`,
      title: `${title} — ${runLabel(run)}`,
      config: lineConfig(title, subtitle, withUnit(label, fam.unit), time, datasets),
    });
  }
  return specs;
}

/** Charts of one guest in one run: one per family, that guest's columns only (for the guest picker). */
export function guestCharts(
  run: RunResult,
  guest: string,
  idPrefix: string,
  options: Partial<ChartOptions> = {},
  index: RunColumns = new RunColumns(run),
): ChartSpec[] {
  const opt = { ...CHART_DEFAULTS, ...options };
  const timeS = run.series?.timeS ?? [];
  if (timeS.length === 0) return [];
  const ts = timeScale(timeS[timeS.length - 1] ?? 0);
  const time = { unit: ts.unit, max: (timeS[timeS.length - 1] ?? 0) / ts.divisor };
  const guestIndex = Math.max(0, index.guestIndex(guest));
  return index.families.flatMap((fam, fi): ChartSpec[] => {
    const mine = fam.quantities
      .map((q) => index.column(guest, q))
      .filter((c): c is ColumnRef => c !== undefined);
    if (mine.length === 0) return [];
    const label = familyLabel(fam);
    const title = `${label} — ${shortName(guest, 40)}`;
    // The guest's own colour throughout (as in the per-guest charts); dashes tell quantities apart.
    const datasets = mine.map((c, qi) =>
      lineDataset(
        seriesLabel(fam, c.def.quantity) || quantityLabel(c.def.quantity, fam.unit),
        linePoints(timeS, c.values, ts.divisor, opt.maxPoints),
        guestIndex,
        mine.length > 1 ? DASHES[qi % DASHES.length] : [],
      ),
    );
    return [
      {
        id: `${idPrefix}guest-${fi}`,
        title: `${title}, ${runLabel(run)}`,
        config: lineConfig(title, runLabel(run), withUnit(label, fam.unit), time, datasets),
      },
    ];
  });
}

/** The charts of one run in the page: its own, and per guest that guest's. */
export interface RunChartSet {
  runId: string;
  alternative: string;
  seed: number;
  charts: ChartSpec[];
  guests: { name: string; charts: ChartSpec[] }[];
}

/** Every chart of a report, grouped by where it appears. */
export interface ReportCharts {
  /** One bar chart per metric. */
  metrics: ChartSpec[];
  /** Time series across alternatives. */
  comparison: ChartSpec[];
  /** Per run (every run with series): its charts and, per guest, that guest's charts. */
  runs: RunChartSet[];
}

/** The id prefix of a run's charts (also their PNG file stems): unique per alternative and seed. */
export function runChartPrefix(stems: ReadonlyMap<string, string>, run: RunResult): string {
  return `run-${stems.get(run.alternative) ?? 'x'}__seed-${run.seed}-`;
}

/** The charts of one run with series; `stems` from reportFileStems(results). */
export function runChartSet(
  run: RunResult,
  stems: ReadonlyMap<string, string>,
  options: Partial<ChartOptions> = {},
): RunChartSet {
  const prefix = runChartPrefix(stems, run);
  const index = new RunColumns(run);
  return {
    runId: run.runId,
    alternative: run.alternative,
    seed: run.seed,
    charts: runCharts(run, prefix, options, index),
    guests: index.guests.map((g, gi) => ({
      name: g,
      charts: guestCharts(run, g, `${prefix}g${gi}-`, options, index),
    })),
  };
}

/** Builds every chart of the report from the results (pure; same input ⇒ same specs). */
export function buildReportCharts(r: ResultsFile, options: Partial<ChartOptions> = {}): ReportCharts {
  const stems = reportFileStems(r);
  const runs = r.runs
    .filter((run) => run.status === 'ok' && run.series !== undefined)
    .map((run) => runChartSet(run, stems, options));
  return { metrics: metricCharts(r), comparison: comparisonCharts(r, options), runs };
}
