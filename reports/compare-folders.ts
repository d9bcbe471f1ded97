/**
 * `vmisim compare DIR_A DIR_B` as data: two results files compared alternative by alternative
 * (matched by name) and metric by metric (matched by id and unit), B − A, with the statistics of
 * the report (./tests-of-difference.ts, verdicts as ./comparison.ts gives them).
 *
 * Method:
 * - Paired t test on the seeds when both files come from the same experiment file (same sha256)
 *   with the same seeds: a seed then drives the same workload on both sides (common random
 *   numbers), so its effect cancels in the difference. An alternative whose successful seeds
 *   differ between the two falls back to Welch. Otherwise (different experiment files, or seeds)
 *   Welch's t test throughout: the same seed number means nothing across different experiments.
 * - Per metric, the p-values of the alternatives compared are Holm-corrected across them, at a
 *   family-wise α = 0.05, as in the report.
 * - The practical-equivalence margin is the report's (./margins.ts) from A's mean, with A's
 *   `margins:` overrides: B is `equivalent` to A when the difference is shown to lie within it.
 * - Verdict on B against A: `equal` (the same values), `equivalent`, `better` / `worse` (by the
 *   metric's direction; for a metric with none, `higher` / `lower`), or `inconclusive`.
 */
import type { MetricDef, ResultsFile } from '../sim/results/types.js';
import { FAMILY_ALPHA, pairVerdict } from './comparison.js';
import { marginFor, marginRule } from './margins.js';
import { toCsv } from './csv.js';
import { DIFFERENCE_COLUMNS, differenceCells } from './comparison-csv.js';
import { difference, equivalenceP, holm, type Difference, type SeedValues } from './tests-of-difference.js';

export type FolderVerdict = 'better' | 'worse' | 'higher' | 'lower' | 'equivalent' | 'equal' | 'inconclusive';

/** One alternative × metric: A and B, and B − A. */
export interface FolderComparisonRow {
  metric: MetricDef;
  alternative: string;
  nA: number;
  nB: number;
  meanA: number | undefined;
  meanB: number | undefined;
  /** B − A; undefined with fewer than 2 values on a side. */
  diff: Difference | undefined;
  pHolm: number | undefined;
  pEquivalentHolm: number | undefined;
  margin: number | undefined;
  verdict: FolderVerdict;
}

export interface FolderComparison {
  /** Whether seeds may be paired, and why (or why not), in words. */
  pairable: boolean;
  pairingReason: string;
  /** Alternatives in both, in A's order; those in one only. */
  alternatives: string[];
  onlyA: string[];
  onlyB: string[];
  /** Metrics in both (id and unit), in A's order; ids in one only or with another unit. */
  metrics: MetricDef[];
  metricsNotCompared: string[];
  rows: FolderComparisonRow[];
}

/** Each alternative's successful values of `metric` by seed. */
function valuesOf(r: ResultsFile, metric: string): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const run of r.runs) {
    const v = run.summary?.metrics[metric];
    if (run.status !== 'ok' || v === undefined || !Number.isFinite(v)) continue;
    if (!out.has(run.alternative)) out.set(run.alternative, new Map());
    out.get(run.alternative)!.set(run.seed, v);
  }
  return out;
}

const meanOf = (v: SeedValues | undefined) =>
  v === undefined || v.size === 0 ? undefined : [...v.values()].reduce((a, b) => a + b, 0) / v.size;

function pairing(a: ResultsFile, b: ResultsFile): { pairable: boolean; pairingReason: string } {
  const seeds = (r: ResultsFile) => [...r.experiment.seeds].sort((x, y) => x - y).join(',');
  if (a.experiment.fileHash !== b.experiment.fileHash)
    return {
      pairable: false,
      pairingReason: 'Welch’s t test: the two come from different experiment files (sha256 differs)',
    };
  if (seeds(a) !== seeds(b))
    return { pairable: false, pairingReason: 'Welch’s t test: the two ran different seeds' };
  return {
    pairable: true,
    pairingReason:
      'paired t test on the seeds: same experiment file (sha256) and same seeds (Welch for an alternative whose successful seeds differ)',
  };
}

