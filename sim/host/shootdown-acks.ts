/**
 * Acknowledgements of TLB-shootdown IPIs, as the host's scheduler lets them happen. A guest whose
 * interface flushes other CPUs with IPIs (VMI, native: Linux 2.6.21 smp.c flush_tlb_others) spins
 * on its sender vCPU until each target has run its flush handler and cleared its bit in
 * flush_cpumask (sim/guest/guest.ts). A target acknowledges `handlerNs` after it is on a pCPU:
 *
 *   ack time = (now, if the target is running; else the moment the scheduler next places it) + handlerNs
 *
 * where handlerNs is the CPU time its handler costs (the flush and the EOI, as its interface
 * charged them). So a descheduled target — waiting in a run queue, parked by a cap, halted —
 * delays the sender by however long the host's scheduler keeps it off a pCPU. The handler is
 * assumed not to be preempted in its few microseconds. Each acknowledgement is one event; when the
 * last one a sender waits for arrives while it runs, the dispatcher settles it at once
 * (CpuDispatcher.refresh) so its spin stops at that instant; if it is not running, the spin ends
 * when it is next placed (it spends no CPU meanwhile).
 */
import type { Simulator } from '../kernel/index.js';
import type { CpuDispatcher } from './cpu.js';
import type { Guest } from '../guest/guest.js';
import { RUNNING } from './runstates.js';

export class ShootdownAcks {
  /** Per target vCPU (global id): senders waiting for it to run, with its handler time: [s, ns, s, ns, …]. */
  private readonly waiting: number[][];
  private readonly kindAck: number;

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly sim: Simulator<any>,
    private readonly cpu: CpuDispatcher,
    private readonly guests: readonly Guest[],
    private readonly vcpuGuest: readonly number[],
    private readonly vcpuLocal: readonly number[],
    private readonly guestFirstVcpu: readonly number[],
    private readonly prio: number,
    vcpuName: (v: number) => string,
  ) {
    this.waiting = vcpuGuest.map(() => []);
    this.kindAck = sim.registerHandler(
      (s, t) => this.onAck(s, t),
      (s, t) => `${vcpuName(t)}'s acknowledgement of ${vcpuName(s)}'s TLB shootdown`,
    );
    for (const g of guests)
      g.awaitAcks = (from, targets, handlerNs) => this.await(g.index, from, targets, handlerNs);
  }

  /** Guest `gi`'s vCPU `from` waits for guest-local `targets` (handler times `handlerNs`). */
  private await(gi: number, from: number, targets: readonly number[], handlerNs: readonly number[]): void {
    const first = this.guestFirstVcpu[gi]!;
    const s = first + from;
    for (let i = 0; i < targets.length; i++) {
      const t = first + targets[i]!;
      if (this.cpu.runstates.state[t] === RUNNING) this.schedule(s, t, handlerNs[i]!);
      else this.waiting[t]!.push(s, handlerNs[i]!);
    }
  }

  /** Global vCPU `v` was just placed on a pCPU: the handlers it owes run now. */
  placed(v: number): void {
    const w = this.waiting[v]!;
    if (w.length === 0) return;
    for (let i = 0; i < w.length; i += 2) this.schedule(w[i]!, v, w[i + 1]!);
    w.length = 0;
  }

  private schedule(s: number, t: number, handlerNs: number): void {
    this.sim.schedule(this.sim.nowNs + Math.max(0, Math.round(handlerNs)), this.kindAck, s, t, this.prio);
  }

  private onAck(s: number, _t: number): void {
    const g = this.guests[this.vcpuGuest[s]!]!;
    if (g.shootdownAck(this.vcpuLocal[s]!) && this.cpu.runstates.state[s] === RUNNING) this.cpu.refresh(s);
  }
}
