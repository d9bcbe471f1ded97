/**
 * The plain-data contract between a finished run and everything that consumes it (results.json,
 * CSV tables, the HTML report, PNG charts). Only these types cross the worker boundary and the
 * disk; reports never reach into models.
 *
 * Units are in every name: `Ns` integer nanoseconds, `Pages` 4 KiB pages, `MiB`, `Pct` percent.
 */

/** Bumped whenever the shape of results.json changes incompatibly; see results.schema.json. */
export const RESULTS_FORMAT_VERSION = 1;

/** Which direction of a metric is better, used to mark the winner of a comparison. */
export type Better = 'lower' | 'higher' | 'neither';

/** Declares one summary measure: its id (key in RunSummary.metrics), label, unit and direction. */
export interface MetricDef {
  id: string;
  label: string;
  unit: string;
  better: Better;
  description: string;
  /** Where a chart's value axis starts and bars grow from, when not 0 (a ratio's 1). */
  axisFrom?: number;
}

/** Declares one column of a run's time series. `name` already carries its unit (e.g. `host_free_MiB`). */
export interface SeriesColumnDef {
  name: string;
  /** Guest name for per-guest columns; absent for host-wide columns. */
  guest?: string;
  /** What is measured, without the guest: `free_MiB`, `steal_pct`, ... (groups columns into charts). */
  quantity: string;
  unit: string;
  description: string;
  /** A fixed reference level (e.g. a free-memory threshold), drawn as a dashed line beside the data. */
  reference?: boolean;
  /** Per-guest columns: how one line for all guests combines them (mean, worst guest or total). */
  overGuests?: 'mean' | 'worst' | 'total';
  /** A state column: the value is an index into these names (drawn as the axis ticks). */
  levels?: string[];
}

/** A run's time series, sampled at a fixed simulated interval; row i is at time `timeS[i]`. */
export interface RunSeries {
  sampleIntervalNs: number;
  timeS: number[];
  columns: SeriesColumnDef[];
  /** values[c][i] is column c at row i. */
  values: number[][];
}

/** A latency distribution; all 0 when nothing was measured. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ClockErrorSummary {
  /** Largest |error| seen at samples and time-sync rounds. */
  maxAbs: number;
  final: number;
  /** Root mean square over the samples. */
  rms: number;
}

export interface TimerInterruptSummary {
  delivered: number;
  /** Folded into another interrupt (counted once). */
  merged: number;
  /** Never delivered (discarded, or given up by catch-up, or cancelled by a time step). */
  lost: number;
  /** Times catch-up gave up on a backlog. */
  giveUps: number;
  /** Missed, still in the host's backlog at the end of the run. */
  pending: number;
}

/**
 * A guest's clocks as it read them through its interface at each vCPU's last time accounting
 * (reference/time-cpu-abi.md §1.6, §2.5), summed over its vCPUs. Readings since boot, not
 * windowed by the warmup; all 0 for a tick-counting guest, which reads no clocks.
 */
export interface SeenClocksSummary {
  /** The guest's jiffy, 10^9 / HZ, ns. */
  jiffyNs: number;
  /** Time accountings (alarm or timer interrupts, wake-ups), each one clock read, all vCPUs. */
  reads: number;
  /** Steal the guest accounted, whole jiffies (its cpustat steal): ⌊stolen read ÷ jiffy⌋ per vCPU. */
  stealJiffies: number;
  /** Real time at each vCPU's last read: VMI REAL, Xen pvclock system time, ns. */
  realNs: number;
  /** Steal read: VMI REAL − AVAILABLE, Xen runstate runnable + offline, ns. */
  stolenNs: number;
  /** VMI: REAL, AVAILABLE and STOLEN as last read, counter cycles (0 over Xen). */
  realCycles: number;
  availableCycles: number;
  stolenCycles: number;
  /**
   * Xen: vcpu_runstate_info as last read, time[RUNSTATE_*] and state_entry_time, ns (0 over VMI);
   * the four times sum to stateEntryNs.
   */
  runstateRunningNs: number;
  runstateRunnableNs: number;
  runstateBlockedNs: number;
  runstateOfflineNs: number;
  runstateEntryNs: number;
}

