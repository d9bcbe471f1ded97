/**
 * The workload extension point: what runs inside a guest. A workload instance answers two
 * questions as simulated time goes on — how much memory the guest's processes keep resident,
 * and, each time a vCPU finishes a CPU burst, how much CPU the next burst needs and how long
 * the vCPU then sleeps. It draws only from its own named random stream, so it does the same
 * thing for the same seed whatever else runs on the host.
 *
 * A workload is a factory: its declaration's `create(options, context)` makes one instance per
 * guest, which holds its options and its own state (DESIGN.md §3.2's purity in spirit: it never
 * touches host or guest objects, and its answers depend only on its inputs, its own past and its
 * own random streams). Options reach it typed by its schema; a run carries them as a
 * PluginChoice, bound back to the declaration in workloads/choice.ts.
 */
import type { PluginFactory } from '../sim/options/plugin.js';
import type { RandomStream } from '../sim/kernel/index.js';
import type { ProcessActivity } from './process-activity.js';

/** How a workload's memory accesses spread over its pages (the guest's memory model reads it). */
export interface Locality {
  /** Share of the anonymous demand that is hot, and share of accesses that go to it. */
  hotFraction: number;
  hotShare: number;
}

/** Workload defaults when it does not say: 90 % of accesses to the hottest 20 % (an assumption). */
export const DEFAULT_LOCALITY: Locality = { hotFraction: 0.2, hotShare: 0.9 };
/**
 * Page accesses per second of a busy vCPU when a workload does not say (its `pageAccessesPerS`
 * option, workloads/common.ts accessFields): an assumption with no published source;
 * sim/guest/guest.ts says how faults and working-set touches use it.
 */
export const DEFAULT_ACCESSES_PER_CPU_S = 2000;

/**
 * The next CPU burst of one vCPU, asked for when it finishes its work: it blocks `idleNs` (if > 0),
 * then runs `workNs` of CPU. At boot the first burst's work starts at once (its idleNs is not
 * slept). What ends the wait:
 * `timer` (a sleep: the vCPU's own wake-up alarm) or `io` (a request to the guest's virtual
 * device, whose completion interrupt arrives on vCPU 0, which then wakes the sleeper).
 */
export interface Burst {
  workNs: number;
  idleNs: number;
  wake?: WakeSource;
}

export type WakeSource = 'timer' | 'io';

export interface WorkloadContext {
  /**
   * One stream per vCPU (`workload:<guest>/vcpu<i>`), so each vCPU's draws do not depend on the
   * order in which vCPUs finish bursts — which depends on the scheduler and the other guests.
   */
  readonly vcpuRng: readonly RandomStream[];
  readonly vcpus: number;
  /** Memory the guest's processes may use, after the kernel's reserve, in 4 KiB pages. */
  readonly usablePages: number;
}

export interface WorkloadInstance {
  /** Anonymous memory the processes have allocated (their resident set if nothing is swapped) at `nowNs`, in pages. */
  anonPages(nowNs: number): number;
  /** Page cache the workload would keep at `nowNs`, in pages (default 0). */
  cachePages?(nowNs: number): number;
  /** Hot/cold split of its anonymous memory (default: 90 % of accesses to the hottest 20 %). */
  locality?(): Locality;
  /**
   * Page accesses per second of a busy vCPU, now (default 2,000; an assumption): faults count them
   * per second of work done, working-set touches per second not asleep (sim/guest/guest.ts).
   * Asked at each memory tick.
   */
  accessesPerCpuS?(): number;
  /**
   * The page-table work of its processes per CPU-second of work (workloads/process-activity.ts);
   * absent: none. Asked once, when the guest is built.
   */
  processActivity?(): ProcessActivity;
  /**
   * Page-cache pages a busy vCPU reads per second of work, now (default 0): reads of its files that
   * miss the cache are refaults read from disk (sim/guest/memory.ts cacheAccess).
   */
  cacheReadsPerCpuS?(): number;
  /** Called when vCPU `vcpu` (guest-local index) starts and each time it finishes a burst. */
  nextBurst(vcpu: number, nowNs: number): Burst;
  /**
   * What the workload measured of itself by `nowNs` (the end of the run): request latency
   * percentiles, hit ratios, jobs finished. Keys are snake_case and end in their unit
   * (`latency_p99_ms`, `hit_ratio`, `requests_count`); values are finite numbers. Reported per
   * guest in results.json (`workloadMetrics`) and in the report's workload section.
   */
  metrics?(nowNs: number): Record<string, number>;
}

/** Where the experiment file is, for workloads that read files named relative to it. */
export interface WorkloadLoadContext {
  /** Folder of the experiment file. */
  readonly dir: string;
  /**
   * `make()`'s result (or the InputError it threw) for `key`, computed once per experiment load:
   * a file named by many guests and alternatives is read and parsed once, and held once.
   */
  once<T>(key: string, make: () => T): T;
}

/** A workload's declaration: name, description, options schema, `create`, and optional checks. */
export interface WorkloadDecl<O> extends PluginFactory<O, WorkloadContext, WorkloadInstance> {
  /** Checks options against the guest they run in; returns a problem sentence or undefined. */
  check?(options: O, ctx: Omit<WorkloadContext, 'vcpuRng'>): { field: string; problem: string } | undefined;
  /**
   * Runs once on the main thread when the experiment is loaded, after the options are parsed:
   * reads what the options name (a trace file) and returns the options to hand to `create`, as
   * plain data that crosses to the workers. Bad input in the file throws an InputError naming that
   * file, line and column. Workloads without external input leave it out.
   */
  load?(options: O, ctx: WorkloadLoadContext): O;
}
