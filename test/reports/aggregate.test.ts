// Verdicts of the comparison table (reports/comparison.ts through reports/aggregate.ts): paired on
// shared seeds, Holm-corrected, "equivalent" inside the practical margin, "equal" for identical
// values (never a winner), within a swept point only, and not at all for descriptive metrics.
import { describe, expect, it } from 'vitest';
import { compareAlternatives, verdictText, type MetricComparison } from '../../reports/aggregate.js';
import { comparisonOf, resultsWith } from '../fixtures/one-metric-results.js';
import type { PointComparison } from '../../reports/comparison.js';

function points(c: MetricComparison): PointComparison[] {
  if (c.verdict.kind !== 'compared') throw new Error(`not compared: ${verdictText(c)}`);
  return c.verdict.points;
}

function vsBaseline(c: MetricComparison, alternative: string) {
  return points(c)
    .flatMap((p) => p.vsBaseline)
    .find((x) => x.alternative === alternative)!;
}

describe('comparison verdicts', () => {
  it('exactly equal values everywhere: "equal", and nobody wins', () => {
    const c = comparisonOf({ a: [10, 12, 11], b: [10, 12, 11], c: [10, 12, 11] });
    const [p] = points(c);
    expect(p).toMatchObject({ allEqual: true, best: undefined, winner: undefined });
    expect(vsBaseline(c, 'b').verdict).toBe('equal');
    expect(verdictText(c)).toBe('equal (every value the same)');
  });

  it('equal means from different values are not "equal"', () => {
    const c = comparisonOf({ a: [10, 12], b: [12, 10] });
    expect(vsBaseline(c, 'b').verdict).not.toBe('equal');
    expect(points(c)[0]!.winner).toBeUndefined();
  });

  it('a seed-paired lead is found where the per-alternative intervals overlap', () => {
    // The seeds spread both alternatives alike; b is a + 2 ± 0.1 on every seed. Per alternative
    // the 95 % intervals (±~60) overlap widely, the paired difference does not include 0.
    const a = [100, 140, 90, 170, 120];
    const b = [102.1, 141.9, 92, 172.1, 121.9];
    const c = comparisonOf({ a, b });
    expect(vsBaseline(c, 'b')).toMatchObject({ verdict: 'better' });
    expect(vsBaseline(c, 'b').diff!.method).toBe('paired');
    expect(points(c)[0]!.winner).toBe('b');
    expect(verdictText(c)).toMatch(/^b best \(1\.6 % higher than a, the next best\)$/);
  });

  it('the same lead with its seeds shuffled (pairing broken) is inconclusive', () => {
    const a = [100, 140, 90, 170, 120];
    const b = [172.1, 92, 121.9, 102.1, 141.9];
    const c = comparisonOf({ a, b });
    expect(vsBaseline(c, 'b').verdict).toBe('inconclusive');
    expect(points(c)[0]!.winner).toBeUndefined();
    expect(verdictText(c)).toBe('no clear best among a, b (best mean b)');
  });

  it('the direction decides better or worse: the same numbers, lower is better', () => {
    const c = comparisonOf(
      { a: [100, 140, 90, 170, 120], b: [102.1, 141.9, 92, 172.1, 121.9] },
      { better: 'lower' },
    );
    expect(vsBaseline(c, 'b').verdict).toBe('worse');
    expect(points(c)[0]!.winner).toBe('a');
  });

  it('a significant difference inside the margin is "equivalent", not a win', () => {
    // b − a = 0.03 MiB on every seed, with a tiny spread: significant, but far inside the default
    // MiB margin (max(1 % of 316, 0.5) = 3.16 MiB).
    const c = comparisonOf(
      { a: [316.31, 316.3, 316.32], b: [316.34, 316.33, 316.35] },
      { unit: 'MiB', better: 'higher' },
    );
    expect(vsBaseline(c, 'b').pHolm).toBeLessThan(0.05);
    expect(vsBaseline(c, 'b').verdict).toBe('equivalent');
    expect(points(c)[0]!.winner).toBeUndefined();
    expect(verdictText(c)).toBe('a, b equivalent best (within ± 3.163 MiB)');
  });

  it('the margin is overridable per metric', () => {
    const r = resultsWith({ a: [316.31, 316.3, 316.32], b: [316.34, 316.33, 316.35] }, { unit: 'MiB' });
    const c = compareAlternatives(r, { margins: { m: { relative: 0, absolute: 0.001 } } }).metrics[0]!;
    expect(vsBaseline(c, 'b').verdict).toBe('better');
    expect(points(c)[0]!.winner).toBe('b');
  });

  it('Holm: one p of 0.005 wins alone, but not among 15 comparisons', () => {
    // b: paired t with df 1 and p ≈ 0.0051 (the steal-time p99 case of tests-of-difference.test.ts).
    const base = [50102.271, 50888.703];
    const b = [995.327, 986.111];
    const alone = comparisonOf({ base, b }, { better: 'lower', unit: 'µs' });
    expect(vsBaseline(alone, 'b').verdict).toBe('better');
    // 14 more alternatives that say nothing (noisy around the baseline): Holm multiplies b's p by 15.
    const many: Record<string, number[]> = { base, b };
    for (let i = 0; i < 14; i++) many[`n${i}`] = [base[0]! + 900 + i, base[1]! - 900 - i];
    const crowded = comparisonOf(many, { better: 'lower', unit: 'µs' });
    expect(vsBaseline(crowded, 'b').pHolm).toBeCloseTo(15 * vsBaseline(alone, 'b').diff!.p, 10);
    expect(vsBaseline(crowded, 'b').verdict).toBe('inconclusive');
  });

  it('the baseline can be chosen', () => {
    const r = resultsWith({ a: [1, 2, 3], b: [5, 6, 7.5], c: [5, 6.1, 7.4] });
    const c = compareAlternatives(r, { baseline: 'b' }).metrics[0]!;
    expect(points(c)[0]!.baseline).toBe('b');
    expect(vsBaseline(c, 'a').verdict).toBe('worse');
  });

  it('a failed seed turns pairing into Welch', () => {
    const c = comparisonOf({ a: [10, 11, 12, 13], b: [20, NaN, 22, 23] });
    expect(vsBaseline(c, 'b').diff!.method).toBe('welch');
    expect(vsBaseline(c, 'b').verdict).toBe('better');
  });

  it('a metric with no better direction is shown but not ranked', () => {
    const c = comparisonOf({ a: [1, 1.1], b: [100, 100.1] }, { better: 'neither' });
    expect(c.verdict.kind).toBe('none');
    expect(c.stats.map((s) => s.stats.n)).toEqual([2, 2]);
  });
});

