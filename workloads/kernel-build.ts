/**
 * `kernel-build`: a parallel build, `make -j jobs`, of `units` compilation units followed by one
 * single-threaded link. Each unit first reads its sources (an I/O wait of `ioPerUnit`, ended by
 * the device's completion interrupt) and then compiles: CPU exponentially distributed with mean
 * `cpuPerUnit` (coefficient of variation 1; an assumption — real per-file compile times are
 * skewed, a few large files dominating, and exponential is the simplest skewed choice).
 * After the last unit finishes, the vCPU that finished it runs the link (`link` of CPU); the build
 * is then done. Without `repeat` the guest goes idle (vCPUs sleep an hour at a time); with it the
 * next build starts `pause` after the link ends.
 *
 * Scheduling, as make's job server: units are taken from one shared counter in unit order; a vCPU
 * takes the next unit when it finishes its own (or at boot) if fewer than `jobs` units are in
 * progress. A unit is in progress from the start of its read to the end of its compile, so at
 * most min(jobs, vcpus) vCPUs work at once: jobs > vcpus keeps every vCPU busy (extra make jobs
 * would only queue for a CPU; their processes' memory is not counted), jobs < vcpus leaves
 * vcpus − jobs idle. Uncontended, with jobs ≥ vcpus = V, list scheduling gives the make-span
 *   W/V ≤ M − link ≤ W/V + max_k (io + c_k),  W = Σ_k (io + c_k) ≈ units·(ioPerUnit + cpuPerUnit),
 * and on average M ≈ units·(io + cpu)/V + (H_V − 1)·cpu + link (the last V units end like the
 * maximum of V exponentials, H_V = 1 + 1/2 + … + 1/V; Graham, "Bounds on multiprocessing timing
 * anomalies", SIAM J. Appl. Math. 17(2), 1969, for the bound).
 *
 * Determinism: unit k's CPU c_k is the k-th draw of a stream forked off vcpuRng[0] in `create`
 * (see common.ts forkStream), so it does not depend on which vCPU takes the unit or when: the
 * demand series is the same for a seed whatever runs beside the guest. A repeat compiles the same
 * tree with the same compiler, so it replays the same c_k (only the timing differs).
 *
 * How idle vCPUs wait: a workload cannot wake a sleeping vCPU, so a vCPU with nothing to do
 * sleeps and then runs 1 ns before asking again. Without `repeat` a vCPU that finds no unit will
 * never be needed again (slots are freed only by vCPUs that take the next unit themselves, and the
 * link goes to the last finisher), so it sleeps an hour at a time. With `repeat` it polls every
 * POLL_NS (100 ms) until the next build's start time is known, then sleeps until it; the one-time
 * cost is ≤ 100 ms of late start for vCPUs when the pause is shorter than a poll. Each vCPU also
 * spends 1 ns at boot, so that its first unit's read is waited for (the guest skips the first
 * burst's sleep). These 1-ns bursts are the only CPU besides units and link.
 *
 * Memory: anonymous = base + perJob × (units in progress, + 1 during the link); page cache =
 * cachePerUnit × units finished, up to units × cachePerUnit (sources and objects of the whole
 * tree), kept across repeats (the same tree). Compiling re-reads that tree (headers shared by
 * every unit, the hot part) at `cacheReadsPerS` pages per CPU-second; reads of pages the guest
 * reclaimed are refaults from disk (sim/guest/memory.ts). `ioPerUnit` is the first, cold read of a
 * unit's own source, which no cache saves. Both reflect the bursts asked for up to the call;
 * the guest asks about once a simulated second, in time order.
 *
 * Under a looping `phases`, each new occurrence of the phase (seen as time going back) starts a
 * fresh build from unit 0, keeping the page cache and the counts: a developer typing `make` again.
 *
 * Metrics: units_done_count (over all builds), builds_done_count, build_time_s (mean make-span of
 * the finished builds, from the build's start — boot or end of pause — to the end of its link;
 * absent until one finishes).
 *
 * Example: units 2000, cpuPerUnit 1s, ioPerUnit 10ms, link 20s, 4 vCPUs, jobs 4 → about
 * 2000 × 1.01 s / 4 + 1.1 s + 20 s ≈ 526 s per build; anonymous 128 MiB + 4 × 150 MiB while
 * compiling; page cache reaching 1000 MiB at 512 KiB per unit.
 */
