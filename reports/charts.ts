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
import type { ResultsFile, RunResult, SeriesColumnDef } from '../sim/results/types.js';
import { alternativeOrder, formatNumber } from './aggregate.js';
import {
  displayUnit,
  guestAggregation,
  lowerFirst,
  quantityLabel,
  shortName,
  timeScale,
  unitNoun,
  withUnit,
} from './chart-labels.js';
import {
  columnsOf,
  familyLabel,
  guestFamilies,
  guestsInRun,
  linePoints,
  seriesLabel,
  topGuests,
  type ColumnRef,
  type Family,
} from './chart-series.js';
import {
  CHART_DEFAULTS,
  color,
  DASHES,
  PALETTE,
  type BarChartConfig,
  type BarValue,
  type ChartOptions,
  type ChartSpec,
  type LineChartConfig,
  type LinePoint,
} from './chart-spec.js';
import { metricCharts } from './metric-charts.js';
import { safeFileStem, sanitizeUnit, uniqueFileStems } from './names.js';

// Public surface: consumers import chart things from here.
export type { BarChartConfig, BarValue, ChartOptions, ChartSpec, LineChartConfig, LinePoint };
export {
  CHART_DEFAULTS,
  PALETTE,
  displayUnit,
  linePoints,
  metricCharts,
  quantityLabel,
  shortName,
  timeScale,
  withUnit,
};

function lineDataset(
  label: string,
  data: LinePoint[],
  colorIndex: number,
  dash: number[] = [],
): ChartDataset<'line', LinePoint[]> {
  return {
    label,
    data,
    borderColor: color(colorIndex),
    backgroundColor: color(colorIndex),
    borderWidth: 2,
    borderDash: dash,
    pointRadius: 0,
    pointHoverRadius: 3,
    tension: 0,
    fill: false,
  };
}

function lineConfig(
  title: string,
  subtitle: string,
  yTitle: string,
  time: { unit: string; max: number },
  datasets: ChartDataset<'line', LinePoint[]>[],
): LineChartConfig {
  // A flat line at zero looks like a broken chart; say that the data really is constant.
  const ys = datasets.flatMap((d) => d.data.map((p) => p[1]));
  if (ys.length > 0 && ys.every((y) => y === ys[0])) {
    const note = `every value is ${formatNumber(ys[0] as number)} throughout`;
    subtitle = subtitle === '' ? note : `${subtitle}; ${note}`;
  }
  return {
    type: 'line',
    data: { datasets },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        title: { display: true, text: title },
        subtitle: { display: subtitle !== '', text: subtitle, padding: { bottom: 12 } },
        // Line-style legend keys, so dashed (e.g. target) and solid (actual) lines can be told apart:
        // a box of height 0 is stroked as a line in the dataset's colour, width and dash. (Point-style
        // keys take the point's style, which has no dash: every key came out solid.)
        legend: {
          display: true,
          position: 'bottom',
          labels: { boxWidth: 36, boxHeight: 0 },
        },
      },
      scales: {
        // No explicit max: chart.js then ends the axis on a round tick instead of squeezing in the
        // last sample time (e.g. 249.9) next to the previous tick.
        x: {
          type: 'linear',
          min: 0,
          suggestedMax: time.max,
          title: { display: true, text: `Simulated time (${time.unit})` },
        },
        y: { beginAtZero: true, title: { display: true, text: yTitle } },
      },
    },
  };
}

