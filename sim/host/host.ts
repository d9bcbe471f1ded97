/**
 * The host: pCPUs, machine memory and the hypervisor's side of every guest request. This is
 * where policy decisions are applied — the scheduler's choice of vCPU per pCPU, the balloon
 * policy's targets — after checking them. Guests reach it only through their ABI adapter
 * (HypervisorServices).
 *
 * Machine memory is sim/host/memory.ts (frames, states, host swapping); this class runs each
 * guest's memory tick and balloon poll, asks the balloon policy for targets and applies them. The
 * disk (sim/host/storage.ts) serves every guest's refaults and swap I/O and the host's swap: each
 * memory tick queues the guest's swap-outs, then its reads (refaults, swap-ins, host faults), and
 * the guest's vCPUs stall until its reads are done; the host's swap-outs are queued as they happen
 * (sim/host/memory.ts writes them through the disk, which sets how long a guest waits for frames).
 *
 * Events at equal times run guest timers first, then the scheduler's tick, then pCPU decisions,
 * then balloon work, then samples.
 *
 * With the look-ahead of running vCPUs' steps (aggregateBursts, sim/host/cpu.ts), every entry
 * point that reads or changes a guest — its events, its interface calls, the balloon policy, the
 * samples — first settles the steps its vCPUs would have taken before it (catchUpGuest).
 */
import { LAST_TIME_NS, type Simulator } from '../kernel/index.js';
import type {
  CallEffects,
  DomainPages,
  GuestClocks,
  HypervisorServices,
  IpiKind,
  RunstateArea,
  VcpuTimer,
} from '../abi/types.js';
import { BALLOON_POLL_NS, type Guest } from '../guest/guest.js';
import type { CpuScheduler, SchedTopology, VcpuParams } from '../../policies/cpu/types.js';
import type { ChosenScheduler } from '../../policies/cpu/registry.js';
import { CpuDispatcher, type CpuTrace } from './cpu.js';
import { HostMemory, type HostMemoryConfig } from './memory.js';
import { StorageDevice } from './storage.js';
import { HOST_CACHE_HIT_NS, HostPageCache } from './host-page-cache.js';
import type { StorageConfig } from '../spec/storage.js';
import { balloonObservation } from './balloon-observation.js';
import { STUCK_AFTER_POLLS } from '../../policies/balloon/types.js';
import { ActivitySampling, type GuestActivity } from './activity-sampling.js';
import { MissRatioTracker } from './miss-ratio-tracker.js';
import { VirtualTimers } from './vtimer.js';
import { ShootdownAcks } from './shootdown-acks.js';
import { BalloonWatch } from './balloon-watch.js';
import type { TimerDelivery } from '../../policies/time/types.js';
import type { TimeSync } from '../spec/guest-kernel.js';
import type { HostClockFaults } from '../spec/run-spec.js';
import type { BalloonGauge, BalloonPolicy } from '../../policies/balloon/types.js';
import type { ChosenBalloonPolicy } from '../../policies/balloon/registry.js';
import { BLOCKED, RUNNING, type Runstates } from './runstates.js';
import { NO_EVENT, type EventHandle } from '../kernel/event-queue.js';
import { cyclesToNs } from '../abi/costs.js';
import { CallTally, pathIndex } from './call-tally.js';
import { allAggregations, type Aggregations } from './aggregations.js';

export const PRIO_TIMER = 0;
/** The scheduler's tick precedes same-instant pCPU decisions (Xen's csched_tick runs in the
 * timer interrupt, before the schedule softirq), so it charges the vCPU that actually ran. */
export const PRIO_SCHED_TICK = 1;
export const PRIO_PCPU = 2;
export const PRIO_BALLOON = 3;
export const PRIO_SAMPLE = 4;

/**
 * Trace events of a run: the host's own (low-rate), and the dispatcher's (one per wake-up, on a
 * reused payload); the statistics (sim/host/stats/) subscribe to them.
 */
export interface HostTrace extends CpuTrace {
  'balloon.target': { atNs: number; guest: number; requestedPages: number; appliedPages: number };
  /** A guest's time-sync daemon measured its clock error (true − guest time, ns) and corrected it. */
  'guest.time-sync': { atNs: number; guest: number; errorNs: number };
  /**
   * A VMI or Xen guest accounted time at a timer interrupt: the clocks it read, the steal it has
   * accounted (whole jiffies) and the host's true steal for that vCPU.
   */
  'guest.time-account': {
    atNs: number;
    guest: number;
    vcpu: number;
    clocks: GuestClocks;
    seenStealNs: number;
    trueStealNs: number;
    jiffyNs: number;
  };
}

export interface HostConfig {
  pcpus: number;
  memoryPages: number;
  cpuMHz: number;
  /** Faults of the clock hardware (host.clock); absent: a perfect clock. */
  clockFaults?: HostClockFaults;
  memory: Omit<HostMemoryConfig, 'totalPages'>;
  /** The disk behind page cache and swap. */
  storage: StorageConfig;
  /** The host's page cache serves guests' refaults it holds (sim/host/host-page-cache.ts). */
  hostPageCache: boolean;
  /** Which aggregations are on (sim/host/aggregations.ts); default all. */
  aggregations?: Aggregations;
}

