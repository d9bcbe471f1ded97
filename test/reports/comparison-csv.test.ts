// comparison.csv (reports/comparison-csv.ts): the verdicts as data, one row per metric × point ×
// alternative, checked against a paired t test done by hand.
import { describe, expect, it } from 'vitest';
import { COMPARISON_CSV_HEADER, comparisonCsv } from '../../reports/comparison-csv.js';
import { resultsWith } from '../fixtures/one-metric-results.js';

describe('comparison.csv', () => {
  it('has the baseline row, then each alternative with its paired difference, p-values and verdict', () => {
    // b − a per seed: 1, 1.5, 1; mean 7/6 = 1.166667, s_d = 0.288675, se = s_d/√3 = 1/6, df 2,
    // t = 7, p = 1 − t/√(t² + 2) = 1 − 7/√51 = 0.019804 (scipy.stats.ttest_rel gives the same);
    // 95 % interval 7/6 ± 4.302653/6 = [0.4495578, 1.8837755]; one comparison, so Holm leaves p.
    // Margin max(1 % of a's mean 2, 0.001) = 0.02.
    const csv = comparisonCsv(resultsWith({ a: [1, 2, 3], b: [2, 3.5, 4] }));
    const [header, base, b, end] = csv.split('\n');
    expect(header).toBe(COMPARISON_CSV_HEADER.join(','));
    expect(end).toBe('');
    const col = (row: string, name: string) => row.split(',')[COMPARISON_CSV_HEADER.indexOf(name as never)]!;
    expect(col(base!, 'alternative')).toBe('a');
    expect(col(base!, 'verdict')).toBe('baseline');
    expect(col(base!, 'diff')).toBe('');
    expect(col(base!, 'winner')).toBe('no');
    expect(col(b!, 'alternative')).toBe('b');
    expect(col(b!, 'test')).toBe('paired');
    expect(col(b!, 'df')).toBe('2');
    expect(Number(col(b!, 'diff'))).toBeCloseTo(1.166667, 6);
    expect(Number(col(b!, 'diff_ci95_lo'))).toBeCloseTo(0.449558, 5);
    expect(Number(col(b!, 'diff_ci95_hi'))).toBeCloseTo(1.883776, 5);
    expect(Number(col(b!, 'p'))).toBeCloseTo(0.019804, 6);
    expect(Number(col(b!, 'p_holm'))).toBeCloseTo(0.019804, 6);
    expect(Number(col(b!, 'margin'))).toBeCloseTo(0.02, 12);
    expect(col(b!, 'verdict')).toBe('better');
    expect([col(b!, 'among_best'), col(b!, 'winner')]).toEqual(['yes', 'yes']);
  });

  it('has no rows for a metric that is not ranked', () => {
    const csv = comparisonCsv(resultsWith({ a: [1, 2], b: [5, 6] }, { better: 'neither' }));
    expect(csv).toBe(`${COMPARISON_CSV_HEADER.join(',')}\n`);
  });
});
