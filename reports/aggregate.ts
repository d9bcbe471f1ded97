/**
 * Comparison of alternatives over seeds: per metric and alternative, the mean and 95 % CI of the
 * seeds' values, which alternative is best, and whether the data supports saying so.
 *
 * The verdicts (paired or Welch t tests against the baseline and the best, Holm-corrected, with a
 * practical-equivalence margin, per swept point) are ./comparison.ts's; this module gathers each
 * alternative's values by seed and words the verdict. Failed runs and non-finite values are left
 * out of the statistics and counted.
 */
import type { MetricDef, ResultsFile, RunResult } from '../sim/results/types.js';
import { metricColumnNames } from '../sim/results/column-names.js';
import {
  compareMetric,
  type ComparisonOptions,
  type PairComparison,
  type PointComparison,
} from './comparison.js';
import { sampleStats, type SampleStats } from './stats.js';
import { gridOf, sweptPoints, type SweptPoint } from './swept-points.js';
import type { SeedValues } from './tests-of-difference.js';

/** Run counts of one alternative. */
export interface AlternativeCounts {
  alternative: string;
  runs: number;
  ok: number;
  failed: number;
  /** Seeds of this alternative's runs, ascending. */
  seeds: number[];
}

/** What the comparison of one metric says (./comparison.ts). */
export type Verdict =
  /** One comparison per swept point ('' without a sweep), points without two alternatives left out. */
  | { kind: 'compared'; points: PointComparison[] }
  /** Not ranked (`better: 'neither'`), or no point has two alternatives with values. */
  | { kind: 'none'; reason: string };

/** One metric across all alternatives. */
export interface MetricComparison {
  metric: MetricDef;
  /** CSV column stem, e.g. `steal_mean_pct`. */
  column: string;
  /** In the order of ComparisonTable.alternatives. */
  stats: { alternative: string; stats: SampleStats }[];
  verdict: Verdict;
}

/** Everything the comparison table, aggregate CSV and bar charts need. */
export interface ComparisonTable {
  alternatives: AlternativeCounts[];
  /** The declared metrics that apply to the experiment (metricApplies), in declaration order. */
  metrics: MetricComparison[];
}

/** Alternative names in declaration order, then any that only appear in runs (first appearance). */
export function alternativeOrder(r: {
  experiment: Pick<ResultsFile['experiment'], 'alternatives'>;
  runs: readonly Pick<RunResult, 'alternative'>[];
}): string[] {
  const names = [...r.experiment.alternatives];
  for (const run of r.runs) if (!names.includes(run.alternative)) names.push(run.alternative);
  return names;
}

/** An alternative's finite values by seed, from its successful runs. */
function seedValues(r: ResultsFile, alternative: string, metricId: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const run of r.runs) {
    const x = run.summary?.metrics[metricId];
    if (run.alternative === alternative && run.status === 'ok' && x !== undefined && Number.isFinite(x))
      out.set(run.seed, x);
  }
  return out;
}

/**
 * False when runs have summaries but none has a value for the metric: it does not apply to this
 * experiment (a web latency without a `web` guest; the run summary leaves such metrics out), and
 * a row of blanks with "no verdict" would only hide the metrics that do. Without any summary (every
 * run failed) every metric is kept, to show that there is no data.
 */
export function metricApplies(r: ResultsFile, metricId: string): boolean {
  const summaries = r.runs.flatMap((run) => (run.summary === undefined ? [] : [run.summary]));
  return summaries.length === 0 || summaries.some((s) => s.metrics[metricId] !== undefined);
}

/**
 * Builds the comparison of every metric over the alternatives' successful runs; by default with the
 * experiment file's `baseline:` and `margins:` as results.json carries them.
 */
export function compareAlternatives(
  r: ResultsFile,
  options: ComparisonOptions = r.experiment.comparison ?? {},
): ComparisonTable {
  const order = alternativeOrder(r);
  const alternatives = order.map((alternative): AlternativeCounts => {
    const runs = r.runs.filter((x) => x.alternative === alternative);
    const ok = runs.filter((x) => x.status === 'ok').length;
    return {
      alternative,
      runs: runs.length,
      ok,
      failed: runs.length - ok,
      seeds: runs.map((x) => x.seed).sort((a, b) => a - b),
    };
  });
  // Column names from every declared metric, so a metric keeps its column whatever else applies.
  const columns = metricColumnNames(r.metrics);
  const points = sweptPoints(gridOf(r, order));
  const metrics = r.metrics.flatMap((metric, i): MetricComparison[] => {
    if (!metricApplies(r, metric.id)) return [];
    const values = new Map(order.map((a) => [a, seedValues(r, a, metric.id)]));
    const stats = order.map((alternative) => ({
      alternative,
      stats: sampleStats([...(values.get(alternative) as SeedValues).values()]),
    }));
    return [
      {
        metric,
        column: columns[i] ?? metric.id,
        stats,
        verdict: verdictFor(metric, points, values, options),
      },
    ];
  });
  return { alternatives, metrics };
}

