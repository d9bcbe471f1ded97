/** Student t quantiles and the mean ± 95 % CI, checked against textbook values. */
import { describe, expect, it } from 'vitest';
import { sampleStats, tQuantile975 } from '../../reports/stats.js';

describe('tQuantile975', () => {
  it('matches a printed t table', () => {
    // Two-sided 95 % critical values as printed in any t table.
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(4)).toBe(2.776);
    expect(tQuantile975(9)).toBe(2.262);
    expect(tQuantile975(30)).toBe(2.042);
  });

  it('is conservative between the sparse rows and normal beyond 120', () => {
    expect(tQuantile975(35)).toBe(2.042);
    expect(tQuantile975(40)).toBe(2.021);
    expect(tQuantile975(59)).toBe(2.021);
    expect(tQuantile975(60)).toBe(2.0);
    expect(tQuantile975(120)).toBe(1.98);
    expect(tQuantile975(1000)).toBe(1.96);
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
    // 2.776 · √2.5 / √5 = 2.776 · √0.5
    expect(s.ci95Half).toBeCloseTo(2.776 * Math.sqrt(0.5), 12);
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
