/**
 * Statistics of one run: a fixed-interval sampler that reads host and guest state at each
 * sample time (after every other event at that time) and keeps the series in typed arrays, and
 * the end-of-run summary. Rates and percentages are over the interval since the previous sample.
 * Wake-to-run latency and clock error are kept by the statistics themselves (./stats/), from trace
 * events and samples, and restarted by them.
 */
import type { Simulator } from '../kernel/index.js';
import type { Host } from './host.js';
import { BLOCKED, OFFLINE, RUNNABLE, RUNNING } from './runstates.js';
import { PRIO_SAMPLE, type HostTrace } from './host.js';
import { BYTES_PER_MIB, PAGE_SIZE_BYTES } from '../options/units.js';
import type { Histogram } from '../kernel/latency-histogram.js';
import { ClockErrorStats } from './stats/clock-error.js';
import { WakeLatencyStats } from './stats/wake-latency.js';
import type { Guest } from '../guest/guest.js';
import type {
  GuestSummary,
  LatencySummary,
  MetricDef,
  RunSeries,
  RunSummary,
  SeenClocksSummary,
  SeriesColumnDef,
} from '../results/types.js';

const PAGES_PER_MIB = BYTES_PER_MIB / PAGE_SIZE_BYTES;

/** The summary measures every run reports, in the order reports show them. */
export const METRICS: MetricDef[] = [
  {
    id: 'work_done_cpu_s',
    label: 'Work done',
    unit: 'CPU s',
    better: 'higher',
    description: 'CPU time delivered to all guests’ workloads',
  },
  {
    id: 'steal_mean_pct',
    label: 'Steal (mean over guests)',
    unit: '%',
    better: 'lower',
    description: 'time vCPUs were runnable but not running, as a share of elapsed vCPU time',
  },
  {
    id: 'host_free_mean_MiB',
    label: 'Host free memory (mean)',
    unit: 'MiB',
    better: 'higher',
    description: 'host free memory averaged over the samples',
  },
  {
    id: 'host_swapped_mean_MiB',
    label: 'Host-swapped memory (mean)',
    unit: 'MiB',
    better: 'lower',
    description: 'guest memory the host could not back with frames, averaged over the samples',
  },
  {
    id: 'balloon_total_MiB',
    label: 'Balloon size (all guests, end)',
    unit: 'MiB',
    better: 'neither',
    description: 'memory held by balloon drivers at the end of the run',
  },
  {
    id: 'interface_calls_per_s',
    label: 'Interface calls',
    unit: 'calls/s',
    better: 'lower',
    description: 'paravirtual-interface calls of all guests per simulated second',
  },
  {
    id: 'interface_transitions_per_s',
    label: 'Transitions to the hypervisor',
    unit: 'per s',
    better: 'lower',
    description: 'exits, traps and hypercalls of all guests per simulated second',
  },
  {
    id: 'interface_cpu_s',
    label: 'CPU in interface transitions',
    unit: 'CPU s',
    better: 'lower',
    description: 'guest CPU time spent in interface calls (cycles ÷ CPU clock), taken from the work',
  },
  {
    id: 'interface_Mcycles',
    label: 'Interface cost',
    unit: 'Mcycles',
    better: 'lower',
    description: 'CPU cycles spent in interface calls, by the cost model',
  },
  {
    id: 'host_hard_or_low_s',
    label: 'Host under memory pressure',
    unit: 's',
    better: 'lower',
    description: 'time the host spent in its hard or low free-memory state (ESX 2002 thresholds)',
  },
  {
    id: 'shared_saved_MiB',
    label: 'Saved by page sharing (end)',
    unit: 'MiB',
    better: 'higher',
    description: 'host memory identical guest pages no longer need, at the end of the run',
  },
  {
    id: 'slowdown_mean',
    label: 'Slowdown (mean over guests)',
    unit: '×',
    better: 'lower',
    description: 'work each guest’s workload would have done unconstrained ÷ work it did (1 = no slowdown)',
  },
  {
    id: 'guest_swap_in_pages',
    label: 'Guest swap-in',
    unit: 'pages',
    better: 'lower',
    description: 'pages all guests read back from their own swap (major faults that found a page)',
  },
  {
    id: 'guest_swap_out_pages',
    label: 'Guest swap-out',
    unit: 'pages',
    better: 'lower',
    description: 'pages all guests wrote to their own swap (balloon or demand pressure)',
  },
  {
    id: 'host_swap_out_pages',
    label: 'Host swap-out',
    unit: 'pages',
    better: 'lower',
    description: 'guest pages the host swapped to its own disk',
  },
  {
    id: 'fault_stall_s',
    label: 'Fault stalls',
    unit: 'vCPU s',
    better: 'lower',
    description:
      'time guest vCPUs were blocked on major faults (guest and host swap) or held by the host waiting for frames',
  },
  {
    id: 'host_blocked_s',
    label: 'Held by the host',
    unit: 'guest s',
    better: 'lower',
    description:
      'time guests were held blocked by the host: waiting for frames only its swap device could free, or above target in the low state',
  },
  {
    id: 'wake_latency_p99_worst_us',
    label: 'Wake-to-run p99 (worst guest)',
    unit: 'µs',
    better: 'lower',
    description:
      '99th percentile of the time a woken vCPU waited for a pCPU, for the guest where it is largest',
  },
  {
    id: 'clock_error_worst_ms',
    label: 'Clock error (worst guest)',
    unit: 'ms',
    better: 'lower',
    description: 'largest |true − guest time| any guest’s clock reached',
  },
  {
    id: 'timer_interrupts_lost',
    label: 'Timer interrupts lost or merged',
    unit: 'interrupts',
    better: 'lower',
    description: 'periodic timer interrupts that never reached a guest as themselves',
  },
];

