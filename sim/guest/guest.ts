/**
 * The emulated guest kernel: per-vCPU CPU demand from its workload, memory (sim/guest/memory.ts,
 * where page counts change), timekeeping, interrupts and a balloon driver. It reaches the host
 * only through ParavirtOps.
 *
 * Memory tick (once a second, before the balloon poll): the workload's demand is applied, and the
 * memory accesses of the CPU work done since the last tick (work × the workload's page accesses
 * per second, `pageAccessesPerS`, default 2,000) fault on swapped-out pages, and its file reads
 * (work × `cacheReadsPerS`, default 0) refault on page cache that was reclaimed. The host reads
 * those pages from its shared disk (sim/host/storage.ts) and the vCPUs block, as in an I/O wait,
 * until the disk has served them (addIoStall) before their work goes on — so memory pressure shows
 * up as lost work. Stalls are shared among vCPUs by the work each did. Faults are counted on work done, not on elapsed
 * time: a stalled vCPU makes no new references, so its faults cannot outrun its progress.
 *
 * Working-set touches (what the host's sampler sees, sim/guest/period-touches.ts): the same rate
 * per second of busy time (sim/guest/active-time.ts) — every vCPU-second except the workload's own
 * sleeps, so a guest stalled on faults or waiting for a pCPU still touches its working set at its
 * rate, and ESX sees a thrashing guest as active. n uniform accesses over a set of W pages touch
 * W·(1 − (1 − 1/W)^n) distinct pages on average (the occupancy count of n balls in W bins), which
 * is W·(1 − e^(−n/W)) to within one page for large W — the form period-touches.ts folds tick by
 * tick, per hot and cold part (the workload's hotFraction and hotShare).
 *
 * Balloon driver, as its interface declares it (sim/abi/interface.ts BalloonDriverDecl). vmw_balloon
 * (`poll`) polls its target once a second (ESX's drivers poll once per second,
 * reference/memory-balloon.md §1.1). Per poll it takes at most 16,384 pages of free memory
 * (VMW_BALLOON_NOSLEEP_ALLOC_MAX); pages that make the guest reclaim (cache, swap) come at an
 * adaptive rate of 512 pages per poll, +16 per successful poll up to 2,048, halved when the guest
 * cannot give any (vmw_balloon's RATE_ALLOC_MIN/MAX, same section). It frees at most 16,384 pages
 * per poll, and does no TLB shootdown. XenLinux's driver (`watch`) runs when the host changes its
 * target and on its own 1 s retry timer, with none of those limits (sim/guest/xen-balloon.ts).
 *
 * Interrupts (timer, device completion, IPI) run their handler at the moment they are delivered;
 * the handler's interface calls become CPU time the vCPU owes (`debtNs`), paid when it next
 * runs. A halted vCPU woken only by a handler's cost runs it off and halts again. Device
 * interrupts are routed to vCPU 0 (Linux's default IRQ affinity for a 2006 i386 guest); a
 * completion for a task that slept on another vCPU wakes it with a reschedule IPI, as
 * try_to_wake_up does for a task on a remote run queue.
 *
 * Page-table work: when a vCPU finishes a burst, the workload's process activity for the work it
 * did (forks, execs, exits, context switches, faults, munmaps; sim/guest/process-driver.ts) goes to
 * the interface (ParavirtOps.mmu), whose calls become CPU time the vCPU owes like any other.
 *
 * TLB shootdowns: the forks and munmaps among them flush the current mm on every CPU that may hold
 * it (sim/abi/mmu.ts CROSS_CPU_FLUSHES). Which CPUs those are (cpu_vm_mask) is not tracked; the
 * rule is: every other vCPU of the guest that is in a task — running, or preempted with work to do
 * — and none halted in its idle loop. That treats the workload as one process whose threads run
 * on all busy vCPUs (a threaded server); for single-threaded processes (a kernel build) it
 * overstates the targets — an ASSUMPTION. The interface does the cross-CPU part
 * (ParavirtOps.flushTlbOthers). Where it sends IPIs and must wait (VMI: Linux 2.6.21 smp.c
 * flush_tlb_others spins until flush_cpumask is empty), the sender stays on its pCPU spinning —
 * CPU time it spends, counted as spin (`spinNs`), not as work — until every target has been
 * scheduled and run its flush handler; the host tells it when each target acknowledges
 * (`awaitAcks`, `shootdownAck`). A target that is descheduled acknowledges only once the host's
 * scheduler puts it on a pCPU again, which is what an IPI costs under overcommit. Its next burst
 * starts when the spin ends. Where the hypervisor does it (Xen's mmuext_op), nothing waits.
 */
