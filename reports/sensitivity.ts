/**
 * Sensitivity of an experiment's verdicts to its assumed constants (sim/experiment/assumed-constants.ts):
 * from the baseline's results and, per constant, the results with it at the low and at the high end
 * of its range (the others at their baseline), what each verdict becomes.
 *
 * A verdict is one alternative against its point's baseline on one ranked metric, as the report's
 * comparison states it (./comparison.ts): its pair verdict (better, worse, equivalent, …), the
 * point's winner, and its margin: the difference of the means relative to the baseline's,
 * 100 × (mean(alternative) − mean(baseline)) / |mean(baseline)| % ("Xen's interface cost 86 %
 * lower" is −86 %). Per constant and end:
 *  - flips: the alternative was better (worse) and is now worse (better), or the point's winner is
 *    another alternative;
 *  - not significant: it was better or worse and is now inconclusive, equivalent or equal;
 *  - shift: the margin's move in percentage points; the constant's swing is |margin at high − margin
 *    at low|, which orders the tornado chart.
 * Worked example (interface cost, vmi baseline, xen alternative): vmi 100 ms, xen 14 ms at baseline
 * → margin −86 %; at exitCycles low vmi 36 ms, xen 13 ms → −64 %, shift +22 pp; no flip (xen still
 * better).
 *
 * Pure: results in, plain data out; the same inputs give the same bytes (sensitivity.json).
 */
import type { AssumedConstantInfo, ResultsFile } from '../sim/results/types.js';
import { compareAlternatives, type MetricComparison } from './aggregate.js';
import type { PairVerdict, PointComparison } from './comparison.js';

export type End = 'low' | 'high';
export const ENDS: readonly End[] = ['low', 'high'];

/** A constant as the report describes it (the registry's plain data, and the values the runs took). */
export interface ConstantInfo extends AssumedConstantInfo {
  /** The distinct values the experiment's runs had, and took at each end; empty: unused. */
  values: { baseline: number[]; low: number[]; high: number[] };
}

/** The constant at one end of its range, with its results; undefined results: the runs do not use it. */
export interface Variant {
  constant: string;
  end: End;
  results: ResultsFile | undefined;
}

export interface Outcome {
  verdict: PairVerdict | 'none';
  winner: string | null;
  /** Margin, % of the baseline alternative's mean; null when that mean is 0 or missing. */
  marginPct: number | null;
  /** marginPct − the baseline's, percentage points. */
  shiftPp: number | null;
  flips: boolean;
  notSignificant: boolean;
}

export interface ConstantEffect {
  constant: string;
  /** Absent when the experiment's runs do not use the constant. */
  low?: Outcome;
  high?: Outcome;
  /** |margin at high − margin at low|, pp (0 when unused or undefined). */
  swingPp: number;
}

export interface VerdictSensitivity {
  metric: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** The swept point ('' without a sweep). */
  point: string;
  baseline: string;
  alternative: string;
  verdict: PairVerdict;
  winner: string | null;
  marginPct: number | null;
  /** Every constant, largest swing first (ties in registry order). */
  constants: ConstantEffect[];
}

export interface SensitivityFile {
  experiment: string;
  /** What the baseline's runs were: their alternatives and seeds. */
  alternatives: string[];
  seeds: number[];
  constants: ConstantInfo[];
  verdicts: VerdictSensitivity[];
}

interface Pair {
  metric: MetricComparison;
  point: PointComparison;
  alternative: string;
}

function meanOf(m: MetricComparison, alternative: string): number | undefined {
  const s = m.stats.find((x) => x.alternative === alternative)?.stats;
  return s === undefined || s.n === 0 ? undefined : s.mean;
}

function marginPct(m: MetricComparison, baseline: string, alternative: string): number | null {
  const b = meanOf(m, baseline);
  const a = meanOf(m, alternative);
  if (a === undefined || b === undefined || b === 0) return null;
  return (100 * (a - b)) / Math.abs(b);
}

/** Every (metric, point, alternative vs the point's baseline) of a comparison, in report order. */
function pairsOf(results: ResultsFile): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const metric of compareAlternatives(results).metrics) {
    if (metric.verdict.kind !== 'compared') continue;
    for (const point of metric.verdict.points)
      for (const vs of point.vsBaseline)
        out.set(`${metric.metric.id}\u0000${point.point}\u0000${vs.alternative}`, {
          metric,
          point,
          alternative: vs.alternative,
        });
  }
  return out;
}

