/**
 * A swept factor as an axis: per metric, a line chart of the metric against the first swept
 * factor's values, one line per compare alternative (one line without `compare:`), each the mean
 * over seeds with its 95 % confidence interval of the mean (Student t, reports/stats.ts — the
 * interval the comparison table shows per alternative) as a shaded band. A numeric factor (every
 * value a number, e.g. host.pcpus) gets a linear axis in ascending order; any other a category axis
 * in file order. With two or more factors, small multiples: one chart per combination of the other
 * factors' values (the subtitle names it). The verdict of each point (./aggregate.ts) is marked on
 * the line (★ on the outright winner) and spelled out in the subtitle; the metric's direction is in
 * the title.
 *
 * A metric whose mean is the same number at every point of every line is left out (a flat line
 * says nothing a table does not); sweepChartsLeftOut says which.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { FactorValue, ResultsFile, SweptFactor } from '../sim/results/types.js';
import {
  alternativeOrder,
  compareAlternatives,
  formatNumber,
  pointVerdictText,
  type ComparisonTable,
  type MetricComparison,
} from './aggregate.js';
import type { PointComparison } from './comparison.js';
import { axisStartOf } from './catalog-hints.js';
import { withUnit } from './chart-labels.js';
import { color, type ChartSpec } from './chart-spec.js';
import { safeFileStem } from './names.js';
import {
  alternativeAt,
  combinations,
  gridOf,
  inFactorOrder,
  isChoiceFactor,
  pointLabel,
  type Grid,
} from './swept-points.js';

/** One value per x position (null: no data there). */
export type SweepValue = number | null;

/**
 * A dataset of a sweep chart; `legend: false` keeps a band's edges out of the legend (the
 * renderers honour it: reports/png.ts, the page script in reports/html-assets.ts).
 */
export type SweepDataset = ChartDataset<'line', SweepValue[]> & { legend?: false };

/** The lowest value drawn (band edges included), Infinity when none. */
function lowestOf(datasets: readonly SweepDataset[]): number {
  const ys = datasets.flatMap((d) => d.data);
  return Math.min(...ys.filter((y): y is number => y !== null && Number.isFinite(y)));
}

/** A line chart over the values of a swept factor (`data.labels`, numbers on a linear axis). */
export type SweepChartConfig = Omit<ChartConfiguration<'line', SweepValue[], FactorValue>, 'data'> & {
  data: { labels: FactorValue[]; datasets: SweepDataset[] };
};

/** How the metric charts of a sweep are laid out: x, the panels and the lines. */
export interface SweepLayout {
  grid: Grid;
  /** The factor on the x axis (the first), its values in axis order. */
  x: SweptFactor;
  numeric: boolean;
  /** One chart per entry: the values of the other factors ([{}] with one factor). */
  panels: Record<string, FactorValue>[];
  /**
   * The lines' names: the compare alternatives; without `compare:`, each combination of the swept
   * choices (policies, the interface: swept-points.ts isChoiceFactor), named by its values; else [''].
   */
  lines: string[];
  /** Without `compare:`: the choice values each line stands for (lineFactors[i] for lines[i]). */
  lineFactors?: Record<string, FactorValue>[];
  /** The factors that make a swept point: x, then those of the panels (all but the lines' choices). */
  axes: SweptFactor[];
}

/**
 * The layout of `r`'s sweep charts, undefined without a sweep. Without `compare:`, swept choices
 * are what is ranked at each point (swept-points.ts), so they are the lines and the other factors
 * the axes: a sweep of policies × pCPUs draws one line per policy against pCPUs.
 */