/** The policies a run chose. The scheduler and balloon policy are made once every guest is added. */
export interface HostPlugins {
  readonly scheduler: ChosenScheduler;
  readonly balloon: ChosenBalloonPolicy;
  readonly timer: TimerDelivery;
}

/** What balloon policies know of a guest beyond its memory: its floor and weights. */
export interface GuestBalloonParams {
  minPages: number;
  shares: number;
  weight: number;
}

/** ntpd polls every 64 s at its shortest interval (minpoll 6); VMware Tools syncs every 60 s. */
export const NTP_POLL_NS = 64_000_000_000;
export const TOOLS_SYNC_NS = 60_000_000_000;

function syncPeriodNs(sync: TimeSync): number {
  return sync === 'ntp' ? NTP_POLL_NS : TOOLS_SYNC_NS;
}

/** A guest's scheduling parameters as the host passes them to the scheduler. */
export type GuestCpuParams = Omit<VcpuParams, 'guest' | 'local'>;

export class Host implements HypervisorServices {
  readonly cpuMHz: number;
  readonly clockFaults: HostClockFaults | undefined;
  readonly memoryPages: number;
  readonly pcpus: number;
  readonly guests: Guest[] = [];
  /** Global vCPU id → guest index and guest-local index; guest → its first global vCPU id. */
  readonly vcpuGuest: number[] = [];
  readonly vcpuLocal: number[] = [];
  readonly guestFirstVcpu: number[] = [];
  private readonly vcpuParams: VcpuParams[] = [];
  cpu!: CpuDispatcher;
  /** What `clocks` answers, filled again at each call (its callers read it at once, keep nothing). */
  private readonly clockRead: GuestClocks = { realNs: 0, availableNs: 0, stolenNs: 0 };
  hostMem!: HostMemory;
  storage!: StorageDevice;
  private readonly storageCfg: StorageConfig;
  /** A KVM host's page cache in front of the disk; undefined when the host has none. */
  hostCache: HostPageCache | undefined;
  private readonly hostPageCacheOn: boolean;
  readonly memCfg: HostMemoryConfig;
  private readonly aggregations: Aggregations;
  /** Per guest: balloon floor and weights; polls away from target. */
  readonly minPages: number[] = [];
  readonly memShares: number[] = [];
  readonly memWeight: number[] = [];
  /** The host's working-set samples of each guest (ESX's idle-memory estimate). */
  private readonly sampling: ActivitySampling;
  /** Per guest, MEB's sampled LRU histogram, when the balloon policy estimates miss-ratio curves. */
  private mrcTrackers: MissRatioTracker[] | undefined;
  readonly stuckPolls: number[] = [];
  /** Per guest: time its balloon driver counted as stuck. */
  readonly stuckNs: number[] = [];
  /** Per guest: time the host held it blocked waiting for frames (swap device, low state), ns. */
  private readonly hostBlockedNs: number[] = [];
  private readonly hostBlockedUntilNs: number[] = [];
  timers!: VirtualTimers;
  /** Balloon target per guest, pages, as last applied. */
  balloonTarget: number[] = [];
  /** Interface calls per guest: by call name, and totals (also by kernel path). */
  readonly calls = new CallTally();

  private timer: EventHandle[] = [];
  private kindTimer = -1;
  private kindIo = -1;
  private kindPoll = -1;
  private kindPolicy = -1;
  private kindSync = -1;
  /** Reference mode (tickEagerly): one event per timer interrupt instead of lazy accounting. */
  private eagerTimers = false;
  private kindEagerTick = -1;
  private eagerTick: EventHandle[] = [];
  /** Per vCPU of a tick-counting guest: the event of the next tick while it is halted. */
  private tickWake: EventHandle[] = [];
  private kindTickWake = -1;
  private balloonWatch!: BalloonWatch;
  /** Look-ahead of running vCPUs' steps (aggregateBursts); while pricing calls, their cost so far (else −1). */
  private lookAhead = false;
  private pricedNs = -1;
  private catchingUp = false;
  private made: { readonly scheduler: CpuScheduler; readonly balloon: BalloonPolicy } | undefined;

  constructor(
    private readonly sim: Simulator<HostTrace>,
    cfg: HostConfig,
    private readonly plugins: HostPlugins,
  ) {
    this.cpuMHz = cfg.cpuMHz;
    this.clockFaults = cfg.clockFaults;
    this.memoryPages = cfg.memoryPages;
    this.memCfg = { ...cfg.memory, totalPages: cfg.memoryPages };
    this.storageCfg = cfg.storage;
    this.hostPageCacheOn = cfg.hostPageCache;
    this.sampling = new ActivitySampling(this.memCfg.samplePeriodNs, this.memCfg.samplePages);
    this.pcpus = cfg.pcpus;
    this.aggregations = cfg.aggregations ?? allAggregations(true);
  }

  nowNs(): number {
    return this.sim.nowNs;
  }

