// Verdicts of the comparison table: a leader only where one exists, and "best" only when the
// 95 % intervals separate.
import { describe, expect, it } from 'vitest';
import { compareAlternatives } from '../../reports/aggregate.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';

/** Fixture results with metric `id` set to `values[alternative][seedIndex]` for every run. */
function withMetric(id: string, values: Record<string, number[]>) {
  const r = makeFixtureResults({ alternatives: Object.keys(values) });
  const seen: Record<string, number> = {};
  for (const run of r.runs) {
    const i = (seen[run.alternative] = (seen[run.alternative] ?? -1) + 1);
    run.summary!.metrics[id] = values[run.alternative]![i]!;
  }
  return compareAlternatives(r).metrics.find((m) => m.metric.id === id)!.verdict;
}

describe('comparison verdicts', () => {
  it('exactly equal means: no clear difference and nobody leads', () => {
    const v = withMetric('work_done', { a: [10, 12], b: [12, 10] });
    expect(v).toMatchObject({ kind: 'unclear', bestMean: undefined });
  });

  it('overlapping intervals: no clear difference, but the better mean leads', () => {
    // a: mean 11, b: mean 11.5 with wide spread → intervals overlap.
    const v = withMetric('work_done', { a: [10, 12], b: [9, 14] });
    expect(v).toMatchObject({ kind: 'unclear', bestMean: 'b' });
  });

  it('separate intervals: a clear best', () => {
    const v = withMetric('work_done', { a: [10, 10.1], b: [20, 20.1] });
    expect(v).toMatchObject({ kind: 'clear', best: 'b' });
  });
});
