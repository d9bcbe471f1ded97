/**
 * Comparison of alternatives over seeds: per metric and alternative, the mean and 95 % CI of the
 * seeds' values, which alternative is best, and whether the data supports saying so.
 *
 * The verdict rule is deliberately conservative: an alternative is called best only when its 95 %
 * interval is disjoint from every other alternative's interval. Non-overlapping intervals imply a
 * significant difference; overlapping ones do not prove equality, so we say "no clear difference"
 * rather than "equal". Failed runs and non-finite values are left out of the statistics and counted.
 */
import type { MetricDef, ResultsFile } from '../sim/results/types.js';
import { metricColumnNames } from '../sim/results/column-names.js';
import { sampleStats, type SampleStats } from './stats.js';

/** Run counts of one alternative. */
export interface AlternativeCounts {
  alternative: string;
  runs: number;
  ok: number;
  failed: number;
  /** Seeds of this alternative's runs, ascending. */
  seeds: number[];
}

/** Whether one alternative wins a metric. */
export type Verdict =
  /** `best`'s interval is disjoint from all others; `marginPct` is its relative lead over the runner-up mean. */
  | { kind: 'clear'; best: string; runnerUp: string; marginPct: number }
  /**
   * The best mean's interval overlaps those of `tied` (or some alternative has < 2 seeds).
   * `bestMean` is undefined when the top means are exactly equal: nobody leads.
   */
  | { kind: 'unclear'; bestMean: string | undefined; tied: string[]; reason: string }
  /** No direction is better (`better: 'neither'`), or fewer than two alternatives have data. */
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
  metrics: MetricComparison[];
}

/** Alternative names in declaration order, then any that only appear in runs (first appearance). */
export function alternativeOrder(r: ResultsFile): string[] {
  const names = [...r.experiment.alternatives];
  for (const run of r.runs) if (!names.includes(run.alternative)) names.push(run.alternative);
  return names;
}

/** Builds the comparison of every metric over the alternatives' successful runs. */
export function compareAlternatives(r: ResultsFile): ComparisonTable {
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
  const columns = metricColumnNames(r.metrics);
  const metrics = r.metrics.map((metric, i): MetricComparison => {
    const stats = order.map((alternative) => ({
      alternative,
      stats: sampleStats(
        r.runs
          .filter((x) => x.alternative === alternative && x.status === 'ok')
          .map((x) => x.summary?.metrics[metric.id] ?? NaN),
      ),
    }));
    return { metric, column: columns[i] ?? metric.id, stats, verdict: verdictFor(metric, stats) };
  });
  return { alternatives, metrics };
}

function verdictFor(metric: MetricDef, stats: MetricComparison['stats']): Verdict {
  if (metric.better === 'neither') return { kind: 'none', reason: 'neither direction is better' };
  const withData = stats.filter((s) => s.stats.n > 0);
  if (withData.length < 2) return { kind: 'none', reason: 'fewer than two alternatives have values' };
  const sign = metric.better === 'higher' ? -1 : 1;
  const ranked = [...withData].sort((a, b) => sign * (a.stats.mean - b.stats.mean));
  const [best, runnerUp] = ranked as [(typeof ranked)[0], (typeof ranked)[0]];
  const leader = best.stats.mean === runnerUp.stats.mean ? undefined : best.alternative;
  if (withData.some((s) => s.stats.n < 2)) {
    return {
      kind: 'unclear',
      bestMean: leader,
      tied: ranked.slice(1).map((s) => s.alternative),
      reason: 'an alternative has fewer than 2 successful seeds, so it has no interval',
    };
  }
  const lo = (s: SampleStats) => s.mean - s.ci95Half;
  const hi = (s: SampleStats) => s.mean + s.ci95Half;
  const tied = ranked
    .slice(1)
    .filter((o) => !(hi(o.stats) < lo(best.stats) || lo(o.stats) > hi(best.stats)))
    .map((o) => o.alternative);
  if (tied.length > 0) {
    return { kind: 'unclear', bestMean: leader, tied, reason: '95 % intervals overlap' };
  }
  const ref = runnerUp.stats.mean;
  const marginPct = ref === 0 ? NaN : (Math.abs(best.stats.mean - ref) / Math.abs(ref)) * 100;
  return { kind: 'clear', best: best.alternative, runnerUp: runnerUp.alternative, marginPct };
}

/** One sentence for people: "esx best (12.3 % lower than mom)" or "no clear difference (...)". */
export function verdictText(c: MetricComparison): string {
  const v = c.verdict;
  if (v.kind === 'none') return `no verdict (${v.reason})`;
  if (v.kind === 'unclear') return `no clear difference (${v.reason})`;
  const dir = c.metric.better === 'higher' ? 'higher' : 'lower';
  const margin = Number.isFinite(v.marginPct) ? `${v.marginPct.toFixed(1)} % ${dir} than` : `${dir} than`;
  return `${v.best} best (${margin} ${v.runnerUp})`;
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