import { z } from 'zod';
import type { Burst, WorkloadDecl, WorkloadInstance } from './types.js';
import { durationNs, sizeBytes, strictObject } from '../sim/options/fields.js';
import {
  fitProblem,
  forkStream,
  pages,
  accessFields,
  accessOf,
  cacheReadFields,
  localityFields,
} from './common.js';
import { KERNEL_BUILD_PRESET, processesField, resolveActivity } from './process-activity.js';

/** Poll interval of a vCPU waiting for the next build (repeat only), ns. */
export const POLL_NS = 100e6;
/** Sleep of a vCPU that will not be needed again, ns (an hour; re-armed when it ends). */
export const LONG_SLEEP_NS = 3600e9;
/** CPU of a burst that only re-asks for work (boot, poll), ns. */
export const ASK_NS = 1;

/**
 * Page-cache reads per CPU-second of compiling: a unit reads its source and the headers it
 * includes, about 1 MiB preprocessed per unit of about a second (recalled, an assumption), 256 pages.
 */
export const KERNEL_BUILD_CACHE_READS_PER_S = 256;

/** What a vCPU holds: a unit index ≥ 0, or one of these. */
const NOTHING = -1;
const LINK = -2;

const options = strictObject({
  jobs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("parallel jobs, as make -j (default: the guest's vCPU count)"),
  units: z
    .number()
    .int()
    .positive()
    .max(1_000_000)
    .default(2000)
    .describe('compilation units per build (count)'),
  cpuPerUnit: durationNs()
    .prefault('1s')
    .describe('mean CPU time to compile one unit (exponentially distributed; an assumption)'),
  ioPerUnit: durationNs()
    .prefault('10ms')
    .describe("I/O wait reading one unit's sources before it compiles (ended by a device interrupt)"),
  link: durationNs().prefault('20s').describe('CPU time of the single-threaded final link'),
  repeat: z
    .boolean()
    .default(false)
    .describe('start the build again after each one (default false: idle once built)'),
  pause: durationNs().prefault('10s').describe('time between the end of a link and the next build (repeat)'),
  base: sizeBytes()
    .prefault('128MiB')
    .describe('anonymous memory resident throughout (make, shell; an assumption)'),
  perJob: sizeBytes()
    .prefault('150MiB')
    .describe('anonymous memory of one compile or of the link while it runs (an assumption)'),
  cachePerUnit: sizeBytes()
    .prefault('512KiB')
    .describe('page cache added per finished unit (its sources and object file)'),
  ...accessFields(),
  ...cacheReadFields(
    KERNEL_BUILD_CACHE_READS_PER_S,
    'default 256 = 1 MiB of headers and sources per CPU-second; an assumption',
  ),
  ...localityFields(),
  processes: processesField(),
});

export type KernelBuildOptions = z.output<typeof options>;

export interface KernelBuildInstance extends WorkloadInstance {
  /** CPU of unit k, ns (the same in every build). */
  unitCpuNs(k: number): number;
  cachePages(nowNs: number): number;
  metrics(nowNs: number): Record<string, number>;
}