/** Per-guest end-of-run totals. */
export interface GuestSummary {
  name: string;
  vcpus: number;
  memoryMiB: number;
  runningNs: number;
  runnableNs: number;
  blockedNs: number;
  offlineNs: number;
  stealPct: number;
  /**
   * Steal as the guest itself last read it through its interface (VMI STOLEN counter, Xen
   * runstate area), as a percentage; 0 for a native guest, which cannot see steal.
   */
  seenStealPct: number;
  /** What the guest last read of its clocks through its interface and what it accounted from them. */
  seenClocks: SeenClocksSummary;
  workDoneCpuS: number;
  /** Work its workload would have done unconstrained (every vCPU on its own pCPU, no costs, no faults). */
  unconstrainedWorkCpuS: number;
  /** unconstrainedWorkCpuS ÷ workDoneCpuS: 1 = no slowdown (capped at 1000). */
  slowdown: number;
  /** CPU the guest got: running time ÷ elapsed, in pCPUs (0.5 = half of one pCPU). */
  cpuPcpus: number;
  /** What its scheduler promises it when every vCPU of every guest wants to run, in pCPUs. */
  entitlementPcpus: number;
  /** Wake-to-run latency: from a halted vCPU becoming runnable to it running, µs. */
  wakeLatencyUs: LatencySummary;
  /** Times a vCPU of the guest was parked by its cap or limit. */
  parks: number;
  /** The scheduler's own counts for the guest, by name (credit: boosts, steals; ESX: coStops). */
  schedulerCounters: Record<string, number>;
  /** How the guest kept time: tick-counting, vmi, xen-pvclock. */
  clock: string;
  /** The settings that define its time (absent in results written before they were recorded). */
  timeSource?: GuestTimeSource;
  /**
   * Per vCPU (guest-local order): time in each runstate over the window, ns; each row sums to the
   * window (absent in results written before they were recorded).
   */
  vcpuRunstates?: VcpuRunstates[];
  /** Guest clock error, true − guest time (positive = guest behind), ms. */
  clockErrorMs: ClockErrorSummary;
  /** Periodic timer interrupts of all its vCPUs over the run. */
  timerInterrupts: TimerInterruptSummary;
  /** Times its time-sync daemon stepped the clock. */
  clockSteps: number;
  /**
   * Xen guests on a host with clock faults (host.clock): XenLinux's "Time went backwards" warnings
   * (pvclock time more than permitted_clock_jitter behind what was processed); absent otherwise.
   */
  timeWentBackwards?: number;
  /** Its workload generator (`guests[].workload.type`). */
  workload: string;
  /**
   * What the workload measured of itself (request latency percentiles, hit ratio, jobs done),
   * keys ending in their unit (`latency_p99_ms`, `hit_ratio`, `units_done_count`); {} for
   * workloads that measure nothing beyond CPU and memory.
   */
  workloadMetrics: Record<string, number>;
  /** What the workload asked for at the end: anonymous memory (resident + swapped + refused) and page cache, MiB. */
  anonDemandMiB: number;
  cacheDemandMiB: number;
  /** Guest memory at the end: page cache, resident anonymous, in its swap; host-swapped pages of it. */
  cacheMiB: number;
  anonMiB: number;
  swappedMiB: number;
  hostSwappedMiB: number;
  /** Host frames its shared pages save (page sharing), at the end, MiB. */
  sharedSavedMiB: number;
  /** Cumulative: major and minor faults, pages swapped in and out by the guest, host-level faults. */
  majorFaults: number;
  minorFaults: number;
  swapInPages: number;
  swapOutPages: number;
  hostFaults: number;
  /** Time its vCPUs spent blocked on faults (guest swap and host swap) or held by the host, vCPU s. */
  faultStallS: number;
  /**
   * Page-cache reads that missed (the page was reclaimed or never fitted): read from disk, or from
   * the host's page cache (hostCacheHitPages of them, sim/host/host-page-cache.ts).
   */
  cacheRefaultPages: number;
  /** Refaults a KVM host's page cache served without a disk read (0 when the host has none). */
  hostCacheHitPages: number;
  /**
   * Disk waits its vCPUs stalled for (queueing + service, sim/host/storage.ts), by cause: page-cache
   * refaults, and swap-ins (its own swap and the host's), vCPU s. Both are part of faultStallS.
   */
  refaultWaitS: number;
  swapIoWaitS: number;
  /** Time its disk requests waited behind other requests (other guests', the host's, its own earlier ones), s. */
  ioQueueWaitS: number;
  /**
   * Time its timer sleeps lasted past their expiry until the timer interrupt that ended them: the
   * jiffy boundary the expiry falls in (a tickless kernel's one-shot, a tick-counting kernel's
   * tick), or for VMI sleeps of at most HZ/100 jiffies the next 100 Hz alarm. The guest's own
   * timer granularity, apart from any wait for a pCPU. vCPU s.
   */
  timerDelayS: number;
  /** Times its anonymous demand did not fit in memory and swap (OOM). */
  oomEvents: number;
  /**
   * Time the host held the guest blocked: waiting for frames it could only get by swapping (at the
   * swap device's rate), or above its target in the low state, s.
   */
  hostBlockedS: number;
  /** Balloon-driver polls that could not move toward the target. */
  balloonFailures: number;
  /** Time its driver counted as stuck (no progress toward an unmet target for 5 s), s. */
  balloonStuckS: number;
  balloonTargetMiB: number;
  balloonActualMiB: number;
  /**
   * Of the balloon, pages in the guest's lowmem zone (i386: 896 MiB less the hypervisor's hole;
   * highmem goes first), MiB.
   */
  balloonLowmemMiB: number;
  /** Lowmem its kernel held at the end: reserve, mem_map and boot hashes, page tables, MiB. */
  kernelLowmemMiB: number;
  /** Anonymous pages refused because their page tables did not fit in lowmem (OOM with free highmem). */
  lowmemOomPages: number;
  freeMiB: number;
  /** Interface calls by name (e.g. `SetAlarm`), counted over the whole run. */
  interfaceCalls: Record<string, number>;
  interfaceCycles: number;
  /** Cycles by call name (same keys as interfaceCalls). */
  interfaceCallCycles: Record<string, number>;
  /** Times the guest left for the hypervisor (exits, traps, hypercalls). */
  interfaceTransitions: number;
  /**
   * Bytes the hypervisor copied between guest memory and itself, either way (trap tables, frame
   * lists, argument structs in; answers such as xen_compile_info out).
   */
  interfaceBytesCopied: number;
  /**
   * Bytes of arguments the calls passed by value — in registers (a VMI call's words past the
   * third on the stack of its near call) — which nothing copies and the cost model does not price
   * beyond the call.
   */
  interfaceRegisterBytes: number;
  /**
   * Cross-CPU TLB flushes its processes made (flush_tlb_others after fork and munmap with other
   * vCPUs in a task; sim/abi/mmu.ts CROSS_CPU_FLUSHES), the IPIs they sent (one per target per
   * flush; 0 over Xen, whose mmuext_op flushes the other CPUs itself), and the CPU time its senders
   * spent spinning until every target acknowledged, ns (sim/host/shootdown-acks.ts).
   */
  shootdowns: number;
  shootdownIpis: number;
  shootdownSpinNs: number;
  /**
   * The interface totals of the calls on each kernel path: `boot` (trap table or IDT, callbacks,
   * version queries, runstate areas, event-channel binds, SetIDT) and `interrupt` (EOIs and
   * upcalls, interrupt enable/disable, IRET, deliveries deferred by a masked section) and `mmu`
   * (page-table work of the guest's processes, ParavirtOps.mmu). Calls on
   * no named path (timers, clocks, balloon, I/O doorbells, IPI sends) are in the totals only.
   */
  interfacePaths: Record<string, InterfacePathTotals>;
  /** Interface calls that returned an error. */
  interfaceErrors: number;
  /**
   * The interface the guest bound at boot (`vmi`, `xen`), or `native` when it found none it
   * accepted (e.g. a VMI ROM refused by its checks), with the reason.
   */
  interface: string;
  interfaceNote?: string;
}