  get runstates(): Runstates {
    return this.cpu.runstates;
  }

  /** Adds a guest (before `start`); returns it. */
  addGuest(make: (index: number) => Guest, cpu: GuestCpuParams, bal: GuestBalloonParams): Guest {
    if (this.made !== undefined) throw new Error('a guest was added after the policies were made');
    const g = make(this.guests.length);
    this.guests.push(g);
    this.minPages.push(Math.min(g.totalPages, Math.max(bal.minPages, g.reservedPages + g.minFreePages)));
    this.memShares.push(bal.shares);
    this.memWeight.push(bal.weight);
    this.sampling.addGuest();
    this.stuckPolls.push(0);
    this.stuckNs.push(0);
    this.hostBlockedNs.push(0);
    this.hostBlockedUntilNs.push(0);
    this.guestFirstVcpu.push(this.vcpuGuest.length);
    for (let v = 0; v < g.vcpus; v++) {
      this.vcpuGuest.push(g.index);
      this.vcpuLocal.push(v);
      this.vcpuParams.push({ ...cpu, guest: g.index, local: v });
    }
    // The toolstack's target at build: the balloon the guest starts with (Xen memory/target).
    this.balloonTarget.push(g.balloonPages);
    this.calls.addGuest();
    return g;
  }

  /** The scheduler's view of the machine. */
  topology(): SchedTopology {
    const { pcpus, cpuMHz, vcpuParams: vcpus } = this;
    return { pcpus, cpuMHz, guests: this.guests.length, vcpus, aggregate: this.aggregations.stealSets };
  }

  /**
   * The scheduler and balloon policy of this run, made on first use: they are sized by the
   * guests, so every guest must be added by then (the sampler asks for entitlements before the
   * run starts).
   */
  private policies(): { readonly scheduler: CpuScheduler; readonly balloon: BalloonPolicy } {
    this.made ??= {
      scheduler: this.plugins.scheduler.create(this.topology()),
      balloon: this.plugins.balloon.create({ guests: this.guests.length }),
    };
    return this.made;
  }

  /** The scheduler's own per-guest counts (co-stops, boosts, …), by name. */
  schedulerCounters(guest: number): Record<string, number> {
    const c = this.cpu.guestCounters();
    const out: Record<string, number> = {};
    for (const k of Object.keys(c).sort()) out[k] = c[k]![guest] ?? 0;
    return out;
  }

  /** Each guest's entitlement under full contention, by the scheduler's rule, in pCPUs. */
  entitlementPcpus(): number[] {
    return this.policies().scheduler.entitlementPcpus();
  }

  /**
   * Reference mode for test/model/lazy-eager.test.ts (call before start): an event at every
   * instant a vCPU's timer falls due, settling it there, as a simulator without lazy accounting
   * would. Results must equal the lazy run's; only the event count differs.
   */
  tickEagerly(): void {
    this.eagerTimers = true;
  }

  /**
   * Look-ahead mode (call before start; the run needs the kernel's `entity` tie order): a running
   * vCPU whose burst ends in page-table work gets one pCPU event at the end of that work instead of
   * one per step (sim/host/cpu.ts), and every place that reads or changes a guest first settles
   * the steps its vCPUs would have taken by then (catchUpGuest). Results equal those without it.
   */
  aggregateBursts(): void {
    this.lookAhead = true;
  }

  /** Look-ahead: settles the steps of guest gi's vCPUs due before now; `end`: and ends their look-aheads. */
  private catchUpGuest(gi: number, end = false): void {
    if (!this.lookAhead || this.catchingUp || !this.cpu.hasSteps(gi)) return;
    this.catchingUp = true;
    const first = this.guestFirstVcpu[gi]!;
    const last = first + this.guests[gi]!.vcpus;
    for (let v = first; v < last; v++) {
      if (end) this.cpu.endLookAhead(v);
      else this.cpu.catchUp(v);
    }
    this.catchingUp = false;
  }

  private catchUpAll(): void {
    for (let gi = 0; gi < this.guests.length; gi++) this.catchUpGuest(gi);
  }

  /** What `calls` would cost the vCPU making them, ns, without charging them (look-ahead). */
  private price(calls: () => void): number {
    this.pricedNs = 0;
    calls();
    const ns = this.pricedNs;
    this.pricedNs = -1;
    return ns;
  }

  private armEagerTick(v: number): void {
    if (this.eagerTick[v] !== NO_EVENT) this.sim.cancel(this.eagerTick[v]!);
    const at = this.timers.nextDueNs(v, this.cpu.runstates.state[v]!, this.sim.nowNs);
    this.eagerTick[v] = at < 0 ? NO_EVENT : this.sim.schedule(at, this.kindEagerTick, v, 0, PRIO_TIMER);
  }

  private onEagerTick(v: number): void {
    this.eagerTick[v] = NO_EVENT;
    this.timers.settle(v, this.cpu.runstates.state[v]!, this.sim.nowNs);
    this.armEagerTick(v);
  }

