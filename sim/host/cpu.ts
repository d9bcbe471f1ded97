/**
 * The host's CPUs: which vCPU runs on which pCPU, and the one place where a vCPU's runstate
 * changes. The CPU scheduler (policies/cpu) owns the queues and answers `schedule`, `wake`,
 * `block` and `tick`; this class tells it what happened, checks its answers and applies them:
 *
 *   blocked ──wake──► runnable ──schedule──► running ──halt──► blocked
 *                        ▲  └───────park──────┐   │
 *                        └──preempt/slice end─┼───┘
 *   offline (parked, wanting to run) ◄────────┘── unpark ──► runnable
 *
 * A parked vCPU that is blocked stays blocked (Xen reports blocked before paused) and goes
 * offline if it wakes while parked. Runstate times sum to elapsed time per vCPU (Runstates).
 *
 * Preempting a busy pCPU is deferred to an event at the same instant, so a scheduler decision
 * never runs inside another one; an idle pCPU is offered work at once, which is safe because
 * nothing is in progress on it.
 *
 * Look-ahead (issue 22's burst aggregation, first step; RunOptions.aggregateBursts): the reference
 * run settles a running vCPU at each planned end of its work — its burst's end, then again when
 * the interface calls charged meanwhile (timer ticks, interrupts, the page-table work that ends a
 * burst) are paid for. Each such step hands it CPU time and nothing else, until the one at which
 * it takes its next burst or halts. With the look-ahead, a vCPU whose burst ends in page-table work
 * (whose cost is known beforehand: the calls are priced without charging them) gets one event, at
 * the end of that work — a time no later than that last step — and the steps before it stay
 * pending; whatever reads or changes its guest first settles the steps due before the event in
 * progress (catchUp, called by the host), each with its own time, in the kernel's `entity` tie
 * order, so the results are those of the reference run.
 *
 * Wake-to-run latency: from the moment a blocked vCPU becomes runnable (or, if parked, would
 * have) to the moment it is placed on a pCPU. The dispatcher emits it as a trace event
 * (`vcpu.wake-to-run`); the statistics subscribe and keep the histograms (sim/host/stats/).
 */
import { InvariantError, type Simulator, type TraceBus } from '../kernel/index.js';
import { NO_EVENT, type EventHandle } from '../kernel/event-queue.js';
import type { CpuScheduler, SchedTopology, SchedView } from '../../policies/cpu/types.js';
import { BLOCKED, OFFLINE, RUNNABLE, RUNNING, Runstates } from './runstates.js';

/** Trace events the dispatcher emits. */
export interface CpuTrace {
  /**
   * A vCPU that had woken was placed on a pCPU after waiting `waitedNs` (0 if at once). One per
   * wake-up, so the payload object is reused: a listener copies what it keeps.
   */
  'vcpu.wake-to-run': WakeToRun;
}

export interface WakeToRun {
  atNs: number;
  guest: number;
  /** Global vCPU id. */
  vcpu: number;
  waitedNs: number;
}

/** What the dispatcher needs of the guests' vCPUs (global vCPU ids). */
export interface VcpuOwner {
  /** The vCPU ran `ns` up to `nowNs`; it may halt (calling `halt`) from inside. */
  ran(v: number, ns: number, nowNs: number): void;
  /** CPU ns it would run now before halting if nothing preempted it. */
  remainingWorkNs(v: number): number;
  wantsCpu(v: number): boolean;
  /** The vCPU as people know it, e.g. `guest web-3 vCPU 1` (error messages). */
  vcpuName(v: number): string;
  /**
   * Look-ahead (enableLookAhead): CPU ns the vCPU will owe when its current burst ends, on top of
   * `remainingWorkNs`, if nothing but interface calls can come before (0: no look-ahead).
   */
  lookAheadNs?(v: number, nowNs: number): number;
  /** Look-ahead: settles the look-ahead steps of every vCPU of v's guest due before now (catchUp). */
  catchUpGuest?(v: number): void;
}

