/**
 * The timer-delivery extension point: what the host does with periodic timer interrupts a vCPU
 * missed while it was not running (runnable, or parked offline). Only guests that keep time by
 * counting interrupts are affected; a guest that reads an absolute clock (VMI's REAL counter,
 * Xen's pvclock) catches up by itself (reference/time-cpu-abi.md §4.3).
 *
 * Missed ticks form a backlog. The policy answers three questions, all pure:
 *  - on resume (the vCPU is placed on a pCPU again): how many of the backlog to deliver at once,
 *    how many to drop (lost: the guest never sees them) or merge into the ones delivered, and how
 *    many to keep for later;
 *  - while the vCPU runs with a backlog: how much faster than nominal to deliver, as extra ticks
 *    per nominal tick (1 = twice the nominal rate);
 *  - the backlog, in ns of ticks, past which it gives up and drops it all.
 */
import type { PluginDecl } from '../../sim/options/plugin.js';

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

export interface TimerDeliveryPolicy<O> extends PluginDecl<O> {
  onResume(backlog: number, options: O): ResumeDecision;
  /** Extra ticks per nominal tick while running with a backlog (0 = none). */
  speedup(options: O): number;
  /** Backlog (ns of missed ticks) past which it is dropped; Infinity = never. */
  giveUpNs(options: O): number;
}