export function sweepLayout(r: ResultsFile): SweepLayout | undefined {
  const grid = gridOf(r, alternativeOrder(r));
  const choices = grid.compares.length === 0 ? grid.factors.filter((f) => isChoiceFactor(f.path)) : [];
  const axes = grid.factors.filter((f) => !choices.includes(f));
  const first = axes[0];
  // No factor, or only choices without compare: no axis to draw against; the comparison's bar
  // charts rank the choices.
  if (first === undefined) return undefined;
  const numeric = first.values.every((v) => typeof v === 'number');
  const values = numeric ? [...first.values].sort((a, b) => (a as number) - (b as number)) : first.values;
  const lineFactors = choices.length > 0 ? combinations(choices) : undefined;
  return {
    grid,
    x: { path: first.path, values },
    numeric,
    panels: combinations(axes.slice(1)),
    lines:
      lineFactors !== undefined
        ? lineFactors.map((f) => Object.values(f).map(String).join(', '))
        : grid.compares.length > 0
          ? grid.compares
          : [''],
    ...(lineFactors !== undefined ? { lineFactors } : {}),
    axes,
  };
}

/** The alternative drawn for `line` at x value `v` of `panel`, if the grid has one. */
export function alternativeOnLine(
  layout: SweepLayout,
  line: string,
  panel: Readonly<Record<string, FactorValue>>,
  v: FactorValue,
): string | undefined {
  return alternativeOnLineAt(layout, line, { ...panel, [layout.x.path]: v });
}

/** The alternative of `line` at the swept point `factors` (values of the axes), if the grid has one. */
export function alternativeOnLineAt(
  layout: SweepLayout,
  line: string,
  factors: Readonly<Record<string, FactorValue>>,
): string | undefined {
  const i = layout.lineFactors === undefined ? -1 : layout.lines.indexOf(line);
  const all = i < 0 ? factors : { ...factors, ...layout.lineFactors![i] };
  return alternativeAt(layout.grid, i < 0 ? line : '', inFactorOrder(layout.grid, all));
}

/** The name of the line `alternative` is drawn on (its compare name, or its choices' values). */
export function lineNameOf(layout: SweepLayout, alternative: string): string | undefined {
  const a = layout.grid.alternatives.find((x) => x.name === alternative);
  if (a === undefined) return undefined;
  if (layout.lineFactors === undefined) return a.compare === '' ? undefined : a.compare;
  const i = layout.lineFactors.findIndex((f) => Object.entries(f).every(([k, v]) => a.factors[k] === v));
  return layout.lines[i];
}

/** The label of the swept point of the axes' values in `factors` (what the verdicts are keyed by). */
export function axesPointLabel(layout: SweepLayout, factors: Readonly<Record<string, FactorValue>>): string {
  return pointLabel(inFactorOrder({ factors: layout.axes }, factors));
}

function statsOf(m: MetricComparison, alternative: string | undefined) {
  return alternative === undefined ? undefined : m.stats.find((s) => s.alternative === alternative)?.stats;
}

/** The point comparison of `m` at the swept point of `alternative`. */
function pointOf(m: MetricComparison, layout: SweepLayout, alternative: string | undefined) {
  if (alternative === undefined || m.verdict.kind !== 'compared') return undefined;
  const factors = layout.grid.alternatives.find((a) => a.name === alternative)?.factors ?? {};
  const label = axesPointLabel(layout, factors);
  return m.verdict.points.find((p) => p.point === label);
}

/** True when every mean of the metric over the sweep is one number (or there is none). */
function isFlat(m: MetricComparison): boolean {
  const means = m.stats.filter((s) => s.stats.n > 0).map((s) => s.stats.mean);
  return means.every((x) => x === means[0]);
}

/** "host.pcpus = 4, host.abi = xen". */
export function panelText(panel: Readonly<Record<string, FactorValue>>): string {
  return Object.entries(panel)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ');
}