const GUEST_QUANTITIES: [string, string, string][] = [
  ['free_MiB', 'MiB', 'guest free memory'],
  ['balloon_target_MiB', 'MiB', 'balloon target set by the host'],
  ['balloon_actual_MiB', 'MiB', 'memory held by the guest’s balloon driver'],
  ['steal_pct', '%', 'steal over the interval, share of the guest’s vCPU time'],
  [
    'cpu_demand_pct',
    '%',
    'CPU the workload would have run over the interval unconstrained (every vCPU on a pCPU of its own, no costs, no faults), share of the guest’s vCPU time',
  ],
  ['cpu_got_pct', '%', 'CPU the guest got (running time) over the interval, share of its vCPU time'],
  ['interface_calls_per_s', 'calls/s', 'interface calls over the interval'],
  ['cache_MiB', 'MiB', 'guest page cache'],
  ['swapped_MiB', 'MiB', 'anonymous memory in the guest’s own swap'],
  ['swapped_by_host_MiB', 'MiB', 'pages of the guest the host has swapped out'],
  ['major_faults_per_s', 'faults/s', 'major faults (guest swap-ins) over the interval'],
  ['clock_error_ms', 'ms', 'guest clock error, true − guest time (positive: the guest is behind)'],
  ['wake_p99_us', 'µs', '99th percentile of wake-to-run latency over the interval (0 if no wake-ups)'],
  ['entitlement_used_pct', '%', 'CPU the guest got over the interval, as a share of its entitlement'],
  ['timer_irqs_lost_per_s', 'interrupts/s', 'timer interrupts lost or merged over the interval'],
  [
    'memory_demand_MiB',
    'MiB',
    'memory the workload asks for: anonymous plus page cache (beside memory_resident_MiB, what it holds)',
  ],
  ['memory_resident_MiB', 'MiB', 'anonymous and page-cache memory resident in the guest'],
];

/** Series per guest and for the host, for estimates of an experiment's size (sim/experiment/estimate.ts). */
export const SERIES_PER_GUEST = GUEST_QUANTITIES.length;
export const HOST_SERIES = 6;

/** States whose lower free-memory bound is drawn: soft below `high`, hard below `soft`, low below `low`. */
const THRESHOLD_STATES = ['soft', 'hard', 'low'] as const;
const THRESHOLD_OF = { soft: 'high', hard: 'soft', low: 'low' } as const;