function verdictFor(
  metric: MetricDef,
  sweep: readonly SweptPoint[],
  values: Map<string, SeedValues>,
  options: ComparisonOptions,
): Verdict {
  const points = compareMetric(metric, sweep, values, options);
  if (points === undefined) return { kind: 'none', reason: 'not ranked: neither direction is better' };
  if (points.length === 0)
    return { kind: 'none', reason: 'fewer than two alternatives have values at any point' };
  return { kind: 'compared', points };
}

/** The alternative that wins the metric outright at its swept point, if `alternative` does. */
export function isWinner(c: MetricComparison, alternative: string): boolean {
  return c.verdict.kind === 'compared' && c.verdict.points.some((p) => p.winner === alternative);
}

/**
 * `alternative` against its point's baseline: 'baseline' for the baseline itself, undefined when
 * the metric is not ranked or the alternative has no values.
 */
export function versusBaseline(
  c: MetricComparison,
  alternative: string,
): PairComparison | 'baseline' | undefined {
  if (c.verdict.kind !== 'compared') return undefined;
  for (const p of c.verdict.points) {
    if (p.baseline === alternative) return 'baseline';
    const x = p.vsBaseline.find((b) => b.alternative === alternative);
    if (x !== undefined) return x;
  }
  return undefined;
}

/** "Δ +105 ± 16 paired: better" (the difference from the baseline and its 95 % interval half-width). */
export function versusBaselineText(c: MetricComparison, alternative: string): string {
  const x = versusBaseline(c, alternative);
  if (x === undefined) return '';
  if (x === 'baseline') return 'baseline';
  if (x.diff === undefined) return `vs ${x.reference}: ${x.verdict} (too few seeds)`;
  const d = x.diff;
  const sign = d.mean > 0 ? '+' : d.mean < 0 ? '−' : '';
  return `Δ ${sign}${formatNumber(Math.abs(d.mean))} ± ${formatNumber((d.hi - d.lo) / 2)} ${d.method}: ${x.verdict}`;
}

function meanOf(c: MetricComparison, alternative: string): number {
  return c.stats.find((s) => s.alternative === alternative)?.stats.mean ?? NaN;
}

const EQUAL_TEXT = 'equal (every value the same)';

function pointText(c: MetricComparison, p: PointComparison): string {
  if (p.allEqual) return EQUAL_TEXT;
  if (p.best === undefined) return 'no verdict';
  const dir = c.metric.better === 'higher' ? 'higher' : 'lower';
  if (p.winner !== undefined) {
    // The next best mean: the runner-up the lead is measured against.
    const sign = c.metric.better === 'higher' ? 1 : -1;
    const next = p.vsBest.reduce((a, b) =>
      sign * (meanOf(c, b.alternative) - meanOf(c, a.alternative)) > 0 ? b : a,
    );
    const ref = meanOf(c, next.alternative);
    const pct = (Math.abs(meanOf(c, p.winner) - ref) / Math.abs(ref)) * 100;
    const lead = Number.isFinite(pct) && ref !== 0 ? `${pct.toFixed(1)} % ${dir} than` : `${dir} than`;
    return `${p.winner} best (${lead} ${next.alternative}, the next best)`;
  }
  const others = p.vsBest.filter((x) => p.bestSet.includes(x.alternative));
  if (others.every((x) => x.verdict === 'equal' || x.verdict === 'equivalent'))
    return `${p.bestSet.join(', ')} equivalent best (within ± ${formatNumber(p.margin)} ${c.metric.unit})`;
  return `no clear best among ${p.bestSet.join(', ')} (best mean ${p.best})`;
}

/**
 * One sentence for people: "esx best (12.3 % lower than mom, the next best)", "a, b equivalent best
 * (within ± 1 MiB)", "no clear best among a, b (best mean a)", "equal (every value the same)";
 * with a sweep, one clause per swept point.
 */
export function verdictText(c: MetricComparison): string {
  const v = c.verdict;
  if (v.kind === 'none') return `no verdict (${v.reason})`;
  if (v.points.every((p) => p.allEqual)) return EQUAL_TEXT;
  return v.points
    .map((p) => (p.point === '' ? pointText(c, p) : `${p.point}: ${pointVerdictText(c, p)}`))
    .join('; ');
}

/**
 * The verdict at one swept point, its alternatives by their own names (`rr`, not
 * `rr/host.pcpus=4`): "rr best (12.3 % lower than ps, the next best)".
 */
export function pointVerdictText(c: MetricComparison, p: PointComparison): string {
  const text = pointText(c, p);
  return p.point === '' ? text : text.split(`/${p.point}`).join('');
}

/**
 * Compact human formatting with 3-4 significant digits and no exponent for everyday magnitudes;
 * used for display only (CSV and JSON keep full precision).
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1e12 || a < 1e-3) return x.toExponential(2);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, useGrouping: a >= 10000 });
}
