/**
 * Why each pCPU scheduling event ran, for `--count-events` (bench/measure.ts): these events are two
 * thirds of all events on the dense and huge hosts, and which of them an analytic advance of
 * burst → sleep → burst cycles could remove (issue 22, item 1) depends on what each one did and on
 * whether any vCPU was waiting for a pCPU anywhere at the time (a vCPU "alone" on its pCPU).
 *
 * Like the event counter, this wraps methods in the bench code only, until restore(): the
 * dispatcher's pCPU event handler and the guest's `ran`, reading their state before and after the
 * call. The models are untouched; the wrappers cost a call or two per event, so wall times
 * measured with them on are not the simulator's speed.
 *
 * Causes (each split by whether the scheduler's queues were empty when the event began):
 *  - preemption: the pCPU was asked to choose again (a woken vCPU, the scheduler's tick); the same
 *    vCPU may run on;
 *  - burst end, halted: the vCPU finished its burst and slept (timer or I/O), or stalled on a fault;
 *  - slice end: its slice was over; the same or another vCPU runs next;
 *  - went on, unfinished: the burst's planned end came, but CPU time it owed for interface calls
 *    charged since it was planned (timer ticks settled at the event, interrupts) pushed it later;
 *  - went on, page-table work: the burst ended and its processes' page-table calls must be paid
 *    for before the next burst (or sleep);
 *  - went on, next burst: the burst ended and the next one began with no sleep in between;
 *  - interrupt handlers of a halted vCPU (woken by a timer tick, an I/O completion for another
 *    vCPU, an IPI): it ran them and halted again, or its task woke meanwhile;
 *  - other: a shootdown spin, an idle pCPU.
 */
import { CpuDispatcher } from '../sim/host/cpu.js';
import { Guest } from '../sim/guest/guest.js';
import type { CpuScheduler } from '../policies/cpu/types.js';
import { BLOCKED } from '../sim/host/runstates.js';

/** The dispatcher's members read here (private in its class: this is a measuring tool). */
interface DispatcherInside {
  onPcpuEvent(p: number): void;
  readonly pcpuVcpu: Int32Array;
  readonly kicked: Uint8Array;
  readonly sliceEndNs: Float64Array;
  readonly scheduler: CpuScheduler;
  readonly sim: { nowNs: number };
  readonly runstates: { state: Uint8Array };
}

/** The guest's members read here. */
interface GuestInside {
  ran(vcpu: number, ns: number, nowNs: number): void;
  readonly remainingNs: Float64Array;
  readonly debtNs: Float64Array;
  readonly sleeping: Uint8Array;
  readonly spinning: Uint8Array;
}

type RanOutcome = 'none' | 'handlers' | 'spin' | 'unfinished' | 'page-table work' | 'next burst' | 'finished';

/** Counts pCPU events by cause until restore(); counts() lists them, most first. */
export function countPcpuEventCauses(): {
  restore: () => void;
  counts: () => { cause: string; events: number }[];
} {
  const dproto = CpuDispatcher.prototype as unknown as DispatcherInside;
  const gproto = Guest.prototype as unknown as GuestInside;
  const onPcpuEvent = dproto.onPcpuEvent;
  const ran = gproto.ran;
  const byCause = new Map<string, number>();
  // What the last `ran` did, read by the pCPU event's wrapper (an object: set inside a closure).
  const last: { outcome: RanOutcome } = { outcome: 'none' };

  gproto.ran = function (this: GuestInside, vcpu: number, ns: number, nowNs: number) {
    const sleeping = this.sleeping[vcpu] === 1;
    const spinning = this.spinning[vcpu] === 1;
    const left = this.remainingNs[vcpu]! - (ns - Math.min(this.debtNs[vcpu]!, ns));
    ran.call(this, vcpu, ns, nowNs);
    if (sleeping) last.outcome = 'handlers';
    else if (spinning) last.outcome = 'spin';
    else if (left > 0) last.outcome = 'unfinished';
    else if (this.sleeping[vcpu] === 0 && this.remainingNs[vcpu]! <= 0 && this.debtNs[vcpu]! > 0)
      last.outcome = 'page-table work';
    else if (this.sleeping[vcpu] === 0 && this.remainingNs[vcpu]! > 0) last.outcome = 'next burst';
    else last.outcome = 'finished';
  };

  dproto.onPcpuEvent = function (this: DispatcherInside, p: number) {
    const kick = this.kicked[p] === 1;
    const v = this.pcpuVcpu[p]!;
    const sliceEnd = this.sliceEndNs[p]!;
    const waiting = this.scheduler.waiting?.();
    last.outcome = 'none';
    onPcpuEvent.call(this, p);
    const now = this.sim.nowNs;
    const after = this.pcpuVcpu[p]!;
    const outcome = last.outcome;
    const halted = v >= 0 && after !== v && this.runstates.state[v] === BLOCKED;
    let cause: string;
    if (kick) cause = after === v ? 'preemption, the same vCPU runs on' : 'preemption, another vCPU or none';
    else if (v < 0 || outcome === 'none' || outcome === 'spin') cause = 'other (idle pCPU, shootdown spin)';
    else if (outcome === 'handlers')
      cause = `interrupt handlers of a halted vCPU, ${halted ? 'halted again' : 'then its task woke'}`;
    else if (halted) cause = 'burst end, halted (sleep, I/O wait or fault stall)';
    else if (now >= sliceEnd) cause = after === v ? 'slice end, the same vCPU again' : 'slice end, switched';
    else if (outcome === 'unfinished') cause = 'went on, unfinished (calls charged since planned)';
    else if (outcome === 'page-table work') cause = 'went on, page-table work of the burst';
    else if (outcome === 'next burst') cause = 'went on, next burst with no sleep';
    else cause = 'other';
    const queues =
      waiting === undefined ? '' : waiting === 0 ? ' [nothing waiting anywhere]' : ' [vCPUs waiting]';
    const key = cause + queues;
    byCause.set(key, (byCause.get(key) ?? 0) + 1);
  };

  return {
    restore: () => {
      dproto.onPcpuEvent = onPcpuEvent;
      gproto.ran = ran;
    },
    counts: () =>
      [...byCause].map(([cause, events]) => ({ cause, events })).sort((a, b) => b.events - a.events),
  };
}