export class Sampler {
  private readonly columns: SeriesColumnDef[] = [];
  private readonly values: Float64Array[] = [];
  private readonly timeS: Float64Array;
  private rows = 0;
  private lastNs = 0;
  private readonly lastSteal: Float64Array;
  private readonly lastRunning: Float64Array;
  private readonly lastCalls: Float64Array;
  private readonly lastFaults: Float64Array;
  private readonly lastLost: Float64Array;
  /** Each guest's entitlement in pCPUs, fixed for the run. */
  private readonly entitlement: number[];
  /** Figures at the end of the warmup, subtracted from the end-of-run ones (undefined: no warmup). */
  private atWarmup: { atNs: number; guests: GuestSummary[]; counters: HostCounters } | undefined;
  private readonly kind: number;
  private readonly maxRows: number;
  /** Gauges the balloon policy declares (columns after each guest's GUEST_QUANTITIES). */
  private readonly gauges: number;
  /** Figures the statistics keep themselves, from trace events and samples. */
  private readonly clock: ClockErrorStats;
  private readonly wake: WakeLatencyStats;

  constructor(
    private readonly sim: Simulator<HostTrace>,
    private readonly host: Host,
    private readonly intervalNs: number,
    durationNs: number,
    /** Per guest, the CPU its workload would have run in each interval unconstrained, ns. */
    private readonly cpuDemandNs: readonly Float64Array[],
    /** Time at the start left out of the summaries (the series keep it), ns; 0 = none. */
    warmupNs = 0,
  ) {
    const maxRows = Math.floor(durationNs / intervalNs);
    this.clock = new ClockErrorStats(sim.trace, host.guests.length, (g) => host.clockErrorNs(g));
    this.wake = new WakeLatencyStats(sim.trace, host.guests.length);
    this.timeS = new Float64Array(maxRows);
    this.addColumn({
      name: 'host_free_MiB',
      quantity: 'host_free_MiB',
      unit: 'MiB',
      description: 'host free memory',
    });
    this.addColumn({
      name: 'host_swapped_MiB',
      quantity: 'host_swapped_MiB',
      unit: 'MiB',
      description: 'guest memory the host cannot back with frames',
    });
    this.addColumn({
      name: 'host_memory_state',
      quantity: 'host_memory_state',
      unit: 'state',
      description: 'host free-memory state: 0 high, 1 soft, 2 hard, 3 low (ESX 2002 thresholds)',
    });
    // The thresholds themselves, so the free-memory chart shows where each state begins.
    for (const s of THRESHOLD_STATES) {
      this.addColumn({
        name: `host_${s}_threshold_MiB`,
        quantity: `host_${s}_threshold_MiB`,
        unit: 'MiB',
        description: `free memory below which the host is in the ${s} state (host.memoryStates)`,
        reference: true,
      });
    }
    // The balloon policy's own figures (e.g. ESX's working-set estimate) follow each guest's
    // quantities; a policy without gauges adds no columns.
    this.gauges = host.balloonGauges().length;
    for (const g of host.guests) {
      for (const [q, unit, description] of GUEST_QUANTITIES) {
        this.addColumn({ name: `${g.name}_${q}`, guest: g.name, quantity: q, unit, description });
      }
      for (const { quantity: q, unit, description } of host.balloonGauges()) {
        this.addColumn({ name: `${g.name}_${q}`, guest: g.name, quantity: q, unit, description });
      }
    }
    this.values.push(...this.columns.map(() => new Float64Array(maxRows)));
    const n = host.guests.length;
    this.lastSteal = new Float64Array(n);
    this.lastRunning = new Float64Array(n);
    this.lastCalls = new Float64Array(n);
    this.lastFaults = new Float64Array(n);
    this.lastLost = new Float64Array(n);
    this.entitlement = host.entitlementPcpus();
    this.maxRows = maxRows;
    this.kind = sim.registerHandler(
      () => this.sample(),
      () => 'the statistics sample',
    );
    if (maxRows > 0) sim.schedule(intervalNs, this.kind, 0, 0, PRIO_SAMPLE);
    if (warmupNs > 0)
      sim.schedule(
        warmupNs,
        sim.registerHandler(
          () => this.onWarmupEnd(),
          () => 'the end of the warmup',
        ),
        0,
        0,
        PRIO_SAMPLE,
      );
  }

  private addColumn(c: SeriesColumnDef): void {
    this.columns.push(c);
  }