/** The chart of metric `m` in one panel. */
function sweepChart(m: MetricComparison, layout: SweepLayout, panel: Record<string, FactorValue>): ChartSpec {
  const { x, lines } = layout;
  const alts = lines.map((line) => x.values.map((v) => alternativeOnLine(layout, line, panel, v)));
  const datasets: SweepDataset[] = [];
  const ns = new Set<number>();
  lines.forEach((line, li) => {
    const stats = alts[li]!.map((a) => statsOf(m, a));
    for (const s of stats) if (s !== undefined && s.n > 0) ns.add(s.n);
    const mean = stats.map((s) => (s !== undefined && s.n > 0 ? s.mean : null));
    const half = stats.map((s) => (s !== undefined && Number.isFinite(s.ci95Half) ? s.ci95Half : null));
    const edge = (sign: number) =>
      mean.map((y, i) => (y === null || half[i] === null ? null : y + sign * half[i]!));
    const wins = alts[li]!.map((a) => a !== undefined && pointOf(m, layout, a)?.winner === a);
    const name = line === '' ? 'Mean over seeds' : line;
    const c = color(li);
    // The band: its upper edge filled down to its lower edge ('-1'), under the lines (order 1).
    const band = (label: string, data: SweepValue[], fill: false | '-1'): SweepDataset => ({
      label: `${name}: 95 % CI ${label}`,
      data,
      legend: false,
      borderColor: `${c}55`,
      backgroundColor: `${c}2E`,
      borderWidth: 1,
      pointRadius: 0,
      pointHoverRadius: 0,
      fill,
      order: 1,
      tension: 0,
      spanGaps: true,
    });
    datasets.push(band('low', edge(-1), false), band('high', edge(1), '-1'));
    datasets.push({
      label: name,
      data: mean,
      borderColor: c,
      backgroundColor: c,
      borderWidth: 2.5,
      // ★ marks the outright winner at that point.
      pointStyle: wins.map((w) => (w ? 'star' : 'circle')),
      pointRadius: wins.map((w) => (w ? 9 : 3.5)),
      pointBorderWidth: wins.map((w) => (w ? 2 : 1)),
      fill: false,
      // A ★ at the first or last value is drawn whole, past the edge of the plot area.
      clip: 12,
      order: 0,
      tension: 0,
      spanGaps: true,
    });
  });
  const direction = m.metric.better === 'neither' ? '' : ` — ${m.metric.better} is better`;
  const title = `${withUnit(m.metric.label, m.metric.unit)} vs ${x.path}${direction}`;
  const nText =
    ns.size === 1 ? `n = ${[...ns][0]} seeds` : `n = ${[...ns].sort((a, b) => a - b).join('–')} seeds`;
  const subtitle = [
    ...(Object.keys(panel).length > 0 ? [panelText(panel)] : []),
    `Mean over seeds, shaded: its 95 % CI (Student t), ${nText} per point${lines.length > 1 ? '; ★ clearly best' : ''}`,
    ...verdictLines(m, layout, panel),
  ];
  const config: SweepChartConfig = {
    type: 'line',
    data: { labels: x.values, datasets },
    options: {
      interaction: { mode: 'index', intersect: false },
      plugins: {
        title: { display: true, text: title },
        subtitle: { display: true, text: subtitle, padding: { bottom: 12 } },
        legend: { display: true, position: 'bottom', labels: { boxWidth: 36, boxHeight: 0 } },
      },
      scales: {
        // Numbers at their values (4 pCPUs twice as far from 0 as 2), anything else evenly spaced.
        x: layout.numeric
          ? {
              type: 'linear',
              // Whole numbers (pCPUs, counts) get whole-number ticks, not 2.2, 2.4, ….
              ...(x.values.every((v) => Number.isInteger(v)) ? { ticks: { precision: 0 } } : {}),
              title: { display: true, text: x.path },
            }
          : { type: 'category', offset: true, title: { display: true, text: x.path } },
        // A ratio (slowdown) from its axisFrom, 1, when nothing lies below; otherwise fitted to the data.
        y: {
          ...axisStartOf(m.metric, lowestOf(datasets), { beginAtZero: false }),
          title: { display: true, text: withUnit(m.metric.label, m.metric.unit) },
        },
      },
    },
  };
  const panelStem = Object.entries(panel).map(([k, v]) => `__${safeFileStem(`${k}-${String(v)}`)}`);
  return {
    id: `sweep-${safeFileStem(m.metric.id)}${panelStem.join('')}`,
    title: Object.keys(panel).length > 0 ? `${title} (${panelText(panel)})` : title,
    config: config as unknown as ChartSpec['config'],
  };
}

