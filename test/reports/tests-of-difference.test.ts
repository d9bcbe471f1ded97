// The two-sample statistics of reports/tests-of-difference.ts against reference values computed
// with scipy 1.17 (the calls are quoted beside each constant; the tests never call Python), and
// properties that cannot hold by accident: the sign flips with the order, pairing narrows the
// interval only while the seeds still match, Holm in step-down order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { difference, equivalenceP, holm, type SeedValues } from '../../reports/tests-of-difference.js';

/** Values on seeds 1, 2, … (or on the seeds given). */
function bySeed(values: number[], seeds = values.map((_, i) => i + 1)): SeedValues {
  return new Map(values.map((v, i) => [seeds[i]!, v]));
}

describe('paired t (same seeds)', () => {
  it('matches scipy.stats.ttest_rel at n = 5', () => {
    // r = scipy.stats.ttest_rel([10.1, 12.3, 9.8, 11.4, 10.9], [9.7, 11.1, 9.9, 10.2, 10.0])
    // r.statistic = 2.8594852948423366, r.pvalue = 0.045953352717736394, r.df = 4,
    // r.confidence_interval(0.95) = (0.020908985491869037, 1.4190910145081324)
    const d = difference(bySeed([10.1, 12.3, 9.8, 11.4, 10.9]), bySeed([9.7, 11.1, 9.9, 10.2, 10.0]), 0.05)!;
    expect(d.method).toBe('paired');
    expect(d.df).toBe(4);
    expect(d.mean / d.se).toBeCloseTo(2.8594852948423366, 10);
    expect(d.p).toBeCloseTo(0.045953352717736394, 10);
    expect(d.lo).toBeCloseTo(0.020908985491869037, 10);
    expect(d.hi).toBeCloseTo(1.4190910145081324, 10);
  });

  it('matches scipy.stats.ttest_rel at n = 2 (df 1: steal-time, 3 pCPUs, wake-to-run p99, credit2 − rr)', () => {
    // r = scipy.stats.ttest_rel([995.327, 986.111], [50102.271, 50888.703])
    // r.statistic = -124.43886743886729, r.pvalue = 0.005115813748703814, r.df = 1,
    // r.confidence_interval(0.95) = (-54559.60119296397, -44449.934807036036)
    const d = difference(bySeed([995.327, 986.111]), bySeed([50102.271, 50888.703]), 0.05)!;
    expect(d.df).toBe(1);
    expect(d.mean / d.se).toBeCloseTo(-124.43886743886729, 8);
    expect(d.p).toBeCloseTo(0.005115813748703814, 10);
    expect(d.lo).toBeCloseTo(-54559.60119296397, 6);
    expect(d.hi).toBeCloseTo(-44449.934807036036, 6);
  });

  it('swapping the two alternatives flips the sign and keeps the p-value', () => {
    const x = bySeed([10.1, 12.3, 9.8, 11.4, 10.9]);
    const y = bySeed([9.7, 11.1, 9.9, 10.2, 10.0]);
    const a = difference(x, y, 0.05)!;
    const b = difference(y, x, 0.05)!;
    expect(b.mean).toBeCloseTo(-a.mean, 12);
    expect(b.lo).toBeCloseTo(-a.hi, 12);
    expect(b.p).toBeCloseTo(a.p, 12);
    expect(a.mean).toBeGreaterThan(0);
  });

  it('pairs seed with seed: shuffling one side over its seeds widens the interval', () => {
    // The seed moves both alternatives alike (common random numbers): y = x − 1 ± 0.1.
    const xs = [100, 140, 90, 170, 120, 150];
    const ys = [99.1, 139, 88.9, 169.1, 119, 149];
    const paired = difference(bySeed(xs), bySeed(ys), 0.05)!;
    const shuffledYs = [ys[3]!, ys[0]!, ys[5]!, ys[1]!, ys[4]!, ys[2]!];
    const broken = difference(bySeed(xs), bySeed(shuffledYs), 0.05)!;
    expect(paired.mean).toBeCloseTo(broken.mean, 10); // same means either way
    expect(paired.hi - paired.lo).toBeLessThan(1);
    expect(broken.hi - broken.lo).toBeGreaterThan(30 * (paired.hi - paired.lo));
    expect(paired.p).toBeLessThan(1e-6);
    expect(broken.p).toBeGreaterThan(0.5);
  });

  it('no spread in the differences: an exact difference, or none', () => {
    const d = difference(bySeed([5, 6, 7]), bySeed([4, 5, 6]), 0.05)!;
    expect(d).toMatchObject({ mean: 1, se: 0, lo: 1, hi: 1, p: 0 });
    expect(difference(bySeed([5, 6, 7]), bySeed([5, 6, 7]), 0.05)).toMatchObject({ mean: 0, p: 1 });
  });
});

