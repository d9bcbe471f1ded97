/**
 * The verdicts of a comparison, per metric and per swept point (./swept-points.ts): each
 * alternative against the baseline, and the set of alternatives not distinguishable from the best.
 *
 * Method (stated on the report page by METHOD_TEXT):
 * 1. Per alternative, the values of its successful runs by seed. Two alternatives on the same seeds
 *    are paired (common random numbers), else compared by Welch's test (./tests-of-difference.ts).
 * 2. Against the baseline (the first alternative at the point, or the one asked for): the
 *    difference alternative − baseline, its two-sided p-value and its TOST p-value of practical
 *    equivalence within ±margin (./margins.ts, from the baseline mean). Both sets of p-values are
 *    Holm-corrected across the alternatives compared with the baseline, at family-wise α = 0.05.
 *    Verdict: `equal` when the values are exactly the same (seed by seed when paired, else one
 *    number throughout); `equivalent` when the TOST
 *    rejects (the difference is inside ±margin, significant or not: a difference no decision
 *    turns on is no win); else `better` / `worse` when the difference test rejects, by the sign of
 *    the difference and the metric's direction; else `inconclusive`.
 * 3. The best: the alternative with the best mean. Each other alternative is compared with it the
 *    same way (Holm across them); it is not distinguishable from the best unless it is
 *    significantly worse and not equivalent. There is a winner only when that set is the best alone.
 *    When every value at the point is the same, the verdict is `equal` and there is no best.
 * A metric with no better direction (`better: 'neither'`, e.g. counts of interface calls, which
 * describe an interface rather than grade it) is shown but never ranked.
 */
import type { MetricDef } from '../sim/results/types.js';
import { marginFor, marginRule, type MarginRule } from './margins.js';
import type { SweptPoint } from './swept-points.js';
import {
  difference,
  equivalenceP,
  holm,
  sameSeeds,
  type Difference,
  type SeedValues,
} from './tests-of-difference.js';

export const FAMILY_ALPHA = 0.05;

export const METHOD_TEXT =
  'Alternatives run on the same seeds are paired (common random numbers) and compared with a paired t test; otherwise with Welch’s t test. ' +
  'Each alternative is compared with the baseline (the first alternative, or the experiment’s baseline:) at each swept point (without compare:, a swept policy or interface is what is compared, at each point of the other swept factors), never across points; p-values are Holm-corrected across the alternatives at a family-wise α = 0.05. ' +
  'Two alternatives are “equivalent” when their difference is shown (two one-sided tests, same α) to lie within a practical margin of max(1 % of the baseline mean, a small floor per unit; the experiment’s margins: override it), “equal” when every value is the same; ' +
  'the best is the alternative with the best mean, and it is called the winner only when every other alternative is significantly worse than it and not shown equivalent.';

export type PairVerdict = 'better' | 'worse' | 'equivalent' | 'equal' | 'inconclusive';

/** One alternative against a reference (the baseline, or the best). */
export interface PairComparison {
  alternative: string;
  reference: string;
  /** alternative − reference; undefined when there are too few values for either test. */
  diff: Difference | undefined;
  /** Holm-adjusted p-values of the difference and of the equivalence test. */
  pHolm: number;
  pEquivalentHolm: number;
  verdict: PairVerdict;
}

/** A metric at one swept point. */
export interface PointComparison {
  /** The swept point (`host.pcpus=4`), '' without a sweep. */
  point: string;
  baseline: string;
  /** The practical-equivalence margin, in the metric's unit. */
  margin: number;
  /** Every other alternative with values against the baseline. */
  vsBaseline: PairComparison[];
  /** Every value at the point is the same number: no best. */
  allEqual: boolean;
  /** Best mean, undefined when allEqual or fewer than two alternatives have values. */
  best: string | undefined;
  /** The best and the alternatives not distinguishable from it, in declaration order. */
  bestSet: string[];
  /** The best alone in bestSet. */
  winner: string | undefined;
  /** Others against the best (empty without a best). */
  vsBest: PairComparison[];
}

export interface ComparisonOptions {
  /** Baseline alternative (or its name before `/<point>`); default: the first at each point. */
  baseline?: string;
  margins?: Readonly<Record<string, Partial<MarginRule>>>;
}

function mean(v: SeedValues): number {
  let s = 0;
  for (const x of v.values()) s += x;
  return s / v.size;
}

