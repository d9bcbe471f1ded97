/**
 * `on-off`: alternating ON and OFF periods, the classic on/off source (heavy-tailed ON/OFF
 * periods are how self-similar load arises: Willinger, Taqqu, Sherman & Wilson, "Self-similarity
 * through high-variability", IEEE/ACM ToN 5(1), 1997). During ON each vCPU runs like `constant`
 * (exponential bursts of mean `burst`, sleeps of mean burst(1 − d)/d); during OFF it sleeps.
 *
 * Periods: the run starts with an ON period; lengths are i.i.d.
 *   exponential:  mean `on` / `off`;
 *   pareto:       P(X > x) = (x_m/x)^α for x ≥ x_m, mean α·x_m/(α − 1), so x_m = mean·(α − 1)/α
 *                 (α = `alpha` > 1), drawn as x_m · U^(−1/α) with U uniform in (0, 1].
 * Each period is rounded to whole ns (at least 1) and capped at 10^15 ns (~11.6 days).
 * Long-run busy fraction per vCPU: dutyCycle × on / (on + off).
 * Example: dutyCycle 1, on 10s, off 20s → each vCPU busy a third of the time, in ~10 s stretches.
 *
 * Determinism: the ON/OFF timeline is one guest-wide function of time that all vCPUs share. The
 * context has only per-vCPU streams, so `create` forks a dedicated timeline stream off vcpuRng[0]
 * (one draw, before any burst; see common.ts forkStream) and vCPU 0's bursts go on drawing from
 * vcpuRng[0] after it. The timeline is extended lazily as time advances, but from its own stream
 * only, so it is the same for a seed whatever runs beside the guest and whoever asks first.
 *
 * A burst (as the guest consumes it: sleep `idleNs`, then run `workNs`) drawn at time t: the
 * sleep ends at s = t + Exp(mean sleep); if s falls in an OFF period it moves to the next ON
 * start; the work is Exp(burst), cut at the end of the ON period containing s.
 */
import { z } from 'zod';
import type { WorkloadDecl, WorkloadInstance } from './types.js';
import type { RandomStream } from '../sim/kernel/index.js';
import { durationNs, sizeBytes, strictObject } from '../sim/options/fields.js';
import {
  cpuFields,
  fitProblem,
  forkStream,
  meanIdleNs,
  pages,
  accessFields,
  accessOf,
  localityFields,
} from './common.js';

/** Longest single ON or OFF period, ns (keeps times far inside 2^53 ns). */
export const MAX_PERIOD_NS = 1e15;

const options = strictObject({
  ...cpuFields(),
  on: durationNs().prefault('10s').describe('mean length of an ON period'),
  off: durationNs().prefault('20s').describe('mean length of an OFF period'),
  distribution: z
    .enum(['exponential', 'pareto'])
    .default('exponential')
    .describe('distribution of ON and OFF lengths'),
  alpha: z
    .number()
    .gt(1)
    .default(1.5)
    .describe('Pareto shape α (> 1 for a finite mean; only with distribution: pareto)'),
  resident: sizeBytes().prefault('256MiB').describe('anonymous resident memory'),
  ...accessFields(),
  ...localityFields(),
});

export type OnOffOptions = z.output<typeof options>;

/** The guest-wide ON/OFF timeline: period boundaries drawn lazily from one stream. */
export class OnOffTimeline {
  /** bounds[k] is the start of period k; even k are ON periods. bounds[0] = 0. */
  private readonly bounds: number[] = [0];

  constructor(
    private readonly rng: RandomStream,
    private readonly o: Pick<OnOffOptions, 'on' | 'off' | 'distribution' | 'alpha'>,
  ) {}

  /** Length of period k (ON for even k), drawn in order. */
  private draw(k: number): number {
    const mean = k % 2 === 0 ? this.o.on : this.o.off;
    let x: number;
    if (this.o.distribution === 'exponential') x = this.rng.exponential(mean);
    else {
      const xm = (mean * (this.o.alpha - 1)) / this.o.alpha;
      x = xm * Math.pow(1 - this.rng.nextFloat(), -1 / this.o.alpha);
    }
    return Math.min(MAX_PERIOD_NS, Math.max(1, Math.round(x)));
  }

  /** Index of the period containing t (t ≥ 0): bounds[k] ≤ t < bounds[k + 1]. */
  periodAt(t: number): number {
    const b = this.bounds;
    while (b[b.length - 1]! <= t) b.push(b[b.length - 1]! + this.draw(b.length - 1));
    // Now t < last bound: binary search for the last bound ≤ t.
    let lo = 0;
    let hi = b.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (b[mid]! <= t) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Start of period k (drawn up to it if needed). */
  start(k: number): number {
    const b = this.bounds;
    while (b.length <= k) b.push(b[b.length - 1]! + this.draw(b.length - 1));
    return b[k]!;
  }

  isOn(t: number): boolean {
    return this.periodAt(t) % 2 === 0;
  }
}

export interface OnOffInstance extends WorkloadInstance {
  readonly timeline: OnOffTimeline;
}

export const onOffWorkload = {
  name: 'on-off',
  description: 'Alternating ON (busy at dutyCycle) and OFF (idle) periods, exponential or Pareto lengths.',
  options,
  check: (o, ctx) => {
    if (o.on <= 0) return { field: 'on', problem: 'on (mean ON period) must be longer than 0' };
    if (o.off <= 0) return { field: 'off', problem: 'off (mean OFF period) must be longer than 0' };
    if (o.burst <= 0) return { field: 'burst', problem: 'burst must be longer than 0' };
    return fitProblem('resident', o.resident, ctx.usablePages);
  },
  create: (o, ctx): OnOffInstance => {
    const residentPages = pages(o.resident);
    const idleMean = meanIdleNs(o);
    const timeline = new OnOffTimeline(forkStream(ctx.vcpuRng[0]!, 'on-off-periods'), o);
    return {
      ...accessOf(o),
      timeline,
      anonPages: () => residentPages,
      nextBurst: (vcpu, nowNs) => {
        const rng = ctx.vcpuRng[vcpu]!;
        // Always two draws (one if never idle), whatever the state, so draws stay aligned.
        const sleep = idleMean === 0 ? 0 : rng.exponential(idleMean);
        const work = Math.max(1, Math.round(rng.exponential(o.burst)));
        let s = nowNs + Math.round(sleep);
        let k = timeline.periodAt(s);
        if (k % 2 === 1) {
          k += 1;
          s = timeline.start(k);
        }
        const onEnd = timeline.start(k + 1);
        return { workNs: Math.max(1, Math.min(work, onEnd - s)), idleNs: s - nowNs, wake: o.wake };
      },
    };
  },
} satisfies WorkloadDecl<OnOffOptions>;
