// The sensitivity analysis (reports/sensitivity.ts) on results whose values are chosen by hand: the
// margins, flips and losses of significance below are worked out from the numbers in each case.
import { describe, expect, it } from 'vitest';
import { decidingConstants, sensitivityOf, type ConstantInfo } from '../../reports/sensitivity.js';
import { sensitivityCsv, tornadoChart, chartedVerdicts } from '../../reports/sensitivity-section.js';
import { resultsWith } from '../fixtures/one-metric-results.js';

const constant = (id: string): ConstantInfo => ({
  id,
  path: `host.costs.${id}`,
  unit: 'cycles',
  reference: 1000,
  referenceOf: 'test',
  low: 500,
  high: 2000,
  reason: 'test',
  values: { baseline: [1000], low: [500], high: [2000] },
});

/** The runs of constant `c` at its low and high ends, with these values of a and b (lower is better). */
const ends = (c: string, low: Record<string, number[]>, high: Record<string, number[]>) =>
  (['low', 'high'] as const).map((end) => ({
    constant: c,
    end,
    results: resultsWith(end === 'low' ? low : high, { better: 'lower' }),
  }));

// Lower is better. Baseline: a ≈ 100, b ≈ 50 on three seeds (paired differences −50, −51, −49: b
// significantly better), margin 100 × (50 − 100) / 100 = −50 %.
const BASE = { a: [100, 101, 99], b: [50, 50, 50] };

describe('sensitivityOf', () => {
  it('finds the constant whose end reverses the verdict, and the one that leaves it', () => {
    const s = sensitivityOf(
      resultsWith(BASE, { better: 'lower' }),
      [constant('flat'), constant('decisive')],
      [
        // flat: b ≈ 45 / 55 at its ends — margins −55 % and −45 %, still better, no flip.
        ...ends('flat', { a: [100, 101, 99], b: [45, 45, 45] }, { a: [100, 101, 99], b: [55, 55, 55] }),
        // decisive: at low a ≈ 40 < b = 50: b is worse now (margin 100 × 10 / 40 = +25 %) — a flip;
        // at high a ≈ 200: margin (50 − 200) / 200 = −75 %.
        ...ends('decisive', { a: [40, 41, 39], b: [50, 50, 50] }, { a: [200, 201, 199], b: [50, 50, 50] }),
      ],
    );
    expect(s.verdicts).toHaveLength(1);
    const v = s.verdicts[0]!;
    expect(v).toMatchObject({ metric: 'm', baseline: 'a', alternative: 'b', verdict: 'better', winner: 'b' });
    expect(v.marginPct).toBeCloseTo(-50, 9);
    // Swings: decisive |−75 − 25| = 100 pp, flat |−45 − −55| = 10 pp: decisive first.
    expect(v.constants.map((c) => c.constant)).toEqual(['decisive', 'flat']);
    const [decisive, flat] = v.constants;
    expect(decisive!.swingPp).toBeCloseTo(100, 9);
    expect(decisive!.low).toMatchObject({
      verdict: 'worse',
      winner: 'a',
      flips: true,
      notSignificant: false,
    });
    expect(decisive!.low!.marginPct).toBeCloseTo(25, 9);
    expect(decisive!.low!.shiftPp).toBeCloseTo(75, 9);
    expect(decisive!.high).toMatchObject({ verdict: 'better', flips: false });
    expect(decisive!.high!.marginPct).toBeCloseTo(-75, 9);
    expect(flat!.swingPp).toBeCloseTo(10, 9);
    expect(flat!.low).toMatchObject({ flips: false, notSignificant: false });
    expect(flat!.high).toMatchObject({ flips: false, notSignificant: false });
    expect(decidingConstants(v)).toEqual(['decisive (low: flips)']);
  });

  it('says when an end makes the difference not significant', () => {
    // At high, b's seeds straddle a's (differences +10, −12, +1): not significant, not reversed.
    const s = sensitivityOf(
      resultsWith(BASE, { better: 'lower' }),
      [constant('noisy')],
      [
        { constant: 'noisy', end: 'low', results: resultsWith(BASE, { better: 'lower' }) },
        {
          constant: 'noisy',
          end: 'high',
          results: resultsWith({ a: [100, 101, 99], b: [110, 89, 100] }, { better: 'lower' }),
        },
      ],
    );
    const high = s.verdicts[0]!.constants[0]!.high!;
    expect(high).toMatchObject({ verdict: 'inconclusive', flips: false, notSignificant: true });
    expect(decidingConstants(s.verdicts[0]!)).toEqual(['noisy (high: not significant)']);
  });

  it('treats a constant the runs do not use as moving nothing', () => {
    const s = sensitivityOf(
      resultsWith(BASE, { better: 'lower' }),
      [constant('unused')],
      [
        { constant: 'unused', end: 'low', results: undefined },
        { constant: 'unused', end: 'high', results: undefined },
      ],
    );
    const c = s.verdicts[0]!.constants[0]!;
    expect(c).toMatchObject({
      swingPp: 0,
      low: { shiftPp: 0, flips: false },
      high: { shiftPp: 0, flips: false },
    });
    // No constant moves it: no tornado chart.
    expect(chartedVerdicts(s)).toEqual([]);
  });
});

describe('the sensitivity files', () => {
  const s = sensitivityOf(
    resultsWith(BASE, { better: 'lower' }),
    [constant('decisive')],
    [...ends('decisive', { a: [40, 41, 39], b: [50, 50, 50] }, { a: [200, 201, 199], b: [50, 50, 50] })],
  );

  it('writes one CSV row per verdict and constant', () => {
    const lines = sensitivityCsv(s).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^m,,a,b,better,b,-50,decisive,host\.costs\.decisive,500,2000,worse,25,true,false,better,-75,false,false,100$/,
    );
  });

  it('draws bars from the baseline margin to each end, the flip in red', () => {
    const chart = tornadoChart(s, s.verdicts[0]!, 'sensitivity-m');
    const [low, high] = chart.config.data.datasets;
    expect(low!.data).toEqual([[-50, 25]]);
    expect(high!.data).toEqual([[-50, -75]]);
    expect((low as { backgroundColor: string[] }).backgroundColor).toEqual(['#CC0000']);
    expect(chart.config.data.labels![0]).toContain('⚑ flips (low)');
  });
});