import type { IpiKind, ParavirtOps } from '../abi/types.js';
import type { BalloonDriverDecl, GuestClockDecl } from '../abi/interface.js';
import { XenBalloonDriver, type XenBalloonRun } from './xen-balloon.js';
import { InvariantError, LAST_TIME_NS } from '../kernel/index.js';
import { linuxBootIdt } from './linux-idt.js';
import { GuestTimekeeping } from './timekeeping.js';
import { type TimeSync } from '../spec/guest-kernel.js';
import { GuestMemory, hotColdMiss, type MemoryConfig } from './memory.js';
import { foldTouches, type PeriodTouches } from './period-touches.js';
import { ActiveTime } from './active-time.js';
import { ProcessDriver } from './process-driver.js';
import { IrqFlagModel } from './irq-flag.js';
import {
  DEFAULT_ACCESSES_PER_CPU_S,
  DEFAULT_LOCALITY,
  type Locality,
  type WorkloadInstance,
} from '../../workloads/types.js';

export const BALLOON_POLL_NS = 1_000_000_000;
export const BALLOON_MAX_PAGES_PER_POLL = 16_384;
/** vmw_balloon's adaptive rate for allocations that make the guest reclaim, pages per poll. */
export const BALLOON_RATE_MIN = 512;
export const BALLOON_RATE_MAX = 2048;
export const BALLOON_RATE_STEP = 16;
/**
 * What a spinning sender would run before it stops if no acknowledgement came, ns: only a bound
 * for the dispatcher's next event (the host ends the spin at the last acknowledgement and the
 * scheduler's slice ends it first), so its value does not change results.
 */
export const SPIN_HORIZON_NS = 2 ** 40;

export interface GuestMemoryConfig extends MemoryConfig {
  /** virtio's deflate-on-oom: the balloon gives pages back when demand does not fit (default off). */
  deflateOnOom?: boolean;
  /** The balloon driver of the guest's interface (default: `poll`). */
  balloonDriver?: BalloonDriverDecl;
}

export interface GuestTimeConfig {
  /** The clock the guest keeps (sim/abi/registry.ts resolveClock). */
  clock: GuestClockDecl;
  hz: number;
  sync: TimeSync;
  /** VMI guests: the periodic alarm's rate on AVAILABLE. */
  vmiAlarmHz: number;
}

