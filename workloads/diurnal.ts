/**
 * `diurnal`: load that follows a day/night cycle. The duty cycle each vCPU wants is a sinusoid
 *   d(t) = max(D_FLOOR, mean + amplitude · sin(2π (t + phase) / period)),
 * with `check` keeping mean ± amplitude inside [0, 1], so the curve is never clipped at 1 and
 * only the floor D_FLOOR = f = 1 % can clip it, near a trough that dips below f. The floor keeps
 * sleeps finite (mean b(1 − d)/d). Where the trough stays at or above f the period average of d
 * is exactly `mean`; in the worst case, a trough at 0 (mean = amplitude = A), expanding
 * d ≈ A·θ²/2 around the trough gives the lift
 *   (1/2π) ∫ max(0, f − d) dθ = (2/(3π)) · f^1.5 · √(2/A):
 * 4.2·10⁻⁴ for A = 0.5 (0.08 % of the mean), 9.5·10⁻⁴ for A = 0.1 (≈ 1 % of the mean).
 * A single sinusoid is an assumption: the simplest curve with one daily peak and trough (real
 * traces are sharper and asymmetric, with weekday/weekend effects; compose with `phases` for that).
 *
 * CPU: like `constant` — exponential bursts of mean `burst` — except that the sleep after each
 * burst has the mean for the duty cycle at the moment the sleep starts, b(1 − d(s))/d(s). That is
 * an approximation: over one busy+sleep cycle (mean length L = b/d) the curve moves by at most
 * |d'|·L ≤ (2π·amplitude/period)·(b/d), and the busy fraction lags d(t) by about one cycle. With
 * the defaults (period 24h, burst 10ms, amplitude 0.3, d ≥ 0.01 so L ≤ 1 s) that is ≤ 2.2·10⁻⁵ —
 * far below sampling noise. It only matters when a period holds few cycles: keep period ≫ b/d_min
 * (with period 200 s and 10-ms bursts the tests measure the busy fraction within 0.0025 of the
 * curve at peak and trough, and within 0.13 % of `mean` over whole periods).
 *
 * Memory: the anonymous resident set follows the same sinusoid (not the floor-clipped d),
 *   resident(t) = residentMin + (residentMax − residentMin) · (1 + sin(2π (t + phase) / period)) / 2,
 * i.e. residentMax at the CPU peak and residentMin at the trough; without residentMax it stays
 * at residentMin. The guest applies it once a simulated second.
 *
 * Example: mean 0.5, amplitude 0.3, period 24h, phase 0 → d = 0.5 at t = 0, rising to 0.8 at 6 h
 * (bursts 10 ms, sleeps 2.5 ms on average), 0.5 at 12 h, 0.2 at 18 h (sleeps 40 ms), 0.5 at 24 h;
 * with residentMin 1GiB, residentMax 3GiB: 2 GiB at 0 h, 3 GiB at 6 h, 1 GiB at 18 h.
 */
import { z } from 'zod';
import type { WorkloadDecl, WorkloadInstance } from './types.js';
import { durationNs, sizeBytes, strictObject } from '../sim/options/fields.js';
import { formatBytes } from '../sim/options/units.js';
import { fitProblem, pages, steadyBurst, accessFields, accessOf, localityFields } from './common.js';

/** Lowest duty cycle used, so a sleep's mean b(1 − d)/d stays finite (99 bursts' worth at most). */
export const D_FLOOR = 0.01;

