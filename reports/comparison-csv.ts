/**
 * comparison.csv: the verdicts of the report as data (./comparison.ts) — one row per ranked metric ×
 * swept point × alternative (the point's baseline first, verdict `baseline`), with the difference
 * from the baseline, its 95 % interval, the test (paired or Welch), degrees of freedom, raw and Holm-adjusted p-values,
 * the equivalence margin and the verdict, and whether the alternative is among the best at its point
 * and the outright winner. Metrics with no better direction have no rows.
 */
import type { ResultsFile } from '../sim/results/types.js';
import { compareAlternatives } from './aggregate.js';
import type { PairComparison } from './comparison.js';
import { toCsv, type CsvValue } from './csv.js';
import type { Difference } from './tests-of-difference.js';

/** The columns of a difference and its test, shared with `vmisim compare`'s CSV (./compare-folders.ts). */
export const DIFFERENCE_COLUMNS = [
  'test',
  'n',
  'df',
  'diff',
  'diff_ci95_lo',
  'diff_ci95_hi',
  'p',
  'p_holm',
  'p_equivalent_holm',
  'margin',
  'verdict',
] as const;

/** The cells of DIFFERENCE_COLUMNS. */
export function differenceCells(
  d: Difference | undefined,
  pHolm: number | undefined,
  pEquivalentHolm: number | undefined,
  margin: number | undefined,
  verdict: string,
): CsvValue[] {
  return [d?.method, d?.n, d?.df, d?.mean, d?.lo, d?.hi, d?.p, pHolm, pEquivalentHolm, margin, verdict];
}

export const COMPARISON_CSV_HEADER = [
  'metric',
  'unit',
  'better',
  'point',
  'alternative',
  'baseline',
  ...DIFFERENCE_COLUMNS,
  'among_best',
  'winner',
] as const;

export function comparisonCsv(r: ResultsFile): string {
  const rows: CsvValue[][] = [];
  for (const m of compareAlternatives(r).metrics) {
    if (m.verdict.kind !== 'compared') continue;
    for (const p of m.verdict.points) {
      const row = (alternative: string, x: PairComparison | undefined): CsvValue[] => {
        return [
          m.column,
          m.metric.unit,
          m.metric.better,
          p.point,
          alternative,
          p.baseline,
          ...differenceCells(x?.diff, x?.pHolm, x?.pEquivalentHolm, p.margin, x?.verdict ?? 'baseline'),
          p.bestSet.includes(alternative) ? 'yes' : 'no',
          p.winner === alternative ? 'yes' : 'no',
        ];
      };
      rows.push(row(p.baseline, undefined), ...p.vsBaseline.map((x) => row(x.alternative, x)));
    }
  }
  return toCsv([[...COMPARISON_CSV_HEADER], ...rows]);
}