  private sample(): void {
    const now = this.sim.nowNs;
    const h = this.host;
    // Interrupts due so far are handed over first, so the interval's interface calls and clocks
    // count them (settling is split-invariant: this changes no later result).
    h.settleTimers();
    this.clock.sample();
    // The row counts only once it is whole: a run that fails inside a sample keeps the rows before.
    const row = this.rows;
    const dt = now - this.lastNs;
    this.timeS[row] = now / 1e9;
    let c = 0;
    const free = h.freePages();
    const swapped = h.swappedPages();
    this.values[c++]![row] = free / PAGES_PER_MIB;
    this.values[c++]![row] = swapped / PAGES_PER_MIB;
    this.values[c++]![row] = ['high', 'soft', 'hard', 'low'].indexOf(h.hostMem.state);
    for (const s of THRESHOLD_STATES)
      this.values[c++]![row] =
        (h.hostMem.cfg.thresholds[THRESHOLD_OF[s]] * h.hostMem.cfg.totalPages) / PAGES_PER_MIB;
    for (const g of h.guests) {
      const steal = this.guestTime(g.index, 'steal', now);
      const running = this.guestTime(g.index, 'running', now);
      const calls = totalCalls(h.callCounts[g.index]!);
      const vcpuNs = dt * g.vcpus;
      this.values[c++]![row] = g.freePages / PAGES_PER_MIB;
      this.values[c++]![row] = h.balloonTarget[g.index]! / PAGES_PER_MIB;
      this.values[c++]![row] = g.balloonPages / PAGES_PER_MIB;
      this.values[c++]![row] = (100 * (steal - this.lastSteal[g.index]!)) / vcpuNs;
      this.values[c++]![row] = (100 * (this.cpuDemandNs[g.index]?.[row] ?? 0)) / vcpuNs;
      this.values[c++]![row] = (100 * (running - this.lastRunning[g.index]!)) / vcpuNs;
      this.values[c++]![row] = (calls - this.lastCalls[g.index]!) / (dt / 1e9);
      this.values[c++]![row] = g.mem.cachePages / PAGES_PER_MIB;
      this.values[c++]![row] = g.mem.swappedPages / PAGES_PER_MIB;
      this.values[c++]![row] = h.hostMem.hostSwapped[g.index]! / PAGES_PER_MIB;
      this.values[c++]![row] = (g.mem.majorFaults - this.lastFaults[g.index]!) / (dt / 1e9);
      this.lastFaults[g.index] = g.mem.majorFaults;
      this.values[c++]![row] = this.clock.sampledErrorNs(g.index) / 1e6;
      const lat = this.wake.interval[g.index]!;
      this.values[c++]![row] = lat.totalCount === 0 ? 0 : lat.getValueAtPercentile(99) / 1000;
      const ent = this.entitlement[g.index] ?? 0;
      this.values[c++]![row] = ent > 0 ? (100 * (running - this.lastRunning[g.index]!)) / dt / ent : 0;
      const t = h.timers.counts(h.guestFirstVcpu[g.index]!, g.vcpus);
      this.values[c++]![row] = (t.dropped + t.merged - this.lastLost[g.index]!) / (dt / 1e9);
      this.lastLost[g.index] = t.dropped + t.merged;
      this.values[c++]![row] = (g.mem.anonWantedPages + g.mem.cacheWantedPages) / PAGES_PER_MIB;
      this.values[c++]![row] = (g.mem.anonPages + g.mem.cachePages) / PAGES_PER_MIB;
      for (let k = 0; k < this.gauges; k++) this.values[c++]![row] = h.balloonGauge(k, g.index);
      this.lastSteal[g.index] = steal;
      this.lastRunning[g.index] = running;
      this.lastCalls[g.index] = calls;
    }
    this.wake.restartInterval();
    this.lastNs = now;
    this.rows = row + 1;
    if (this.rows < this.maxRows) this.sim.scheduleIn(this.intervalNs, this.kind, 0, 0, PRIO_SAMPLE);
  }

  private guestTime(g: number, what: 'steal' | 'running', now: number): number {
    const h = this.host;
    const first = h.guestFirstVcpu[g]!;
    let sum = 0;
    for (let v = first; v < first + h.guests[g]!.vcpus; v++) {
      sum += what === 'steal' ? h.runstates.stealNs(v, now) : h.runstates.timeIn(v, RUNNING, now);
    }
    return sum;
  }