const options = strictObject({
  mean: z
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe('duty cycle (fraction of time each vCPU wants to run) averaged over a period, 0 < mean ≤ 1'),
  amplitude: z
    .number()
    .min(0)
    .max(1)
    .default(0.3)
    .describe(
      'swing of the duty cycle: peak mean + amplitude, trough mean − amplitude (both must stay within 0…1)',
    ),
  period: durationNs().prefault('24h').describe('length of one cycle (a day by default)'),
  phase: durationNs()
    .prefault('0s')
    .describe(
      'time shift of the curve: at time t it is at its value for t + phase (0: starts at mean, rising; period/4: starts at the peak)',
    ),
  burst: durationNs().prefault('10ms').describe('mean length of a CPU burst'),
  wake: z
    .enum(['timer', 'io'])
    .default('timer')
    .describe(
      "what ends each sleep: the vCPU's own timer (a nanosleep, woken at the jiffy its expiry falls in), or an I/O completion (interrupt on vCPU 0)",
    ),
  residentMin: sizeBytes()
    .prefault('256MiB')
    .describe('anonymous resident memory at the trough (throughout, without residentMax)'),
  residentMax: sizeBytes()
    .optional()
    .describe('anonymous resident memory at the peak; in between it follows the same sinusoid'),
  ...accessFields(),
  ...localityFields(),
});

export type DiurnalOptions = z.output<typeof options>;

export interface DiurnalInstance extends WorkloadInstance {
  /** The duty cycle wanted at `tNs` (after the floor). */
  dutyCycle(tNs: number): number;
}

/** sin(2π (t + phase)/period), with t + phase reduced modulo the period first (keeps precision). */
function wave(o: Pick<DiurnalOptions, 'period' | 'phase'>, tNs: number): number {
  const x = (tNs + o.phase) % o.period;
  return Math.sin((2 * Math.PI * x) / o.period);
}

export const diurnalWorkload = {
  name: 'diurnal',
  description: 'Duty cycle following a sinusoid (day/night cycle), resident set optionally along.',
  options,
  check: (o, ctx) => {
    if (o.period <= 0) return { field: 'period', problem: 'period must be longer than 0' };
    if (o.burst <= 0) return { field: 'burst', problem: 'burst must be longer than 0' };
    // Clipping at 1 or 0 would change the period average away from `mean`; refuse it instead.
    if (o.mean + o.amplitude > 1 + 1e-12)
      return {
        field: 'amplitude',
        problem: `mean + amplitude (${o.mean} + ${o.amplitude}) must not exceed 1: the peak duty cycle is at most 100 %`,
      };
    if (o.mean - o.amplitude < -1e-12)
      return {
        field: 'amplitude',
        problem: `mean − amplitude (${o.mean} − ${o.amplitude}) must not be below 0: the trough duty cycle is at least 0`,
      };
    if (o.residentMax !== undefined) {
      if (o.residentMax < o.residentMin)
        return {
          field: 'residentMax',
          problem: `residentMax ${formatBytes(o.residentMax)} must not be below residentMin ${formatBytes(o.residentMin)}`,
        };
      return fitProblem('residentMax', o.residentMax, ctx.usablePages);
    }
    return fitProblem('residentMin', o.residentMin, ctx.usablePages);
  },
  create: (o, ctx): DiurnalInstance => {
    const dutyCycle = (t: number) => Math.min(1, Math.max(D_FLOOR, o.mean + o.amplitude * wave(o, t)));
    const swing = (o.residentMax ?? o.residentMin) - o.residentMin;
    const residentMinPages = pages(o.residentMin);
    return {
      ...accessOf(o),
      dutyCycle,
      // Rounded to whole bytes first so that floating-point dust (sin(π) ≈ 1e-16) cannot add a page.
      anonPages: (nowNs) =>
        swing === 0
          ? residentMinPages
          : pages(Math.round(o.residentMin + (swing * (1 + wave(o, nowNs))) / 2)),
      nextBurst: (vcpu, nowNs) => {
        const d = dutyCycle(nowNs);
        const idleMean = (o.burst * (1 - d)) / d;
        return steadyBurst(ctx.vcpuRng[vcpu]!, { dutyCycle: d, burst: o.burst, wake: o.wake }, idleMean);
      },
    };
  },
} satisfies WorkloadDecl<DiurnalOptions>;