describe('swept points', () => {
  // At 12 pCPUs everything does more work than at 3: ranked across points, x/host.pcpus=12 would
  // "win" by load alone. Within each point, y wins at 3 pCPUs (means 360.4 vs 300.7: 59.7 / 300.7 =
  // 19.9 % higher) and the two are equivalent at 12 (margin 1 % of x's mean 815.0).
  const values = {
    'x/host.pcpus=12': [815.4, 814.6],
    'x/host.pcpus=3': [300.1, 301.3],
    'y/host.pcpus=12': [815.5, 814.6],
    'y/host.pcpus=3': [359.8, 361.0],
  };

  it('compares alternatives only at the same point', () => {
    const c = comparisonOf(values);
    const ps = points(c);
    expect(ps.map((p) => p.point)).toEqual(['host.pcpus=12', 'host.pcpus=3']);
    expect(ps[0]!.baseline).toBe('x/host.pcpus=12');
    expect(ps[0]!.vsBaseline.map((v) => v.alternative)).toEqual(['y/host.pcpus=12']);
    expect(ps[0]!.winner).toBeUndefined();
    expect(ps[1]!.winner).toBe('y/host.pcpus=3');
    expect(verdictText(c)).toBe(
      'host.pcpus=12: x, y equivalent best (within ± 8.15 CPU s); host.pcpus=3: y best (19.9 % higher than x, the next best)',
    );
  });

  it('a sweep alone (no compare) ranks nothing', () => {
    const c = comparisonOf({ 'host.pcpus=12': [815.4, 814.6], 'host.pcpus=3': [300.1, 301.3] });
    expect(c.verdict).toMatchObject({ kind: 'none' });
  });

  it('names that only look like a sweep (not a whole grid) are one group', () => {
    const c = comparisonOf({ 'a/k=1': [1, 2], 'b/k=2': [3, 4] });
    expect(points(c).map((p) => p.point)).toEqual(['']);
  });
});
