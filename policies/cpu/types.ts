/**
 * The CPU-scheduler extension point. The host calls `decide` whenever a pCPU needs a choice:
 * it went idle, its slice ended, or a vCPU woke while it was idle. The observation lists the
 * vCPUs waiting to run (oldest-runnable first) and what the pCPU is running; the decision names
 * the vCPU to run and for how long. The scheduler never mutates host state; the host checks the
 * decision (the vCPU must be runnable) and applies it.
 */
import type { PluginDecl } from '../../sim/plugin.js';

export interface SchedObservation {
  readonly nowNs: number;
  readonly pcpu: number;
  /** vCPU now on this pCPU and still wanting to run (its slice ended), or -1. */
  readonly current: number;
  /** Runnable vCPUs not on any pCPU, oldest-runnable first (ties by vCPU id). Global vCPU ids. */
  readonly waiting: readonly number[];
}

export interface SchedDecision<S> {
  readonly state: S;
  /** vCPU to run next (`current` or one of `waiting`), or -1 to leave the pCPU idle. */
  readonly run: number;
  /** How long it may run before the scheduler is asked again. */
  readonly sliceNs: number;
}

/** Static facts a scheduler may size its state by. */
export interface SchedTopology {
  readonly pcpus: number;
  readonly vcpus: number;
}

export interface CpuScheduler<O, S> extends PluginDecl<O> {
  init(options: O, topology: SchedTopology): S;
  decide(observation: SchedObservation, state: S, options: O): SchedDecision<S>;
}