  /** The rows sampled so far (all of them once the run is over; the whole ones before a failure). */
  series(): RunSeries {
    return {
      sampleIntervalNs: this.intervalNs,
      timeS: Array.from(this.timeS.subarray(0, this.rows)),
      columns: this.columns,
      values: this.values.map((v) => Array.from(v.subarray(0, this.rows), round6)),
    };
  }

  /** `unconstrainedNs`: per guest, the work its workload would have done alone (unconstrained.ts). */
  summary(eventsProcessed: number, unconstrainedNs: readonly number[]): RunSummary {
    const h = this.host;
    const now = this.sim.nowNs;
    const entitlement = h.entitlementPcpus();
    // The run is over: hand out the timer interrupts due since each vCPU's last state change.
    h.settleTimers();
    const end = h.guests.map((g) => this.guestSummary(g, now, entitlement, unconstrainedNs[g.index] ?? 0));
    const endCounters = this.hostCounters(now);
    const w = this.atWarmup;
    const windowNs = now - (w?.atNs ?? 0);
    // With a warmup, cumulative figures count from its end (see windowGuest).
    const guests =
      w === undefined
        ? end
        : end.map((e, i) =>
            windowGuest(e, w.guests[i]!, w.atNs, now, this.unconstrainedAfter(i, unconstrainedNs[i] ?? 0)),
          );
    const c =
      w === undefined
        ? endCounters
        : (Object.fromEntries(
            Object.entries(endCounters).map(([k, v]) => [k, v - w.counters[k as keyof HostCounters]]),
          ) as unknown as HostCounters);
    const metrics: Record<string, number> = {
      work_done_cpu_s: round6(guests.reduce((a, g) => a + g.workDoneCpuS, 0)),
      steal_mean_pct: round6(guests.reduce((a, g) => a + g.stealPct, 0) / guests.length),
      host_free_mean_MiB: round6(this.windowMean(0, h.freePages() / PAGES_PER_MIB)),
      host_swapped_mean_MiB: round6(this.windowMean(1, 0)),
      balloon_total_MiB: round6(guests.reduce((a, g) => a + g.balloonActualMiB, 0)),
      interface_calls_per_s: round6(c.calls / (windowNs / 1e9)),
      interface_transitions_per_s: round6(c.transitions / (windowNs / 1e9)),
      interface_cpu_s: round6(c.overheadNs / 1e9),
      interface_Mcycles: round6(c.cycles / 1e6),
      wake_latency_p99_worst_us: Math.max(...guests.map((g) => g.wakeLatencyUs.p99)),
      clock_error_worst_ms: Math.max(...guests.map((g) => g.clockErrorMs.maxAbs)),
      host_hard_or_low_s: round6(c.hardOrLowNs / 1e9),
      shared_saved_MiB: round6(guests.reduce((a, g) => a + g.sharedSavedMiB, 0)),
      slowdown_mean: round6(guests.reduce((a, g) => a + g.slowdown, 0) / guests.length),
      guest_swap_in_pages: guests.reduce((a, g) => a + g.swapInPages, 0),
      guest_swap_out_pages: guests.reduce((a, g) => a + g.swapOutPages, 0),
      host_swap_out_pages: c.hostSwapOut,
      fault_stall_s: round6(guests.reduce((a, g) => a + g.faultStallS, 0)),
      host_blocked_s: round6(guests.reduce((a, g) => a + g.hostBlockedS, 0)),
      timer_interrupts_lost: guests.reduce(
        (a, g) => a + g.timerInterrupts.lost + g.timerInterrupts.merged,
        0,
      ),
    };
    return { metrics, guests, eventsProcessed };
  }

