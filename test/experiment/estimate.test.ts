// The memory estimate that refuses experiments too large for the machine (sim/experiment/estimate.ts):
// its series count matches what a run really records, its arithmetic, and the refusal sentence.
import { describe, expect, it } from 'vitest';
import { estimateMemory, memoryProblem } from '../../sim/experiment/estimate.js';
import { loadExperimentFile, runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { experiment } from '../helpers/experiment.js';

const quickstart = loadExperimentFile('experiments/quickstart.yaml');

describe('memory estimate', () => {
  it('counts the series a run really records', () => {
    const three = experiment(`name: t
duration: 3s
host: { pcpus: 1, memory: 4GiB }
guests:
  - { name: 'g-{i}', count: 3, memory: 512MiB, workload: { type: idle } }
`);
    const r = simulate(runSpecs(three)[0]!);
    expect(r.series!.columns.length).toBe(estimateMemory(three, 1).columns);
  });

  it('grows with runs × samples × series', () => {
    // Quickstart: 2 alternatives × 3 seeds = 6 runs; 10 min at 1 s = 600 samples; 6 guests.
    const e = estimateMemory(quickstart, 2);
    expect(e.runs).toBe(6);
    expect(e.rows).toBe(600);
    const perRun = e.rows * e.columns * 40;
    expect(e.bytes).toBe(6 * perRun + 2 * (e.rows * e.columns * 8 + 6 * 1024 ** 2));
  });

  it('refuses what would not fit in 80 % of the machine, saying what to change', () => {
    expect(memoryProblem(quickstart, 2, 16 * 1024 ** 3)).toBeUndefined();
    const tiny = memoryProblem(quickstart, 2, 32 * 1024 ** 2);
    expect(tiny).toMatch(
      /^this experiment would need about [\d.]+MiB of memory \(6 runs × 600 samples × \d+ series\), more than 80 % of this machine's 32MiB; use a longer sampleInterval/,
    );
  });
});
