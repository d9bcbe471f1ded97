/**
 * The two-sample statistics behind the comparison verdicts: the difference of one alternative from
 * another over seeds (paired on shared seeds, else Welch), its t interval, its two-sided p-value, the
 * two one-sided tests of practical equivalence (TOST) and Holm's step-down correction.
 *
 * Equations (α is the family-wise error rate, 0.05 in reports):
 * - Paired, when both alternatives have usable values on exactly the same seeds (common random
 *   numbers: a seed drives the same workload arrivals in every alternative, so the seed's effect
 *   cancels in the difference): d_i = x_i − y_i, d̄ = mean d_i, s_d = sample sd of d_i (n − 1),
 *   se = s_d / √n, df = n − 1. Student (1908); scipy.stats.ttest_rel.
 * - Welch, otherwise: d̄ = x̄ − ȳ, se² = s_x²/n_x + s_y²/n_y, and the Welch–Satterthwaite
 *   df = se⁴ / ((s_x²/n_x)²/(n_x − 1) + (s_y²/n_y)²/(n_y − 1)), fractional. Welch (1947),
 *   Satterthwaite (1946); scipy.stats.ttest_ind(equal_var=False).
 * - Interval d̄ ± t(1 − α/2, df)·se; p = 2·(1 − T_df(|d̄| / se)), T_df the Student t CDF
 *   (@stdlib/stats-base-dists-t-cdf, -quantile: exact at fractional df).
 * - Equivalence within ±m (TOST, Schuirmann 1987): p_lo = 1 − T_df((d̄ + m)/se) tests d ≤ −m,
 *   p_hi = T_df((d̄ − m)/se) tests d ≥ m; p_TOST = max(p_lo, p_hi). Rejecting both at α is the same
 *   as the (1 − 2α) interval lying inside (−m, m).
 * - Holm (1979) step-down over k p-values: sort ascending p_(1) ≤ … ≤ p_(k); adjusted
 *   p̃_(j) = max over i ≤ j of min(1, (k − i + 1)·p_(i)); reject where p̃ < α. Controls the
 *   family-wise error at α under any dependence (as statsmodels' multipletests(method='holm')).
 *
 * se = 0 (no spread in the differences) makes the difference exact: p = 0 unless d̄ = 0, where it
 * is 1 (no difference at all); the interval is the point d̄.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** One alternative's value per seed (failed runs and non-finite values already left out). */
export type SeedValues = ReadonlyMap<number, number>;

/** The difference x − y of two alternatives' means over seeds, with its test. */
export interface Difference {
  method: 'paired' | 'welch';
  /** Pairs (paired), or n_x + n_y (Welch). */
  n: number;
  /** x − y: mean of the paired differences, or difference of the means. */
  mean: number;
  se: number;
  df: number;
  /** Two-sided (1 − α) t interval of the difference. */
  lo: number;
  hi: number;
  /** Two-sided p-value of "no difference". */
  p: number;
}

function meanSd(xs: readonly number[]): { mean: number; variance: number } {
  const n = xs.length;
  // One value throughout: exactly no spread (summing then dividing can leave the mean an ulp off,
  // and the difference would show "± 4e-14").
  if (xs.every((x) => x === xs[0])) return { mean: xs[0] as number, variance: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, variance };
}

/** True when x and y have usable values on the same seeds (so they can be paired). */
export function sameSeeds(x: SeedValues, y: SeedValues): boolean {
  return x.size === y.size && [...x.keys()].every((s) => y.has(s));
}

/**
 * x − y, paired when both have the same seeds (at least 2) and `pairable` (a seed must mean the
 * same workload on both sides: false for two different experiments), else Welch (each at least 2
 * values); undefined when neither test has the values it needs.
 */
export function difference(
  x: SeedValues,
  y: SeedValues,
  alpha: number,
  pairable = true,
): Difference | undefined {
  if (pairable && sameSeeds(x, y) && x.size >= 2) {
    const d = [...x.keys()].sort((a, b) => a - b).map((s) => (x.get(s) as number) - (y.get(s) as number));
    const { mean, variance } = meanSd(d);
    const se = Math.sqrt(variance / d.length);
    return withTest('paired', d.length, mean, se, d.length - 1, alpha);
  }
  if (x.size < 2 || y.size < 2) return undefined;
  const a = meanSd([...x.values()]);
  const b = meanSd([...y.values()]);
  const vx = a.variance / x.size;
  const vy = b.variance / y.size;
  const se = Math.sqrt(vx + vy);
  const df =
    se === 0 ? x.size + y.size - 2 : (vx + vy) ** 2 / (vx ** 2 / (x.size - 1) + vy ** 2 / (y.size - 1));
  return withTest('welch', x.size + y.size, a.mean - b.mean, se, df, alpha);
}

function withTest(
  method: Difference['method'],
  n: number,
  mean: number,
  se: number,
  df: number,
  alpha: number,
) {
  if (se === 0) return { method, n, mean, se, df, lo: mean, hi: mean, p: mean === 0 ? 1 : 0 };
  const half = tQuantile(1 - alpha / 2, df) * se;
  const p = Math.min(1, 2 * (1 - tCdf(Math.abs(mean) / se, df)));
  return { method, n, mean, se, df, lo: mean - half, hi: mean + half, p };
}

/** p-value of TOST: that the true difference lies outside ±margin is rejected when it is < α. */
export function equivalenceP(d: Difference, margin: number): number {
  if (!(margin > 0)) return 1;
  if (d.se === 0) return Math.abs(d.mean) < margin ? 0 : 1;
  const pLo = 1 - tCdf((d.mean + margin) / d.se, d.df);
  const pHi = tCdf((d.mean - margin) / d.se, d.df);
  return Math.max(pLo, pHi);
}

/** Holm-adjusted p-values, in the order given (see the header for the formula). */
export function holm(ps: readonly number[]): number[] {
  const k = ps.length;
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<number>(k);
  let running = 0;
  order.forEach(({ p, i }, j) => {
    running = Math.max(running, Math.min(1, (k - j) * p));
    out[i] = running;
  });
  return out;
}