/** Interface totals of the calls on one kernel path (GuestSummary.interfacePaths). */
export interface InterfacePathTotals {
  calls: number;
  cycles: number;
  transitions: number;
  bytesCopied: number;
  registerBytes: number;
}

/** One vCPU's runstate totals, ns. */
export interface VcpuRunstates {
  runningNs: number;
  runnableNs: number;
  blockedNs: number;
  offlineNs: number;
}

/** What defines a guest's time: its kernel's clock settings and the periodic timer it asks for. */
export interface GuestTimeSource {
  /** The kernel's tick rate (jiffies per second). */
  hz: number;
  /** In-guest time synchronisation: none, ntp, tools. */
  timeSync: string;
  /**
   * The periodic interrupt each vCPU asks the host for: `periodic` (tick-counting, at HZ),
   * `available` (VMI's alarm on the AVAILABLE counter, at the alarm rate) or `virq` (Xen's timer).
   */
  periodicTimer: string;
  /** Its rate, per second. */
  periodicTimerHz: number;
}

/** The host settings that define time in a run. */
export interface HostTimeSettings {
  /** The host CPU clock: interface call cycles become time at this rate, and VMI counters run at it. */
  cpuMHz: number;
  /** How the host delivers periodic timer interrupts a vCPU missed (host.timer): the policy and its options. */
  timerDelivery: { policy: string; options: Record<string, unknown> };
  /** Faults of the clock hardware as Xen's pvclock shows them (host.clock); absent when both are 0. */
  clockFaults?: { tscOffsetPerPcpuNs: number; platformDriftPpm: number };
}

export interface RunSummary {
  /** Values keyed by MetricDef.id. */
  metrics: Record<string, number>;
  guests: GuestSummary[];
  eventsProcessed: number;
  /** Absent in results written before it was recorded. */
  time?: HostTimeSettings;
}

