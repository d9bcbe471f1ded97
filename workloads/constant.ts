/**
 * `constant`: a steady load. Each vCPU alternates CPU bursts and sleeps whose lengths are
 * exponentially distributed — mean burst `burst`, mean sleep `burst × (1 − dutyCycle) / dutyCycle`
 * — so that the long-run fraction of time it wants the CPU is `dutyCycle`:
 *   E[work] / (E[work] + E[sleep]) = b / (b + b(1−d)/d) = d.
 * Memory: a constant anonymous resident set of `resident` bytes, and `cache` bytes of page cache
 * it would keep (grown into free memory, reclaimed first). With `wake: io` each sleep is an
 * I/O request instead of a timed sleep, so completions arrive as device interrupts on vCPU 0.
 * Page-table work: none unless `processes` states it, as rates per CPU-second of work (a
 * microbenchmark loop; workloads/process-activity.ts SMALL_PROCESS_PRESET for the shape).
 * Example: dutyCycle 0.5, burst 10ms → bursts average 10 ms, sleeps 10 ms, 50 % busy.
 */
import { z } from 'zod';
import { accessFields, accessOf, cacheReadFields, localityFields } from './common.js';
import type { WorkloadDecl } from './types.js';
import { SMALL_PROCESS_PRESET, processesField, resolveActivity } from './process-activity.js';
import { durationNs, sizeBytes, strictObject } from '../sim/options/fields.js';
import { formatBytes, PAGE_SIZE_BYTES } from '../sim/options/units.js';

const options = strictObject({
  dutyCycle: z
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe('long-run fraction of time each vCPU wants to run (0 < d ≤ 1)'),
  burst: durationNs().prefault('10ms').describe('mean length of a CPU burst'),
  resident: sizeBytes().prefault('256MiB').describe('anonymous resident memory of the workload'),
  cache: sizeBytes().prefault('0B').describe('page cache the workload would keep'),
  ...localityFields(),
  wake: z
    .enum(['timer', 'io'])
    .default('timer')
    .describe(
      "what ends each sleep: the vCPU's own timer (a nanosleep, woken at the jiffy its expiry falls in), or an I/O completion (interrupt on vCPU 0)",
    ),
  ...accessFields(),
  ...cacheReadFields(0, 'default 0: the cache is kept, never re-read'),
  processes: processesField(),
});

export type ConstantOptions = z.output<typeof options>;

export const constantWorkload = {
  name: 'constant',
  description: 'Steady CPU duty cycle with exponential bursts, and a constant resident set.',
  options,
  check: (o, ctx) => {
    const pages = Math.ceil(o.resident / PAGE_SIZE_BYTES);
    if (pages > ctx.usablePages) {
      return {
        field: 'resident',
        problem: `resident ${formatBytes(o.resident)} does not fit in the guest's ${formatBytes(ctx.usablePages * PAGE_SIZE_BYTES)} of usable memory (memory minus the kernel reserve, mem_map and boot hashes)`,
      };
    }
    if (o.burst <= 0) return { field: 'burst', problem: 'burst must be longer than 0' };
    return undefined;
  },
  create: (o, ctx) => {
    const residentPages = Math.ceil(o.resident / PAGE_SIZE_BYTES);
    const meanIdleNs = (o.burst * (1 - o.dutyCycle)) / o.dutyCycle;
    // Rates are per CPU-second already: the preset's unit of work is one CPU-second.
    const activity = o.processes && resolveActivity(SMALL_PROCESS_PRESET, 1, o.processes);
    return {
      ...accessOf(o),
      ...(activity ? { processActivity: () => activity } : {}),
      anonPages: () => residentPages,
      cachePages: () => Math.ceil(o.cache / PAGE_SIZE_BYTES),
      cacheReadsPerCpuS: () => o.cacheReadsPerS,
      nextBurst: (vcpu) => {
        const rng = ctx.vcpuRng[vcpu]!;
        return {
          // At least 1 ns of work so a burst always makes progress; sleeps of 0 mean "stay busy".
          workNs: Math.max(1, Math.round(rng.exponential(o.burst))),
          idleNs: meanIdleNs === 0 ? 0 : Math.round(rng.exponential(meanIdleNs)),
          wake: o.wake,
        };
      },
    };
  },
} satisfies WorkloadDecl<ConstantOptions>;
