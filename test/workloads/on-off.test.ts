// `on-off` (workloads/on-off.ts): period-length distributions, the long-run busy fraction
// dutyCycle × on/(on + off), a timeline shared by all vCPUs and independent of call order,
// determinism, a whole run with invariants on, and option errors.
import { describe, expect, it } from 'vitest';
import {
  onOffWorkload,
  OnOffTimeline,
  type OnOffOptions,
  type OnOffInstance,
} from '../../workloads/on-off.js';
import { RunRng } from '../../sim/kernel/index.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { burstSequence, drive, exp, fakeCtx } from './fake-ctx.js';

function instance(raw: Record<string, unknown>, seed = 1, vcpus = 1): OnOffInstance {
  return onOffWorkload.create(onOffWorkload.options.parse(raw), fakeCtx(seed, vcpus));
}

/** ON and OFF lengths of the first `n` cycles of a timeline, in ns. */
function periods(o: Pick<OnOffOptions, 'on' | 'off' | 'distribution' | 'alpha'>, n: number) {
  const tl = new OnOffTimeline(new RunRng(3).stream('periods'), o);
  const on: number[] = [];
  const off: number[] = [];
  for (let k = 0; k < 2 * n; k++) (k % 2 === 0 ? on : off).push(tl.start(k + 1) - tl.start(k));
  return { on, off };
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('on-off workload', () => {
  it('draws exponential ON/OFF periods with the configured means (±3 %)', () => {
    // 20,000 draws of each: the standard error of an exponential mean is mean/√n ≈ 0.7 %.
    const { on, off } = periods({ on: 10e9, off: 20e9, distribution: 'exponential', alpha: 1.5 }, 20_000);
    expect(Math.abs(mean(on) / 10e9 - 1)).toBeLessThan(0.03);
    expect(Math.abs(mean(off) / 20e9 - 1)).toBeLessThan(0.03);
  });

  it('draws Pareto periods whose mean is on/off (α = 3) and whose median is x_m·2^(1/α) (α = 1.5)', () => {
    // α = 3: finite variance, CV² = 1/(α(α − 2)) = 1/3, so over 20,000 draws the mean's standard
    // error is ≈ 0.4 %. Scale x_m = mean(α − 1)/α; every draw is ≥ x_m.
    const p3 = periods({ on: 10e9, off: 20e9, distribution: 'pareto', alpha: 3 }, 20_000);
    expect(Math.abs(mean(p3.on) / 10e9 - 1)).toBeLessThan(0.03);
    expect(Math.abs(mean(p3.off) / 20e9 - 1)).toBeLessThan(0.03);
    expect(Math.min(...p3.on)).toBeGreaterThanOrEqual(Math.round((10e9 * 2) / 3));
    // α = 1.5 has infinite variance (the sample mean converges like n^(−1/3)), so check the
    // median, x_m·2^(1/α) with x_m = 10 s/3: 5.291 s.
    const p15 = periods({ on: 10e9, off: 20e9, distribution: 'pareto', alpha: 1.5 }, 20_000);
    expect(Math.abs(median(p15.on) / ((10e9 / 3) * 2 ** (1 / 1.5)) - 1)).toBeLessThan(0.03);
    expect(Math.abs(median(p15.off) / ((20e9 / 3) * 2 ** (1 / 1.5)) - 1)).toBeLessThan(0.03);
  });

  it('keeps each vCPU busy dutyCycle × on/(on + off) of the time in the long run (±2 %)', () => {
    // 3·10⁶ s ≈ 10⁵ ON/OFF cycles: the ON share's standard error is ≈ 0.3 %. Bursts of 100 ms
    // keep the cut at the end of each ON period a < 0.3 % effect.
    const w = instance({ dutyCycle: 0.5, burst: '100ms', on: '10s', off: '20s' }, 5, 2);
    const horizon = 3e15;
    for (const v of [0, 1]) {
      const share = drive(w, v, horizon).busyNs / horizon;
      expect(Math.abs(share / (0.5 / 3) - 1)).toBeLessThan(0.02);
    }
  });

  it('does the same with Pareto periods (α = 3) and dutyCycle 1', () => {
    const w = instance(
      { dutyCycle: 1, burst: '1s', on: '2s', off: '6s', distribution: 'pareto', alpha: 3 },
      9,
    );
    const horizon = 4e14;
    expect(Math.abs(drive(w, 0, horizon).busyNs / horizon / 0.25 - 1)).toBeLessThan(0.02);
  });

  it('runs every vCPU only inside ON periods of one shared timeline', () => {
    const w = instance({ dutyCycle: 0.8, burst: '20ms', on: '1s', off: '2s' }, 2, 4);
    for (let v = 0; v < 4; v++) {
      const run = drive(w, v, 300e9, true);
      for (const [s, e] of run.busy) {
        const k = w.timeline.periodAt(s);
        expect(k % 2).toBe(0);
        expect(e).toBeLessThanOrEqual(w.timeline.start(k + 1));
      }
    }
  });

  it('has a timeline that does not depend on who asks first or how far ahead', () => {
    const a = instance({ on: '1s', off: '1s' }, 4, 2);
    const b = instance({ on: '1s', off: '1s' }, 4, 2);
    // In b, vCPU 1 asks about a time far ahead before vCPU 0 draws anything.
    b.nextBurst(1, 500e9);
    const seqA = burstSequence(a, 1, 500);
    const seqB = burstSequence(b, 1, 500);
    expect(seqA).toEqual(seqB);
    for (let k = 0; k < 300; k++) expect(a.timeline.start(k)).toBe(b.timeline.start(k));
  });

  it('is deterministic: same seed, same bursts', () => {
    const o = { distribution: 'pareto', on: '500ms', off: '1s' };
    expect(burstSequence(instance(o, 11, 3), 3, 300)).toEqual(burstSequence(instance(o, 11, 3), 3, 300));
    expect(burstSequence(instance(o, 11, 3), 3, 300)).not.toEqual(burstSequence(instance(o, 12, 3), 3, 300));
  });

  it('runs in a whole experiment with invariants on and does about dutyCycle × on/(on+off) of work', () => {
    const r = simulate(
      spec(
        exp(
          `  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: on-off, dutyCycle: 1, on: 500ms, off: 500ms, resident: 100MiB } }`,
          '60s',
        ),
      ),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    // 2 vCPUs × 60 s × 1/2 = 60 CPU-s expected; ~60 cycles, so the ON share varies by ~±10 %.
    expect(g.workDoneCpuS).toBeGreaterThan(60 * 0.75);
    expect(g.workDoneCpuS).toBeLessThan(60 * 1.25);
  });

  it('refuses zero-length means and α ≤ 1, naming the field', () => {
    const guest = (o: string) => exp(`  - { name: a, memory: 1GiB, workload: { type: on-off, ${o} } }`);
    expect(() => experiment(guest('on: 0s'))).toThrow(
      /workload\.on: on \(mean ON period\) must be longer than 0/,
    );
    expect(() => experiment(guest('off: 0s'))).toThrow(/workload\.off: off/);
    expect(() => experiment(guest('distribution: pareto, alpha: 1'))).toThrow(/workload\.alpha: Too small/);
    expect(() => experiment(guest('distribution: lognormal'))).toThrow(/workload\.distribution/);
  });
});