describe('Welch t (different seeds)', () => {
  it('matches scipy.stats.ttest_ind(equal_var=False), fractional df 7.61', () => {
    // r = scipy.stats.ttest_ind([3.1, 4.5, 2.9, 5.0], [6.2, 7.9, 5.1, 8.8, 6.6, 7.3], equal_var=False)
    // r.statistic = -4.1827815599105955, r.pvalue = 0.003422692221080396, r.df = 7.613913074229116,
    // r.confidence_interval(0.95) = (-4.837228646348314, -1.3794380203183527)
    const d = difference(bySeed([3.1, 4.5, 2.9, 5.0]), bySeed([6.2, 7.9, 5.1, 8.8, 6.6, 7.3]), 0.05)!;
    expect(d.method).toBe('welch');
    expect(d.df).toBeCloseTo(7.613913074229116, 10);
    expect(d.mean / d.se).toBeCloseTo(-4.1827815599105955, 10);
    expect(d.p).toBeCloseTo(0.003422692221080396, 10);
    expect(d.lo).toBeCloseTo(-4.837228646348314, 9);
    expect(d.hi).toBeCloseTo(-1.3794380203183527, 9);
  });

  it('matches scipy at df 2.02 (one noisy, one tight alternative)', () => {
    // r = scipy.stats.ttest_ind([101.5, 99.0, 103.2], [100.1, 100.4, 99.8, 100.0, 100.3, 99.9, 100.2],
    //                           equal_var=False)
    // r.statistic = 0.9270812013536534, r.pvalue = 0.451007389419723, r.df = 2.0179504755615523,
    // r.confidence_interval(0.95) = (-4.08196702318793, 6.348633689854582)
    const d = difference(
      bySeed([101.5, 99.0, 103.2]),
      bySeed([100.1, 100.4, 99.8, 100.0, 100.3, 99.9, 100.2], [11, 12, 13, 14, 15, 16, 17]),
      0.05,
    )!;
    expect(d.method).toBe('welch');
    expect(d.df).toBeCloseTo(2.0179504755615523, 10);
    expect(d.p).toBeCloseTo(0.451007389419723, 9);
    expect(d.lo).toBeCloseTo(-4.08196702318793, 8);
    expect(d.hi).toBeCloseTo(6.348633689854582, 8);
  });

  it('is used when a seed of one alternative failed (the seeds differ), and not with fewer than 2 values', () => {
    const x = bySeed([10, 11, 12]);
    const y = bySeed([10.5, 12.5], [1, 3]);
    expect(difference(x, y, 0.05)!.method).toBe('welch');
    expect(difference(x, bySeed([10], [1]), 0.05)).toBeUndefined();
  });
});

describe('equivalence (TOST)', () => {
  it('matches the two one-sided t tests computed with scipy.stats.t', () => {
    // d = x − y of the n = 5 paired case: d̄ = 0.72, se = s_d/√5, df = 4.
    // p_lo = scipy.stats.t.sf((d̄ + m)/se, 4), p_hi = scipy.stats.t.cdf((d̄ − m)/se, 4), p = max:
    // m = 0.5 → 0.7842084901228723; m = 1.5 → 0.018149664138217697
    const d = difference(bySeed([10.1, 12.3, 9.8, 11.4, 10.9]), bySeed([9.7, 11.1, 9.9, 10.2, 10.0]), 0.05)!;
    expect(equivalenceP(d, 0.5)).toBeCloseTo(0.7842084901228723, 10);
    expect(equivalenceP(d, 1.5)).toBeCloseTo(0.018149664138217697, 10);
    expect(equivalenceP(d, 0)).toBe(1);
  });
});

describe('Holm', () => {
  it('steps down: sorted p × (k − i + 1), made monotone, returned in the input order', () => {
    // By hand (Holm 1979; statsmodels multipletests(method='holm') gives the same):
    // sorted 0.005, 0.01, 0.03, 0.04 → ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 → running max
    // 0.02, 0.03, 0.06, 0.06.
    const adj = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => expect(adj[i]).toBeCloseTo(want, 15));
  });

  it('caps at 1 and keeps ties together', () => {
    expect(holm([0.5, 0.5, 0.001])).toEqual([1, 1, 0.003]);
    expect(holm([0.02, 0.02])).toEqual([0.04, 0.04]);
  });

  it('a p-value significant alone is not significant among 15 comparisons', () => {
    const ps = [0.005, ...Array<number>(14).fill(0.5)];
    expect(holm(ps)[0]).toBeCloseTo(0.075, 15);
  });
});

describe('properties', () => {
  const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 12 });

  it('x − y is −(y − x) with the same p, the interval holds the mean, and the same values differ by nothing', () => {
    fc.assert(
      fc.property(values, values, (xs, ysRaw) => {
        const ys = xs.map((_, i) => ysRaw[i % ysRaw.length]!);
        const a = difference(bySeed(xs), bySeed(ys), 0.05)!;
        const b = difference(bySeed(ys), bySeed(xs), 0.05)!;
        expect(b.mean).toBeCloseTo(-a.mean, 6);
        expect(b.p).toBeCloseTo(a.p, 9);
        expect(a.lo).toBeLessThanOrEqual(a.mean);
        expect(a.hi).toBeGreaterThanOrEqual(a.mean);
        expect(a.p).toBeGreaterThanOrEqual(0);
        expect(a.p).toBeLessThanOrEqual(1);
        expect(difference(bySeed(xs), bySeed(xs), 0.05)).toMatchObject({ mean: 0, p: 1 });
      }),
    );
  });

  it('Holm never lowers a p-value, keeps their order and stays within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (ps) => {
          const adj = holm(ps);
          ps.forEach((p, i) => {
            expect(adj[i]).toBeGreaterThanOrEqual(p);
            expect(adj[i]).toBeLessThanOrEqual(1);
            ps.forEach((q, j) => {
              if (p < q) expect(adj[i]).toBeLessThanOrEqual(adj[j]!);
            });
          });
        },
      ),
    );
  });
});