  /** Boots every guest at time 0 and starts the periodic policy and driver work. */
  start(): void {
    const nv = this.vcpuGuest.length;
    this.timer = new Array<EventHandle>(nv).fill(NO_EVENT);
    this.cpu = new CpuDispatcher(
      this.sim,
      this.policies().scheduler,
      this.plugins.scheduler.decl.name,
      this.topology(),
      {
        // The handler time of interrupts due so far is owed before the guest's CPU time is
        // applied or its wish to run is read: that is what makes lazy timer accounting give the
        // same results as an interrupt event per tick (test/model/lazy-eager.test.ts).
        ran: (v, ns, now) => {
          this.timers.settle(v, RUNNING, now);
          this.guests[this.vcpuGuest[v]!]!.ran(this.vcpuLocal[v]!, ns, now);
        },
        remainingWorkNs: (v) => this.guests[this.vcpuGuest[v]!]!.remainingWorkNs(this.vcpuLocal[v]!),
        wantsCpu: (v) => {
          this.timers.settle(v, this.cpu.runstates.state[v]!, this.sim.nowNs);
          return this.guests[this.vcpuGuest[v]!]!.wantsCpu(this.vcpuLocal[v]!) || this.timers.holdsTick(v);
        },
        vcpuName: (v) => this.vcpuName(v),
        lookAheadNs: (v, now) =>
          this.guests[this.vcpuGuest[v]!]!.burstEndWorkNs(this.vcpuLocal[v]!, now, (calls) =>
            this.price(calls),
          ),
        catchUpGuest: (v) => this.catchUpGuest(this.vcpuGuest[v]!),
      },
      PRIO_PCPU,
      PRIO_SCHED_TICK,
    );
    this.cpu.countIdle = this.aggregations.idleCount;
    this.timers = new VirtualTimers(
      this.vcpuGuest.map((gi, v) => this.vcpuTimer(this.guests[gi]!, this.vcpuLocal[v]!)),
      this.plugins.timer,
      (v, n, atNs, heldDueNs) =>
        this.guests[this.vcpuGuest[v]!]!.timerTicks(this.vcpuLocal[v]!, n, atNs, heldDueNs),
      (v) => this.guests[this.vcpuGuest[v]!]!.waitsForTick(this.vcpuLocal[v]!),
    );
    if (this.lookAhead) this.cpu.enableLookAhead();
    this.tickWake = new Array<EventHandle>(nv).fill(NO_EVENT);
    this.kindTickWake = this.sim.registerHandler(
      (v) => this.onTickWake(v),
      (v) => `${this.vcpuName(v)}'s timer tick while halted`,
    );
    const acks = new ShootdownAcks(
      this.sim,
      this.cpu,
      this.guests,
      this.vcpuGuest,
      this.vcpuLocal,
      this.guestFirstVcpu,
      PRIO_TIMER,
      (v) => this.vcpuName(v),
    );
    this.cpu.runstates.observer = (v, from, to, now) => {
      this.timers.onRunstate(v, from, to, now);
      if (this.eagerTimers) this.armEagerTick(v);
      if (from === BLOCKED && this.tickWake[v] !== NO_EVENT) {
        this.sim.cancel(this.tickWake[v]!);
        this.tickWake[v] = NO_EVENT;
      }
      if (to === BLOCKED) this.armTickWake(v);
      if (to === RUNNING) acks.placed(v);
    };
    if (this.eagerTimers) {
      this.kindEagerTick = this.sim.registerHandler(
        (v) => this.onEagerTick(v),
        (v) => `${this.vcpuName(v)}'s timer tick`,
      );
      this.eagerTick = new Array<EventHandle>(nv).fill(NO_EVENT);
    }
    // Timers settled lazily must be settled up to now wherever a guest reads its shared jiffies (in
    // the eager mode too, so that both settle at the same instants besides the ticks).
    for (const g of this.guests) g.time.settleVcpus = () => this.settleTimers(g.index);
    if (this.sim.trace.has('guest.time-account')) {
      for (const g of this.guests) {
        g.time.onVmiAlarm = (r) => {
          const now = this.sim.nowNs;
          this.sim.trace.emit('guest.time-account', {
            atNs: now,
            guest: g.index,
            vcpu: r.vcpu,
            clocks: r.clocks,
            seenStealNs: r.seenStealNs,
            trueStealNs: this.cpu.runstates.stealNs(this.guestFirstVcpu[g.index]! + r.vcpu, now),
            jiffyNs: g.time.jiffyNs,
          });
        };
      }
    }
    this.storage = new StorageDevice(this.storageCfg, this.guests.length);
    this.hostMem = new HostMemory(this.memCfg, this.guests, this.storage);
    for (const g of this.guests) g.mem.onPagesChanged = () => this.hostMem.guestChanged(g.index);
    this.hostCache = this.hostPageCacheOn ? new HostPageCache(this.guests.length) : undefined;
    this.sampling.start(this.guests.map((g) => this.sim.rng.stream(`sampling:${g.name}`)));
    const tracking = this.policies().balloon.missRatioTracking;
    if (tracking !== undefined && !tracking.exact)
      this.mrcTrackers = this.guests.map(
        (g) => new MissRatioTracker(g.totalPages, tracking, this.sim.rng.stream(`mrc:${g.name}`)),
      );
    const guest = (gi: number) => `guest ${this.guests[gi]!.name}`;
    this.kindTimer = this.sim.registerHandler(
      (v) => this.onTimer(v),
      (v) => `${this.vcpuName(v)}'s wake-up alarm`,
    );
    this.kindIo = this.sim.registerHandler(
      (g, forVcpu) => this.onIoComplete(g, forVcpu),
      (g, forVcpu) => `${guest(g)}'s I/O completion for vCPU ${forVcpu}`,
    );
    this.kindPolicy = this.sim.registerHandler(
      () => this.onBalloonPolicy(),
      () => `the ${this.plugins.balloon.decl.name} balloon policy's decision`,
    );
    this.kindPoll = this.sim.registerHandler(
      (g) => this.onBalloonPoll(g),
      (g) => `${guest(g)}'s memory tick and balloon poll`,
    );
    this.balloonWatch = new BalloonWatch(
      this.sim,
      this.guests,
      (gi) => this.hostMem.settleUntouched(gi),
      PRIO_BALLOON,
    );
    this.kindSync = this.sim.registerHandler(
      (g) => this.onTimeSync(g),
      (g) => `${guest(g)}'s time sync`,
    );

    for (const g of this.guests) g.boot(0);
    for (let gi = 0; gi < this.guests.length; gi++) this.hostMem.settleUntouched(gi);
    // Guests whose touched memory exceeds the host's frames start with part of it on host swap.
    this.hostMem.tick(0);
    this.cpu.start();
    this.sim.schedule(0, this.kindPolicy, 0, 0, PRIO_BALLOON);
    // Each guest's driver polls once a second, staggered so they do not all poll at once.
    for (const g of this.guests) {
      const offset = Math.floor(((g.index + 1) * BALLOON_POLL_NS) / (this.guests.length + 1));
      this.sim.schedule(offset, this.kindPoll, g.index, 0, PRIO_BALLOON);
      if (g.time.sync !== 'none')
        this.sim.schedule(syncPeriodNs(g.time.sync), this.kindSync, g.index, 0, PRIO_BALLOON);
    }
  }