export class CpuDispatcher {
  readonly runstates: Runstates;
  /** vCPU on each pCPU (−1 idle); when it was placed or last continued (scheduler's clock). */
  readonly pcpuVcpu: Int32Array;
  private readonly placedNs: Float64Array;
  /** When the vCPU's CPU time was last handed to its guest (`ran`). */
  private readonly settledNs: Float64Array;
  private readonly sliceEndNs: Float64Array;
  private readonly pcpuEvent: EventHandle[];
  /** 1 if the pCPU's pending event is a preemption, not a slice or burst end. */
  private readonly kicked: Uint8Array;
  /**
   * 1 if the pCPU is idle with nothing pending (what offerIdle offers work to), and how many are:
   * a wake on a host with every pCPU busy then skips the walk over all of them. Kept by `noteIdle`
   * after each change of pcpuVcpu or pcpuEvent; checkInvariants recounts it.
   */
  private readonly offerable: Uint8Array;
  private offerableCount: number;
  /** False: offerIdle visits every pCPU, not only while the count says one is left (sim/host/aggregations.ts idleCount). */
  countIdle = true;
  readonly vcpuPcpu: Int32Array;
  /** The pCPU each vCPU runs on or last ran on (0 before it first ran): whose clock it reads. */
  readonly lastPcpu: Int32Array;
  readonly parked: Uint8Array;
  /** Times each vCPU was parked. */
  readonly parkCount: Float64Array;
  private readonly wakeAtNs: Float64Array;
  /** The run's trace bus, for the events this class emits; the payload of every `vcpu.wake-to-run`. */
  private readonly trace: Pick<TraceBus<CpuTrace>, 'emit'>;
  private readonly wakeToRun: WakeToRun = { atNs: 0, guest: 0, vcpu: 0, waitedNs: 0 };
  private readonly view: { nowNs: number; running: Int32Array; runStartNs: Float64Array };
  private kindPcpu = -1;
  private kindTick = -1;
  private readonly tickNs: number;
  /** allowed[v × pcpus + p] = 1 if vCPU v may run on pCPU p (checked at every placement). */
  private readonly allowed: Uint8Array;
  /**
   * Look-ahead (header): per pCPU, the next instant at which the reference run
   * (without look-ahead) would settle its vCPU, when that is not the pending event; −1 if none.
   */
  private readonly stepNs: Float64Array;
  private lookAhead = false;
  /** Per guest: its vCPUs with steps pending (stepNs ≥ 0), so that a guest with none is skipped at once. */
  private readonly guestSteps: Int32Array;

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly sim: Simulator<any>,
    private readonly scheduler: CpuScheduler,
    /** The scheduler's name, for error messages. */
    private readonly schedulerName: string,
    readonly topology: SchedTopology,
    private readonly owner: VcpuOwner,
    private readonly prio: number,
    private readonly tickPrio: number,
  ) {
    const np = topology.pcpus;
    const nv = topology.vcpus.length;
    this.trace = sim.trace;
    this.runstates = new Runstates(nv);
    this.pcpuVcpu = new Int32Array(np).fill(-1);
    this.placedNs = new Float64Array(np);
    this.settledNs = new Float64Array(np);
    this.sliceEndNs = new Float64Array(np);
    this.pcpuEvent = new Array<EventHandle>(np).fill(NO_EVENT);
    this.kicked = new Uint8Array(np);
    this.offerable = new Uint8Array(np).fill(1);
    this.offerableCount = np;
    this.vcpuPcpu = new Int32Array(nv).fill(-1);
    this.lastPcpu = new Int32Array(nv);
    this.parked = new Uint8Array(nv);
    this.parkCount = new Float64Array(nv);
    this.wakeAtNs = new Float64Array(nv).fill(-1);
    this.view = { nowNs: 0, running: this.pcpuVcpu, runStartNs: this.placedNs };
    this.tickNs = scheduler.tickNs;
    this.allowed = new Uint8Array(nv * np);
    this.stepNs = new Float64Array(np).fill(-1);
    this.guestSteps = new Int32Array(topology.vcpus.reduce((n, x) => Math.max(n, x.guest + 1), 0));
    topology.vcpus.forEach((x, v) => {
      for (const p of x.affinity) if (Number.isInteger(p) && p >= 0 && p < np) this.allowed[v * np + p] = 1;
    });
  }

  private v(): SchedView {
    this.view.nowNs = this.sim.nowNs;
    return this.view;
  }

  /** Registers handlers, makes every vCPU runnable at time 0 and starts the scheduler's tick. */
  start(): void {
    this.kindPcpu = this.sim.registerHandler(
      (p) => this.onPcpuEvent(p),
      // The vCPU on it when the description is asked for, i.e. when something went wrong.
      (p) => {
        const v = this.pcpuVcpu[p]!;
        return `pCPU ${p}'s scheduling event, with ${v >= 0 ? this.owner.vcpuName(v) : 'no vCPU'} on it`;
      },
    );
    this.kindTick = this.sim.registerHandler(
      () => this.onTick(),
      () => `the ${this.schedulerName} scheduler's tick`,
    );
    for (let v = 0; v < this.topology.vcpus.length; v++) {
      this.runstates.set(v, RUNNABLE, 0);
      this.enqueue(v);
    }
    this.offerIdle();
    if (this.tickNs > 0) this.sim.schedule(this.tickNs, this.kindTick, 0, 0, this.tickPrio);
  }

  // ---- what guests do ----------------------------------------------------------------------

  /** The running vCPU halts (only a running vCPU can execute HLT or block). */
  halt(v: number): void {
    const p = this.vcpuPcpu[v]!;
    if (p < 0)
      throw new InvariantError(
        this.owner.vcpuName(v),
        'halted while not on a pCPU',
        'only a running vCPU executes HLT or blocks',
      );
    const now = this.sim.nowNs;
    this.vcpuPcpu[v] = -1;
    this.pcpuVcpu[p] = -1;
    this.noteIdle(p);
    this.runstates.set(v, BLOCKED, now);
    this.scheduler.block(v, now - this.placedNs[p]!, this.v());
  }

  /** After an interrupt: a halted vCPU that now has something to run becomes runnable. */
  wakeIfWanted(v: number): void {
    if (this.runstates.state[v] !== BLOCKED || !this.owner.wantsCpu(v)) return;
    const now = this.sim.nowNs;
    this.wakeAtNs[v] = now;
    if (this.parked[v] === 1) {
      this.runstates.set(v, OFFLINE, now);
      return;
    }
    this.runstates.set(v, RUNNABLE, now);
    this.enqueue(v);
    this.offerIdle();
  }

  /**
   * What running vCPU v will do changed without an interrupt to it (a spin it was in has ended,
   * sim/host/shootdown-acks.ts): its pCPU settles it now and goes on with its slice. Nothing to do
   * if it is not running or a preemption of its pCPU is already pending (that settles it too).
   */
  refresh(v: number): void {
    const p = this.vcpuPcpu[v]!;
    if (p < 0 || this.kicked[p] === 1) return;
    if (this.lookAhead) {
      this.owner.catchUpGuest!(v);
      this.clearSteps(p);
    }
    if (this.pcpuEvent[p] !== NO_EVENT) this.sim.cancel(this.pcpuEvent[p]!);
    this.pcpuEvent[p] = this.sim.schedule(this.sim.nowNs, this.kindPcpu, p, 0, this.prio);
    this.noteIdle(p);
  }

  // ---- scheduler plumbing ------------------------------------------------------------------

  /** Tells the scheduler v is runnable, and preempts the pCPUs it asks for. */
  private enqueue(v: number): void {
    const preempt = this.scheduler.wake(v, this.v());
    for (let i = 0; i < preempt.length; i++) this.kick(preempt[i]!);
  }

  /** Offers work to every idle pCPU with nothing pending, lowest first. */
  private offerIdle(): void {
    // The count is exact after every change, so the walk stops once no pCPU is left to offer to:
    // the pCPUs it would still have visited are all busy or have an event pending. Without the
    // count (countIdle false, the aggregation test's reference) it visits every pCPU.
    const count = this.countIdle;
    for (let p = 0; p < this.topology.pcpus && (this.offerableCount > 0 || !count); p++) {
      if (count ? this.offerable[p] === 1 : this.pcpuVcpu[p] === -1 && this.pcpuEvent[p] === NO_EVENT) {
        if (this.scheduler.waiting?.() === 0) return;
        this.reschedule(p);
      }
    }
  }

  /** After pcpuVcpu[p] or pcpuEvent[p] changed: whether p is idle with nothing pending. */
  private noteIdle(p: number): void {
    const now = this.pcpuVcpu[p] === -1 && this.pcpuEvent[p] === NO_EVENT ? 1 : 0;
    if (now === this.offerable[p]) return;
    this.offerable[p] = now;
    this.offerableCount += now === 1 ? 1 : -1;
  }

  /** Asks pCPU `p` to choose again now: at once if idle, else by an event at this instant. */
  private kick(p: number): void {
    this.checkPcpu(p, 'preempt');
    if (this.pcpuVcpu[p] === -1) {
      if (this.pcpuEvent[p] === NO_EVENT) this.reschedule(p);
      return;
    }
    if (this.kicked[p] === 1) return;
    if (this.pcpuEvent[p] !== NO_EVENT) this.sim.cancel(this.pcpuEvent[p]!);
    this.kicked[p] = 1;
    this.pcpuEvent[p] = this.sim.schedule(this.sim.nowNs, this.kindPcpu, p, 0, this.prio);
    this.noteIdle(p);
  }

  /** Hands the vCPU on `p` its CPU time up to now; it may halt. */
  private settle(p: number): void {
    const v = this.pcpuVcpu[p]!;
    if (v < 0) return;
    const now = this.sim.nowNs;
    const ns = now - this.settledNs[p]!;
    this.settledNs[p] = now;
    this.owner.ran(v, ns, now);
  }

  /** A pCPU's slice ended, its vCPU's burst finished, or it was preempted. */
  private onPcpuEvent(p: number): void {
    this.pcpuEvent[p] = NO_EVENT;
    this.noteIdle(p);
    const wasKick = this.kicked[p] === 1;
    this.kicked[p] = 0;
    const v = this.pcpuVcpu[p]!;
    const now = this.sim.nowNs;
    // The guest code this event runs may read its other vCPUs (a shootdown reads what they owe):
    // their steps come first.
    if (this.lookAhead && v >= 0) this.owner.catchUpGuest!(v);
    if (this.stepNs[p]! >= 0) {
      const step = this.stepNs[p]!;
      this.clearSteps(p);
      if (!wasKick && step > now) {
        // The look-ahead's event came before the reference run's next step: wait for that.
        this.pcpuEvent[p] = this.sim.schedule(step, this.kindPcpu, p, 0, this.prio);
        this.noteIdle(p);
        return;
      }
    }
    this.settle(p);
    if (!wasKick && v >= 0 && this.pcpuVcpu[p] === v && now < this.sliceEndNs[p]!) {
      // It went straight on to its next burst and its slice is not over: keep running.
      const runFor = Math.min(this.sliceEndNs[p]! - now, this.owner.remainingWorkNs(v));
      this.pcpuEvent[p] = this.sim.schedule(this.eventNs(p, v, now, runFor), this.kindPcpu, p, 0, this.prio);
      this.noteIdle(p);
      return;
    }
    this.reschedule(p);
  }

  /** What an error says the scheduler did; built only when an answer is wrong (not per placement). */
  private chose(run: number, p: number): string {
    return `scheduler ${this.schedulerName} chose ${this.owner.vcpuName(run)} for pCPU ${p}`;
  }

  /** Asks the scheduler what pCPU `p` runs next, checks the answer and applies it. */
  private reschedule(p: number): void {
    const now = this.sim.nowNs;
    const current = this.pcpuVcpu[p]!;
    const ranNs = current >= 0 ? now - this.placedNs[p]! : 0;
    const d = this.scheduler.schedule(p, current, ranNs, this.v());
    const run = d.run;
    if (run !== -1) {
      if (!(d.sliceNs > 0))
        throw new InvariantError(
          this.chose(run, p),
          `with a slice of ${d.sliceNs} ns`,
          'a slice is longer than 0',
        );
      if (run !== current) {
        if (this.runstates.state[run] !== RUNNABLE || this.vcpuPcpu[run] !== -1)
          throw new InvariantError(
            this.chose(run, p),
            'but it is not runnable and waiting',
            'a scheduler places only a runnable vCPU that is on no pCPU',
          );
      }
      if (this.parked[run] === 1)
        throw new InvariantError(this.chose(run, p), 'but it is parked', 'a parked vCPU does not run');
      if (this.allowed[run * this.topology.pcpus + p] !== 1)
        throw new InvariantError(
          this.chose(run, p),
          'outside its affinity',
          'a vCPU runs only on the pCPUs of its affinity',
        );
    }
    if (current >= 0 && run !== current) {
      // Preempted: still runnable; the scheduler has queued it.
      this.vcpuPcpu[current] = -1;
      this.runstates.set(current, RUNNABLE, now);
    }
    this.pcpuVcpu[p] = run;
    this.noteIdle(p);
    if (run === -1) return;
    if (run !== current) {
      this.vcpuPcpu[run] = p;
      this.lastPcpu[run] = p;
      this.runstates.set(run, RUNNING, now);
      this.settledNs[p] = now;
      const woke = this.wakeAtNs[run]!;
      if (woke >= 0) {
        this.wakeAtNs[run] = -1;
        // Filling four fields of a reused object and one lookup of listeners: free when nobody listens.
        const ev = this.wakeToRun;
        ev.atNs = now;
        ev.guest = this.topology.vcpus[run]!.guest;
        ev.vcpu = run;
        ev.waitedNs = now - woke;
        this.trace.emit('vcpu.wake-to-run', ev);
      }
    }
    this.placedNs[p] = now;
    this.sliceEndNs[p] = now + d.sliceNs;
    const runFor = Math.min(d.sliceNs, this.owner.remainingWorkNs(run));
    this.pcpuEvent[p] = this.sim.schedule(this.eventNs(p, run, now, runFor), this.kindPcpu, p, 0, this.prio);
    this.noteIdle(p);
  }

  // ---- look-ahead ----------------------------------------------------------------------------

  /**
   * Look-ahead (header): from now on, a running vCPU whose burst will end in page-table work has
   * one event, at the end of that work, instead of one per step. Needs the kernel's `entity` tie
   * order (Simulator.runsBeforeCurrent).
   */
  enableLookAhead(): void {
    this.lookAhead = true;
  }

  /**
   * When pCPU p's next event is due: `now + runFor`, the reference run's next step, or, with the
   * look-ahead, the end of the page-table work its vCPU owes when its burst ends (never past its
   * slice). The steps before it stay pending (stepNs) until catchUp settles them.
   */
  private eventNs(p: number, v: number, now: number, runFor: number): number {
    const step = now + runFor;
    if (!this.lookAhead || step >= this.sliceEndNs[p]!) return step;
    const extra = this.owner.lookAheadNs!(v, now);
    if (!(extra > 0)) return step;
    this.stepNs[p] = step;
    this.guestSteps[this.topology.vcpus[v]!.guest]! += 1;
    return Math.min(this.sliceEndNs[p]!, step + extra);
  }

  /**
   * Look-ahead: settles the steps of v's pCPU that the reference run would have run before the
   * event in progress, in order, each as that run's event would have (entity tie order, so a step
   * at the same instant is placed exactly). Each step only hands the vCPU CPU time: before the
   * look-ahead's own event, its burst and the page-table work after it are not over.
   */
  catchUp(v: number): void {
    const p = this.vcpuPcpu[v]!;
    if (p < 0) return;
    let at = this.stepNs[p]!;
    while (at >= 0 && this.sim.runsBeforeCurrent(at, this.prio, this.kindPcpu, p)) {
      this.owner.ran(v, at - this.settledNs[p]!, at);
      this.settledNs[p] = at;
      if (this.pcpuVcpu[p] !== v)
        throw new InvariantError(
          this.owner.vcpuName(v),
          'halted in a step of a look-ahead',
          'a look-ahead covers only time in which the vCPU keeps running',
        );
      const runFor = Math.min(this.sliceEndNs[p]! - at, this.owner.remainingWorkNs(v));
      if (!(runFor > 0))
        throw new InvariantError(
          this.owner.vcpuName(v),
          `has ${runFor} ns to run after a step of a look-ahead`,
          'a look-ahead covers only time in which the vCPU keeps running',
        );
      at += runFor;
    }
    if (at >= 0) this.stepNs[p] = at;
  }

  /** Look-ahead: true if a vCPU of guest `g` has steps pending. */
  hasSteps(g: number): boolean {
    return this.guestSteps[g]! > 0;
  }

  /** Look-ahead: pCPU p's vCPU has no steps pending any more. */
  private clearSteps(p: number): void {
    if (this.stepNs[p]! < 0) return;
    this.stepNs[p] = -1;
    this.guestSteps[this.topology.vcpus[this.pcpuVcpu[p]!]!.guest]! -= 1;
  }

  /**
   * Look-ahead: catches v up, then ends its look-ahead: its pCPU's event moves to the reference
   * run's next step (something may now end the burst early: a fault stall the memory tick added).
   */
  endLookAhead(v: number): void {
    const p = this.vcpuPcpu[v]!;
    if (p < 0 || this.stepNs[p]! < 0) return;
    this.catchUp(v);
    const at = this.stepNs[p]!;
    this.clearSteps(p);
    if (this.kicked[p] === 1) return;
    this.sim.cancel(this.pcpuEvent[p]!);
    this.pcpuEvent[p] = this.sim.schedule(at, this.kindPcpu, p, 0, this.prio);
  }

  /** The scheduler's periodic accounting: apply parks, unparks and preemptions. */
  private onTick(): void {
    const r = this.scheduler.tick(this.v());
    const now = this.sim.nowNs;
    for (const v of r.park) {
      if (this.parked[v] === 1) continue;
      this.parked[v] = 1;
      this.parkCount[v]! += 1;
      const p = this.vcpuPcpu[v]!;
      if (p >= 0) {
        if (this.lookAhead) {
          this.owner.catchUpGuest!(v);
          this.clearSteps(p);
        }
        this.settle(p);
        if (this.vcpuPcpu[v] === p) {
          this.vcpuPcpu[v] = -1;
          this.pcpuVcpu[p] = -1;
          this.noteIdle(p);
          this.runstates.set(v, OFFLINE, now);
        }
        if (this.pcpuEvent[p] !== NO_EVENT) this.sim.cancel(this.pcpuEvent[p]!);
        this.pcpuEvent[p] = NO_EVENT;
        this.noteIdle(p);
        this.kicked[p] = 0;
      } else if (this.runstates.state[v] === RUNNABLE) {
        this.runstates.set(v, OFFLINE, now);
      }
    }
    for (const v of r.unpark) {
      if (this.parked[v] === 0) continue;
      this.parked[v] = 0;
      if (this.runstates.state[v] === OFFLINE) {
        this.runstates.set(v, RUNNABLE, now);
        this.enqueue(v);
      }
    }
    for (const p of r.preempt) this.kick(p);
    this.offerIdle();
    this.sim.scheduleIn(this.tickNs, this.kindTick, 0, 0, this.tickPrio);
  }

  /** The scheduler's per-guest counters, if it keeps any. */
  guestCounters(): Readonly<Record<string, ArrayLike<number>>> {
    return this.scheduler.guestCounters?.() ?? {};
  }

  private checkPcpu(p: number, what: string): void {
    if (!(Number.isInteger(p) && p >= 0 && p < this.topology.pcpus))
      throw new Error(`scheduler ${this.schedulerName} asked to ${what} pCPU ${p}, which does not exist`);
  }

  /** Throws an InvariantError if a pCPU and its vCPU disagree or a runstate is inconsistent. */
  checkInvariants(): void {
    const now = this.sim.nowNs;
    const name = (v: number) => this.owner.vcpuName(v);
    this.runstates.check(now, name);
    for (let p = 0; p < this.topology.pcpus; p++) {
      const v = this.pcpuVcpu[p]!;
      if (v >= 0 && (this.vcpuPcpu[v] !== p || this.runstates.state[v] !== RUNNING))
        throw new InvariantError(
          `pCPU ${p}`,
          `runs ${name(v)}, which is not running there`,
          'a pCPU runs the vCPU that is running on it, and only that one',
        );
    }
    let offerable = 0;
    for (let p = 0; p < this.topology.pcpus; p++)
      if (this.pcpuVcpu[p] === -1 && this.pcpuEvent[p] === NO_EVENT) offerable++;
    if (offerable !== this.offerableCount)
      throw new InvariantError(
        'the dispatcher',
        `counts ${this.offerableCount} idle pCPUs with nothing pending, but ${offerable} are`,
        'the count of idle pCPUs kept at each change equals a count of them all',
      );
    for (let v = 0; v < this.vcpuPcpu.length; v++) {
      const s = this.runstates.state[v]!;
      if (s === RUNNING && this.pcpuVcpu[this.vcpuPcpu[v]!] !== v)
        throw new InvariantError(name(v), 'running but on no pCPU', 'a running vCPU is on a pCPU');
      if (s === OFFLINE && this.parked[v] !== 1)
        throw new InvariantError(name(v), 'offline but not parked', 'only a parked vCPU is offline');
      if (this.parked[v] === 1 && (s === RUNNABLE || s === RUNNING))
        throw new InvariantError(
          name(v),
          `parked but ${s === RUNNING ? 'running' : 'runnable'}`,
          'a parked vCPU is blocked or offline',
        );
    }
  }
}
