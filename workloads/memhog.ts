/**
 * `memhog`: a process whose resident set grows linearly — it allocates and touches `rate` bytes
 * per simulated second — from `start` until it reaches `max`, then holds it:
 *   anon(t) = min(max, start + rate · t / 1 s)   (in 4 KiB pages, rounded up),
 * with t the simulated time since the workload started. The guest applies the demand once a
 * second (its memory tick), so growth shows up in 1-s steps. CPU: like `constant` (dutyCycle,
 * burst, wake). Locality: the guest's default hot/cold split, or with `touchAll: true` every
 * resident page is hot (hotFraction 1: it keeps touching all it allocated, so any page swapped
 * out will be faulted back).
 * Example: start 64MiB, rate 4MiB, max 128MiB → 64 MiB at 0 s, 104 MiB at 10 s, 128 MiB from 16 s.
 */
import { z } from 'zod';
import type { WorkloadDecl } from './types.js';
import type { Locality } from './types.js';
import { sizeBytes, strictObject } from '../sim/options/fields.js';
import { formatBytes } from '../sim/options/units.js';
import { cpuFields, fitProblem, meanIdleNs, pages, steadyBurst, accessFields } from './common.js';

const options = strictObject({
  ...cpuFields(),
  start: sizeBytes().prefault('64MiB').describe('resident set at the start'),
  rate: sizeBytes()
    .prefault('4MiB')
    .describe('growth per simulated second (size allocated each second, e.g. 4MiB = 4 MiB/s)'),
  max: sizeBytes().optional().describe('largest resident set, where growth stops'),
  touchAll: z
    .boolean()
    .default(false)
    .describe(
      'every resident page is hot (locality hotFraction 1) instead of the default split (default false)',
    ),
  ...accessFields(),
});

export type MemhogOptions = z.output<typeof options>;

/** Linear growth of anonymous demand in pages, capped (shared with `leak`). */
export function growthPages(
  startBytes: number,
  rateBytesPerS: number,
  maxPages: number,
  tNs: number,
): number {
  return Math.min(maxPages, pages(startBytes + (rateBytesPerS * Math.max(0, tNs)) / 1e9));
}

/** Problems common to growing workloads: start ≤ max ≤ usable memory. */
export function growthCheck(
  o: { start: number; max?: number | undefined; burst: number },
  usablePages: number,
): { field: string; problem: string } | undefined {
  if (o.burst <= 0) return { field: 'burst', problem: 'burst must be longer than 0' };
  if (o.max !== undefined) {
    const p = fitProblem('max', o.max, usablePages);
    if (p !== undefined) return p;
    if (o.start > o.max)
      return {
        field: 'start',
        problem: `start ${formatBytes(o.start)} must not exceed max ${formatBytes(o.max)}`,
      };
  }
  return fitProblem('start', o.start, usablePages);
}

const ALL_HOT: Locality = Object.freeze({ hotFraction: 1, hotShare: 1 });

export const memhogWorkload = {
  name: 'memhog',
  description: 'Resident set growing linearly at rate up to max, CPU like constant.',
  options,
  check: (o, ctx) => growthCheck(o, ctx.usablePages),
  create: (o, ctx) => {
    const maxPages = o.max === undefined ? ctx.usablePages : pages(o.max);
    const idleMean = meanIdleNs(o);
    return {
      accessesPerCpuS: () => o.pageAccessesPerS,
      anonPages: (nowNs) => growthPages(o.start, o.rate, maxPages, nowNs),
      ...(o.touchAll ? { locality: () => ALL_HOT } : {}),
      nextBurst: (vcpu) => steadyBurst(ctx.vcpuRng[vcpu]!, o, idleMean),
    };
  },
} satisfies WorkloadDecl<MemhogOptions>;