  /** Global vCPU `v` as people know it: `guest web-3 vCPU 1`. */
  vcpuName(v: number): string {
    return `guest ${this.guests[this.vcpuGuest[v]!]?.name ?? '?'} vCPU ${this.vcpuLocal[v] ?? v}`;
  }

  /** The periodic interrupts a vCPU's kernel asks for, as the clock its guest keeps declares them. */
  private vcpuTimer(g: Guest, local: number): VcpuTimer {
    return g.time.clock.periodicTimer(g.timeCfg, local);
  }

  /** Hands the vCPUs of guest `gi` (or of every guest) the timer interrupts due up to now. */
  settleTimers(gi?: number): void {
    if (gi === undefined) this.catchUpAll();
    else this.catchUpGuest(gi);
    const now = this.sim.nowNs;
    const from = gi === undefined ? 0 : this.guestFirstVcpu[gi]!;
    const to = gi === undefined ? this.vcpuGuest.length : from + this.guests[gi]!.vcpus;
    for (let v = from; v < to; v++) this.timers.settle(v, this.cpu.runstates.state[v]!, now);
  }

  /** A guest's clock error now: true − guest time, ns, counting the ticks due to it not yet handed over. */
  clockErrorNs(gi: number): number {
    this.catchUpGuest(gi);
    const v0 = this.guestFirstVcpu[gi]!;
    const now = this.sim.nowNs;
    const pending = this.timers.pendingTicks(v0, this.cpu.runstates.state[v0]!, now);
    return this.guests[gi]!.time.errorNs(now, pending);
  }

  /** A guest's time-sync daemon runs (ntpd poll or VMware Tools' timeSync). */
  private onTimeSync(gi: number): void {
    const g = this.guests[gi]!;
    const first = this.guestFirstVcpu[gi]!;
    this.settleTimers(gi);
    const period = syncPeriodNs(g.time.sync);
    const now = this.sim.nowNs;
    const round = g.time.syncRound(now, period);
    this.sim.trace.emit('guest.time-sync', { atNs: now, guest: gi, errorNs: round.errorNs });
    if (round.stopCatchUp) {
      for (let v = first; v < first + g.vcpus; v++) this.timers.stopCatchUp(v);
    }
    this.sim.scheduleIn(period, this.kindSync, gi, 0, PRIO_BALLOON);
  }

  // ---- memory ---------------------------------------------------------------------------

  freePages(): number {
    return this.hostMem.freePages();
  }

  swappedPages(): number {
    return this.hostMem.swappedPages();
  }

