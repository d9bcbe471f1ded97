/**
 * The emulated guest kernel, thin for now: per-vCPU CPU demand from its workload, memory as
 * counts of 4 KiB pages, and a balloon driver. It reaches the host only through ParavirtOps.
 *
 * Memory (the one place guest page counts change; invariant checked in `checkInvariants`):
 *   total = reserved + anon + balloon + free,   every term ≥ 0.
 * The balloon driver polls its target once a second (ESX's drivers poll once per second,
 * reference/memory-balloon.md §1.1) and moves at most 16,384 pages per poll in either direction
 * (vmw_balloon's VMW_BALLOON_NOSLEEP_ALLOC_MAX and its maximum free rate, same section). It only
 * inflates from free memory above the guest's `minFree` reserve: without guest swapping (a later
 * model), a target it cannot reach stays unmet — visible as target ≠ actual.
 *
 * Interrupts (timer, device completion, IPI) run their handler at the moment they are delivered;
 * the handler's interface calls become CPU time the vCPU owes (`debtNs`), paid when it next
 * runs. A halted vCPU woken only by a handler's cost runs it off and halts again. Device
 * interrupts are routed to vCPU 0 (Linux's default IRQ affinity for a 2006 i386 guest); a
 * completion for a task that slept on another vCPU wakes it with a reschedule IPI, as
 * try_to_wake_up does for a task on a remote run queue.
 */
import type { IpiKind, ParavirtOps } from '../abi/types.js';
import type { WorkloadInstance } from '../../workloads/types.js';
import { linuxBootIdt } from './linux-idt.js';
import { GuestTimekeeping, type ClockKind, type TimeSync } from './timekeeping.js';

export const BALLOON_POLL_NS = 1_000_000_000;
export const BALLOON_MAX_PAGES_PER_POLL = 16_384;

export interface GuestMemoryConfig {
  totalPages: number;
  reservedPages: number;
  minFreePages: number;
}

export interface GuestTimeConfig {
  clock: ClockKind;
  hz: number;
  sync: TimeSync;
  /** VMI guests: the periodic alarm's rate on AVAILABLE. */
  vmiAlarmHz: number;
}