/**
 * The verdict at one point in a few words: "★ ps (1.1 % lower than credit2)", "all equivalent",
 * "credit, ps equivalent best", "no clear best (credit, ps)", "equal" (the page's comparison table
 * has the full sentence).
 */
export function shortVerdict(
  m: MetricComparison,
  p: PointComparison,
  nameOf: (alternative: string) => string | undefined = () => undefined,
): string {
  const own = (a: string) => nameOf(a) ?? (p.point === '' ? a : a.split(`/${p.point}`).join(''));
  if (p.allEqual) return 'equal';
  if (p.winner !== undefined) {
    const lead = /\((.*) than (.*), the next best\)$/.exec(pointVerdictText(m, p));
    return `★ ${own(p.winner)}${lead === null ? '' : ` (${lead[1]!} than ${own(lead[2]!)})`}`;
  }
  const others = p.vsBest.filter((x) => p.bestSet.includes(x.alternative));
  if (others.every((x) => x.verdict === 'equal' || x.verdict === 'equivalent')) {
    const all = p.bestSet.length === p.vsBaseline.length + 1;
    return all ? 'all equivalent' : `${p.bestSet.map(own).join(', ')} equivalent best`;
  }
  return p.best === undefined ? 'no verdict' : `no clear best (${p.bestSet.map(own).join(', ')})`;
}

/**
 * The verdict at each x value, for the subtitle: "At host.pcpus 3: ★ ps (1.1 % lower than
 * credit2); 4: all equivalent", two points to a line. Without compare alternatives there is one
 * alternative per point and nothing to rank.
 */
function verdictLines(
  m: MetricComparison,
  layout: SweepLayout,
  panel: Record<string, FactorValue>,
): string[] {
  if (layout.lines.length < 2) return ['One alternative per point: nothing is ranked across points'];
  if (m.verdict.kind !== 'compared')
    return [`${m.verdict.reason[0]!.toUpperCase()}${m.verdict.reason.slice(1)}`];
  const parts = layout.x.values.map((v) => {
    const a = layout.lines
      .map((line) => alternativeOnLine(layout, line, panel, v))
      .find((x) => x !== undefined);
    const p = pointOf(m, layout, a);
    return `${String(v)}: ${p === undefined ? 'no verdict' : shortVerdict(m, p, (x) => lineNameOf(layout, x))}`;
  });
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 2) out.push(parts.slice(i, i + 2).join('; '));
  out[0] = `At ${layout.x.path} ${out[0]!}`;
  return out;
}

/** The metrics of `table` drawn against the sweep (every one whose mean changes somewhere). */
export function sweepMetrics(table: ComparisonTable): MetricComparison[] {
  return table.metrics.filter((m) => !isFlat(m));
}

/** Labels of the metrics left out of the sweep charts (the same mean everywhere), with that mean. */
export function sweepChartsLeftOut(table: ComparisonTable): string[] {
  return table.metrics.filter(isFlat).map((m) => {
    const s = m.stats.find((x) => x.stats.n > 0)?.stats;
    return `${m.metric.label} (${s === undefined ? 'no data' : `${formatNumber(s.mean)} ${m.metric.unit}`})`;
  });
}

/** Every sweep chart of `r` (see the header): per metric, one per panel; [] without a sweep. */
export function sweepCharts(r: ResultsFile, table: ComparisonTable = compareAlternatives(r)): ChartSpec[] {
  const layout = sweepLayout(r);
  if (layout === undefined) return [];
  return sweepMetrics(table).flatMap((m) => layout.panels.map((panel) => sweepChart(m, layout, panel)));
}

/** One sweep chart per metric (its first panel), for overview.png; [] without a sweep. */
export function sweepOverviewCharts(sweep: readonly ChartSpec[]): ChartSpec[] {
  const seen = new Set<string>();
  return sweep.filter((spec) => {
    const metric = spec.id.split('__')[0]!;
    if (seen.has(metric)) return false;
    seen.add(metric);
    return true;
  });
}
