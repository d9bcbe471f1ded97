// A declared metric no run measured (a web latency in an experiment without a web guest) is left
// out of the comparison — table, CSVs, charts — instead of a row of blanks with "no verdict"; once
// runs measure it, it is compared like any other metric.
import { describe, expect, it } from 'vitest';
import { compareAlternatives, metricApplies } from '../../reports/aggregate.js';
import { comparisonCsv } from '../../reports/comparison-csv.js';
import { renderHtml } from '../../reports/html.js';
import { metricCharts } from '../../reports/metric-charts.js';
import { summaryByAlternativeCsv } from '../../reports/tables.js';
import type { ResultsFile } from '../../sim/results/types.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';

const LATENCY = {
  id: 'web_latency_p99_worst_ms',
  label: 'Web request latency p99 (worst guest)',
  unit: 'ms',
  better: 'lower' as const,
  description: 'p99 of the worst web guest',
};

function withLatency(values: (alternative: string, seed: number) => number | undefined): ResultsFile {
  const r = makeFixtureResults();
  r.metrics.push(LATENCY);
  for (const run of r.runs) {
    const v = values(run.alternative, run.seed);
    if (run.summary !== undefined && v !== undefined) run.summary.metrics[LATENCY.id] = v;
  }
  return r;
}

describe('metrics that do not apply', () => {
  it('are left out of the comparison table, CSVs and charts', () => {
    const r = withLatency(() => undefined);
    expect(metricApplies(r, LATENCY.id)).toBe(false);
    expect(compareAlternatives(r).metrics.map((m) => m.metric.id)).not.toContain(LATENCY.id);
    expect(renderHtml(r)).not.toContain(LATENCY.label);
    expect(comparisonCsv(r)).not.toContain('web_latency');
    expect(summaryByAlternativeCsv(r)).not.toContain('web_latency');
    expect(metricCharts(r).map((c) => c.id)).not.toContain(`metric-${LATENCY.id}`);
    // The other metrics are all still there.
    expect(compareAlternatives(r).metrics).toHaveLength(r.metrics.length - 1);
  });

  it('are compared with a verdict once runs measure them', () => {
    // First alternative 20, 21 ms; second 40, 41 ms: paired differences 20, 20 → a clear verdict.
    const r = withLatency((alt, seed) => (alt === 'none' ? 19 + seed : 39 + seed));
    const m = compareAlternatives(r).metrics.find((x) => x.metric.id === LATENCY.id)!;
    expect(m.stats.map((s) => s.stats.mean)).toEqual([20.5, 40.5]);
    expect(m.verdict.kind).toBe('compared');
    expect(renderHtml(r)).toContain(LATENCY.label);
    expect(comparisonCsv(r)).toContain('web_latency_p99_worst_ms,ms,lower');
    expect(metricCharts(r).map((c) => c.id)).toContain(`metric-${LATENCY.id}`);
  });
});
