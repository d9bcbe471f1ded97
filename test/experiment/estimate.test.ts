// The memory estimate that refuses experiments too large for the main process's heap, a worker's
// heap or the machine (sim/experiment/estimate.ts): its series count matches what a run really
// records, what grows with what, and which limit each refusal names and how to get past it.
import { describe, expect, it } from 'vitest';
import { estimateMemory, memoryProblem, reportMemoryProblem } from '../../sim/experiment/estimate.js';
import { runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { experiment } from '../helpers/experiment.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** An experiment of `guests` idle guests, `duration` long, sampled every `interval`, `seeds` seeds. */
const shaped = (guests: number, duration: string, interval: string, seeds: number) =>
  experiment(`name: t
duration: ${duration}
sampleInterval: ${interval}
seeds: ${seeds}
host: { pcpus: 1, memory: 64GiB }
guests:
  - { name: 'g-{i}', count: ${guests}, memory: 256MiB, workload: { type: idle } }
`);

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
    expect(r.series!.timeS.length).toBe(estimateMemory(three, 1).rows);
  });

  it("holds one run's series in the main process, not every run's", () => {
    // Long series: one run's series dominate. Thirty seeds add thirty summaries, not thirty series.
    const one = estimateMemory(shaped(2, '2h', '100ms', 1), 2);
    const thirty = estimateMemory(shaped(2, '2h', '100ms', 30), 2);
    expect(one.rows).toBe(72_000);
    expect(thirty.mainHeapBytes - one.mainHeapBytes).toBe(thirty.summariesBytes - one.summariesBytes);
    expect(thirty.mainHeapBytes).toBeLessThan(1.5 * one.mainHeapBytes);
    // Twice the samples per run: the series part of the estimate doubles.
    const longer = estimateMemory(shaped(2, '4h', '100ms', 1), 2);
    expect(longer.mainHeapBytes).toBeGreaterThan(1.5 * one.mainHeapBytes);
    // The workers' series and state count against the machine, per thread.
    expect(estimateMemory(shaped(2, '2h', '100ms', 30), 1).machineBytes).toBeLessThan(thirty.machineBytes);
  });

  it("refuses what would not fit the main process's heap, naming the limit and how to raise it", () => {
    const exp = shaped(2, '2h', '100ms', 3);
    const need = estimateMemory(exp, 2).mainHeapBytes;
    expect(memoryProblem(exp, 2, { totalBytes: 64 * GiB, heapLimitBytes: need })).toBeUndefined();
    const tooSmall = memoryProblem(exp, 2, { totalBytes: 64 * GiB, heapLimitBytes: need - 1 });
    expect(tooSmall).toMatch(
      /^this experiment's results would need about [\d.]+MiB of the main process's JavaScript heap \(3 runs × 72000 samples × \d+ series, 2 guests\), more than its limit of [\d.]+MiB; raise it with NODE_OPTIONS=--max-old-space-size=\d+ \(MiB\), or use a longer sampleInterval or fewer guests$/,
    );
    // The suggested size is enough: V8's heap limit is at least the old space asked for.
    const mib = Number(/--max-old-space-size=(\d+)/.exec(tooSmall!)![1]);
    expect(mib * MiB).toBeGreaterThanOrEqual(need);
    expect(memoryProblem(exp, 2, { totalBytes: 64 * GiB, heapLimitBytes: mib * MiB })).toBeUndefined();
  });

  it('suggests fewer seeds when the summaries of many runs are what does not fit', () => {
    const exp = shaped(200, '2s', '1s', 2000);
    const e = estimateMemory(exp, 2);
    expect(memoryProblem(exp, 2, { totalBytes: 64 * GiB, heapLimitBytes: e.mainHeapBytes - 1 })).toMatch(
      /, or use fewer seeds or alternatives$/,
    );
  });

  it("refuses a run too large for a worker thread's heap", () => {
    // A thousand guests, ten samples: the workers' model state weighs more than the results.
    const exp = shaped(1000, '10s', '1s', 1);
    const e = estimateMemory(exp, 1);
    const limits = { totalBytes: 64 * GiB, heapLimitBytes: e.workerHeapBytes - 1 };
    expect(e.mainHeapBytes).toBeLessThan(limits.heapLimitBytes);
    expect(memoryProblem(exp, 1, limits)).toMatch(
      /^one run would need about [\d.]+MiB of JavaScript heap in its worker thread \(1000 guests, 10 samples × \d+ series\), more than the heap limit of [\d.]+MiB; raise it with NODE_OPTIONS=--max-old-space-size=\d+ \(MiB\), or use fewer guests or a longer sampleInterval$/,
    );
  });

  it("refuses what would not fit in 80 % of the machine's memory, whatever the heap limit", () => {
    const exp = shaped(2, '2h', '100ms', 3);
    const e = estimateMemory(exp, 2);
    const big = 1024 * GiB;
    expect(
      memoryProblem(exp, 2, { totalBytes: e.machineBytes / 0.8 + 1, heapLimitBytes: big }),
    ).toBeUndefined();
    expect(memoryProblem(exp, 2, { totalBytes: e.machineBytes, heapLimitBytes: big })).toMatch(
      /^this experiment would need about [\d.]+MiB of memory \(3 runs × 72000 samples × \d+ series\), more than 80 % of this machine's [\d.]+MiB; use a longer sampleInterval, fewer guests or threads \(--threads\), or split the sweep$/,
    );
  });

  it('refuses a run whose results could not be one JavaScript string', () => {
    // 30 guests × ~23 series × 1,000,000 samples: ~700 M numbers in one run.
    const exp = shaped(30, '1000000s', '1s', 1);
    expect(memoryProblem(exp, 1, { totalBytes: 1024 ** 4, heapLimitBytes: 1024 ** 4 })).toMatch(
      /^one run would record 1000000 samples × \d+ series, too many for its results to be one JavaScript string/,
    );
  });

  it('refuses a results.json too large for vmisim report to parse within the heap', () => {
    expect(reportMemoryProblem(10 * MiB, { totalBytes: 64 * GiB, heapLimitBytes: 4 * GiB })).toBeUndefined();
    expect(reportMemoryProblem(100 * MiB, { totalBytes: 64 * GiB, heapLimitBytes: 112 * MiB })).toMatch(
      /^results\.json is 100MiB: rendering its report would need about [\d.]+[MG]iB of JavaScript heap, more than this process's limit of 112MiB; raise it with NODE_OPTIONS=--max-old-space-size=\d+ \(MiB\)$/,
    );
  });
});