  private onBalloonPolicy(): void {
    this.catchUpAll();
    const now = this.sim.nowNs;
    const obs = balloonObservation(this, now);
    const policy = this.policies().balloon;
    const targetPages = policy.decide(obs);
    for (const g of this.guests) {
      const requested = targetPages[g.index] ?? 0;
      // A guest is never ballooned below its floor (balloon.min, at least reserve + minFree).
      const ceiling = g.totalPages - this.minPages[g.index]!;
      const applied = Math.max(0, Math.min(Math.floor(Number.isFinite(requested) ? requested : 0), ceiling));
      if (applied !== this.balloonTarget[g.index] && this.sim.trace.has('balloon.target')) {
        this.sim.trace.emit('balloon.target', {
          atNs: now,
          guest: g.index,
          requestedPages: requested,
          appliedPages: applied,
        });
      }
      if (applied !== this.balloonTarget[g.index]) this.balloonWatch.targetChanged(g.index);
      this.balloonTarget[g.index] = applied;
    }
    this.sim.scheduleIn(policy.periodNs, this.kindPolicy, 0, 0, PRIO_BALLOON);
  }

  /**
   * Of guest gi's `refaults`, those the host's page cache serves: its capacity is the host's free
   * frames, the blocks it must hold every guest's dropped-but-wanted cache (sim/host/host-page-cache.ts).
   */
  private hostCacheHits(gi: number, refaults: number): number {
    if (this.hostCache === undefined || refaults <= 0) return 0;
    let dropped = 0;
    for (const x of this.guests) dropped += x.droppedCachePages;
    return this.hostCache.serve(gi, refaults, this.hostMem.freePages(), dropped);
  }

  /**
   * A guest's memory tick and balloon poll (once a second, staggered): its demand and faults,
   * the host-level faults of double paging, the working-set sample, then the balloon driver;
   * the host then swaps if the guest's deflation overcommitted its frames.
   */
  private onBalloonPoll(gi: number): void {
    // The tick may add a fault stall or a hold, which can end a burst early: no look-ahead past it.
    this.catchUpGuest(gi, true);
    const g = this.guests[gi]!;
    const now = this.sim.nowNs;
    const { accesses, touchAccesses, swapOuts, swapIns, refaults } = g.memoryTick(now);
    const hostFaults = this.hostMem.touch(gi, accesses, swapOuts);
    const hits = this.hostCacheHits(gi, refaults);
    const waitNs = this.storage.submit(now, gi, {
      writePages: swapOuts,
      readPages: refaults - hits + swapIns + hostFaults,
    });
    g.addIoStall(waitNs, refaults - hits, swapIns + hostFaults, hits * HOST_CACHE_HIT_NS);
    g.endMemoryTick();
    this.hostMem.settleUntouched(gi);
    this.sampling.afterMemoryTick(g, touchAccesses, now, this.hostMem);
    this.mrcTrackers?.[gi]!.observe(now, accesses, g.mem.anonDemandPages, g.accessLocality());
    // The pages the driver moves reach host memory through its interface (balloonInflated/Deflated).
    const moved = g.balloonPoll(now);
    this.hostMem.settleUntouched(gi);
    // No progress toward an unmet target: after 5 such polls the driver counts as stuck.
    if (g.balloonPages !== this.balloonTarget[gi] && moved === 0) this.stuckPolls[gi]! += 1;
    else this.stuckPolls[gi] = 0;
    if (this.stuckPolls[gi]! >= STUCK_AFTER_POLLS) this.stuckNs[gi]! += BALLOON_POLL_NS;
    // Frames the host had to swap for at once block this guest until the disk has written them;
    // on an ESX host in the low state a guest above its target is blocked until its next poll (§1.5).
    let blockNs = this.hostMem.tick(now);
    if (
      this.memCfg.semantics.blocksInLowState &&
      this.hostMem.state === 'low' &&
      g.balloonPages < this.balloonTarget[gi]!
    )
      blockNs = Math.max(blockNs, BALLOON_POLL_NS);
    // Blocks overlap: only the time beyond the one the guest is already blocked until is new. The
    // swap device's backlog has no bound (a 1 B/s device, or overhead the host cannot hold, queues
    // swap-outs faster than time passes): a hold past the last time there is ends there.
    const until = Math.min(now + blockNs, LAST_TIME_NS);
    const extra = until - Math.max(now, this.hostBlockedUntilNs[gi]!);
    if (extra > 0) {
      g.holdUntil(until);
      this.hostBlockedNs[gi]! += extra;
      this.hostBlockedUntilNs[gi] = until;
    }
    this.sim.scheduleIn(BALLOON_POLL_NS, this.kindPoll, gi, 0, PRIO_BALLOON);
  }

  /** Guest pages the host has swapped out since boot. */
  hostSwapOutTotal(): number {
    return this.hostMem.hostSwapOutTotal();
  }

  /** Time guest `gi` has been held blocked by the host up to `nowNs` (not beyond), ns. */
  hostBlockedTimeNs(gi: number, nowNs: number): number {
    return this.hostBlockedNs[gi]! - Math.max(0, this.hostBlockedUntilNs[gi]! - nowNs);
  }

  /** The balloon policy's own per-guest figures (BalloonPolicyDecl.gauges), in declaration order. */
  balloonGauges(): readonly BalloonGauge[] {
    return this.plugins.balloon.decl.gauges ?? [];
  }

