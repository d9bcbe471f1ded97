/**
 * The host's virtual timers: the periodic interrupts each vCPU's guest kernel asked for, and what
 * happens to those that fall due while the vCPU cannot take them. Accounted lazily — nothing is
 * simulated per tick: whenever a vCPU's runstate changes (and at each sample), the interval
 * since the last accounting is settled under the state it was in. Ticks fall due at fixed
 * instants k × period of real time (or, for VMI alarms, of the vCPU's running time):
 *
 *  - `periodic` (a tick-counting guest at HZ; its kernel is not tickless):
 *      running  → due ticks are delivered, plus backlog at `speedup` extra ticks per period;
 *      blocked  → the first tick due is held pending (the local APIC holds one interrupt per
 *                 vector in its IRR) and wakes the vCPU: the host makes it runnable at that
 *                 instant (sim/host/host.ts, tick wake-ups), and like any runnable vCPU it waits
 *                 for a pCPU. The held tick is delivered when it runs; any later tick due before
 *                 then is missed. VMware's timekeeping paper: a timer interrupt for a halted vCPU
 *                 makes it runnable, and it "must be scheduled" to take it; the backlog builds
 *                 while it waits (fidelity review M4);
 *      runnable / offline → missed: added to the backlog, which the timer-delivery policy
 *                 (policies/time) keeps, merges or drops on resume; past the policy's give-up
 *                 threshold the whole backlog is dropped.
 *    Example, HZ 100, discard, a halted vCPU on one pCPU behind two CPU hogs with 30 ms slices:
 *    the tick at t wakes it, it runs after the hogs' turns (≈ 60 ms), takes the held tick, and the
 *    ≈ 5 ticks due meanwhile are dropped — about 1 tick in 6 reaches an idle guest.
 *  - `available` (the 2.6.21 VMI guest): a periodic alarm on the AVAILABLE counter at the alarm
 *      rate (reference/time-cpu-abi.md §1.5–1.6). AVAILABLE advances while the vCPU runs or is
 *      halted, not while it waits for a pCPU ("stolen time is the time in which the vcpu is in the
 *      'ready' state", vmi_time.h), so none is ever missed. The guest cancels the alarm for a
 *      tickless halt (vmi_stop_hz_timer: CancelAlarm(AVAILABLE), `disarm`) and sets it again when
 *      the halt ends (vmi_reenable_hz_timer: SetAlarm at process_times_cycles_accounted +
 *      cycles_per_alarm, `rearm` with the base the host passes). An alarm that falls due while the
 *      vCPU is halted with it armed (a short sleep, an I/O wait) is held and wakes it as a periodic
 *      tick does: the host makes it runnable and the alarm is taken when it runs; AVAILABLE stops
 *      meanwhile, so no second one falls due.
 *  - `virq` (a Xen PV guest): Xen 3.0.4's per-pCPU t_timer sends VIRQ_TIMER every 10 ms to the
 *      vCPU running there (schedule.c t_timer_fn); at a context switch Xen sends one more to the
 *      vCPU it resumes if that pCPU's tick count moved since the vCPU was last switched out
 *      (schedule.c:603–611, `prev->sleep_tick = sd->tick; … if (next->sleep_tick != sd->tick)
 *      send_timer_event(next)`), blocked or preempted alike. So: ticks due while it runs are
 *      delivered; ticks due while it is runnable or offline become one pending event-channel bit,
 *      delivered once on resume (the rest merged); a tick while it is blocked is owed to no one,
 *      but makes the resume send one too. Its one-shot (set_timer_op) firing while it is off a
 *      pCPU sets the same bit, so what falls due after is merged into that upcall. (Ticks fall at k × 10 ms of real time for every pCPU: each pCPU's
 *      own phase is not modelled.)
 *
 * Counters per vCPU: delivered, merged, dropped (lost), and give-ups. A guest only counts what
 * it receives; whether the time is lost depends on how the guest keeps time (sim/guest/timekeeping).
 */
