/**
 * Per-vCPU runstates and their time accounting, the one place where a vCPU's state changes.
 * States use Xen's numbering (RUNSTATE_running 0, runnable 1, blocked 2, offline 3;
 * reference/time-cpu-abi.md §2.5). Time is accounted lazily: a state's total grows only when the
 * vCPU leaves it (or when someone reads it), so a long sleep costs nothing per tick.
 *
 * Invariant, per vCPU: running + runnable + blocked + offline = elapsed time since boot.
 * Steal (what the guest could not run although it wanted to) = runnable + offline.
 */

import type { RunstateArea } from '../abi/types.js';
import { InvariantError } from '../kernel/index.js';

export const RUNNING = 0;
export const RUNNABLE = 1;
export const BLOCKED = 2;
export const OFFLINE = 3;
export const RUNSTATE_NAMES = ['running', 'runnable', 'blocked', 'offline'] as const;

export class Runstates {
  readonly state: Uint8Array;
  private readonly sinceNs: Float64Array;
  /** totals[4 × v + s]: ns spent by vCPU v in state s, up to sinceNs[v]. */
  private readonly totals: Float64Array;

  /**
   * Called after each change with the state left and the state entered (the virtual timers settle
   * the time spent in `from` and deliver what falls due at a resume). After, not before: Xen
   * updates the runstate area in context_switch before the vCPU runs, so an interrupt delivered
   * as it resumes must already see `from` closed (area() at `nowNs`).
   */
  observer: ((v: number, from: number, to: number, nowNs: number) => void) | undefined;

  constructor(readonly count: number) {
    this.state = new Uint8Array(count).fill(OFFLINE);
    this.sinceNs = new Float64Array(count);
    this.totals = new Float64Array(count * 4);
  }

  set(v: number, s: number, nowNs: number): void {
    const cur = this.state[v]!;
    this.totals[4 * v + cur]! += nowNs - this.sinceNs[v]!;
    this.sinceNs[v] = nowNs;
    this.state[v] = s;
    this.observer?.(v, cur, s, nowNs);
  }

  /** ns vCPU v has spent in state s up to `nowNs`. */
  timeIn(v: number, s: number, nowNs: number): number {
    const t = this.totals[4 * v + s]!;
    return this.state[v] === s ? t + nowNs - this.sinceNs[v]! : t;
  }

  /**
   * vCPU v's runstate area as Xen keeps it (vcpu_runstate_info, reference §2.5): the current state,
   * when it was entered, and the time in each state up to that entry (the current state's open
   * interval is not in `timeNs` — Xen adds it at the next change). So Σ timeNs = stateEntryNs.
   */
  area(v: number): RunstateArea {
    const b = 4 * v;
    const t = this.totals;
    return {
      state: this.state[v]!,
      stateEntryNs: this.sinceNs[v]!,
      timeNs: [t[b]!, t[b + 1]!, t[b + 2]!, t[b + 3]!],
    };
  }

  stealNs(v: number, nowNs: number): number {
    return this.timeIn(v, RUNNABLE, nowNs) + this.timeIn(v, OFFLINE, nowNs);
  }

  /** Throws an InvariantError unless every vCPU's state times sum to `nowNs`; `name` names a vCPU. */
  check(nowNs: number, name: (v: number) => string = (v) => `vCPU ${v}`): void {
    for (let v = 0; v < this.count; v++) {
      let sum = 0;
      for (let s = 0; s < 4; s++) sum += this.timeIn(v, s, nowNs);
      if (sum !== nowNs)
        throw new InvariantError(
          name(v),
          `runstate times sum to ${sum} ns, elapsed is ${nowNs} ns`,
          'running + runnable + blocked + offline time = elapsed time',
        );
    }
  }
}