  /** One guest's end-of-run (or warmup) figures at `now`. */
  private guestSummary(g: Guest, now: number, entitlement: number[], unconstrainedNs: number): GuestSummary {
    const h = this.host;
    let parks = 0;
    let seen = 0;
    for (let v = h.guestFirstVcpu[g.index]!; v < h.guestFirstVcpu[g.index]! + g.vcpus; v++) {
      parks += h.cpu.parkCount[v]!;
      seen += g.time.seenStealNs(v - h.guestFirstVcpu[g.index]!);
    }
    const finalErrorNs = this.clock.readNow(g.index);
    const timer = h.timers.counts(h.guestFirstVcpu[g.index]!, g.vcpus);
    const t = [RUNNING, RUNNABLE, BLOCKED, OFFLINE].map((s) => {
      let sum = 0;
      for (let v = h.guestFirstVcpu[g.index]!; v < h.guestFirstVcpu[g.index]! + g.vcpus; v++) {
        sum += h.runstates.timeIn(v, s, now);
      }
      return sum;
    }) as [number, number, number, number];
    const calls = sortedRecord(h.callCounts[g.index]!);
    return {
      name: g.name,
      vcpus: g.vcpus,
      memoryMiB: g.totalPages / PAGES_PER_MIB,
      runningNs: t[0],
      runnableNs: t[1],
      blockedNs: t[2],
      offlineNs: t[3],
      stealPct: round6((100 * (t[1] + t[3])) / (now * g.vcpus)),
      seenStealPct: round6((100 * seen) / (now * g.vcpus)),
      seenClocks: seenClocks(g),
      workDoneCpuS: round6(g.workDoneNs.reduce((a, b) => a + b, 0) / 1e9),
      unconstrainedWorkCpuS: round6(unconstrainedNs / 1e9),
      slowdown: slowdown(
        unconstrainedNs,
        g.workDoneNs.reduce((a, b) => a + b, 0),
      ),
      cpuPcpus: round6(t[0] / now),
      entitlementPcpus: round6(entitlement[g.index] ?? 0),
      wakeLatencyUs: latencySummary(this.wake.window[g.index]!),
      parks,
      schedulerCounters: h.schedulerCounters(g.index),
      clock: g.time.kind,
      clockErrorMs: {
        maxAbs: round6(this.clock.maxAbsMs(g.index)),
        final: round6(finalErrorNs / 1e6),
        rms: round6(this.clock.rmsMs(g.index)),
      },
      timerInterrupts: {
        delivered: timer.delivered,
        merged: timer.merged,
        lost: timer.dropped,
        giveUps: timer.giveUps,
        pending: timer.pending,
      },
      clockSteps: g.time.steps,
      workload: h.hostMem.cfg.workloadKind[g.index] ?? '',
      workloadMetrics: g.workloadMetrics(now),
      anonDemandMiB: g.mem.anonWantedPages / PAGES_PER_MIB,
      cacheDemandMiB: g.mem.cacheWantedPages / PAGES_PER_MIB,
      cacheMiB: g.mem.cachePages / PAGES_PER_MIB,
      anonMiB: g.mem.anonPages / PAGES_PER_MIB,
      swappedMiB: g.mem.swappedPages / PAGES_PER_MIB,
      hostSwappedMiB: h.hostMem.hostSwapped[g.index]! / PAGES_PER_MIB,
      sharedSavedMiB: h.hostMem.savedPages(g.index) / PAGES_PER_MIB,
      majorFaults: g.mem.majorFaults,
      minorFaults: g.mem.minorFaults,
      swapInPages: g.mem.swapIn,
      swapOutPages: g.mem.swapOut,
      hostFaults: h.hostMem.hostFaults[g.index]!,
      faultStallS: round6(g.stallNsUpTo(now) / 1e9),
      oomEvents: g.mem.oomEvents,
      balloonFailures: g.balloonFailures,
      balloonStuckS: h.stuckNs[g.index]! / 1e9,
      hostBlockedS: round6(h.hostBlockedTimeNs(g.index, now) / 1e9),
      balloonTargetMiB: h.balloonTarget[g.index]! / PAGES_PER_MIB,
      balloonActualMiB: g.balloonPages / PAGES_PER_MIB,
      balloonLowmemMiB: g.mem.balloonLowmemPages / PAGES_PER_MIB,
      freeMiB: g.freePages / PAGES_PER_MIB,
      interfaceCalls: calls,
      interfaceCycles: h.callCycles[g.index]!,
      interfaceCallCycles: sortedRecord(h.callCyclesByName[g.index]!),
      interfaceTransitions: h.transitions[g.index]!,
      interfaceBytesCopied: h.bytesCopied[g.index]!,
      interfaceErrors: h.callErrors[g.index]!,
      interface: g.abi,
      ...(g.interfaceNote === undefined ? {} : { interfaceNote: g.interfaceNote }),
    };
  }

