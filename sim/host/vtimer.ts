/**
 * The host's virtual timers: the periodic interrupts each vCPU's guest kernel asked for, and what
 * happens to those that fall due while the vCPU cannot take them. Accounted lazily — nothing is
 * simulated per tick: whenever a vCPU's runstate changes (and at each sample), the interval
 * since the last accounting is settled under the state it was in. Ticks fall due at fixed
 * instants k × period of real time (or, for VMI alarms, of the vCPU's running time):
 *
 *  - `periodic` (a tick-counting guest at HZ; its kernel is not tickless):
 *      running  → due ticks are delivered, plus backlog at `speedup` extra ticks per period;
 *      blocked  → delivered on time (the host injects them into the halted vCPU; their handler
 *                 cost is charged as CPU the vCPU owes, without a trip through the scheduler);
 *      runnable / offline → missed: added to the backlog, which the timer-delivery policy
 *                 (policies/time) keeps, merges or drops on resume; past the policy's give-up
 *                 threshold the whole backlog is dropped.
 *  - `available` (the 2.6.21 VMI guest): a periodic alarm on the AVAILABLE counter at the alarm
 *      rate, cancelled while halted (NO_IDLE_HZ), so alarms fall due only while the vCPU runs
 *      and none are ever missed (reference/time-cpu-abi.md §1.5–1.6).
 *  - `virq` (a Xen PV guest): the periodic timer on system time while running; ticks due while
 *      descheduled become one pending event-channel bit, delivered once on resume (the rest are
 *      merged); while blocked the guest uses a one-shot `set_timer_op` instead, so none are due.
 *
 * Counters per vCPU: delivered, merged, dropped (lost), and give-ups. A guest only counts what
 * it receives; whether the time is lost depends on how the guest keeps time (sim/guest/timekeeping).
 */
import type { TimerDeliveryPolicy } from '../../policies/time/types.js';
import { BLOCKED, RUNNING } from './runstates.js';

export type TimerMode = 'periodic' | 'available' | 'virq';

export interface VcpuTimer {
  mode: TimerMode;
  /** Interrupts per second, per stream. */
  hz: number;
  /**
   * Identical interrupt streams on this vCPU: 2 on vCPU 0 of a tick-counting guest (the global
   * timer that advances jiffies, and the local APIC timer), so an n-vCPU guest asks for
   * (n+1) × HZ interrupts per second (reference/time-cpu-abi.md §4.1, DOC-3580); else 1.
   */
  streams: number;
}

/** Number of instants k / hz seconds (k ≥ 1) in (0, tNs], exact for t < 2^53 ns and hz ≤ 10^5. */
export function ticksUpTo(tNs: number, hz: number): number {
  const s = Math.floor(tNs / 1e9);
  return s * hz + Math.floor(((tNs - s * 1e9) * hz) / 1e9);
}

export interface TimerCounts {
  delivered: number;
  merged: number;
  dropped: number;
  giveUps: number;
  pending: number;
}

export class VirtualTimers {
  private readonly lastNs: Float64Array;
  private readonly backlog: Float64Array;
  private readonly carry: Float64Array;
  /** Running time per vCPU (the AVAILABLE alarms' clock). */
  private readonly ranNs: Float64Array;
  /** Ticks that fell due while a `virq` vCPU was descheduled. */
  private readonly pendingVirq: Float64Array;
  readonly delivered: Float64Array;
  readonly merged: Float64Array;
  readonly dropped: Float64Array;
  readonly giveUps: Float64Array;
  private readonly speedup: number;
  private readonly giveUpNs: number;

  constructor(
    private readonly timers: readonly VcpuTimer[],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly policy: TimerDeliveryPolicy<any>,
    private readonly policyOptions: unknown,
    /** Hands `n` interrupts to vCPU v's guest at `nowNs`. */
    private readonly deliver: (v: number, n: number, nowNs: number) => void,
  ) {
    const n = timers.length;
    this.lastNs = new Float64Array(n);
    this.backlog = new Float64Array(n);
    this.carry = new Float64Array(n);
    this.ranNs = new Float64Array(n);
    this.pendingVirq = new Float64Array(n);
    this.delivered = new Float64Array(n);
    this.merged = new Float64Array(n);
    this.dropped = new Float64Array(n);
    this.giveUps = new Float64Array(n);
    this.speedup = policy.speedup(policyOptions);
    this.giveUpNs = policy.giveUpNs(policyOptions);
  }