  /** Gauge `k` of the balloon policy for guest `gi`, from the state of its last decision. */
  balloonGauge(k: number, gi: number): number {
    return this.policies().balloon.gauge!(k, gi);
  }

  /**
   * Guest `gi`'s miss-ratio curve at `points` memory sizes `stepPages` apart, as the balloon policy
   * asks for it (BalloonPolicy.missRatioTracking): estimated from sampled accesses, exact, or none.
   */
  missRatioCurve(gi: number, points: number, stepPages: number): number[] {
    const g = this.guests[gi]!;
    const tracking = this.policies().balloon.missRatioTracking;
    if (tracking === undefined) return [];
    if (this.mrcTrackers === undefined) return g.missRatioCurve(points, stepPages);
    return this.mrcTrackers[gi]!.curve(points, stepPages, g.mem.reservedPages);
  }

  /** The working-set samples the host took of guest `gi`: completed periods and the current one. */
  activitySamples(gi: number): GuestActivity {
    return this.sampling.of(this.guests[gi]!);
  }

  // ---- HypervisorServices -------------------------------------------------------------------

  haltVcpu(guest: number, vcpu: number): void {
    this.cpu.halt(this.guestFirstVcpu[guest]! + vcpu);
  }

  setTimer(guest: number, vcpu: number, atNs: number): void {
    const v = this.guestFirstVcpu[guest]! + vcpu;
    if (this.timer[v] !== NO_EVENT) this.sim.cancel(this.timer[v]!);
    // An alarm past the last time there is (a sleep of months) rings there, after any run's end.
    const at = Math.min(Math.max(atNs, this.sim.nowNs), LAST_TIME_NS);
    this.timer[v] = this.sim.schedule(at, this.kindTimer, v, 0, PRIO_TIMER);
  }

  cancelTimer(guest: number, vcpu: number): void {
    const v = this.guestFirstVcpu[guest]! + vcpu;
    if (this.timer[v] !== NO_EVENT) this.sim.cancel(this.timer[v]!);
    this.timer[v] = NO_EVENT;
  }

  deliverIpi(guest: number, to: readonly number[], kind: IpiKind, count = 1): void {
    this.catchUpGuest(guest);
    const g = this.guests[guest]!;
    for (const t of to) {
      g.ipi(t, kind, count);
      this.cpu.wakeIfWanted(this.guestFirstVcpu[guest]! + t);
    }
  }

  completeIoAt(guest: number, forVcpu: number, atNs: number): void {
    this.sim.schedule(
      Math.min(Math.max(atNs, this.sim.nowNs), LAST_TIME_NS),
      this.kindIo,
      guest,
      forVcpu,
      PRIO_TIMER,
    );
  }

  clocks(guest: number, vcpu: number, atNs?: number): GuestClocks {
    const v = this.guestFirstVcpu[guest]! + vcpu;
    const now = atNs ?? this.sim.nowNs;
    const stolenNs = this.runstates.stealNs(v, now);
    const c = this.clockRead;
    c.realNs = now;
    c.availableNs = now - stolenNs;
    c.stolenNs = stolenNs;
    return c;
  }

  pcpuOf(guest: number, vcpu: number): number {
    return this.cpu.lastPcpu[this.guestFirstVcpu[guest]! + vcpu]!;
  }

  runstateArea(guest: number, vcpu: number): RunstateArea {
    return this.runstates.area(this.guestFirstVcpu[guest]! + vcpu);
  }

  balloonTargetPages(guest: number): number {
    return this.balloonTarget[guest]!;
  }

  domainPages(guest: number): DomainPages {
    const g = this.guests[guest]!;
    // Guests are unprivileged domains 1..n (domain 0, the control domain, is not modelled).
    return {
      domid: guest + 1,
      totPages: g.totalPages - g.balloonPages,
      maxPages: g.totalPages,
      privileged: false,
    };
  }

  hostFreePages(): number {
    return this.freePages();
  }

  balloonInflated(guest: number, pages: number): void {
    if (pages > 0) this.hostMem.onInflate(guest, pages);
  }

  balloonDeflated(guest: number, pages: number): void {
    if (pages > 0) this.hostMem.onDeflate(guest, pages);
  }

  chargeCall(
    guest: number,
    vcpu: number,
    call: string,
    count: number,
    cycles: number,
    effects?: CallEffects,
  ): void {
    this.chargeCallId(guest, vcpu, this.calls.id(call), count, cycles, effects);
  }

  callId(call: string): number {
    return this.calls.id(call);
  }

  chargeCallId(
    guest: number,
    vcpu: number,
    id: number,
    count: number,
    cycles: number,
    effects?: CallEffects,
    registerBytes = 0,
  ): void {
    // While a look-ahead prices a step (aggregateBursts), calls are summed, not charged.
    if (this.pricedNs >= 0) {
      if (cycles > 0) this.pricedNs += callsNs(count, cycles, this.cpuMHz);
      return;
    }
    this.catchUpGuest(guest);
    this.tallyCall(guest, vcpu, id, count, cycles, effects, registerBytes, pathIndex(effects?.path));
  }

