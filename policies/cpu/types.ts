/**
 * The CPU-scheduler extension point. A scheduler owns the run queues of runnable vCPUs that are
 * not on a pCPU; the host owns everything else (who runs where, runstates, parking) and tells
 * the scheduler about each change through these calls, in simulated-time order:
 *
 *  - `wake(v)`: v became runnable (woke from blocked, or was unparked). The scheduler queues it
 *    and may ask for pCPUs to be preempted now (Xen's "tickle"). The host then also offers every
 *    idle pCPU a `schedule` call, lowest pCPU first.
 *  - `block(v, ranNs)`: v, running on a pCPU for the last `ranNs`, halted. It is in no queue.
 *  - `schedule(p, current, ranNs)`: pCPU p needs a choice — its slice ended, it was preempted,
 *    its vCPU halted (current = −1), or it is idle and offered work. `current` (if ≥ 0) is
 *    still runnable and ran `ranNs` since it was last placed or continued; the scheduler keeps
 *    it or queues it and returns another. It returns the vCPU to run (current, or one it holds
 *    queued) and for how long, or −1 to idle.
 *  - `tick()`: every `tickNs` if that is > 0: periodic accounting. It may preempt pCPUs
 *    and park or unpark vCPUs (caps, limits). A parked vCPU the scheduler had queued must leave
 *    its queues at once; the host takes a parked vCPU off its pCPU and, while it is parked, never
 *    reports it runnable. When unparked and still wanting to run, the host calls `wake` for it.
 *
 * The host checks every answer (the vCPU must be runnable, not parked and not running elsewhere;
 * slices must be > 0; affinity is respected) and throws with the scheduler's name otherwise.
 *
 * A scheduler is a factory: its declaration's `create(options, topology)` makes the instance for
 * one run, which holds its options and its own state and answers the calls above. DESIGN.md §3.2
 * asks policies to be pure, `decide(observation, state) → { state, decisions }`. Schedulers are
 * on the hot path (every wake, block and slice), so an instance updates its private state in
 * place instead; it keeps the spirit: it never sees or touches host objects (it must not keep
 * references to the view, which the host reuses), draws no randomness, and its answers depend
 * only on its inputs and its own past — the same calls in the same order give the same answers.
 * It returns decisions as data (who runs, for how long, whom to preempt, park or unpark), which
 * the host checks and applies. The host sees only the `CpuScheduler` interface; an
 * implementation may also expose its state to its own tests.
 */
import type { PluginFactory } from '../../sim/options/plugin.js';

/** A vCPU's static scheduling parameters, from its guest's `cpu` block in the experiment. */
export interface VcpuParams {
  /** Guest index and index within the guest. */
  readonly guest: number;
  readonly local: number;
  /** Xen credit / credit2 weight of the guest's domain (default 256). */
  readonly weight: number;
  /** Cap of the guest's domain, percent of one pCPU; 0 = uncapped (Xen credit's `cap`). */
  readonly capPct: number;
  /** ESX shares of this vCPU (low 500, normal 1000, high 2000). */
  readonly shares: number;
  /** ESX reservation and limit of the guest, MHz; limit 0 = unlimited. */
  readonly reservationMHz: number;
  readonly limitMHz: number;
  /** pCPUs the vCPU may run on, ascending; every pCPU if the guest set no affinity. */
  readonly affinity: readonly number[];
}

/** Static facts a scheduler sizes its state by. vCPU ids are indexes into `vcpus`. */
export interface SchedTopology {
  readonly pcpus: number;
  readonly cpuMHz: number;
  readonly guests: number;
  readonly vcpus: readonly VcpuParams[];
  /**
   * False in the reference mode of the aggregation test (sim/host/aggregations.ts): the scheduler
   * keeps none of the sets or counts that only make it faster and walks everything instead, with
   * the same choices. Default true.
   */
  readonly aggregate?: boolean;
}

/** What every call may look at: the time and what each pCPU runs. */
export interface SchedView {
  readonly nowNs: number;
  /** vCPU on each pCPU, or −1 when idle. */
  readonly running: ArrayLike<number>;
  /** When each pCPU's current vCPU was placed or last continued (valid when running ≥ 0). */
  readonly runStartNs: ArrayLike<number>;
}

export interface ScheduleChoice {
  /** vCPU to run next, or −1 to leave the pCPU idle. */
  readonly run: number;
  /** How long it may run before the scheduler is asked again (> 0 when run ≥ 0). */
  readonly sliceNs: number;
}

export interface TickResult {
  /** pCPUs to preempt now (each gets a `schedule` call with its current vCPU). */
  readonly preempt: readonly number[];
  readonly park: readonly number[];
  readonly unpark: readonly number[];
}

/** A scheduler instance for one run (see the header for the calls and their order). */
export interface CpuScheduler {
  /** Period of `tick` in ns, or 0 if the scheduler needs none. */
  readonly tickNs: number;
  /** v became runnable; returns the pCPUs to preempt now (each then gets a `schedule` call). */
  wake(v: number, view: SchedView): readonly number[];
  block(v: number, ranNs: number, view: SchedView): void;
  schedule(p: number, current: number, ranNs: number, view: SchedView): ScheduleChoice;
  tick(view: SchedView): TickResult;
  /**
   * Each guest's entitlement, in pCPUs (e.g. 0.5 = half of one pCPU), if every vCPU wanted to
   * run all the time: what the scheduler promises under full contention. The report sets the
   * CPU each guest got against it.
   */
  entitlementPcpus(): number[];
  /**
   * Optional per-guest event counts that explain the scheduler's behaviour (e.g. co-stops,
   * boosts), by name, indexed by guest; reported in each guest's summary.
   */
  guestCounters?(): Readonly<Record<string, ArrayLike<number>>>;
  /**
   * Optional: how many vCPUs wait in the queues. A scheduler declares it only if, when it is 0,
   * `schedule` for an idle pCPU would return −1 and change nothing; the host then stops offering
   * idle pCPUs work (otherwise each wake asks every idle pCPU, which on 64 pCPUs is most of
   * the run time).
   */
  waiting?(): number;
}

/**
 * A CPU scheduler's declaration: name, description, options schema and `create`; `refusesCap`:
 * the real scheduler enforces a guest's `cpu.cap` but this model does not, so a cap above 0 is
 * refused at load (the text says why and what to use instead) rather than silently ignored.
 */
export type CpuSchedulerDecl<O> = PluginFactory<O, SchedTopology, CpuScheduler> & {
  readonly refusesCap?: string;
};

/** Nothing to preempt, park or unpark (shared, frozen: no allocation on the hot path). */
export const NO_PCPUS: readonly number[] = Object.freeze([]);
export const NO_TICK: TickResult = Object.freeze({ preempt: NO_PCPUS, park: NO_PCPUS, unpark: NO_PCPUS });