function runLabel(run: RunResult): string {
  return `${shortName(run.alternative, 40)}, seed ${run.seed}`;
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
): ChartSpec[] {
  const opt = { ...CHART_DEFAULTS, ...options };
  const cols = columnsOf(run);
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
    const title =
      labels.length <= 2
        ? `Host ${unitNoun(unit)}: ${labels.map(lowerFirst).join(', ')}`
        : `Host ${unitNoun(unit)}`;
    const yTitle = withUnit(group.length === 1 ? (labels[0] ?? 'Value') : `Host ${unitNoun(unit)}`, unit);
    // Reference levels (thresholds) are dashed, in the colour after the data's.
    const datasets = group.map((c, i) =>
      lineDataset(labels[i] ?? c.def.name, pts(c.values), i, c.def.reference === true ? [6, 4] : []),
    );
    specs.push({
      id: `${idPrefix}host-${safeFileStem(sanitizeUnit(unit) || 'value')}`,
      title: `${title} — ${runLabel(run)}`,
      config: lineConfig(title, runLabel(run), yTitle, time, datasets),
    });
  }

  const guests = guestsInRun(cols);
  for (const fam of guestFamilies(cols)) {
    const perGuest = Math.max(1, Math.floor(opt.maxLines / fam.quantities.length));
    const shown = topGuests(cols, fam.quantities[0] as string, guests, perGuest);
    const datasets: ChartDataset<'line', LinePoint[]>[] = [];
    shown.forEach((g) => {
      fam.quantities.forEach((q, qi) => {
        const c = cols.find((x) => x.def.guest === g && x.def.quantity === q);
        if (!c) return;
        const suffix = seriesLabel(fam, q);
        datasets.push(
          lineDataset(
            suffix ? `${shortName(g)} ${suffix}` : shortName(g),
            pts(c.values),
            // Stable colour per guest while the palette suffices; with more guests than colours,
            // colours by position among the lines shown, so no two drawn guests share one.
            guests.length <= PALETTE.length ? guests.indexOf(g) : shown.indexOf(g),
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
): ChartSpec[] {
  const opt = { ...CHART_DEFAULTS, ...options };
  const cols = columnsOf(run);
  const timeS = run.series?.timeS ?? [];
  if (timeS.length === 0) return [];
  const ts = timeScale(timeS[timeS.length - 1] ?? 0);
  const time = { unit: ts.unit, max: (timeS[timeS.length - 1] ?? 0) / ts.divisor };
  const guestIndex = Math.max(0, guestsInRun(cols).indexOf(guest));
  return guestFamilies(cols).flatMap((fam, fi): ChartSpec[] => {
    const mine = fam.quantities
      .map((q) => cols.find((c) => c.def.guest === guest && c.def.quantity === q))
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

/** For each alternative, its successful run with the smallest seed (the run comparison charts show). */
export function firstOkRuns(r: ResultsFile): RunResult[] {
  return alternativeOrder(r).flatMap((alt) => {
    const ok = r.runs
      .filter((x) => x.alternative === alt && x.status === 'ok' && x.series !== undefined)
      .sort((a, b) => a.seed - b.seed);
    return ok.length > 0 ? [ok[0] as RunResult] : [];
  });
}

/**
 * Time-series comparison across alternatives, one line per alternative (its first successful seed):
 * each host column on its own chart, and each per-guest family aggregated over guests (percentages
 * averaged, amounts and rates summed). Alternatives beyond the line cap are left out and the
 * subtitle says so.
 */
export function comparisonCharts(r: ResultsFile, options: Partial<ChartOptions> = {}): ChartSpec[] {
  const opt = { ...CHART_DEFAULTS, ...options };
  const runs = firstOkRuns(r);
  if (runs.length === 0) return [];
  const order = alternativeOrder(r);
  const maxT = Math.max(...runs.map((x) => x.series?.timeS[x.series.timeS.length - 1] ?? 0));
  const ts = timeScale(maxT);
  const time = { unit: ts.unit, max: maxT / ts.divisor };
  const seeds = [...new Set(runs.map((x) => x.seed))];
  const seedNote = seeds.length === 1 ? `seed ${seeds[0]}` : 'first successful seed of each alternative';
  const label = (run: RunResult) =>
    seeds.length === 1 ? shortName(run.alternative) : `${shortName(run.alternative)} (seed ${run.seed})`;
  const specs: ChartSpec[] = [];

  // Host columns: the union over runs, in first-seen order.
  const hostCols: SeriesColumnDef[] = [];
  for (const run of runs)
    for (const c of run.series?.columns ?? [])
      // Reference levels (thresholds) belong beside their data in the run charts, not compared.
      if (c.guest === undefined && c.reference !== true && !hostCols.some((h) => h.name === c.name))
        hostCols.push(c);
  for (const def of hostCols) {
    const qLabel = quantityLabel(def.quantity, def.unit);
    const shown = runs.slice(0, opt.maxLines);
    const datasets = shown.flatMap((run) => {
      const col = columnsOf(run).find((c) => c.def.name === def.name);
      return col
        ? [
            lineDataset(
              label(run),
              linePoints(run.series?.timeS ?? [], col.values, ts.divisor, opt.maxPoints),
              order.indexOf(run.alternative),
            ),
          ]
        : [];
    });
    // Host columns are named host_*: their label already says "Host".
    const hostLabel = /^host\b/i.test(qLabel)
      ? qLabel
      : `Host ${qLabel.charAt(0).toLowerCase()}${qLabel.slice(1)}`;
    const title = `${hostLabel} by alternative`;
    specs.push({
      id: `compare-${safeFileStem(def.name)}`,
      title,
      config: lineConfig(
        title,
        capNote(seedNote, shown.length, runs.length),
        withUnit(hostLabel, def.unit),
        time,
        datasets,
      ),
    });
  }

  // Per-guest families, aggregated over guests.
  const families: Family[] = [];
  for (const run of runs)
    for (const f of guestFamilies(columnsOf(run)))
      if (!families.some((x) => x.key === f.key)) families.push(f);
  for (const fam of families) {
    const perAlt = Math.max(1, Math.floor(opt.maxLines / fam.quantities.length));
    const shown = runs.slice(0, perAlt);
    const how = guestAggregation(fam.unit, fam.quantities[0] ?? '');
    const datasets: ChartDataset<'line', LinePoint[]>[] = [];
    let guestCount = 0;
    for (const run of shown) {
      const cols = columnsOf(run);
      guestCount = Math.max(guestCount, guestsInRun(cols).length);
      fam.quantities.forEach((q, qi) => {
        const qc = cols.filter((c) => c.def.guest !== undefined && c.def.quantity === q);
        if (qc.length === 0) return;
        const agg = (run.series?.timeS ?? []).map((_, i) => {
          const xs = qc.map((c) => c.values[i] ?? NaN);
          if (how === 'worst') return xs.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
          const sum = xs.reduce((a, b) => a + b, 0);
          return how === 'mean' ? sum / xs.length : sum;
        });
        const suffix = seriesLabel(fam, q);
        datasets.push(
          lineDataset(
            suffix ? `${label(run)} ${suffix}` : label(run),
            linePoints(run.series?.timeS ?? [], agg, ts.divisor, opt.maxPoints),
            order.indexOf(run.alternative),
            fam.quantities.length > 1 ? DASHES[qi % DASHES.length] : [],
          ),
        );
      });
    }
    const fLabel = familyLabel(fam);
    // With one guest there is nothing to aggregate: say nothing about it.
    const title =
      guestCount === 1
        ? `${fLabel} by alternative`
        : `${fLabel} (${how} over ${guestCount} guests) by alternative`;
    specs.push({
      id: `compare-guests-${safeFileStem(fam.stem)}`,
      title,
      config: lineConfig(
        title,
        capNote(seedNote, shown.length, runs.length),
        // The aggregation is in the title; on the axis it made long labels ("Swapped: swapped vs
        // by host, total over guests (MiB)") longer than the plot is tall in the page.
        withUnit(fLabel, fam.unit),
        time,
        datasets,
      ),
    });
  }
  return specs;
}

function capNote(seedNote: string, shown: number, total: number): string {
  return shown < total ? `${seedNote}; first ${shown} of ${total} alternatives shown` : seedNote;
}

/** Every chart of a report, grouped by where it appears. */
export interface ReportCharts {
  /** One bar chart per metric. */
  metrics: ChartSpec[];
  /** Time series across alternatives. */
  comparison: ChartSpec[];
  /** Per run (every run with series): its charts and, per guest, that guest's charts. */
  runs: {
    runId: string;
    alternative: string;
    seed: number;
    charts: ChartSpec[];
    guests: { name: string; charts: ChartSpec[] }[];
  }[];
}

/** Builds every chart of the report from the results (pure; same input ⇒ same specs). */
export function buildReportCharts(r: ResultsFile, options: Partial<ChartOptions> = {}): ReportCharts {
  const stems = uniqueFileStems(alternativeOrder(r));
  const runs = r.runs
    .filter((run) => run.status === 'ok' && run.series !== undefined)
    .map((run) => {
      const prefix = `run-${stems.get(run.alternative) ?? 'x'}__seed-${run.seed}-`;
      return {
        runId: run.runId,
        alternative: run.alternative,
        seed: run.seed,
        charts: runCharts(run, prefix, options),
        guests: guestsInRun(columnsOf(run)).map((g, gi) => ({
          name: g,
          charts: guestCharts(run, g, `${prefix}g${gi}-`, options),
        })),
      };
    });
  return { metrics: metricCharts(r), comparison: comparisonCharts(r, options), runs };
}