/** Compares B with A (see the header). */
export function compareFolders(a: ResultsFile, b: ResultsFile): FolderComparison {
  const { pairable, pairingReason } = pairing(a, b);
  const inB = new Set(b.experiment.alternatives);
  const inA = new Set(a.experiment.alternatives);
  const alternatives = a.experiment.alternatives.filter((x) => inB.has(x));
  const bMetric = new Map(b.metrics.map((m) => [m.id, m]));
  const metrics = a.metrics.filter((m) => bMetric.get(m.id)?.unit === m.unit);
  const compared = new Set(metrics.map((m) => m.id));
  const rows: FolderComparisonRow[] = [];
  for (const metric of metrics) {
    const va = valuesOf(a, metric.id);
    const vb = valuesOf(b, metric.id);
    const empty = new Map<number, number>();
    const pairs = alternatives.map((alt) => ({ alt, x: vb.get(alt) ?? empty, y: va.get(alt) ?? empty }));
    const diffs = pairs.map(({ x, y }) => difference(x, y, FAMILY_ALPHA, pairable));
    const margins = pairs.map(({ y }) =>
      y.size === 0 ? undefined : marginFor(marginRule(metric, a.experiment.comparison?.margins), meanOf(y)!),
    );
    const pDiff = holm(diffs.map((d) => d?.p ?? 1));
    const pEq = holm(diffs.map((d, i) => (d === undefined ? 1 : equivalenceP(d, margins[i]!))));
    pairs.forEach(({ alt, x, y }, i) => {
      const diff = diffs[i];
      let verdict: FolderVerdict =
        x.size === 0 || y.size === 0 ? 'inconclusive' : pairVerdict(metric, x, y, diff, pDiff[i]!, pEq[i]!);
      if (metric.better === 'neither' && (verdict === 'better' || verdict === 'worse'))
        verdict = verdict === 'better' ? 'higher' : 'lower';
      rows.push({
        metric,
        alternative: alt,
        nA: y.size,
        nB: x.size,
        meanA: meanOf(y),
        meanB: meanOf(x),
        diff,
        pHolm: diff === undefined ? undefined : pDiff[i],
        pEquivalentHolm: diff === undefined ? undefined : pEq[i],
        margin: margins[i],
        verdict,
      });
    });
  }
  return {
    pairable,
    pairingReason,
    alternatives,
    onlyA: a.experiment.alternatives.filter((x) => !inB.has(x)),
    onlyB: b.experiment.alternatives.filter((x) => !inA.has(x)),
    metrics,
    metricsNotCompared: [...new Set([...a.metrics, ...b.metrics].map((m) => m.id))].filter(
      (id) => !compared.has(id),
    ),
    rows,
  };
}

export const COMPARE_CSV_HEADER = [
  'metric',
  'unit',
  'better',
  'alternative',
  'n_a',
  'mean_a',
  'n_b',
  'mean_b',
  ...DIFFERENCE_COLUMNS,
] as const;

/**
 * The comparison as CSV (./csv.ts's format): one row per metric × alternative, diff = B − A; `n` is
 * the pairs (paired) or the values of both (Welch), as in comparison.csv.
 */
export function compareFoldersCsv(c: FolderComparison): string {
  const rows = c.rows.map((r) => [
    r.metric.id,
    r.metric.unit,
    r.metric.better,
    r.alternative,
    r.nA,
    r.meanA,
    r.nB,
    r.meanB,
    ...differenceCells(r.diff, r.pHolm, r.pEquivalentHolm, r.margin, r.verdict),
  ]);
  return toCsv([[...COMPARE_CSV_HEADER], ...rows]);
}