import type { TimerDelivery } from '../../policies/time/types.js';
import { BLOCKED, RUNNING } from './runstates.js';
import type { VcpuTimer } from '../abi/types.js';
import { tickInstantNs, ticksUpTo } from '../kernel/index.js';

export { ticksUpTo, tickInstantNs };

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
  /**
   * Catch-up (periodic mode): running ns since the backlog last was empty, and the extra ticks
   * given in that time. Extra ticks due = floor(catchUpNs × hz × speedup / 1e9), computed from the
   * integer total rather than accumulated in pieces, so settling more often changes nothing.
   */
  private readonly catchUpNs: Float64Array;
  private readonly caughtUp: Float64Array;
  /** AVAILABLE time per vCPU, running + halted (the VMI alarms' clock). */
  private readonly availNs: Float64Array;
  /** VMI alarms: 1 while armed, and the AVAILABLE value they are phased on (alarms at base + k/hz s). */
  private readonly armed: Uint8Array;
  private readonly alarmBaseNs: Float64Array;
  /** When the held tick or alarm fell due (valid while held). */
  private readonly heldDueNs: Float64Array;
  /** Ticks that fell due while a `virq` vCPU was descheduled. */
  private readonly pendingVirq: Float64Array;
  /** 1 while a `virq` vCPU off a pCPU has its one-shot's VIRQ_TIMER pending (delivered, not yet run). */
  private readonly oneShotPending: Uint8Array;
  /** 1 once a tick fell due while a `virq` vCPU was blocked (its sleep_tick is stale; none owed to it). */
  private readonly tickWhileBlocked: Uint8Array;
  /** 1 while a `periodic` vCPU holds the tick that fell due while it was halted (not yet run). */
  private readonly held: Uint8Array;
  readonly delivered: Float64Array;
  readonly merged: Float64Array;
  readonly dropped: Float64Array;
  readonly giveUps: Float64Array;
  private readonly speedup: number;
  /** Per vCPU: the smallest backlog (ticks) past the policy's give-up threshold; ∞ if none. */
  private readonly giveUpTicks: Float64Array;

  constructor(
    private readonly timers: readonly VcpuTimer[],
    private readonly policy: TimerDelivery,
    /**
     * Hands `n` interrupts to vCPU v's guest; the last of them fell due at `atNs` (≤ now), or, for a
     * batch that includes a tick or alarm held while halted, `atNs` is now and `heldDueNs` is when
     * the held one fell due (−1 otherwise).
     */
    private readonly deliver: (v: number, n: number, atNs: number, heldDueNs: number) => void,
    /** True while vCPU v's guest waits for a periodic tick or alarm to end a sleep (Guest.waitsForTick). */
    private readonly waitsForTick: (v: number) => boolean = () => false,
  ) {
    const n = timers.length;
    this.lastNs = new Float64Array(n);
    this.backlog = new Float64Array(n);
    this.catchUpNs = new Float64Array(n);
    this.caughtUp = new Float64Array(n);
    this.availNs = new Float64Array(n);
    this.armed = Uint8Array.from(timers, (t) => (t.mode === 'available' ? 1 : 0));
    this.alarmBaseNs = new Float64Array(n);
    this.heldDueNs = new Float64Array(n);
    this.pendingVirq = new Float64Array(n);
    this.oneShotPending = new Uint8Array(n);
    this.tickWhileBlocked = new Uint8Array(n);
    this.held = new Uint8Array(n);
    this.delivered = new Float64Array(n);
    this.merged = new Float64Array(n);
    this.dropped = new Float64Array(n);
    this.giveUps = new Float64Array(n);
    this.speedup = policy.speedup;
    const giveUpNs = policy.giveUpNs;
    this.giveUpTicks = Float64Array.from(timers, (t) => {
      if (!Number.isFinite(giveUpNs)) return Infinity;
      // The backlog is given up once backlog / hz > giveUpNs (the same comparison, in ticks).
      let m = Math.max(1, Math.floor((giveUpNs * t.hz) / 1e9));
      while (m > 1 && ((m - 1) * 1e9) / t.hz > giveUpNs) m--;
      while (!((m * 1e9) / t.hz > giveUpNs)) m++;
      return m;
    });
  }

  /** Runstate observer: settles v's timer up to `nowNs` under `from`, then applies a resume. */
  onRunstate(v: number, from: number, to: number, nowNs: number): void {
    this.settle(v, from, nowNs);
    if (to !== RUNNING || from === RUNNING) return;
    const t = this.timers[v]!;
    const first = this.held[v]!;
    this.held[v] = 0;
    if (t.mode === 'available') {
      if (first === 1) this.give(v, 1, nowNs, this.heldDueNs[v]!);
    } else if (t.mode === 'periodic') {
      // The held tick first (it was pending in the APIC), then what the policy makes of the rest.
      const b = this.backlog[v]!;
      let now = first;
      if (b > 0) {
        const d = this.policy.onResume(b);
        this.backlog[v] = d.kept;
        this.merged[v]! += d.merged;
        this.dropped[v]! += d.dropped;
        now += d.deliverNow;
      }
      if (now > 0) this.give(v, now, nowNs, first === 1 ? this.heldDueNs[v]! : -1);
    } else if (t.mode === 'virq') {
      const pending = this.pendingVirq[v]!;
      const ticked = this.tickWhileBlocked[v]!;
      this.pendingVirq[v] = 0;
      this.tickWhileBlocked[v] = 0;
      if (this.oneShotPending[v] === 1) {
        this.oneShotPending[v] = 0;
        this.merged[v]! += pending;
      } else if (pending > 0 || ticked === 1) {
        this.merged[v]! += Math.max(0, pending - 1);
        this.give(v, 1, nowNs, -1);
      }
    }
  }

  /**
   * Settles v's timer up to `nowNs` in its current state `state`. Split-invariant: settling at
   * any extra instants in between (every tick, as test/model/lazy-eager.test.ts does) hands the
   * guest the same interrupts, each VMI or Xen batch marked with the instant its last tick fell
   * due (a tick-counting guest's with the instant of settling: its handler reads no clock).
   */
  settle(v: number, state: number, nowNs: number): void {
    if (state === RUNNING && this.timers[v]!.mode !== 'virq' && this.waitsForTick(v)) {
      // A sleep that a periodic tick or VMI alarm ends (`waitsForTick`) ends at the first one due
      // at or after its expiry, late by the time between: the instant of each matters, so hand
      // them over one at a time, as an event per tick would, until the sleep has ended.
      for (
        let atNs = this.nextDueNs(v, state, this.lastNs[v]!);
        atNs > 0 && atNs < nowNs && this.waitsForTick(v);
        atNs = this.nextDueNs(v, state, this.lastNs[v]!)
      )
        this.settleSpan(v, state, atNs);
    }
    this.settleSpan(v, state, nowNs);
  }

  /** `settle` in one step, up to `nowNs`. */
  private settleSpan(v: number, state: number, nowNs: number): void {
    const from = this.lastNs[v]!;
    if (nowNs <= from) return;
    this.lastNs[v] = nowNs;
    const t = this.timers[v]!;
    if (t.mode === 'available') {
      if (state !== RUNNING && state !== BLOCKED) return;
      const before = this.availNs[v]!;
      const after = before + (nowNs - from);
      this.availNs[v] = after;
      if (this.armed[v] === 0) return;
      const base = this.alarmBaseNs[v]!;
      const k0 = ticksUpTo(before - base, t.hz);
      const k = ticksUpTo(after - base, t.hz);
      if (k === k0) return;
      // Alarm j fell due when AVAILABLE passed base + j/hz, (after − that) before now. (Written
      // out, not as a closure: one would make every call allocate a context for the variables.)
      if (state === RUNNING) this.give(v, k - k0, nowNs - (after - base - tickInstantNs(k, t.hz)), -1);
      else this.hold(v, k - k0, nowNs - (after - base - tickInstantNs(k0 + 1, t.hz)));
      return;
    }
    const k = ticksUpTo(nowNs, t.hz);
    const due = k - ticksUpTo(from, t.hz);
    if (t.mode === 'virq') {
      if (state === RUNNING) {
        if (due > 0) this.give(v, due, tickInstantNs(k, t.hz), -1);
      } else if (state === BLOCKED) {
        // Blocked, the vCPU is owed no tick (t_timer sends to the pCPU's current vCPU), so none is
        // missed or merged; that one passed only makes Xen send one on resume.
        if (due > 0) this.tickWhileBlocked[v] = 1;
      } else this.pendingVirq[v]! += due;
      return;
    }
    if (state === RUNNING) {
      let n = due;
      if (this.backlog[v]! > 0 && this.speedup > 0) {
        this.catchUpNs[v]! += nowNs - from;
        const extra = Math.min(this.backlog[v]!, this.catchUpTicks(v) - this.caughtUp[v]!);
        this.caughtUp[v]! += extra;
        this.backlog[v]! -= extra;
        if (this.backlog[v] === 0) this.endCatchUp(v);
        n += extra;
      }
      // A tick-counting guest reads no clock in its handler: the batch is marked now, save while a
      // sleep waits for a tick, whose ticks `settle` hands over one by one at their instants.
      if (n > 0) this.give(v, n, nowNs, -1);
    } else if (state === BLOCKED && due > 0 && this.held[v] === 0) {
      // The first tick for a halted vCPU is held and wakes it; later ones (due before the host
      // got round to waking it, which it does at that same instant) are missed.
      this.held[v] = 1;
      this.heldDueNs[v] = tickInstantNs(ticksUpTo(from, t.hz) + 1, t.hz);
      this.miss(v, due - 1);
    } else this.miss(v, due);
  }

  /**
   * `n` VMI alarms fell due while v was halted, the first at `dueNs`: one is held (the APIC holds
   * one interrupt per vector), the rest merged into it. With the host waking v at the first, n is 1.
   */
  private hold(v: number, n: number, dueNs: number): void {
    if (this.held[v] === 1) {
      this.merged[v]! += n;
      return;
    }
    this.held[v] = 1;
    this.heldDueNs[v] = dueNs;
    this.merged[v]! += n - 1;
  }

  /**
   * v's one-shot fired while it was in `state`: off a pCPU, a Xen vCPU now has VIRQ_TIMER pending,
   * into which the resume's tick event merges.
   */
  oneShotFired(v: number, state: number): void {
    if (this.timers[v]!.mode === 'virq' && state !== RUNNING) this.oneShotPending[v] = 1;
  }

  /** The guest cancelled v's periodic VMI alarm (tickless idle); v is in `state`. */
  disarm(v: number, state: number, nowNs: number): void {
    this.settle(v, state, nowNs);
    this.armed[v] = 0;
  }

  /**
   * The guest set v's periodic VMI alarm again, phased on AVAILABLE value `baseNs` (≤ its
   * AVAILABLE now): the next alarm falls due at base + 1/hz s of AVAILABLE time.
   */
  rearm(v: number, state: number, nowNs: number, baseNs: number): void {
    this.settle(v, state, nowNs);
    this.armed[v] = 1;
    this.alarmBaseNs[v] = Math.min(baseNs, this.availNs[v]!);
  }

  /** v's AVAILABLE time as of its last settling, ns. */
  availableNs(v: number): number {
    return this.availNs[v]!;
  }

  /**
   * `due` ticks missed: they join the backlog; each time it passes the give-up threshold it is
   * dropped whole, and counting starts again from zero (what a per-tick check would do).
   */
  private miss(v: number, due: number): void {
    if (due <= 0) return;
    const m = this.giveUpTicks[v]!;
    const total = this.backlog[v]! + due;
    const giveUps = Math.floor(total / m);
    if (giveUps === 0) {
      this.backlog[v] = total;
      return;
    }
    this.dropped[v]! += giveUps * m;
    this.giveUps[v]! += giveUps;
    this.backlog[v] = total - giveUps * m;
    this.endCatchUp(v);
  }

  /**
   * When halted vCPU v's timer next falls due and so wakes it (its state is BLOCKED, settled up to
   * `nowNs`): a tick-counting kernel's next tick, or a VMI vCPU's armed alarm; −1 for none (a Xen
   * guest arms a one-shot instead, a tickless VMI guest cancelled its alarm).
   */
  haltWakeNs(v: number, nowNs: number): number {
    return this.timers[v]!.mode === 'virq' ? -1 : this.nextDueNs(v, BLOCKED, nowNs);
  }

  /** True while a halted vCPU holds a tick or alarm it has not run yet: it wants a pCPU. */
  holdsTick(v: number): boolean {
    return this.held[v] === 1;
  }

  /** Extra (catch-up) ticks due so far in v's current catch-up. */
  private catchUpTicks(v: number): number {
    return Math.floor((this.catchUpNs[v]! * this.timers[v]!.hz * this.speedup) / 1e9);
  }

  private endCatchUp(v: number): void {
    this.catchUpNs[v] = 0;
    this.caughtUp[v] = 0;
  }

  /**
   * Periodic ticks vCPU v would receive if settled at `nowNs` in `state`, without settling: lets
   * a sample read a tick-counting clock without changing when handler costs are charged.
   */
  pendingTicks(v: number, state: number, nowNs: number): number {
    const t = this.timers[v]!;
    const from = this.lastNs[v]!;
    if (t.mode !== 'periodic' || nowNs <= from) return 0;
    const due = ticksUpTo(nowNs, t.hz) - ticksUpTo(from, t.hz);
    if (state !== RUNNING) return 0;
    if (this.backlog[v] === 0 || this.speedup === 0) return due;
    const caught = Math.floor(((this.catchUpNs[v]! + nowNs - from) * t.hz * this.speedup) / 1e9);
    return due + Math.min(this.backlog[v]!, caught - this.caughtUp[v]!);
  }

  /**
   * When v's timer next has something to settle, for the eager reference mode: the next tick
   * instant (real time), or for a running or halted VMI vCPU with its alarm armed the instant its
   * AVAILABLE counter reaches the next alarm; −1 if nothing can fall due in the current state.
   */
  nextDueNs(v: number, state: number, nowNs: number): number {
    const t = this.timers[v]!;
    if (t.mode !== 'available') return tickInstantNs(ticksUpTo(nowNs, t.hz) + 1, t.hz);
    if (this.armed[v] === 0 || (state !== RUNNING && state !== BLOCKED)) return -1;
    const base = this.alarmBaseNs[v]!;
    const avail = this.availNs[v]! + (nowNs - this.lastNs[v]!) - base;
    return nowNs + tickInstantNs(ticksUpTo(avail, t.hz) + 1, t.hz) - avail;
  }

  /** The periodic timer vCPU v asked for. */
  timerOf(v: number): VcpuTimer {
    return this.timers[v]!;
  }

  /** VMware Tools' BDOOR_CMD_STOPCATCHUP after a time step: forget vCPU v's backlog. */
  stopCatchUp(v: number): void {
    this.dropped[v]! += this.backlog[v]!;
    this.backlog[v] = 0;
    this.endCatchUp(v);
  }

  backlogTicks(v: number): number {
    return this.backlog[v]!;
  }

  counts(first: number, count: number): TimerCounts {
    const sum = (a: Float64Array | Uint8Array) => {
      let s = 0;
      for (let v = first; v < first + count; v++) s += a[v]! * this.timers[v]!.streams;
      return s;
    };
    return {
      delivered: sum(this.delivered),
      merged: sum(this.merged),
      dropped: sum(this.dropped),
      giveUps: sum(this.giveUps),
      // A tick or alarm held by a halted vCPU is pending too, until it runs.
      pending: sum(this.backlog) + sum(this.held),
    };
  }

  private give(v: number, n: number, atNs: number, heldDueNs: number): void {
    this.delivered[v]! += n;
    this.deliver(v, n, atNs, heldDueNs);
  }
}