  /** Host-wide cumulative counters, for the run metrics (and their warmup snapshot). */
  private hostCounters(now: number): HostCounters {
    const h = this.host;
    return {
      calls: h.callCounts.reduce((a, m) => a + totalCalls(m), 0),
      transitions: h.transitions.reduce((a, b) => a + b, 0),
      overheadNs: h.guests.reduce((a, g) => a + g.overheadNs.reduce((x, y) => x + y, 0), 0),
      cycles: h.callCycles.reduce((a, b) => a + b, 0),
      hardOrLowNs: h.hostMem
        .timeInStates(now)
        .slice(2)
        .reduce((a, b) => a + b, 0),
      hostSwapOut: h.hostMem.hostSwapOut.reduce((a, b) => a + b, 0),
    };
  }

  /** End of the warmup: snapshot every cumulative figure; latency percentiles start afresh. */
  private onWarmupEnd(): void {
    const h = this.host;
    const now = this.sim.nowNs;
    h.settleTimers();
    const entitlement = h.entitlementPcpus();
    this.atWarmup = {
      atNs: now,
      guests: h.guests.map((g) => this.guestSummary(g, now, entitlement, 0)),
      counters: this.hostCounters(now),
    };
    this.wake.restartWindow();
  }

  /** Work guest `gi` would have done unconstrained after the warmup: its total less the intervals before. */
  private unconstrainedAfter(gi: number, totalNs: number): number {
    const before = Math.round((this.atWarmup?.atNs ?? 0) / this.intervalNs);
    let sum = 0;
    const rows = this.cpuDemandNs[gi];
    for (let k = 0; k < before && rows !== undefined && k < rows.length; k++) sum += rows[k]!;
    return totalNs - sum;
  }

  /** Mean of host column `col` over the samples after the warmup (`fallback` without any). */
  private windowMean(col: number, fallback: number): number {
    const from = (this.atWarmup?.atNs ?? 0) / 1e9;
    let sum = 0;
    let n = 0;
    for (let r = 0; r < this.rows; r++) {
      if (this.timeS[r]! <= from) continue;
      sum += this.values[col]![r]!;
      n++;
    }
    return n > 0 ? sum / n : fallback;
  }
}

/** Unconstrained ÷ done, 1 when both are 0; capped at 1000 so a starved guest stays finite. */
/** Host-wide cumulative counters behind the run metrics. */
interface HostCounters {
  calls: number;
  transitions: number;
  overheadNs: number;
  cycles: number;
  hardOrLowNs: number;
  hostSwapOut: number;
}

/** `end − start` for every key of either (counters by name). */
function diffRecord(end: Record<string, number>, start: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(end)) out[k] = end[k]! - (start[k] ?? 0);
  return out;
}

/**
 * A guest's summary over the window after the warmup (from `fromNs` to `toNs`): cumulative
 * figures are end − start, shares and rates are recomputed over the window, states at the end of
 * the run stay as they are. Not windowed: the clock error's maximum and RMS, the clocks the guest
 * read (seenClocks: readings since boot), and the workload's own metrics, which cover the whole run; wake-to-run percentiles start afresh at the warmup's end.
 */