export class Guest {
  readonly totalPages: number;
  readonly reservedPages: number;
  readonly minFreePages: number;
  anonPages = 0;
  balloonPages = 0;
  /** CPU work still to do in each vCPU's current burst, and work waiting for after its sleep. */
  private readonly remainingNs: Float64Array;
  private readonly nextWorkNs: Float64Array;
  /** CPU time delivered to the workload, per vCPU. */
  readonly workDoneNs: Float64Array;
  /** CPU time a vCPU owes for interface transitions it made, paid before its workload goes on. */
  private readonly debtNs: Float64Array;
  /** CPU time spent in interface transitions, per vCPU. */
  readonly overheadNs: Float64Array;
  /** vCPUs 1..n−1: the targets of the balloon driver's (vCPU 0) shootdowns. */
  private readonly otherVcpus: readonly number[];
  readonly time: GuestTimekeeping;
  readonly timeCfg: GuestTimeConfig;
  /** 1 while a vCPU's task sleeps (its halt is waiting for a wake-up, not just idle). */
  private readonly sleeping: Uint8Array;
  /** Interrupts handled per vCPU, by source. */
  readonly ipisReceived: Float64Array;
  readonly deviceInterrupts: Float64Array;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly vcpus: number,
    mem: GuestMemoryConfig,
    private readonly ops: ParavirtOps,
    private readonly workload: WorkloadInstance,
    timeCfg: GuestTimeConfig,
    /** Why the guest runs without the configured interface, if it does. */
    readonly interfaceNote?: string,
  ) {
    this.totalPages = mem.totalPages;
    this.reservedPages = mem.reservedPages;
    this.minFreePages = mem.minFreePages;
    this.remainingNs = new Float64Array(vcpus);
    this.nextWorkNs = new Float64Array(vcpus);
    this.workDoneNs = new Float64Array(vcpus);
    this.debtNs = new Float64Array(vcpus);
    this.overheadNs = new Float64Array(vcpus);
    this.timeCfg = timeCfg;
    this.time = new GuestTimekeeping(timeCfg.clock, timeCfg.hz, vcpus, ops, timeCfg.sync);
    this.sleeping = new Uint8Array(vcpus);
    this.ipisReceived = new Float64Array(vcpus);
    this.deviceInterrupts = new Float64Array(vcpus);
    this.otherVcpus = Array.from({ length: vcpus - 1 }, (_, i) => i + 1);
  }

  get freePages(): number {
    return this.totalPages - this.reservedPages - this.anonPages - this.balloonPages;
  }

  /** The interface the guest bound at boot. */
  get abi(): string {
    return this.ops.abi;
  }

  /**
   * Boot: hand the hypervisor the IDT, make the workload's memory resident and give each vCPU
   * its first burst.
   */
  boot(nowNs: number): void {
    this.ops.installIdt(linuxBootIdt());
    this.anonPages = Math.min(this.workload.anonPages(nowNs), this.totalPages - this.reservedPages);
    for (let v = 0; v < this.vcpus; v++) {
      this.remainingNs[v] = this.workload.nextBurst(v, nowNs).workNs;
    }
  }

  /** CPU ns this vCPU would run before halting if nothing preempted it (owed transitions first). */
  remainingWorkNs(vcpu: number): number {
    return this.remainingNs[vcpu]! + this.debtNs[vcpu]!;
  }

  /** The vCPU made interface calls costing `ns` of its CPU time (integer ns). */
  chargeCpu(vcpu: number, ns: number): void {
    this.debtNs[vcpu]! += ns;
    this.overheadNs[vcpu]! += ns;
  }

  /**
   * The vCPU ran for `ns`. If that finished its burst, it takes the next one: with no sleep in
   * between it goes on running; otherwise it arms its wake-up alarm and halts.
   */
  ran(vcpu: number, ns: number, nowNs: number): void {
    // CPU time pays for owed transitions first; only the rest advances the workload.
    const paid = Math.min(this.debtNs[vcpu]!, ns);
    this.debtNs[vcpu]! -= paid;
    const work = ns - paid;
    if (this.sleeping[vcpu] === 1) {
      // Woken only to run interrupt handlers: once they are paid for, halt again.
      if (this.debtNs[vcpu] === 0) this.ops.halt(vcpu);
      return;
    }
    const left = this.remainingNs[vcpu]! - work;
    this.workDoneNs[vcpu]! += work;
    if (left > 0 || this.debtNs[vcpu]! > 0) {
      this.remainingNs[vcpu] = left;
      return;
    }
    const b = this.workload.nextBurst(vcpu, nowNs);
    if (b.idleNs <= 0) {
      this.remainingNs[vcpu] = b.workNs;
      return;
    }
    this.remainingNs[vcpu] = 0;
    this.nextWorkNs[vcpu] = b.workNs;
    this.sleeping[vcpu] = 1;
    if (b.wake === 'io') this.ops.submitIo(vcpu, nowNs + b.idleNs);
    else this.ops.armWakeup(vcpu, nowNs + b.idleNs);
    this.ops.halt(vcpu);
  }

  /** True if the vCPU has anything to run: work, or handler time it owes. */
  wantsCpu(vcpu: number): boolean {
    return this.remainingNs[vcpu]! + this.debtNs[vcpu]! > 0;
  }

  /** The sleeping task on `vcpu` becomes runnable with the work it saved for after its sleep. */
  private wake(vcpu: number): void {
    if (this.sleeping[vcpu] === 0) return;
    this.sleeping[vcpu] = 0;
    this.remainingNs[vcpu] = this.nextWorkNs[vcpu]!;
    this.nextWorkNs[vcpu] = 0;
  }

  /** The vCPU's one-shot wake-up alarm: account time on the way out of idle, resume work. */
  timerInterrupt(vcpu: number): void {
    this.time.wakeAlarm(vcpu);
    this.wake(vcpu);
  }

  /** `n` periodic timer interrupts reached `vcpu` (delivered by the host's virtual timer). */
  timerTicks(vcpu: number, n: number): void {
    this.time.ticks(vcpu, n);
  }

  /** The virtual device's completion interrupt (on vCPU 0) for a request `forVcpu` made. */
  deviceInterrupt(vcpu: number, forVcpu: number): void {
    this.deviceInterrupts[vcpu]! += 1;
    this.ops.ackInterrupt(vcpu, 'device');
    if (forVcpu === vcpu) this.wake(vcpu);
    else if (this.sleeping[forVcpu] === 1) this.ops.sendIpi(vcpu, [forVcpu], 'reschedule');
  }

  /** An IPI arrived on `vcpu`. */
  ipi(vcpu: number, kind: IpiKind): void {
    this.ipisReceived[vcpu]! += 1;
    this.ops.ackInterrupt(vcpu, kind);
    if (kind === 'reschedule') this.wake(vcpu);
  }

  /** One balloon-driver poll: read the target, move toward it within the rate and reserve. */
  balloonPoll(): void {
    const target = this.ops.balloonTarget();
    if (target > this.balloonPages) {
      const room = Math.max(0, this.freePages - this.minFreePages);
      const n = Math.min(target - this.balloonPages, room, BALLOON_MAX_PAGES_PER_POLL);
      if (n > 0) {
        const moved = this.ops.balloonInflate(n);
        this.balloonPages += moved;
        // The driver unmapped those pages: other vCPUs may cache the old translations.
        if (moved > 0 && this.vcpus > 1) this.ops.sendIpi(0, this.otherVcpus, 'tlb-shootdown');
      }
    } else if (target < this.balloonPages) {
      const n = Math.min(this.balloonPages - target, BALLOON_MAX_PAGES_PER_POLL);
      this.balloonPages -= this.ops.balloonDeflate(n);
    }
  }

  /** Throws if the page accounting is broken. */
  checkInvariants(): void {
    const parts = [this.reservedPages, this.anonPages, this.balloonPages, this.freePages];
    if (parts.some((p) => p < 0 || !Number.isInteger(p))) {
      throw new Error(`guest ${this.name}: negative or fractional page count ${parts.join('/')}`);
    }
    for (let v = 0; v < this.vcpus; v++) {
      if (!(this.remainingNs[v]! >= 0))
        throw new Error(`guest ${this.name} vCPU ${v}: negative remaining work`);
    }
  }
}