/**
 * Exactly the same values: on the same seeds, seed by seed (a paired difference of 0 everywhere);
 * on different seeds, one number throughout both.
 */
function identical(x: SeedValues, y: SeedValues): boolean {
  if (sameSeeds(x, y)) return [...x].every(([seed, v]) => y.get(seed) === v);
  const xs = [...x.values(), ...y.values()];
  return xs.every((v) => v === xs[0]);
}

/** Compares each of `others` with `reference`, Holm-corrected across them (header, step 2). */
function compareWith(
  metric: MetricDef,
  values: ReadonlyMap<string, SeedValues>,
  reference: string,
  others: readonly string[],
  margin: number,
): PairComparison[] {
  const ref = values.get(reference)!;
  const diffs = others.map((a) => difference(values.get(a)!, ref, FAMILY_ALPHA));
  const pDiff = holm(diffs.map((d) => d?.p ?? 1));
  const pEq = holm(diffs.map((d) => (d === undefined ? 1 : equivalenceP(d, margin))));
  return others.map((alternative, i): PairComparison => {
    const diff = diffs[i];
    const pHolm = pDiff[i]!;
    const pEquivalentHolm = pEq[i]!;
    const verdict = pairVerdict(metric, values.get(alternative)!, ref, diff, pHolm, pEquivalentHolm);
    return { alternative, reference, diff, pHolm, pEquivalentHolm, verdict };
  });
}

/**
 * The verdict on x against reference y (header, step 2) from their difference x − y and its
 * Holm-adjusted p-values. A metric with no better direction gets `better` for a significant rise.
 */
export function pairVerdict(
  metric: MetricDef,
  x: SeedValues,
  y: SeedValues,
  diff: Difference | undefined,
  pHolm: number,
  pEquivalentHolm: number,
): PairVerdict {
  if (identical(x, y)) return 'equal';
  if (diff !== undefined && pEquivalentHolm < FAMILY_ALPHA) return 'equivalent';
  if (diff !== undefined && pHolm < FAMILY_ALPHA)
    return diff.mean > 0 === (metric.better !== 'lower') ? 'better' : 'worse';
  return 'inconclusive';
}

/** The comparison of one metric at one point over `alternatives` (declaration order). */
export function comparePoint(
  metric: MetricDef,
  point: string,
  alternatives: readonly string[],
  values: ReadonlyMap<string, SeedValues>,
  options: ComparisonOptions = {},
): PointComparison | undefined {
  const withData = alternatives.filter((a) => (values.get(a)?.size ?? 0) > 0);
  if (withData.length < 2) return undefined;
  const wanted = options.baseline;
  const baseline =
    withData.find((a) => wanted !== undefined && (a === wanted || a === `${wanted}/${point}`)) ??
    withData[0]!;
  const margin = marginFor(marginRule(metric, options.margins), mean(values.get(baseline)!));
  const vsBaseline = compareWith(
    metric,
    values,
    baseline,
    withData.filter((a) => a !== baseline),
    margin,
  );
  const allEqual = withData.every((a) => identical(values.get(a)!, values.get(baseline)!));
  const none = {
    point,
    baseline,
    margin,
    vsBaseline,
    allEqual,
    best: undefined,
    bestSet: [],
    winner: undefined,
    vsBest: [],
  };
  if (allEqual) return none;
  const sign = metric.better === 'higher' ? 1 : -1;
  const best = withData.reduce((b, a) => (sign * (mean(values.get(a)!) - mean(values.get(b)!)) > 0 ? a : b));
  const vsBest = compareWith(
    metric,
    values,
    best,
    withData.filter((a) => a !== best),
    margin,
  );
  const bestSet = withData.filter(
    (a) => a === best || vsBest.find((c) => c.alternative === a)!.verdict !== 'worse',
  );
  return { ...none, best, bestSet, winner: bestSet.length === 1 ? best : undefined, vsBest };
}

/**
 * The comparison of one metric over every swept point (./swept-points.ts), from each alternative's
 * values by seed; undefined for a metric that is not ranked (`better: 'neither'`).
 */
export function compareMetric(
  metric: MetricDef,
  points: readonly SweptPoint[],
  values: ReadonlyMap<string, SeedValues>,
  options: ComparisonOptions = {},
): PointComparison[] | undefined {
  if (metric.better === 'neither') return undefined;
  return points.flatMap((g) => comparePoint(metric, g.point, g.alternatives, values, options) ?? []);
}
