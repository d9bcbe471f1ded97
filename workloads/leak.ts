/**
 * `leak`: a process that leaks memory — like `memhog` its anonymous demand grows linearly,
 *   anon(t) = min(max, start + rate · t / 1 s)   (pages, rounded up; max defaults to usable memory),
 * but what it leaks is never touched again: its hot set stays at `workingSet`. Locality:
 *   hotFraction(t) = min(1, workingSet / anon(t)),   hotShare = `hotShare` (default 1: no access
 * goes to leaked pages, so swapping them out costs nothing — until memory and swap run out).
 * CPU: like `constant` (dutyCycle, burst, wake).
 *
 * The guest reads `locality()` once, at boot, and keeps the object; so the Locality returned here
 * is live — its `hotFraction` getter follows the demand last reported by `anonPages(now)`, which
 * the guest calls at each memory tick just before it counts faults.
 * Example: workingSet 64MiB, start 64MiB, rate 1MiB → at 192 s, 256 MiB resident, hotFraction 0.25.
 */
import { z } from 'zod';
import type { WorkloadDecl } from './types.js';
import type { Locality } from './types.js';
import { sizeBytes, strictObject } from '../sim/options/fields.js';
import { cpuFields, fitProblem, meanIdleNs, pages, steadyBurst, accessFields } from './common.js';
import { growthCheck, growthPages } from './memhog.js';

const options = strictObject({
  ...cpuFields(),
  start: sizeBytes().prefault('64MiB').describe('resident set at the start'),
  rate: sizeBytes()
    .prefault('1MiB')
    .describe('memory leaked per simulated second (size per second, e.g. 1MiB = 1 MiB/s)'),
  max: sizeBytes().optional().describe('largest resident set, where the leak stops'),
  workingSet: sizeBytes().prefault('64MiB').describe('memory the process keeps using; the hot set'),
  hotShare: z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe('share of accesses that go to the working set (1: leaked pages are never touched)'),
  ...accessFields(),
});

export type LeakOptions = z.output<typeof options>;

export const leakWorkload = {
  name: 'leak',
  description: 'Memory leak: resident set grows linearly up to max while the hot working set stays fixed.',
  options,
  check: (o, ctx) =>
    growthCheck(o, ctx.usablePages) ?? fitProblem('workingSet', o.workingSet, ctx.usablePages),
  create: (o, ctx) => {
    const maxPages = o.max === undefined ? ctx.usablePages : pages(o.max);
    const wsPages = pages(o.workingSet);
    const idleMean = meanIdleNs(o);
    let current = growthPages(o.start, o.rate, maxPages, 0);
    const locality: Locality = {
      get hotFraction() {
        return current <= 0 ? 1 : Math.min(1, wsPages / current);
      },
      hotShare: o.hotShare,
    };
    return {
      accessesPerCpuS: () => o.pageAccessesPerS,
      anonPages: (nowNs) => {
        current = growthPages(o.start, o.rate, maxPages, nowNs);
        return current;
      },
      locality: () => locality,
      nextBurst: (vcpu) => steadyBurst(ctx.vcpuRng[vcpu]!, o, idleMean),
    };
  },
} satisfies WorkloadDecl<LeakOptions>;
