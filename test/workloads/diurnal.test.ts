// `diurnal` (workloads/diurnal.ts): the period-average busy fraction is `mean`, the busy fraction
// near the peak and trough is mean ± amplitude, the resident set follows the sinusoid, the floor,
// determinism, a whole run with invariants on, and option errors.
import { describe, expect, it } from 'vitest';
import { diurnalWorkload, D_FLOOR, type DiurnalInstance } from '../../workloads/diurnal.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { burstSequence, drive, exp, fakeCtx } from './fake-ctx.js';

const MiB = 256; // pages per MiB
const GiB = 1024 * MiB;

function instance(raw: Record<string, unknown>, seed = 1, vcpus = 1): DiurnalInstance {
  return diurnalWorkload.create(diurnalWorkload.options.parse(raw), fakeCtx(seed, vcpus));
}

/** Busy time of `busy` inside the windows [c − half, c + half) for each centre c. */
function busyIn(busy: [number, number][], centres: number[], half: number): number {
  let sum = 0;
  let i = 0;
  for (const c of centres) {
    const lo = c - half;
    const hi = c + half;
    while (i < busy.length && busy[i]![1] <= lo) i++;
    for (let j = i; j < busy.length && busy[j]![0] < hi; j++) {
      sum += Math.max(0, Math.min(hi, busy[j]![1]) - Math.max(lo, busy[j]![0]));
    }
  }
  return sum;
}

// Period 200 s with 10-ms bursts: a busy+sleep cycle is at most 50 ms (d ≥ 0.2), so the
// "sleep mean from d at its start" approximation moves d by ≤ 2π·0.3/200 s × 50 ms ≈ 5·10⁻⁴
// within a cycle, and 50 periods run in well under a second of test time.
const O = { mean: 0.5, amplitude: 0.3, period: '200s', burst: '10ms' };
const P = 200e9;

