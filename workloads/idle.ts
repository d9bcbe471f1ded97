/**
 * `idle`: a guest doing almost nothing — each vCPU wakes every `tick` for `work` of CPU (a timer
 * tick's worth of housekeeping), then halts again. Wake-ups sit on a fixed grid per vCPU,
 *   wake_k = φ_v + k·tick   (k = 0, 1, …),   φ_v ~ Uniform[0, tick) drawn once from vcpuRng[v],
 * so vCPUs (and idle guests) do not all wake in lockstep, and a late burst (steal) does not
 * drift the grid, as with a periodic timer. Each burst sleeps until the next grid point after
 * the call and then works `work`: CPU share per vCPU ≈ work / tick.
 * Memory: a constant anonymous resident set of `resident`.
 * Example: tick 1s, work 100us → 0.01 % of one CPU per vCPU; 10,000 bursts per vCPU per 10⁴ s.
 */
import { z } from 'zod';
import type { WorkloadDecl } from './types.js';
import { durationNs, sizeBytes, strictObject } from '../sim/options/fields.js';
import { fitProblem, pages, accessFields, accessOf, localityFields } from './common.js';

const options = strictObject({
  tick: durationNs().prefault('1s').describe('interval between wake-ups of each vCPU'),
  work: durationNs().prefault('100us').describe('CPU time of each wake-up'),
  resident: sizeBytes().prefault('32MiB').describe('anonymous resident memory'),
  ...accessFields(),
  ...localityFields(),
});

export type IdleOptions = z.output<typeof options>;

export const idleWorkload = {
  name: 'idle',
  description: 'Almost nothing: each vCPU wakes every tick for a short burst; small constant resident set.',
  options,
  check: (o, ctx) => {
    if (o.tick <= 0) return { field: 'tick', problem: 'tick must be longer than 0' };
    if (o.work <= 0) return { field: 'work', problem: 'work must be longer than 0' };
    if (o.work >= o.tick) return { field: 'work', problem: 'work must be shorter than tick' };
    return fitProblem('resident', o.resident, ctx.usablePages);
  },
  create: (o, ctx) => {
    const residentPages = pages(o.resident);
    // Grid offsets, drawn at a vCPU's first call (its first draw, so independent of the schedule).
    const phase = new Float64Array(ctx.vcpus).fill(-1);
    return {
      ...accessOf(o),
      anonPages: () => residentPages,
      nextBurst: (vcpu, nowNs) => {
        if (phase[vcpu]! < 0) phase[vcpu] = Math.floor(ctx.vcpuRng[vcpu]!.nextFloat() * o.tick);
        const p = phase[vcpu]!;
        // The first grid point strictly after now.
        const k = Math.floor((nowNs - p) / o.tick) + 1;
        const wakeNs = p + k * o.tick;
        return { workNs: o.work, idleNs: wakeNs - nowNs, wake: 'timer' };
      },
    };
  },
} satisfies WorkloadDecl<IdleOptions>;