  chargeCallIds(
    guest: number,
    vcpu: number,
    ids: ArrayLike<number>,
    counts: ArrayLike<number>,
    cycles: ArrayLike<number>,
    n: number,
    effects?: CallEffects,
    registerBytes?: ArrayLike<number>,
  ): void {
    if (this.pricedNs >= 0) {
      for (let i = 0; i < n; i++)
        if (cycles[i]! > 0) this.pricedNs += callsNs(counts[i]!, cycles[i]!, this.cpuMHz);
      return;
    }
    // Charging changes nothing a catch-up settles, so once for all of them is as once for each.
    this.catchUpGuest(guest);
    const path = pathIndex(effects?.path);
    for (let i = 0; i < n; i++)
      this.tallyCall(guest, vcpu, ids[i]!, counts[i]!, cycles[i]!, effects, registerBytes?.[i] ?? 0, path);
  }

  /** One call's share of every total, and its cycles charged to the vCPU (chargeCallId). */
  private tallyCall(
    guest: number,
    vcpu: number,
    id: number,
    count: number,
    cycles: number,
    effects: CallEffects | undefined,
    registerBytes: number,
    path: number,
  ): void {
    this.calls.addId(guest, id, count, cycles);
    this.calls.addTotals(
      guest,
      path,
      count,
      cycles,
      effects !== undefined,
      effects?.transitions ?? 0,
      effects?.bytes ?? 0,
      effects?.errors ?? 0,
      effects?.registerBytes ?? registerBytes,
    );
    // The vCPU pays in CPU time (callsNs).
    if (cycles > 0) this.guests[guest]!.chargeCpu(vcpu, callsNs(count, cycles, this.cpuMHz));
  }

  // ---- interrupts ---------------------------------------------------------------------------

  /**
   * Halted vCPU v's next periodic tick or armed VMI alarm, if any, makes it runnable when it falls
   * due (sim/host/vtimer.ts); replaces any such event already set.
   */
  private armTickWake(v: number): void {
    if (this.tickWake[v] !== NO_EVENT) this.sim.cancel(this.tickWake[v]!);
    const at = this.timers.haltWakeNs(v, this.sim.nowNs);
    this.tickWake[v] = at < 0 ? NO_EVENT : this.sim.schedule(at, this.kindTickWake, v, 0, PRIO_TIMER);
  }

  periodicAlarm(guest: number, vcpu: number, armed: boolean): void {
    const v = this.guestFirstVcpu[guest]! + vcpu;
    const state = this.cpu.runstates.state[v]!;
    const now = this.sim.nowNs;
    if (!armed) this.timers.disarm(v, state, now);
    else {
      // vmi_reenable_hz_timer phases the alarm on process_times_cycles_accounted: AVAILABLE
      // accounted in whole jiffies (vmi_account_no_hz_idle_cycles has just brought it up to date).
      this.timers.settle(v, state, now);
      const jiffyNs = this.guests[this.vcpuGuest[v]!]!.time.jiffyNs;
      const base = Math.floor(Math.floor(this.timers.availableNs(v) / jiffyNs) * jiffyNs);
      this.timers.rearm(v, state, now, base);
    }
    if (state === BLOCKED) this.armTickWake(v);
  }

  /** A periodic tick or VMI alarm fell due for halted vCPU v: it holds it and becomes runnable. */
  private onTickWake(v: number): void {
    this.tickWake[v] = NO_EVENT;
    this.catchUpGuest(this.vcpuGuest[v]!);
    this.cpu.wakeIfWanted(v);
  }

  private onTimer(v: number): void {
    this.timer[v] = NO_EVENT;
    this.catchUpGuest(this.vcpuGuest[v]!);
    const state = this.cpu.runstates.state[v]!;
    this.timers.settle(v, state, this.sim.nowNs);
    this.timers.oneShotFired(v, state);
    const g = this.guests[this.vcpuGuest[v]!]!;
    g.timerInterrupt(this.vcpuLocal[v]!, this.sim.nowNs);
    this.cpu.wakeIfWanted(v);
  }

  /** A virtual-device completion: its interrupt goes to the guest's vCPU 0. */
  private onIoComplete(guest: number, forVcpu: number): void {
    this.catchUpGuest(guest);
    this.guests[guest]!.deviceInterrupt(0, forVcpu);
    this.cpu.wakeIfWanted(this.guestFirstVcpu[guest]!);
  }

  /**
   * Throws an InvariantError naming the guest, vCPU or host if any invariant is broken (debug
   * mode calls this after every event).
   */
  checkInvariants(): void {
    this.cpu.checkInvariants();
    this.hostMem.check();
    this.storage.check();
    for (const g of this.guests) g.checkInvariants();
  }
}

/**
 * What `count` calls costing `cycles` in all cost the vCPU, ns: each rounded up to whole ns,
 * cycles × 1000 / MHz, so that a batch of n calls costs what n single calls do (lazy timers hand
 * interrupts in batches).
 */
function callsNs(count: number, cycles: number, cpuMHz: number): number {
  const calls = Math.max(1, count);
  return calls * cyclesToNs(Math.ceil(cycles / calls), cpuMHz, true);
}
