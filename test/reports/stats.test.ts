/** Student t quantiles and the mean ± 95 % CI, checked against textbook values. */
import { describe, expect, it } from 'vitest';
import { sampleStats, tQuantile975 } from '../../reports/stats.js';

describe('tQuantile975', () => {
  it('matches scipy.stats.t.ppf(0.975, df)', () => {
    // Reference values computed by hand with scipy 1.17: scipy.stats.t.ppf(0.975, df).
    const scipy: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [4, 2.7764451051977934],
      [9, 2.262157162798205],
      [30, 2.0422724563012378],
      [35, 2.030107928250343],
      [60, 2.0002978220142604],
      [120, 1.9799304050824402],
      [1000, 1.9623390808264083],
    ];
    for (const [df, t] of scipy) expect(tQuantile975(df)).toBeCloseTo(t, 10);
  });

  it('decreases with df', () => {
    for (let df = 1; df < 200; df++) expect(tQuantile975(df + 1)).toBeLessThanOrEqual(tQuantile975(df));
  });

  it('rejects df < 1 and fractional df', () => {
    expect(() => tQuantile975(0)).toThrow(RangeError);
    expect(() => tQuantile975(2.5)).toThrow(RangeError);
  });
});

describe('sampleStats', () => {
  it('computes mean, sample sd and the t-based half-width', () => {
    const s = sampleStats([1, 2, 3, 4, 5]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    // t(0.975, 4) · √2.5 / √5 = 2.7764451051977934 · √0.5 = 1.9632431614775572 (scipy, by hand)
    expect(s.ci95Half).toBeCloseTo(1.9632431614775572, 10);
    expect([s.min, s.max]).toEqual([1, 5]);
  });

  it('gives equal values exactly no spread, though their float sum / n is an ulp off', () => {
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004, / 3 = 0.10000000000000002: a naive sd is ~1e-17.
    const s = sampleStats([0.1, 0.1, 0.1]);
    expect(s.mean).toBe(0.1);
    expect(s.sd).toBe(0);
    expect(s.ci95Half).toBe(0);
  });

  it('has no interval from one value and no mean from none; ignores non-finite values', () => {
    expect(sampleStats([7]).mean).toBe(7);
    expect(sampleStats([7]).ci95Half).toBeNaN();
    expect(sampleStats([]).mean).toBeNaN();
    expect(sampleStats([1, NaN, 3, Infinity]).n).toBe(2);
  });
});