export class Guest {
  readonly mem: GuestMemory;
  private readonly deflateOnOom: boolean;
  /** XenLinux's event-driven driver, for an interface that declares a `watch` driver. */
  private readonly xenBalloon: XenBalloonDriver | undefined;
  /** How long the event-driven driver waits before it tries again when not at its target, ns. */
  readonly balloonRetryNs: number;
  /** Pages the event-driven driver moved since the last memory tick. */
  private balloonMovedSincePoll = 0;
  private readonly faultCarry = { frac: 0 };
  private readonly refaultCarry = { frac: 0 };
  /** Disk waits its vCPUs were given: for page-cache refaults, and for swap-ins (its own and the host's), ns. */
  refaultWaitNs = 0;
  swapIoWaitNs = 0;
  /** Busy time of the vCPUs (all but the workload's chosen sleeps), for working-set touches. */
  private readonly active: ActiveTime;
  /** Work done per vCPU at the last memory tick. */
  private readonly workAtTick: Float64Array;
  /** Fault stall each vCPU still has to sit out, and the total of the stalls it began. */
  private readonly stallPendingNs: Float64Array;
  private readonly stallNs: Float64Array;
  /** When each vCPU's current (or last) stall ends, ns. */
  private readonly stallEndNs: Float64Array;
  /** The host holds this guest until then (waiting for frames), ns; 0 if never held. */
  private heldUntilNs = 0;
  /** Balloon driver: adaptive rate for hard allocations (vmw_balloon). */
  private balloonRate = BALLOON_RATE_MIN;
  /** Polls (or XenLinux driver runs) at which the driver could not move toward its target. */
  private pollFailures = 0;
  /** CPU work still to do in each vCPU's current burst, and work waiting for after its sleep. */
  private readonly remainingNs: Float64Array;
  private readonly nextWorkNs: Float64Array;
  /** CPU time delivered to the workload, per vCPU. */
  readonly workDoneNs: Float64Array;
  /** CPU time a vCPU owes for interface transitions it made, paid before its workload goes on. */
  private readonly debtNs: Float64Array;
  /** CPU time spent in interface transitions, per vCPU. */
  readonly overheadNs: Float64Array;
  /** 1 while the vCPU spins in flush_tlb_others, waiting for `acksLeft` targets. */
  private readonly spinning: Uint8Array;
  private readonly acksLeft: Int32Array;
  /** Cross-CPU flushes of a finished burst, sent once its page-table calls are paid for. */
  private readonly flushesDue: Float64Array;
  /** CPU time each vCPU spent spinning for shootdown acknowledgements, ns. */
  readonly spinNs: Float64Array;
  /** flush_tlb_others calls (cross-CPU TLB flushes), and the IPIs they sent (one per target each). */
  shootdowns = 0;
  shootdownIpis = 0;
  /**
   * Set by the host: a shootdown from `vcpu` waits for `targets`, each of which acknowledges once it
   * has run `handlerNs[i]` of its handler on a pCPU; the host then calls `shootdownAck`.
   */
  awaitAcks: ((vcpu: number, targets: readonly number[], handlerNs: readonly number[]) => void) | undefined;
  readonly time: GuestTimekeeping;
  readonly timeCfg: GuestTimeConfig;
  /** 1 while a vCPU's task sleeps (its halt is waiting for a wake-up, not just idle). */
  private readonly sleeping: Uint8Array;
  /** The wake-up alarm of each vCPU's current sleep, ns; −1 for a sleep on I/O (no alarm). */
  private readonly alarmAtNs: Float64Array;
  /** 1 if the current sleep is a timer sleep (a stall is an I/O wait): its kernel may stay periodic. */
  private readonly timerSleep: Uint8Array;
  /**
   * 1 while the current sleep waits for a periodic interrupt at or after its alarm (a short sleep
   * of a kernel that stayed periodic, sim/guest/timekeeping.ts), not for a one-shot.
   */
  private readonly periodicWake: Uint8Array;
  /**
   * 1 while a vCPU whose one-shot came before its sleep's expiry must run its idle loop again to
   * arm the next one (it wants a pCPU for that even if its handlers cost nothing).
   */
  private readonly rearm: Uint8Array;
  /**
   * Per vCPU: time sleeps lasted beyond their expiry because the periodic interrupt that ended them
   * came later (the guest's timer granularity, not the host's doing), ns.
   */
  readonly timerDelayNs: Float64Array;
  /** Interrupts handled per vCPU, by source. */
  readonly ipisReceived: Float64Array;
  readonly deviceInterrupts: Float64Array;
  /** The page-table work of the workload's processes, if it has any. */
  private readonly processes: ProcessDriver | undefined;
  /** The kernel's masked sections and the interrupts that wait for them (sim/guest/irq-flag.ts). */
  private readonly irqFlag: IrqFlagModel;
  /** Per vCPU, the one-target list of a reschedule IPI to it, made once (frozen: it may be kept). */
  private readonly justVcpu: readonly (readonly number[])[];

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
    /** The name of the interface it bound (sim/abi/registry.ts); by default its ops' own. */
    private readonly interfaceName?: string,
  ) {
    this.mem = new GuestMemory(mem);
    this.deflateOnOom = mem.deflateOnOom ?? false;
    const driver = mem.balloonDriver;
    this.xenBalloon =
      driver?.kind === 'watch' ? new XenBalloonDriver(this.mem, ops, driver.batchPages) : undefined;
    this.balloonRetryNs = driver?.kind === 'watch' ? driver.retryNs : 0;
    this.workAtTick = new Float64Array(vcpus);
    this.active = new ActiveTime(vcpus);
    this.stallPendingNs = new Float64Array(vcpus);
    this.stallNs = new Float64Array(vcpus);
    this.stallEndNs = new Float64Array(vcpus);
    this.remainingNs = new Float64Array(vcpus);
    this.nextWorkNs = new Float64Array(vcpus);
    this.workDoneNs = new Float64Array(vcpus);
    this.debtNs = new Float64Array(vcpus);
    this.overheadNs = new Float64Array(vcpus);
    this.timeCfg = timeCfg;
    this.time = new GuestTimekeeping(timeCfg.clock, timeCfg.hz, vcpus, ops, timeCfg.sync);
    this.sleeping = new Uint8Array(vcpus);
    this.alarmAtNs = new Float64Array(vcpus).fill(-1);
    this.timerSleep = new Uint8Array(vcpus);
    this.periodicWake = new Uint8Array(vcpus);
    this.rearm = new Uint8Array(vcpus);
    this.timerDelayNs = new Float64Array(vcpus);
    this.ipisReceived = new Float64Array(vcpus);
    this.deviceInterrupts = new Float64Array(vcpus);
    this.spinning = new Uint8Array(vcpus);
    this.acksLeft = new Int32Array(vcpus);
    this.flushesDue = new Float64Array(vcpus);
    this.spinNs = new Float64Array(vcpus);
    const activity = workload.processActivity?.();
    this.processes = activity === undefined ? undefined : new ProcessDriver(activity, vcpus);
    this.irqFlag = new IrqFlagModel(ops, vcpus);
    this.justVcpu = Array.from({ length: vcpus }, (_, v) => Object.freeze([v]));
  }

  /**
   * `n` interrupts were handled on `vcpu`; `event`: a device interrupt or IPI, which may find
   * interrupts masked if the vCPU was in a task (running or preempted), not halted.
   */
  private interruptsHandled(vcpu: number, n: number, event = false): void {
    this.irqFlag.interrupts(vcpu, n, event && this.sleeping[vcpu] === 0);
  }

  /** An IPI from `from` to `to`, inside send_IPI_mask's local_irq_save/restore. */
  private sendIpi(from: number, to: readonly number[], kind: IpiKind): void {
    this.irqFlag.ipiSent(from);
    this.ops.sendIpi(from, to, kind);
  }

  /** The workload's locality now (it may change with its demand, e.g. a leak's cold growth). */
  private get locality(): Locality {
    return this.workload.locality?.() ?? DEFAULT_LOCALITY;
  }

  get totalPages(): number {
    return this.mem.totalPages;
  }
  get reservedPages(): number {
    return this.mem.reservedPages;
  }
  get minFreePages(): number {
    return this.mem.minFreePages;
  }
  get anonPages(): number {
    return this.mem.anonPages;
  }
  get balloonPages(): number {
    return this.mem.balloonPages;
  }
  get freePages(): number {
    return this.mem.freePages;
  }
  /** Page cache its workload wants that it does not hold (cache demand − cache), pages. */
  get droppedCachePages(): number {
    return Math.max(0, this.mem.cacheWantedPages - this.mem.cachePages);
  }
  get anonDemandPages(): number {
    return this.mem.anonDemandPages;
  }

  /**
   * How the workload's accesses spread over its anonymous memory now (the host's LRU and MEB's
   * sampled LRU histogram read it).
   */
  accessLocality(): Locality {
    return this.locality;
  }

  /**
   * The interface the guest bound at boot, by its registered name: an interface may reuse another's
   * ops (a new interface built on the native ones), so the ops' own name may differ.
   */
  get abi(): string {
    return this.interfaceName ?? this.ops.abi;
  }

  /**
   * Boot: hand the hypervisor the IDT, make the workload's memory resident and give each vCPU
   * its first burst.
   */
  boot(nowNs: number): void {
    this.ops.installIdt(linuxBootIdt());
    this.ops.bootVcpus(this.vcpus);
    this.mem.setDemand(this.workload.anonPages(nowNs), this.workload.cachePages?.(nowNs) ?? 0);
    for (let v = 0; v < this.vcpus; v++) {
      this.remainingNs[v] = this.workload.nextBurst(v, nowNs).workNs;
    }
  }

  /** CPU ns this vCPU would run before halting if nothing preempted it (owed transitions first). */
  remainingWorkNs(vcpu: number): number {
    const spin = this.spinning[vcpu] === 1 && this.acksLeft[vcpu]! > 0 ? SPIN_HORIZON_NS : 0;
    return this.remainingNs[vcpu]! + this.debtNs[vcpu]! + spin;
  }

  /**
   * For a look-ahead (sim/host/cpu.ts): if the vCPU is in a burst that will run to its end with
   * nothing but interface calls on the way (no fault stall or hold pending), the page-table work
   * its processes will hand to the interface when it ends — run through `price`, which makes the
   * calls without charging them and returns what they would cost, ns; otherwise 0.
   */
  burstEndWorkNs(vcpu: number, nowNs: number, price: (calls: () => void) => number): number {
    const processes = this.processes;
    const left = this.remainingNs[vcpu]!;
    if (processes === undefined || this.sleeping[vcpu] === 1 || this.spinning[vcpu] === 1 || !(left > 0))
      return 0;
    if (this.stallPendingNs[vcpu]! > 0 || this.heldUntilNs > nowNs) return 0;
    const doneNs = this.workDoneNs[vcpu]! + left;
    return price(() => processes.preview(this.ops, vcpu, doneNs));
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
    if (this.spinning[vcpu] === 1) {
      // flush_tlb_others's wait: what the IPIs and handlers it owed leave of its time is spin.
      this.spinNs[vcpu]! += work;
      if (this.acksLeft[vcpu]! > 0 || this.debtNs[vcpu]! > 0) return;
      this.spinning[vcpu] = 0;
      this.takeBurst(vcpu, nowNs);
      return;
    }
    if (this.sleeping[vcpu] === 1) {
      // Woken only to run interrupt handlers: once they are paid for, the idle loop halts again —
      // a tickless kernel re-entering tickless idle with its sleep's timer still pending (the same
      // expiry, re-armed from the jiffies it has now), as each idle entry does
      // (sim/guest/timekeeping.ts). A timer sleep whose expiry has passed by the time the handlers
      // ran (a one-shot armed early from stale jiffies, then a wait for a pCPU) ends there: the
      // handler's timer softirq found it expired.
      if (this.debtNs[vcpu] === 0) {
        this.rearm[vcpu] = 0;
        const at = this.alarmAtNs[vcpu]!;
        if (this.timerSleep[vcpu] === 1 && at <= nowNs) {
          this.wake(vcpu);
          return;
        }
        if (this.time.tickless) this.enterIdle(vcpu, at < 0 ? Infinity : at, nowNs);
        this.ops.halt(vcpu);
      }
      return;
    }
    const left = this.remainingNs[vcpu]! - work;
    this.workDoneNs[vcpu]! += work;
    const held = this.heldUntilNs - nowNs;
    if (left > 0 && this.debtNs[vcpu] === 0 && (this.stallPendingNs[vcpu]! > 0 || held > 0)) {
      // A major fault: the task blocks on the swap device, then goes on with its burst. A hold
      // by the host runs at the same time as its own faults' I/O, not after it.
      // Never past the last time there is (kernel/time.ts LAST_TIME_NS): a run ends before it.
      const stall = Math.min(Math.max(this.stallPendingNs[vcpu]!, held), LAST_TIME_NS - nowNs);
      this.stallPendingNs[vcpu] = 0;
      this.stallNs[vcpu]! += stall;
      this.stallEndNs[vcpu] = nowNs + stall;
      this.remainingNs[vcpu] = 0;
      this.nextWorkNs[vcpu] = left;
      this.irqFlag.sleep(vcpu);
      this.sleeping[vcpu] = 1;
      this.sleepUntil(vcpu, nowNs + stall, nowNs, false);
      return;
    }
    // A finished burst: its processes' page-table work, charged before the vCPU goes on, and the
    // shootdowns it needs, sent once those calls are paid for (flush_tlb_others comes after the
    // zap and the local flush) and waited for before its next burst.
    if (left <= 0)
      this.flushesDue[vcpu]! += this.processes?.account(this.ops, vcpu, this.workDoneNs[vcpu]!) ?? 0;
    if (left > 0 || this.debtNs[vcpu]! > 0) {
      this.remainingNs[vcpu] = left;
      return;
    }
    const flushes = this.flushesDue[vcpu]!;
    this.flushesDue[vcpu] = 0;
    if (flushes > 0 && this.shootdown(vcpu, flushes)) {
      this.remainingNs[vcpu] = 0;
      return;
    }
    this.takeBurst(vcpu, nowNs);
  }

  /**
   * `count` cross-CPU flushes from `from` (header): the interface flushes the other vCPUs in a task;
   * returns true if `from` must now spin until they acknowledge. Each target's handler time is what
   * its delivery added to the CPU time it owes.
   */
  private shootdown(from: number, count: number): boolean {
    // Which vCPUs sleep, and the handler time each owes, as an interrupt per tick leaves them now.
    this.time.settleVcpus?.();
    const targets: number[] = [];
    for (let t = 0; t < this.vcpus; t++) if (t !== from && this.sleeping[t] === 0) targets.push(t);
    // No other CPU in cpu_vm_mask: flush_tlb_mm stays local (its flush is in the mmu sequence).
    if (targets.length === 0) return false;
    this.shootdowns += count;
    const before = targets.map((t) => this.debtNs[t]!);
    if (!this.ops.flushTlbOthers(from, targets, count)) return false;
    // send_IPI_mask's local_irq_save/restore, once per IPI round.
    for (let i = 0; i < count; i++) this.irqFlag.ipiSent(from);
    this.shootdownIpis += count * targets.length;
    this.spinning[from] = 1;
    this.acksLeft[from] = targets.length;
    this.awaitAcks?.(
      from,
      targets,
      targets.map((t, i) => this.debtNs[t]! - before[i]!),
    );
    return true;
  }

  /** A target of `vcpu`'s shootdown acknowledged; true if it was the last one it waited for. */
  shootdownAck(vcpu: number): boolean {
    if (this.spinning[vcpu] === 0 || this.acksLeft[vcpu]! <= 0) return false;
    this.acksLeft[vcpu]! -= 1;
    return this.acksLeft[vcpu] === 0;
  }

  /** True while `vcpu` spins for shootdown acknowledgements. */
  isSpinning(vcpu: number): boolean {
    return this.spinning[vcpu] === 1;
  }

  /** The burst after a finished one: run on at once, or sleep (arming the wake-up) and halt. */
  private takeBurst(vcpu: number, nowNs: number): void {
    const b = this.workload.nextBurst(vcpu, nowNs);
    this.irqFlag.burst(vcpu);
    if (b.idleNs <= 0) {
      this.remainingNs[vcpu] = b.workNs;
      return;
    }
    this.remainingNs[vcpu] = 0;
    this.nextWorkNs[vcpu] = b.workNs;
    this.irqFlag.sleep(vcpu);
    this.sleeping[vcpu] = 1;
    this.active.sleep(vcpu, nowNs, nowNs + b.idleNs);
    if (b.wake === 'io') {
      // The task waits for its request; the idle loop's safe_halt stops the tick whatever the
      // task waits for, with no kernel timer pending (sim/guest/timekeeping.ts).
      this.alarmAtNs[vcpu] = -1;
      this.timerSleep[vcpu] = 0;
      this.ops.submitIo(vcpu, nowNs + b.idleNs);
      this.enterIdle(vcpu, Infinity, nowNs);
      this.ops.halt(vcpu);
    } else this.sleepUntil(vcpu, nowNs + b.idleNs, nowNs, true);
  }

  /**
   * Idle until the wake-up alarm at `atNs`: the clock's idle entry (it arms the alarm), then halt.
   * `timer`: a timer sleep, which a kernel may serve from its periodic interrupt if it is short; a
   * fault stall (false) is an I/O wait, ended by the device, whatever its length.
   */
  private sleepUntil(vcpu: number, atNs: number, nowNs: number, timer: boolean): void {
    this.alarmAtNs[vcpu] = atNs;
    this.timerSleep[vcpu] = timer ? 1 : 0;
    this.enterIdle(vcpu, atNs, nowNs);
    this.ops.halt(vcpu);
  }

  /** The clock's idle entry for the current sleep; notes whether a periodic interrupt must end it. */
  private enterIdle(vcpu: number, atNs: number, nowNs: number): void {
    const timer = this.timerSleep[vcpu] === 1;
    const oneShotNs = this.time.idleEnter(vcpu, atNs, nowNs, timer);
    this.periodicWake[vcpu] = timer && oneShotNs < 0 ? 1 : 0;
  }

  /** True if the vCPU has anything to run: work, handler time it owes, or a one-shot to re-arm. */
  wantsCpu(vcpu: number): boolean {
    return (
      this.remainingNs[vcpu]! + this.debtNs[vcpu]! > 0 || this.rearm[vcpu] === 1 || this.spinning[vcpu] === 1
    );
  }

  /** The sleeping task on `vcpu` becomes runnable with the work it saved for after its sleep. */
  private wake(vcpu: number): void {
    if (this.sleeping[vcpu] === 0) return;
    this.sleeping[vcpu] = 0;
    this.periodicWake[vcpu] = 0;
    this.rearm[vcpu] = 0;
    this.remainingNs[vcpu] = this.nextWorkNs[vcpu]!;
    this.nextWorkNs[vcpu] = 0;
  }

  /**
   * The vCPU's one-shot wake-up alarm at `nowNs`: its handler (EOI or upcall, time accounting),
   * then the end of the tickless halt it interrupted (if it did), then the task resumes work — if
   * its timer has expired. A one-shot armed at a jiffy boundary is late by the time from the
   * expiry to that boundary: the guest's timer granularity, counted as timer delay. One armed
   * before the expiry (from stale jiffies) ends the halt only: the vCPU runs its idle loop, which
   * arms the one-shot again from the jiffies just accounted (`ran`).
   */
  timerInterrupt(vcpu: number, nowNs: number): void {
    // A tick-counting kernel's wake-up is served in a periodic tick's handler (timerTicks).
    if (this.time.tickless) this.interruptsHandled(vcpu, 1);
    this.time.wakeAlarm(vcpu);
    this.time.idleExit(vcpu);
    if (this.sleeping[vcpu] === 1 && this.timerSleep[vcpu] === 1) {
      const late = nowNs - this.alarmAtNs[vcpu]!;
      if (late < 0) {
        this.rearm[vcpu] = 1;
        return;
      }
      this.timerDelayNs[vcpu]! += late;
    }
    this.wake(vcpu);
  }

  /**
   * `n` periodic timer interrupts reached `vcpu` (delivered by the host's virtual timer), the
   * last of them due at `atNs`; `heldDueNs` ≥ 0: they include one held while the vCPU was halted,
   * which fell due then (and `atNs` is now). A sleep waiting for a periodic interrupt ends at the
   * first one due at or after its alarm; the time between is the timer's granularity.
   */
  timerTicks(vcpu: number, n: number, atNs: number, heldDueNs = -1): void {
    // A tick-counting kernel's vCPU 0 also takes the global timer: two interrupts per tick.
    this.interruptsHandled(vcpu, !this.time.tickless && vcpu === 0 ? 2 * n : n);
    this.time.ticks(vcpu, n, atNs);
    if (this.periodicWake[vcpu] === 0 || this.sleeping[vcpu] === 0) return;
    const dueNs = heldDueNs >= 0 ? heldDueNs : atNs;
    const late = dueNs - this.alarmAtNs[vcpu]!;
    if (late < 0) return;
    this.timerDelayNs[vcpu]! += late;
    this.wake(vcpu);
  }

  /** True while `vcpu` sleeps until a periodic timer interrupt ends its sleep (timerTicks). */
  waitsForTick(vcpu: number): boolean {
    return this.periodicWake[vcpu] === 1 && this.sleeping[vcpu] === 1;
  }

  /** The virtual device's completion interrupt (on vCPU 0) for a request `forVcpu` made. */
  deviceInterrupt(vcpu: number, forVcpu: number): void {
    this.deviceInterrupts[vcpu]! += 1;
    this.interruptsHandled(vcpu, 1, true);
    this.ops.ackInterrupt(vcpu, 'device');
    this.time.idleExit(vcpu);
    if (forVcpu === vcpu) this.wake(vcpu);
    else if (this.sleeping[forVcpu] === 1) this.sendIpi(vcpu, this.justVcpu[forVcpu]!, 'reschedule');
  }

  /** `count` IPIs (default 1) arrived on `vcpu`. */
  ipi(vcpu: number, kind: IpiKind, count = 1): void {
    this.ipisReceived[vcpu]! += count;
    this.interruptsHandled(vcpu, count, true);
    this.ops.ackInterrupt(vcpu, kind, count);
    this.time.idleExit(vcpu);
    if (kind === 'reschedule') this.wake(vcpu);
  }

  /**
   * The memory tick: apply the workload's demand, then fault on swapped pages in proportion to
   * the work done since the last tick; stalls go to the vCPUs that did the work. The host adds
   * its own faults (addStall) before `endMemoryTick`. Returns the accesses made by the work done,
   * the accesses of the busy time that touch the working set (header), and the pages the guest
   * swapped out in the tick.
   */
  memoryTick(nowNs: number): {
    accesses: number;
    touchAccesses: number;
    swapOuts: number;
    swapIns: number;
    refaults: number;
  } {
    const swapOutBefore = this.mem.swapOut;
    const oomBefore = this.mem.oomPages;
    this.mem.setDemand(this.workload.anonPages(nowNs), this.workload.cachePages?.(nowNs) ?? 0);
    const refused = this.mem.oomPages - oomBefore;
    if (refused > 0 && this.deflateOnOom && this.mem.balloonPages > 0) {
      // Deflate-on-OOM: the driver's OOM notifier hands balloon pages back, then the demand retries.
      const n = Math.min(refused, this.mem.balloonPages);
      this.mem.deflate(this.ops.balloonDeflate(n, Math.min(n, this.mem.balloonLowmemPages)));
      this.mem.setDemand(this.workload.anonPages(nowNs), this.workload.cachePages?.(nowNs) ?? 0);
    }
    let workNs = 0;
    for (let v = 0; v < this.vcpus; v++) workNs += this.workDoneNs[v]! - this.workAtTick[v]!;
    const rate = this.accessesPerCpuSecond;
    const accesses = (workNs / 1e9) * rate;
    const touchAccesses = (this.active.tick(nowNs) / 1e9) * rate;
    const faults = this.mem.access(accesses, this.locality, this.faultCarry);
    const reads = (workNs / 1e9) * (this.workload.cacheReadsPerCpuS?.() ?? 0);
    const refaults = reads > 0 ? this.mem.cacheAccess(reads, this.locality, this.refaultCarry) : 0;
    return { accesses, touchAccesses, swapOuts: this.mem.swapOut - swapOutBefore, swapIns: faults, refaults };
  }

  /**
   * The disk served this tick's reads after `waitNs` (queueing and service): `refaults` of them
   * page-cache refaults, `swapIns` swap-ins (the guest's and the host's); `hostCacheNs` is the
   * time of the refaults the host's page cache served instead (sim/host/host-page-cache.ts). The
   * waits are a stall of the vCPUs (addStall); the disk's is split between the two causes by their
   * share of the reads.
   */
  addIoStall(waitNs: number, refaults: number, swapIns: number, hostCacheNs = 0): void {
    const reads = refaults + swapIns;
    const refaultNs = reads > 0 && waitNs > 0 ? Math.round((waitNs * refaults) / reads) : 0;
    const diskNs = reads > 0 ? Math.max(0, waitNs) : 0;
    if (diskNs + hostCacheNs <= 0) return;
    this.refaultWaitNs += refaultNs + hostCacheNs;
    this.swapIoWaitNs += diskNs - refaultNs;
    this.addStall(diskNs + hostCacheNs);
  }

  /** Closes the memory tick: the next one counts work from here. */
  endMemoryTick(): void {
    for (let v = 0; v < this.vcpus; v++) this.workAtTick[v] = this.workDoneNs[v]!;
  }

  /**
   * The host holds the guest until `untilNs` (it waits for frames the host must swap to find): a
   * vCPU that wants to run before then stalls until then, once, however many holds overlap.
   */
  holdUntil(untilNs: number): void {
    this.heldUntilNs = Math.max(this.heldUntilNs, untilNs);
  }

  /** Fault and hold stalls the vCPUs sat out up to `nowNs` (a stall still going counts so far), ns. */
  stallNsUpTo(nowNs: number): number {
    let s = 0;
    for (let v = 0; v < this.vcpus; v++) s += this.stallNs[v]! - Math.max(0, this.stallEndNs[v]! - nowNs);
    return s;
  }

  /**
   * A stall of `ns` (major faults, in the guest or in the host) shared among the vCPUs by the
   * work each did in the last memory tick (evenly if none worked).
   */
  addStall(ns: number): void {
    if (ns <= 0) return;
    let total = 0;
    for (let v = 0; v < this.vcpus; v++) total += this.workDoneNs[v]! - this.workAtTick[v]!;
    for (let v = 0; v < this.vcpus; v++) {
      const share = total > 0 ? (this.workDoneNs[v]! - this.workAtTick[v]!) / total : 1 / this.vcpus;
      this.stallPendingNs[v]! += Math.round(ns * share);
    }
  }

  /**
   * Adds one memory tick's `accesses` to the sampling period's touches `p` (the host keeps one per
   * guest and starts it afresh when a period closes), each landing on this tick's demand split
   * hot/cold by this tick's locality (foldTouches in period-touches.ts gives the union formula). The tick's
   * demand is the one memoryTick just applied, so up to 1 s of accesses made before a change of
   * demand counts against the new one, as the tick's faults do.
   */
  touchPeriod(p: PeriodTouches, accesses: number): void {
    const d = this.mem.anonDemandPages;
    const hot = this.locality.hotFraction * d;
    foldTouches(p.hot, hot, accesses * this.locality.hotShare);
    foldTouches(p.cold, d - hot, accesses * (1 - this.locality.hotShare));
  }

  /**
   * Fraction of the guest's memory touched so far in the period `p`: f = (touched hot + touched
   * cold) / (total − balloon), at most 1. The denominator is the guest's memory outside its
   * balloon, the pages the host samples from (policies/balloon/esx.ts scales f by the same).
   */
  activeFraction(p: PeriodTouches): number {
    const resident = this.mem.totalPages - this.mem.balloonPages;
    return resident <= 0 ? 0 : Math.min(1, (p.hot.touchedPages + p.cold.touchedPages) / resident);
  }

  /**
   * The workload's miss-ratio curve at memory sizes 0, step, 2·step, … (`points` values): the
   * kernel reserve comes first, the rest holds its anonymous demand by the hot/cold split.
   */
  missRatioCurve(points: number, stepPages: number): number[] {
    const d = this.mem.anonDemandPages;
    return Array.from({ length: points }, (_, i) =>
      hotColdMiss(d, Math.max(0, i * stepPages - this.mem.reservedPages), this.locality),
    );
  }

  /** What the workload measured of itself by `nowNs` (request latencies, hit ratio, …). */
  workloadMetrics(nowNs: number): Record<string, number> {
    return this.workload.metrics?.(nowNs) ?? {};
  }

  /**
   * The workload's page accesses per second of a busy vCPU now (its `pageAccessesPerS`; a `phases`
   * workload changes it with its phase).
   */
  get accessesPerCpuSecond(): number {
    return this.workload.accessesPerCpuS?.() ?? DEFAULT_ACCESSES_PER_CPU_S;
  }

  /** Polls (or driver runs) that could not move toward the target. */
  get balloonFailures(): number {
    return this.pollFailures + (this.xenBalloon?.failures ?? 0);
  }

  /** True if the balloon driver is event-driven (a xenbus watch): the host runs it on a target change. */
  get balloonWatches(): boolean {
    return this.xenBalloon !== undefined;
  }

  /** The event-driven driver: its watch fired (`target`) or its retry timer expired. */
  balloonRun(cause: 'target' | 'timer'): XenBalloonRun {
    const d = this.xenBalloon;
    if (d === undefined) return { moved: 0, retry: false };
    const r = cause === 'target' ? d.targetChanged() : d.retry();
    this.balloonMovedSincePoll += r.moved;
    return r;
  }

  /**
   * One balloon-driver poll (vmw_balloon): read the target, move toward it within the rate limits.
   * The pages go through the interface, which reports them to the host. Returns the pages moved
   * (either way). An event-driven driver does not poll: it returns what it moved since the last
   * poll, for the host's count of a stuck driver.
   */
  balloonPoll(_nowNs: number): number {
    if (this.xenBalloon !== undefined) {
      const moved = this.balloonMovedSincePoll;
      this.balloonMovedSincePoll = 0;
      return moved;
    }
    const target = this.ops.balloonTarget();
    const cur = this.mem.balloonPages;
    let moved = 0;
    if (target > cur) {
      const want = Math.min(target - cur, BALLOON_MAX_PAGES_PER_POLL);
      const got = this.mem.inflate(want, this.balloonRate);
      moved = got > 0 ? this.ops.balloonInflate(got) : 0;
      // Pages the hypervisor did not take go back to the guest's free memory.
      if (moved < got) this.mem.deflate(got - moved);
      this.balloonRate =
        got === 0
          ? Math.max(BALLOON_RATE_MIN, this.balloonRate / 2)
          : Math.min(BALLOON_RATE_MAX, this.balloonRate + BALLOON_RATE_STEP);
    } else if (target < cur) {
      const n = Math.min(cur - target, BALLOON_MAX_PAGES_PER_POLL);
      moved = this.mem.deflate(this.ops.balloonDeflate(n));
    }
    if (target !== cur && moved === 0) this.pollFailures += 1;
    return moved;
  }

  /** Throws an InvariantError naming the guest if its page accounting or a vCPU's work is broken. */
  checkInvariants(): void {
    this.mem.check(this.name);
    for (let v = 0; v < this.vcpus; v++) {
      if (!(this.remainingNs[v]! >= 0))
        throw new InvariantError(
          `guest ${this.name} vCPU ${v}`,
          `remaining work ${this.remainingNs[v]} ns`,
          'the work left in a burst is ≥ 0',
        );
    }
  }
}