function pairVerdictOf(p: Pair): PairVerdict {
  return p.point.vsBaseline.find((v) => v.alternative === p.alternative)!.verdict;
}

const DECIDED = new Set<PairVerdict>(['better', 'worse']);

function outcome(base: Pair, baseMargin: number | null, varied: Pair | undefined): Outcome {
  if (varied === undefined)
    return {
      verdict: 'none',
      winner: null,
      marginPct: null,
      shiftPp: null,
      flips: false,
      notSignificant: false,
    };
  const was = pairVerdictOf(base);
  const now = pairVerdictOf(varied);
  const margin = marginPct(varied.metric, varied.point.baseline, varied.alternative);
  const winnerWas = base.point.winner;
  const winnerNow = varied.point.winner;
  const reversed = DECIDED.has(was) && DECIDED.has(now) && was !== now;
  const otherWinner = winnerWas !== undefined && winnerNow !== undefined && winnerWas !== winnerNow;
  return {
    verdict: now,
    winner: winnerNow ?? null,
    marginPct: margin,
    shiftPp: margin === null || baseMargin === null ? null : margin - baseMargin,
    flips: reversed || otherWinner,
    notSignificant: DECIDED.has(was) && !DECIDED.has(now),
  };
}

/**
 * The sensitivity of every verdict of `baseline` to each constant of `constants`, from `variants`
 * (one per constant and end; a constant without variants is listed as unused).
 */
export function sensitivityOf(
  baseline: ResultsFile,
  constants: readonly ConstantInfo[],
  variants: readonly Variant[],
): SensitivityFile {
  const basePairs = pairsOf(baseline);
  const variedPairs = new Map(
    variants.map((v) => [
      `${v.constant}\u0000${v.end}`,
      v.results === undefined ? undefined : pairsOf(v.results),
    ]),
  );
  const verdicts = [...basePairs].map(([key, p]): VerdictSensitivity => {
    const margin = marginPct(p.metric, p.point.baseline, p.alternative);
    const effects = constants.map((c, order): ConstantEffect & { order: number } => {
      const ends: Partial<Record<End, Outcome>> = {};
      for (const end of ENDS) {
        const k = `${c.id}\u0000${end}`;
        if (!variedPairs.has(k)) continue;
        const pairs = variedPairs.get(k);
        // An unused constant's runs are the baseline's: the same outcome, nothing moves.
        ends[end] = outcome(p, margin, pairs === undefined ? p : pairs.get(key));
      }
      const lo = ends.low?.marginPct;
      const hi = ends.high?.marginPct;
      const swingPp = typeof lo === 'number' && typeof hi === 'number' ? Math.abs(hi - lo) : 0;
      return { constant: c.id, ...ends, swingPp, order };
    });
    effects.sort((a, b) => b.swingPp - a.swingPp || a.order - b.order);
    return {
      metric: p.metric.metric.id,
      label: p.metric.metric.label,
      unit: p.metric.metric.unit,
      better: p.metric.metric.better === 'higher' ? 'higher' : 'lower',
      point: p.point.point,
      baseline: p.point.baseline,
      alternative: p.alternative,
      verdict: pairVerdictOf(p),
      winner: p.point.winner ?? null,
      marginPct: margin,
      constants: effects.map(({ order: _o, ...e }) => e),
    };
  });
  return {
    experiment: baseline.experiment.name,
    alternatives: [...baseline.experiment.alternatives],
    seeds: [...baseline.experiment.seeds],
    constants: [...constants],
    verdicts,
  };
}

/** The constants that flip a verdict or make it not significant, at which end: "exitCycles (low: flips)". */
export function decidingConstants(v: VerdictSensitivity): string[] {
  return v.constants.flatMap((e) => {
    const what = ENDS.flatMap((end) => {
      const o = e[end];
      if (o?.flips) return [`${end}: flips`];
      if (o?.notSignificant) return [`${end}: not significant`];
      return [];
    });
    return what.length === 0 ? [] : [`${e.constant} (${what.join(', ')})`];
  });
}
