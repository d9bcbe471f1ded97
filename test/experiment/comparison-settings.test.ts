// `baseline:` and `margins:` travel from the experiment file through results.json's header to the
// report's verdicts (reports/comparison.ts).
import { describe, expect, it } from 'vitest';
import { experiment, TWO_ALTERNATIVES_YAML } from '../helpers/experiment.js';
import { assembleResults } from '../../sim/runner/assemble.js';
import { compareAlternatives } from '../../reports/aggregate.js';
import type { RunResult } from '../../sim/results/types.js';

const YAML = `${TWO_ALTERNATIVES_YAML}seeds: 3
sweep:
  host.pcpus: [2, 4]
baseline: esx
margins:
  work_done_cpu_s: { relative: 0.2 }
`;

/** Runs with work done `values[alternative][seed − 1]`. */
function runs(values: Record<string, number[]>): RunResult[] {
  return Object.entries(values).flatMap(([alternative, xs]) =>
    xs.map((v, i) => ({
      runId: `${alternative}/seed-${i + 1}`,
      alternative,
      seed: i + 1,
      specHash: '',
      status: 'ok' as const,
      summary: { metrics: { work_done_cpu_s: v }, guests: [], eventsProcessed: 0 },
    })),
  );
}

describe('comparison settings', () => {
  it('are carried to results.json and used by the verdicts', () => {
    const exp = experiment(YAML);
    expect(exp.comparison).toEqual({ baseline: 'esx', margins: { work_done_cpu_s: { relative: 0.2 } } });
    const r = assembleResults(
      exp,
      runs({
        'none/host.pcpus=2': [100, 110, 120],
        'none/host.pcpus=4': [200, 210, 220],
        'esx/host.pcpus=2': [110, 120, 130],
        'esx/host.pcpus=4': [200, 210, 220.5],
      }),
      't.yaml',
    );
    expect(r.experiment.comparison).toEqual(exp.comparison);
    const m = compareAlternatives(r).metrics.find((x) => x.metric.id === 'work_done_cpu_s')!;
    if (m.verdict.kind !== 'compared') throw new Error('not compared');
    expect(m.verdict.points.map((p) => p.baseline)).toEqual(['esx/host.pcpus=2', 'esx/host.pcpus=4']);
    // none − esx at 2 pCPUs is exactly −10 on every seed: a real difference, but inside 20 % of
    // esx's mean 120 (± 24), so equivalent; with the default 1 % (± 1.2) it is worse.
    expect(m.verdict.points[0]!.margin).toBeCloseTo(24, 12);
    expect(m.verdict.points[0]!.vsBaseline[0]!.verdict).toBe('equivalent');
    const byDefault = compareAlternatives(r, {}).metrics.find((x) => x.metric.id === 'work_done_cpu_s')!;
    if (byDefault.verdict.kind !== 'compared') throw new Error('not compared');
    expect(byDefault.verdict.points[0]!.baseline).toBe('none/host.pcpus=2');
    expect(byDefault.verdict.points[0]!.vsBaseline[0]!.verdict).toBe('better');
  });

  it('are absent from results.json when the file sets neither', () => {
    const exp = experiment(YAML.replace(/baseline:[\s\S]*$/, ''));
    expect(exp.comparison).toBeUndefined();
    expect('comparison' in assembleResults(exp, [], 't.yaml').experiment).toBe(false);
  });
});
