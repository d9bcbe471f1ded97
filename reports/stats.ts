/**
 * Small-sample statistics for comparing alternatives over seeds: mean, sample standard deviation and
 * the 95 % confidence half-width `t(0.975, n-1) · s / √n` (Student t, two-sided).
 *
 * The t quantile comes from the same implementation as the tests of difference
 * (./tests-of-difference.ts, @stdlib/stats-base-dists-t-quantile), so an alternative's interval
 * and the verdicts beside it never disagree by a rounding of a printed table.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/**
 * Upper 0.975 quantile of Student's t with `df` degrees of freedom (so mean ± t·s/√n is a 95 % CI).
 * Throws for df < 1 or non-integer df: a CI needs at least two samples.
 */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`t quantile needs an integer df >= 1, got ${df}`);
  return tQuantile(0.975, df);
}

/** Mean, spread and 95 % CI of one metric for one alternative over its seeds. */
export interface SampleStats {
  /** Number of finite values used. */
  n: number;
  /** NaN when n = 0. */
  mean: number;
  /** Sample standard deviation (n-1 denominator); NaN when n < 2. */
  sd: number;
  /** Half-width of the 95 % CI of the mean; NaN when n < 2 (no interval from one seed). */
  ci95Half: number;
  min: number;
  max: number;
}

/** Computes SampleStats from the finite entries of `values` (non-finite ones are ignored). */
export function sampleStats(values: readonly number[]): SampleStats {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, ci95Half: NaN, min: NaN, max: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (n < 2) return { n, mean, sd: NaN, ci95Half: NaN, min, max };
  // Equal values: exactly no spread (summing then dividing can leave the mean an ulp off, which
  // the report would show as "± 1.08e-14").
  if (min === max) return { n, mean: min, sd: 0, ci95Half: 0, min, max };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, ci95Half: (tQuantile975(n - 1) * sd) / Math.sqrt(n), min, max };
}