  /** Runstate observer: settles v's timer up to `nowNs` under `from`, then applies a resume. */
  onRunstate(v: number, from: number, to: number, nowNs: number): void {
    this.settle(v, from, nowNs);
    if (to !== RUNNING || from === RUNNING || from === BLOCKED) return;
    const t = this.timers[v]!;
    if (t.mode === 'periodic') {
      const b = this.backlog[v]!;
      if (b === 0) return;
      const d = this.policy.onResume(b, this.policyOptions);
      this.backlog[v] = d.kept;
      this.merged[v]! += d.merged;
      this.dropped[v]! += d.dropped;
      if (d.deliverNow > 0) this.give(v, d.deliverNow, nowNs);
    } else if (t.mode === 'virq' && this.pendingVirq[v]! > 0) {
      this.merged[v]! += this.pendingVirq[v]! - 1;
      this.pendingVirq[v] = 0;
      this.give(v, 1, nowNs);
    }
  }

  /** Settles v's timer up to `nowNs` in its current state `state` (for samples). */
  settle(v: number, state: number, nowNs: number): void {
    const from = this.lastNs[v]!;
    if (nowNs <= from) return;
    this.lastNs[v] = nowNs;
    const t = this.timers[v]!;
    if (t.mode === 'available') {
      if (state !== RUNNING) return;
      const before = this.ranNs[v]!;
      this.ranNs[v] = before + (nowNs - from);
      const n = ticksUpTo(this.ranNs[v]!, t.hz) - ticksUpTo(before, t.hz);
      if (n > 0) this.give(v, n, nowNs);
      return;
    }
    const due = ticksUpTo(nowNs, t.hz) - ticksUpTo(from, t.hz);
    if (t.mode === 'virq') {
      if (state === RUNNING) {
        if (due > 0) this.give(v, due, nowNs);
      } else if (state !== BLOCKED) {
        this.pendingVirq[v]! += due;
      }
      return;
    }
    if (state === RUNNING) {
      let n = due;
      if (this.backlog[v]! > 0 && this.speedup > 0) {
        this.carry[v]! += (((nowNs - from) * t.hz) / 1e9) * this.speedup;
        const extra = Math.min(this.backlog[v]!, Math.floor(this.carry[v]!));
        this.carry[v]! -= extra;
        this.backlog[v]! -= extra;
        if (this.backlog[v] === 0) this.carry[v] = 0;
        n += extra;
      }
      if (n > 0) this.give(v, n, nowNs);
    } else if (state === BLOCKED) {
      if (due > 0) this.give(v, due, nowNs);
    } else {
      this.backlog[v]! += due;
      if ((this.backlog[v]! * 1e9) / t.hz > this.giveUpNs) {
        this.dropped[v]! += this.backlog[v]!;
        this.giveUps[v]! += 1;
        this.backlog[v] = 0;
        this.carry[v] = 0;
      }
    }
  }

  /**
   * Periodic ticks vCPU v would receive if settled at `nowNs` in `state`, without settling: lets
   * a sample read a tick-counting clock without changing when handler costs are charged (which
   * would make results depend on the sampling interval).
   */
  pendingTicks(v: number, state: number, nowNs: number): number {
    const t = this.timers[v]!;
    const from = this.lastNs[v]!;
    if (t.mode !== 'periodic' || nowNs <= from) return 0;
    const due = ticksUpTo(nowNs, t.hz) - ticksUpTo(from, t.hz);
    if (state === BLOCKED) return due;
    if (state !== RUNNING) return 0;
    if (this.backlog[v] === 0 || this.speedup === 0) return due;
    const carry = this.carry[v]! + (((nowNs - from) * t.hz) / 1e9) * this.speedup;
    return due + Math.min(this.backlog[v]!, Math.floor(carry));
  }

  /** VMware Tools' BDOOR_CMD_STOPCATCHUP after a time step: forget vCPU v's backlog. */
  stopCatchUp(v: number): void {
    this.dropped[v]! += this.backlog[v]!;
    this.backlog[v] = 0;
    this.carry[v] = 0;
  }

  backlogTicks(v: number): number {
    return this.backlog[v]!;
  }

  counts(first: number, count: number): TimerCounts {
    const sum = (a: Float64Array) => {
      let s = 0;
      for (let v = first; v < first + count; v++) s += a[v]! * this.timers[v]!.streams;
      return s;
    };
    return {
      delivered: sum(this.delivered),
      merged: sum(this.merged),
      dropped: sum(this.dropped),
      giveUps: sum(this.giveUps),
      pending: sum(this.backlog),
    };
  }

  private give(v: number, n: number, nowNs: number): void {
    this.delivered[v]! += n;
    this.deliver(v, n, nowNs);
  }
}