export const kernelBuildWorkload = {
  name: 'kernel-build',
  description: 'Parallel build (make -j jobs): units of I/O then CPU from a shared queue, then a link.',
  options,
  check: (o, ctx) => {
    if (o.cpuPerUnit <= 0) return { field: 'cpuPerUnit', problem: 'cpuPerUnit must be longer than 0' };
    // In progress at once: at most min(jobs, vcpus) units (or the link alone).
    const peakJobs = Math.min(o.jobs ?? ctx.vcpus, ctx.vcpus);
    const p = fitProblem(`base + perJob × ${peakJobs} jobs`, o.base + o.perJob * peakJobs, ctx.usablePages);
    return p === undefined ? undefined : { field: 'perJob', problem: p.problem };
  },
  create: (o, ctx): KernelBuildInstance => {
    const jobs = o.jobs ?? ctx.vcpus;
    const unitRng = forkStream(ctx.vcpuRng[0]!, 'kernel-build-units');
    const cpu = new Float64Array(o.units);
    for (let k = 0; k < o.units; k++) cpu[k] = Math.max(1, Math.round(unitRng.exponential(o.cpuPerUnit)));
    const link = Math.max(1, o.link);
    const totalCachePages = pages(o.units * o.cachePerUnit);

    const booted = new Uint8Array(ctx.vcpus);
    const held = new Int32Array(ctx.vcpus).fill(NOTHING);
    let next = 0; // next unit to hand out in the current build
    let inProgress = 0;
    let linking = 0;
    let doneThisBuild = 0;
    let doneTotal = 0;
    let buildStartNs = 0;
    let builds = 0;
    let spanSumNs = 0;
    let finished = false;
    let lastNowNs = 0;

    const ask = (idleNs: number): Burst => ({ workNs: ASK_NS, idleNs, wake: 'timer' });

    const activity = resolveActivity(KERNEL_BUILD_PRESET, o.cpuPerUnit / 1e9, o.processes);
    return {
      ...accessOf(o),
      processActivity: () => activity,
      unitCpuNs: (k) => cpu[k]!,
      anonPages: () => pages(o.base + o.perJob * (inProgress + linking)),
      cachePages: () => Math.min(totalCachePages, pages(doneTotal * o.cachePerUnit)),
      cacheReadsPerCpuS: () => o.cacheReadsPerS,
      nextBurst: (vcpu, nowNs) => {
        if (nowNs < lastNowNs) {
          // Time went back: a looping `phases` started this phase over. Like a fresh `make` in the
          // same tree: a new build from unit 0 now, the page cache (and counts) kept.
          held.fill(NOTHING);
          next = 0;
          inProgress = 0;
          linking = 0;
          doneThisBuild = 0;
          buildStartNs = nowNs;
          finished = false;
        }
        lastNowNs = nowNs;
        if (booted[vcpu] === 0) {
          booted[vcpu] = 1;
          return ask(0);
        }
        const h = held[vcpu]!;
        held[vcpu] = NOTHING;
        if (h >= 0) {
          inProgress -= 1;
          doneThisBuild += 1;
          doneTotal += 1;
          if (doneThisBuild === o.units) {
            held[vcpu] = LINK;
            linking = 1;
            return { workNs: link, idleNs: 0, wake: 'timer' };
          }
        } else if (h === LINK) {
          linking = 0;
          builds += 1;
          spanSumNs += nowNs - buildStartNs;
          if (o.repeat) {
            buildStartNs = nowNs + o.pause;
            next = 0;
            doneThisBuild = 0;
          } else finished = true;
        }
        if (!finished && nowNs >= buildStartNs && next < o.units && inProgress < jobs) {
          const k = next++;
          inProgress += 1;
          held[vcpu] = k;
          return { workNs: cpu[k]!, idleNs: o.ioPerUnit, wake: 'io' };
        }
        if (finished || !o.repeat) return ask(LONG_SLEEP_NS);
        return ask(nowNs < buildStartNs ? buildStartNs - nowNs : POLL_NS);
      },
      metrics: () => ({
        units_done_count: doneTotal,
        builds_done_count: builds,
        ...(builds > 0 ? { build_time_s: spanSumNs / builds / 1e9 } : {}),
      }),
    };
  },
} satisfies WorkloadDecl<KernelBuildOptions>;
