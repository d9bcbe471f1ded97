/**
 * Small-sample statistics for comparing alternatives over seeds: mean, sample standard deviation and
 * the 95 % confidence half-width `t(0.975, n-1) · s / √n` (Student t, two-sided).
 *
 * The t quantiles are a table rather than an inverse-CDF implementation: experiments have a handful
 * of seeds, the table is easy to check against any textbook, and it cannot be subtly wrong in the
 * tails. Values: two-sided 95 % (upper 0.975) critical values of Student's t, e.g. NIST/SEMATECH
 * e-Handbook of Statistical Methods §1.3.6.7.2, rounded to 3 decimals.
 */

/** t(0.975, df) for df = 1..30 (index 0 is df 1). */
const T975_DF_1_TO_30 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
] as const;

/** Sparse rows of the same table beyond 30, ascending df. */
const T975_SPARSE: readonly (readonly [df: number, t: number])[] = [
  [30, 2.042],
  [40, 2.021],
  [60, 2.0],
  [120, 1.98],
];

/**
 * Upper 0.975 quantile of Student's t with `df` degrees of freedom (so mean ± t·s/√n is a 95 % CI).
 * df 1..30 come from the table. Between the sparse rows 30/40/60/120 we take the row with the largest
 * df not above `df` (a slightly larger t, so a slightly wider, conservative interval); above 120 the
 * normal quantile 1.96 (t(200) is 1.972, so the error there is below 1 %).
 * Throws for df < 1 or non-integer df: a CI needs at least two samples.
 */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`t quantile needs an integer df >= 1, got ${df}`);
  if (df <= 30) return T975_DF_1_TO_30[df - 1] as number;
  if (df > 120) return 1.96;
  let t = 2.042;
  for (const [rowDf, rowT] of T975_SPARSE) if (rowDf <= df) t = rowT;
  return t;
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
