/**
 * The timer-delivery extension point: what the host does with periodic timer interrupts a vCPU
 * missed while it was not running (runnable, or parked offline). Only guests that keep time by
 * counting interrupts are affected; a guest that reads an absolute clock (VMI's REAL counter,
 * Xen's pvclock) catches up by itself (reference/time-cpu-abi.md §4.3).
 *
 * Missed ticks form a backlog. The policy answers three questions:
 *  - on resume (the vCPU is placed on a pCPU again): how many of the backlog to deliver at once,
 *    how many to drop (lost: the guest never sees them) or merge into the ones delivered, and how
 *    many to keep for later;
 *  - while the vCPU runs with a backlog: how much faster than nominal to deliver, as extra ticks
 *    per nominal tick (1 = twice the nominal rate);
 *  - the backlog, in ns of ticks, past which it gives up and drops it all.
 *
 * A policy is a factory: its declaration's `create(options, {})` makes the instance for one run,
 * which holds its options. DESIGN.md §3.2's purity holds as it stands: the instance keeps no
 * state of its own, never sees host objects, and its answers depend only on its inputs — the
 * decision for a backlog is data (delivered + merged + dropped + kept = backlog) that the host
 * applies (sim/host/vtimer.ts).
 */
import type { NoContext, PluginFactory } from '../../sim/options/plugin.js';

export interface ResumeDecision {
  /** Delivered at once, one interrupt each. */
  deliverNow: number;
  /** Folded into the interrupts delivered now: they count once. */
  merged: number;
  /** Dropped: never delivered. */
  dropped: number;
  /** Kept as backlog, delivered faster than nominal while the vCPU runs. */
  kept: number;
}

/** A timer-delivery policy's instance for one run. */
export interface TimerDelivery {
  /** What to do with a backlog of `backlog` ticks (an integer ≥ 0) as the vCPU resumes. */
  onResume(backlog: number): ResumeDecision;
  /** Extra ticks per nominal tick while running with a backlog (0 = none). */
  readonly speedup: number;
  /** Backlog (ns of missed ticks) past which it is dropped; Infinity = never. */
  readonly giveUpNs: number;
}

/** A timer-delivery policy's declaration: name, description, options schema and `create`. */
export type TimerDeliveryDecl<O> = PluginFactory<O, NoContext, TimerDelivery>;