describe('diurnal workload', () => {
  it('follows the sinusoid: d = mean ± amplitude at peak and trough (worked example)', () => {
    const w = instance({ ...O, period: '24h' });
    const h = 3600e9;
    expect(w.dutyCycle(0)).toBeCloseTo(0.5, 12);
    expect(w.dutyCycle(6 * h)).toBeCloseTo(0.8, 12);
    expect(w.dutyCycle(12 * h)).toBeCloseTo(0.5, 12);
    expect(w.dutyCycle(18 * h)).toBeCloseTo(0.2, 12);
    // phase 6h shifts the curve so the run starts at the peak.
    expect(instance({ ...O, period: '24h', phase: '6h' }).dutyCycle(0)).toBeCloseTo(0.8, 12);
  });

  it('keeps the busy fraction at mean over whole periods (±1 %)', () => {
    // 20 periods = 4000 s per vCPU. Alternating-renewal variance of busy time, T·2m₁²m₂²/(m₁+m₂)³,
    // is ≈ 2.5·10⁻³ s per simulated s at d = 0.5 (m₁ = m₂ = 10 ms) and about the same at the
    // trough, so over 4000 s the busy time's standard error is ≈ 3 s of 2000 s: 0.16 %. 1 % is
    // ≈ 6 standard errors, and also covers the sleep-mean approximation, whose first-order
    // error cancels over a period.
    const w = instance(O, 7, 2);
    const horizon = 20 * P;
    for (const v of [0, 1]) {
      const share = drive(w, v, horizon).busyNs / horizon;
      expect(Math.abs(share / 0.5 - 1)).toBeLessThan(0.01);
    }
  });

  it('is busy about mean + amplitude around the peak and mean − amplitude around the trough', () => {
    // Windows of ±P/40 around each peak (t = P/4 + nP) and trough (3P/4 + nP) over 50 periods.
    // The curve's average over such a window is mean ± amplitude·sin θ/θ with θ = 2π/40:
    // 0.79877 and 0.20123. Busy time in the windows is 50 × 10 s = 500 s per vCPU, 1000 s over
    // two; its standard error (as above, ≈ 2.6·10⁻³ s per s at d = 0.2, 6·10⁻⁴ at d = 0.8) is
    // ≈ 1.6 s of 1000 s at the trough: 0.0016 in the fraction. Tolerance 0.01 absolute is ≈ 6
    // standard errors; a model that ignored the curve (d = 0.5) misses by 0.3.
    const w = instance(O, 3, 2);
    const horizon = 50 * P;
    const half = P / 40;
    const theta = (2 * Math.PI) / 40;
    const sinc = Math.sin(theta) / theta;
    const peaks = Array.from({ length: 50 }, (_, n) => P / 4 + n * P);
    const troughs = peaks.map((t) => t + P / 2);
    let peakBusy = 0;
    let troughBusy = 0;
    for (const v of [0, 1]) {
      const { busy } = drive(w, v, horizon, true);
      peakBusy += busyIn(busy, peaks, half);
      troughBusy += busyIn(busy, troughs, half);
    }
    const windowNs = 2 * 50 * 2 * half;
    expect(Math.abs(peakBusy / windowNs - (0.5 + 0.3 * sinc))).toBeLessThan(0.01);
    expect(Math.abs(troughBusy / windowNs - (0.5 - 0.3 * sinc))).toBeLessThan(0.01);
  });

  it('holds the floor where the trough would reach 0, lifting the average only slightly', () => {
    const w = instance({ mean: 0.3, amplitude: 0.3, period: '200s', burst: '10ms' }, 5);
    expect(w.dutyCycle((3 * P) / 4)).toBe(D_FLOOR);
    // Lift (2/(3π))·f^1.5·√(2/A) = 5.5·10⁻⁴ for f = 0.01, A = 0.3; busy time over 20 periods
    // has a standard error ≈ 0.4 % of the mean. Tolerance 2 %.
    const horizon = 20 * P;
    expect(Math.abs(drive(w, 0, horizon).busyNs / horizon / 0.3 - 1)).toBeLessThan(0.02);
  });

  it('moves the resident set along the same curve, residentMax at the peak, residentMin at the trough', () => {
    const h = 3600e9;
    const w = instance({ ...O, period: '24h', residentMin: '1GiB', residentMax: '3GiB' });
    expect(w.anonPages(0)).toBe(2 * GiB);
    expect(w.anonPages(2 * h)).toBe(2.5 * GiB); // sin(π/6) = 1/2: 1 + 2·(1 + 1/2)/2 GiB
    expect(w.anonPages(6 * h)).toBe(3 * GiB);
    expect(w.anonPages(12 * h)).toBe(2 * GiB);
    expect(w.anonPages(18 * h)).toBe(1 * GiB);
    expect(w.anonPages(30 * h)).toBe(3 * GiB);
    const shifted = instance({ ...O, period: '24h', phase: '6h', residentMin: '1GiB', residentMax: '3GiB' });
    expect(shifted.anonPages(0)).toBe(3 * GiB);
    expect(shifted.anonPages(12 * h)).toBe(1 * GiB);
    // Without residentMax the resident set is residentMin throughout.
    const flat = instance({ ...O, residentMin: '100MiB' });
    expect([0, P / 4, (3 * P) / 4].map((t) => flat.anonPages(t))).toEqual([100 * MiB, 100 * MiB, 100 * MiB]);
  });

  it('is deterministic: same seed, same bursts', () => {
    expect(burstSequence(instance(O, 11, 3), 3, 300)).toEqual(burstSequence(instance(O, 11, 3), 3, 300));
    expect(burstSequence(instance(O, 11, 3), 3, 300)).not.toEqual(burstSequence(instance(O, 12, 3), 3, 300));
  });

  it('runs in a whole experiment with invariants on, doing about mean of the work', () => {
    const r = simulate(
      spec(
        exp(
          `  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: diurnal, mean: 0.5, amplitude: 0.4, period: 20s, residentMin: 100MiB, residentMax: 300MiB } }`,
          '60s',
        ),
      ),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    // 3 whole periods × 2 vCPUs × 0.5 = 60 CPU-s asked for; sampling error ≈ 0.5 s. The sleep
    // approximation at the trough (d = 0.1, cycles of 100 ms against a 20-s period) is larger here
    // than in the unit tests, hence ±5 %. The unconstrained replay is what the workload asks.
    expect(g.unconstrainedWorkCpuS).toBeGreaterThan(60 * 0.95);
    expect(g.unconstrainedWorkCpuS).toBeLessThan(60 * 1.05);
    // In the run, 2 vCPUs on 2 pCPUs are nearly uncontended, but each timer sleep ends at the next
    // jiffy (D vCPU-s late in all): each vCPU's timeline is stretched by its share of D, so it does
    // about 0.5 × (2 × 60 − D) CPU-s.
    const expected = 0.5 * (120 - g.timerDelayS);
    expect(g.timerDelayS).toBeGreaterThan(0);
    expect(g.workDoneCpuS).toBeGreaterThan(expected * 0.95);
    expect(g.workDoneCpuS).toBeLessThan(expected * 1.05);
    expect(g.anonMiB + g.swappedMiB).toBeGreaterThanOrEqual(100);
    expect(g.anonMiB + g.swappedMiB).toBeLessThanOrEqual(300);
  });

  it('refuses a curve outside 0…1 and a residentMax below residentMin or too big, naming the field', () => {
    const guest = (o: string) => exp(`  - { name: a, memory: 1GiB, workload: { type: diurnal, ${o} } }`);
    expect(() => experiment(guest('mean: 0.7, amplitude: 0.4'))).toThrow(
      /workload\.amplitude: mean \+ amplitude \(0\.7 \+ 0\.4\) must not exceed 1/,
    );
    expect(() => experiment(guest('mean: 0.2, amplitude: 0.3'))).toThrow(
      /workload\.amplitude: mean − amplitude \(0\.2 − 0\.3\) must not be below 0/,
    );
    expect(() => experiment(guest('mean: 0'))).toThrow(/workload\.mean: Too small/);
    expect(() => experiment(guest('amplitude: -0.1'))).toThrow(/workload\.amplitude: Too small/);
    expect(() => experiment(guest('period: 0s'))).toThrow(/workload\.period: period must be longer than 0/);
    expect(() => experiment(guest('residentMin: 200MiB, residentMax: 100MiB'))).toThrow(
      /workload\.residentMax: residentMax 100MiB must not be below residentMin 200MiB/,
    );
    expect(() => experiment(guest('residentMax: 4GiB'))).toThrow(
      /workload\.residentMax: residentMax .* does not fit/,
    );
    expect(() => experiment(guest('phase: 90'))).toThrow(/workload\.phase/);
  });
});