function windowGuest(
  e: GuestSummary,
  s: GuestSummary,
  fromNs: number,
  toNs: number,
  unconstrainedNs: number,
): GuestSummary {
  const w = toNs - fromNs;
  const running = e.runningNs - s.runningNs;
  const runnable = e.runnableNs - s.runnableNs;
  const offline = e.offlineNs - s.offlineNs;
  const doneS = e.workDoneCpuS - s.workDoneCpuS;
  return {
    ...e,
    runningNs: running,
    runnableNs: runnable,
    blockedNs: e.blockedNs - s.blockedNs,
    offlineNs: offline,
    stealPct: round6((100 * (runnable + offline)) / (w * e.vcpus)),
    // pct × time is proportional to the steal seen: (seen_end − seen_start) / window.
    seenStealPct: round6((e.seenStealPct * toNs - s.seenStealPct * fromNs) / w),
    workDoneCpuS: round6(doneS),
    unconstrainedWorkCpuS: round6(unconstrainedNs / 1e9),
    slowdown: slowdown(unconstrainedNs, doneS * 1e9),
    cpuPcpus: round6(running / w),
    parks: e.parks - s.parks,
    schedulerCounters: diffRecord(e.schedulerCounters, s.schedulerCounters),
    timerInterrupts: {
      delivered: e.timerInterrupts.delivered - s.timerInterrupts.delivered,
      merged: e.timerInterrupts.merged - s.timerInterrupts.merged,
      lost: e.timerInterrupts.lost - s.timerInterrupts.lost,
      giveUps: e.timerInterrupts.giveUps - s.timerInterrupts.giveUps,
      pending: e.timerInterrupts.pending,
    },
    clockSteps: e.clockSteps - s.clockSteps,
    majorFaults: e.majorFaults - s.majorFaults,
    minorFaults: e.minorFaults - s.minorFaults,
    swapInPages: e.swapInPages - s.swapInPages,
    swapOutPages: e.swapOutPages - s.swapOutPages,
    hostFaults: e.hostFaults - s.hostFaults,
    faultStallS: round6(e.faultStallS - s.faultStallS),
    oomEvents: e.oomEvents - s.oomEvents,
    balloonFailures: e.balloonFailures - s.balloonFailures,
    balloonStuckS: round6(e.balloonStuckS - s.balloonStuckS),
    hostBlockedS: round6(e.hostBlockedS - s.hostBlockedS),
    interfaceCalls: diffRecord(e.interfaceCalls, s.interfaceCalls),
    interfaceCycles: e.interfaceCycles - s.interfaceCycles,
    interfaceCallCycles: diffRecord(e.interfaceCallCycles, s.interfaceCallCycles),
    interfaceTransitions: e.interfaceTransitions - s.interfaceTransitions,
    interfaceBytesCopied: e.interfaceBytesCopied - s.interfaceBytesCopied,
    interfaceErrors: e.interfaceErrors - s.interfaceErrors,
  };
}

/**
 * What guest `g` read of its clocks through its interface at each vCPU's last time accounting, and
 * the steal it accounted, summed over its vCPUs — taken from the guest model, never from the
 * host's runstates, so a validation can hold the two against each other.
 */
function seenClocks(g: Guest): SeenClocksSummary {
  const t = g.time;
  const out: SeenClocksSummary = {
    jiffyNs: t.jiffyNs,
    reads: t.reads,
    stealJiffies: 0,
    realNs: 0,
    stolenNs: 0,
    realCycles: 0,
    availableCycles: 0,
    stolenCycles: 0,
    runstateRunningNs: 0,
    runstateRunnableNs: 0,
    runstateBlockedNs: 0,
    runstateOfflineNs: 0,
    runstateEntryNs: 0,
  };
  for (let v = 0; v < g.vcpus; v++) {
    out.stealJiffies += t.seenStealJiffies(v);
    const c = t.lastClocks(v);
    if (c === undefined) continue;
    out.realNs += c.realNs;
    out.stolenNs += c.stolenNs;
    if (c.cycles !== undefined) {
      out.realCycles += c.cycles.real;
      out.availableCycles += c.cycles.available;
      out.stolenCycles += c.cycles.stolen;
    }
    if (c.runstate !== undefined) {
      out.runstateRunningNs += c.runstate.timeNs[RUNNING];
      out.runstateRunnableNs += c.runstate.timeNs[RUNNABLE];
      out.runstateBlockedNs += c.runstate.timeNs[BLOCKED];
      out.runstateOfflineNs += c.runstate.timeNs[OFFLINE];
      out.runstateEntryNs += c.runstate.stateEntryNs;
    }
  }
  return out;
}

function slowdown(unconstrainedNs: number, doneNs: number): number {
  if (unconstrainedNs <= 0) return 1;
  return round6(Math.min(1000, unconstrainedNs / Math.max(doneNs, unconstrainedNs / 1000)));
}

/** Percentiles of an ns histogram, in µs (3 significant digits, as recorded). */
function latencySummary(hist: Histogram): LatencySummary {
  if (hist.totalCount === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const us = (ns: number) => round6(ns / 1000);
  return {
    count: hist.totalCount,
    p50: us(hist.getValueAtPercentile(50)),
    p95: us(hist.getValueAtPercentile(95)),
    p99: us(hist.getValueAtPercentile(99)),
    max: us(hist.maxValue),
  };
}

function sortedRecord(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function totalCalls(m: Map<string, number>): number {
  let s = 0;
  for (const n of m.values()) s += n;
  return s;
}

/** Six significant decimals: enough for every chart and table, and stable text in results.json. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