/** One simulated host run: one alternative × one seed. */
export interface RunResult {
  /** Stable id: `<alternative>/seed-<seed>`. */
  runId: string;
  alternative: string;
  seed: number;
  /** Content hash of the RunSpec (hex); equal specs give equal hashes. */
  specHash: string;
  status: 'ok' | 'failed';
  /**
   * Why the run failed. A broken model invariant reads `at <s> s (<ns> ns), <where>: <guest, vCPU or
   * host>: <what was found> (invariant: <the rule>)`, <where> being `in <event>`, `after <event>`,
   * `at the end of the run` or `while the guests boot` (sim/host/run.ts).
   */
  error?: string;
  summary?: RunSummary;
  /** The time series; a failed run keeps the samples taken before it failed. */
  series?: RunSeries;
}

/** A metric's practical-equivalence margin as an experiment sets it: max(relative × |baseline mean|, absolute). */
export interface MarginSetting {
  relative?: number;
  absolute?: number;
}

/** What an experiment file says about how its alternatives are compared. */
export interface ComparisonSettings {
  /** A compare alternative's name (without its `/<swept point>`). */
  baseline?: string;
  /** By metric id. */
  margins?: Record<string, MarginSetting>;
}

/**
 * A swept factor's value as the experiment file wrote it: a number, string or boolean; any other
 * YAML value (a mapping, a list, null) as its JSON text, as it appears in the alternative's name.
 */
export type FactorValue = number | string | boolean;

/** One swept factor: its path as written under `sweep:` and its values in file order. */
export interface SweptFactor {
  path: string;
  values: FactorValue[];
}

/** Where an alternative sits in the experiment's grid of `compare` × `sweep`. */
export interface AlternativePlace {
  /** The alternative's full name (as in `experiment.alternatives`). */
  name: string;
  /** Its `compare:` alternative; absent when the file has no `compare:`. */
  compare?: string;
  /** Its value of each swept factor, by factor path, in the order of `factors`; {} without a sweep. */
  factors: Record<string, FactorValue>;
}

/**
 * The experiment's grid: the swept factors in file order and, for every alternative in declaration
 * order, its compare name and factor values. Reports read sweeps from here (reports/swept-points.ts),
 * never from the alternatives' names.
 */
export interface SweepHeader {
  /** [] without a sweep. */
  factors: SweptFactor[];
  alternatives: AlternativePlace[];
}

/** Everything in results.json. No wall-clock timestamps: identical runs give identical bytes. */
export interface ResultsFile {
  formatVersion: number;
  vmisimVersion: string;
  experiment: {
    name: string;
    /** The experiment file's `description:`, when it has one. */
    description?: string;
    /** sha256 of the experiment file's bytes (hex), or of the built-in text. */
    fileHash: string;
    file: string;
    /**
     * The command-line flags that changed the file (`--set host.pcpus=8`, `--seeds 3`), as typed,
     * in the order they applied; absent when there were none. The file, its hash and these say
     * exactly what was run.
     */
    overrides?: string[];
    durationNs: number;
    /** Time at the start of each run left out of the summaries (the series keep it), ns. */
    warmupNs: number;
    seeds: number[];
    alternatives: string[];
    host: {
      pcpus: number;
      memoryMiB: number;
      abi: string;
      scheduler: string;
      /**
       * The host memory semantics each alternative ran with, by alternative name: its preset
       * (`esx`, `xen-pv`, `kvm`) and what that preset does. Absent only in files written before it
       * was added.
       */
      memorySemantics?: Record<string, { preset: string; description: string }>;
    };
    guests: { name: string; vcpus: number; memoryMiB: number; workload: string }[];
    /** The file's `baseline:` and `margins:` for the report's verdicts; absent when it sets neither. */
    comparison?: ComparisonSettings;
    /**
     * The grid of compare alternatives × swept factors. Always written since it was added; absent
     * only in files written before, whose reports fall back to reading the grid from the names.
     */
    sweep?: SweepHeader;
  };
  metrics: MetricDef[];
  runs: RunResult[];
}

/**
 * An assumed constant as sensitivity output (sensitivity.json, the report's section) describes it:
 * the plain data of the registry in sim/experiment/assumed-constants.ts.
 */
export interface AssumedConstantInfo {
  /** Name on the command line (`--constants exitCycles,hypercallCycles`) and in sensitivity: lists. */
  id: string;
  /** Where an experiment sets it (a dotted path as in compare:). */
  path: string;
  unit: string;
  /** The value the range is stated at, and whose value that is. */
  reference: number;
  referenceOf: string;
  low: number;
  high: number;
  /** Why the range is what it is: its source, or "assumption, ± factor 2". */
  reason: string;
}
