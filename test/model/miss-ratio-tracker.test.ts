// MEB's estimated miss-ratio curve (sim/host/miss-ratio-tracker.ts): an LRU stack-distance
// histogram of sampled accesses converges to the curve the workload's hot/cold split implies,
// is the same for the same seed, and lags a change of working set by about its half-life.
import { describe, expect, it } from 'vitest';
import { RunRng } from '../../sim/kernel/index.js';
import { hotColdMiss } from '../../sim/guest/memory.js';
import { MissRatioTracker } from '../../sim/host/miss-ratio-tracker.js';

const LOC = { hotFraction: 0.2, hotShare: 0.9 };
const S = 1e9;

function tracker(seed = 1, halfLifeNs = 30 * S, totalPages = 1024) {
  return new MissRatioTracker(totalPages, { sampleRate: 0.01, halfLifeNs }, new RunRng(seed).stream('mrc:g'));
}

describe('MEB miss-ratio tracker', () => {
  it('converges to the true curve: 40,000 samples of D = 1000 pages estimate it within 0.01 everywhere', () => {
    const t = tracker();
    // 10 ticks of 400,000 accesses at a 1 % rate: 4,000 samples each, all at t = 0 (no ageing).
    for (let i = 0; i < 10; i++) t.observe(0, 400_000, 1000, LOC);
    expect(t.sampledWeight).toBe(40_000);
    // Header example: at r = 600 the true ratio is 0.1 × 400/800 = 0.05.
    expect(hotColdMiss(1000, 600, LOC)).toBeCloseTo(0.05, 12);
    expect(Math.abs(t.missRatio(600) - 0.05)).toBeLessThan(0.006);
    for (let r = 0; r <= 1000; r += 25)
      expect(Math.abs(t.missRatio(r) - hotColdMiss(1000, r, LOC))).toBeLessThan(0.01);
  });

  it('before any sample the curve is all zeros', () => {
    expect(tracker().curve(5, 256, 0)).toEqual([0, 0, 0, 0, 0]);
  });

  it('the same seed gives the same curve; another seed a different one', () => {
    const run = (seed: number) => {
      const t = tracker(seed);
      t.observe(1 * S, 50_000, 1000, LOC);
      t.observe(2 * S, 50_000, 1000, LOC);
      return t.curve(33, 32, 64);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('lags a growing working set by about its half-life', () => {
    // 300 s at D = 500 pages, then D = 1000. With r = 500 pages of memory the true miss ratio
    // jumps from 0 to 0.1 × 500/800 = 0.0625 (hot part 200 pages, cold 800, r past the hot part).
    // Samples from before the change weigh 2^(−t/30 s): one half-life after it the estimate is
    // about half the new value, five half-lives after, within 5 % of it (+ noise).
    const t = tracker(3, 30 * S);
    const truth = hotColdMiss(1000, 500, LOC);
    expect(truth).toBeCloseTo(0.0625, 12);
    let now = 0;
    const tick = (d: number) => t.observe((now += S), 200_000, d, LOC);
    for (let i = 0; i < 300; i++) tick(500);
    expect(t.missRatio(500)).toBe(0);
    for (let i = 0; i < 30; i++) tick(1000);
    expect(t.missRatio(500)).toBeGreaterThan(0.4 * truth);
    expect(t.missRatio(500)).toBeLessThan(0.6 * truth);
    for (let i = 0; i < 120; i++) tick(1000);
    expect(Math.abs(t.missRatio(500) - truth)).toBeLessThan(0.05 * truth + 0.004);
  });
});
