/**
 * A guest's summary (GuestSummary): its figures at an instant — the end of the run, or the end of
 * the warmup — and the same over the window between the two (windowGuest). Read from the host, the
 * guest model and the statistics' own wake-latency and clock-error figures.
 */
import { PAGES_PER_MIB } from '../../options/units.js';
import type { Histogram } from '../../kernel/latency-histogram.js';
import type { Guest } from '../../guest/guest.js';
import type {
  GuestSummary,
  GuestTimeSource,
  InterfacePathTotals,
  LatencySummary,
  SeenClocksSummary,
} from '../../results/types.js';
import { round6 } from '../../results/catalog/figure.js';
import type { Host } from '../host.js';
import { BLOCKED, OFFLINE, RUNNABLE, RUNNING } from '../runstates.js';
import type { ClockErrorStats } from './clock-error.js';
import type { WakeLatencyStats } from './wake-latency.js';

/** Guest `g`'s figures at `now` (cumulative ones since boot; wake-to-run latency since the warmup's end). */
export function guestSummary(
  h: Host,
  stats: { clock: ClockErrorStats; wake: WakeLatencyStats },
  g: Guest,
  now: number,
  entitlement: number[],
  unconstrainedNs: number,
): GuestSummary {
  const first = h.guestFirstVcpu[g.index]!;
  let parks = 0;
  let seen = 0;
  for (let v = first; v < first + g.vcpus; v++) {
    parks += h.cpu.parkCount[v]!;
    seen += g.time.seenStealNs(v - first);
  }
  const finalErrorNs = stats.clock.readNow(g.index);
  const timer = h.timers.counts(first, g.vcpus);
  const t = [RUNNING, RUNNABLE, BLOCKED, OFFLINE].map((s) => {
    let sum = 0;
    for (let v = first; v < first + g.vcpus; v++) sum += h.runstates.timeIn(v, s, now);
    return sum;
  }) as [number, number, number, number];
  const calls = sortedRecord(h.calls.callsOf(g.index));
  const doneNs = g.workDoneNs.reduce((a, b) => a + b, 0);
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
    workDoneCpuS: round6(doneNs / 1e9),
    unconstrainedWorkCpuS: round6(unconstrainedNs / 1e9),
    slowdown: slowdown(unconstrainedNs, doneNs),
    cpuPcpus: round6(t[0] / now),
    entitlementPcpus: round6(entitlement[g.index] ?? 0),
    wakeLatencyUs: latencySummary(stats.wake.window[g.index]!),
    parks,
    schedulerCounters: h.schedulerCounters(g.index),
    clock: g.time.kind,
    timeSource: timeSource(h, g, first),
    vcpuRunstates: Array.from({ length: g.vcpus }, (_, i) => ({
      runningNs: h.runstates.timeIn(first + i, RUNNING, now),
      runnableNs: h.runstates.timeIn(first + i, RUNNABLE, now),
      blockedNs: h.runstates.timeIn(first + i, BLOCKED, now),
      offlineNs: h.runstates.timeIn(first + i, OFFLINE, now),
    })),
    clockErrorMs: {
      maxAbs: round6(stats.clock.maxAbsMs(g.index)),
      final: round6(finalErrorNs / 1e6),
      rms: round6(stats.clock.rmsMs(g.index)),
    },
    timerInterrupts: {
      delivered: timer.delivered,
      merged: timer.merged,
      lost: timer.dropped,
      giveUps: timer.giveUps,
      pending: timer.pending,
    },
    clockSteps: g.time.steps,
    ...(h.clockFaults !== undefined && g.time.clock.backwardJitterNs !== undefined
      ? { timeWentBackwards: g.time.backwardSteps }
      : {}),
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
    cacheRefaultPages: g.mem.cacheRefaults,
    hostCacheHitPages: h.hostCache?.hits[g.index] ?? 0,
    refaultWaitS: round6(g.refaultWaitNs / 1e9),
    swapIoWaitS: round6(g.swapIoWaitNs / 1e9),
    ioQueueWaitS: round6(h.storage.queueWaitNs[g.index]! / 1e9),
    timerDelayS: round6(g.timerDelayNs.reduce((a, b) => a + b, 0) / 1e9),
    oomEvents: g.mem.oomEvents,
    balloonFailures: g.balloonFailures,
    balloonStuckS: h.stuckNs[g.index]! / 1e9,
    hostBlockedS: round6(h.hostBlockedTimeNs(g.index, now) / 1e9),
    balloonTargetMiB: h.balloonTarget[g.index]! / PAGES_PER_MIB,
    balloonActualMiB: g.balloonPages / PAGES_PER_MIB,
    balloonLowmemMiB: g.mem.balloonLowmemPages / PAGES_PER_MIB,
    kernelLowmemMiB: g.mem.kernelLowmemPages / PAGES_PER_MIB,
    lowmemOomPages: g.mem.lowmemOomPages,
    freeMiB: g.freePages / PAGES_PER_MIB,
    interfaceCalls: calls,
    interfaceCycles: h.calls.cycles(g.index),
    interfaceCallCycles: sortedRecord(h.calls.cyclesOf(g.index)),
    interfaceTransitions: h.calls.transitions(g.index),
    interfaceBytesCopied: h.calls.bytesCopied(g.index),
    interfaceRegisterBytes: h.calls.registerBytes(g.index),
    shootdowns: g.shootdowns,
    shootdownIpis: g.shootdownIpis,
    shootdownSpinNs: g.spinNs.reduce((a, b) => a + b, 0),
    interfacePaths: pathRecord(h.calls.paths(g.index)),
    interfaceErrors: h.calls.errors(g.index),
    interface: g.abi,
    ...(g.interfaceNote === undefined ? {} : { interfaceNote: g.interfaceNote }),
  };
}

/**
 * A guest's summary over the window after the warmup (from `fromNs` to `toNs`): cumulative
 * figures are end − start, shares and rates are recomputed over the window, states at the end of
 * the run stay as they are. Not windowed: the clock error's maximum and RMS, the clocks the guest
 * read (seenClocks: readings since boot), and the workload's own metrics, which cover the whole
 * run; wake-to-run percentiles start afresh at the warmup's end.
 */
export function windowGuest(
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
    ...(e.vcpuRunstates === undefined || s.vcpuRunstates === undefined
      ? {}
      : {
          vcpuRunstates: e.vcpuRunstates.map((r, i) => {
            const b = s.vcpuRunstates![i]!;
            return {
              runningNs: r.runningNs - b.runningNs,
              runnableNs: r.runnableNs - b.runnableNs,
              blockedNs: r.blockedNs - b.blockedNs,
              offlineNs: r.offlineNs - b.offlineNs,
            };
          }),
        }),
    schedulerCounters: diffRecord(e.schedulerCounters, s.schedulerCounters),
    timerInterrupts: {
      delivered: e.timerInterrupts.delivered - s.timerInterrupts.delivered,
      merged: e.timerInterrupts.merged - s.timerInterrupts.merged,
      lost: e.timerInterrupts.lost - s.timerInterrupts.lost,
      giveUps: e.timerInterrupts.giveUps - s.timerInterrupts.giveUps,
      pending: e.timerInterrupts.pending,
    },
    clockSteps: e.clockSteps - s.clockSteps,
    ...(e.timeWentBackwards === undefined || s.timeWentBackwards === undefined
      ? {}
      : { timeWentBackwards: e.timeWentBackwards - s.timeWentBackwards }),
    majorFaults: e.majorFaults - s.majorFaults,
    minorFaults: e.minorFaults - s.minorFaults,
    swapInPages: e.swapInPages - s.swapInPages,
    swapOutPages: e.swapOutPages - s.swapOutPages,
    hostFaults: e.hostFaults - s.hostFaults,
    faultStallS: round6(e.faultStallS - s.faultStallS),
    cacheRefaultPages: e.cacheRefaultPages - s.cacheRefaultPages,
    hostCacheHitPages: e.hostCacheHitPages - s.hostCacheHitPages,
    refaultWaitS: round6(e.refaultWaitS - s.refaultWaitS),
    swapIoWaitS: round6(e.swapIoWaitS - s.swapIoWaitS),
    ioQueueWaitS: round6(e.ioQueueWaitS - s.ioQueueWaitS),
    timerDelayS: round6(e.timerDelayS - s.timerDelayS),
    oomEvents: e.oomEvents - s.oomEvents,
    lowmemOomPages: e.lowmemOomPages - s.lowmemOomPages,
    balloonFailures: e.balloonFailures - s.balloonFailures,
    balloonStuckS: round6(e.balloonStuckS - s.balloonStuckS),
    hostBlockedS: round6(e.hostBlockedS - s.hostBlockedS),
    interfaceCalls: diffRecord(e.interfaceCalls, s.interfaceCalls),
    interfaceCycles: e.interfaceCycles - s.interfaceCycles,
    interfaceCallCycles: diffRecord(e.interfaceCallCycles, s.interfaceCallCycles),
    interfaceTransitions: e.interfaceTransitions - s.interfaceTransitions,
    interfaceBytesCopied: e.interfaceBytesCopied - s.interfaceBytesCopied,
    interfaceRegisterBytes: e.interfaceRegisterBytes - s.interfaceRegisterBytes,
    shootdowns: e.shootdowns - s.shootdowns,
    shootdownIpis: e.shootdownIpis - s.shootdownIpis,
    shootdownSpinNs: e.shootdownSpinNs - s.shootdownSpinNs,
    interfacePaths: windowPaths(s.interfacePaths, e.interfacePaths),
    interfaceErrors: e.interfaceErrors - s.interfaceErrors,
  };
}

/** The settings that define guest `g`'s time; its vCPUs all ask for the timer vCPU `first` does. */
function timeSource(h: Host, g: Guest, first: number): GuestTimeSource {
  const t = h.timers.timerOf(first);
  return { hz: g.time.hz, timeSync: g.time.sync, periodicTimer: t.mode, periodicTimerHz: t.hz };
}

/** `end − start` for every key of either (counters by name). */
function diffRecord(end: Record<string, number>, start: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(end)) out[k] = end[k]! - (start[k] ?? 0);
  return out;
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

/** Unconstrained ÷ done, 1 when both are 0; capped at 1000 so a starved guest stays finite. */
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

/** Path totals by path name, sorted, as plain copies. */
function pathRecord(m: Map<string, InterfacePathTotals>): Record<string, InterfacePathTotals> {
  return Object.fromEntries(
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, t]) => [k, { ...t }]),
  );
}

/** `end − start` of each path's totals (a path first used after the warmup starts from zero). */
function windowPaths(
  start: Record<string, InterfacePathTotals>,
  end: Record<string, InterfacePathTotals>,
): Record<string, InterfacePathTotals> {
  const zero: InterfacePathTotals = { calls: 0, cycles: 0, transitions: 0, bytesCopied: 0, registerBytes: 0 };
  const out: Record<string, InterfacePathTotals> = {};
  for (const [k, e] of Object.entries(end)) {
    const s = start[k] ?? zero;
    out[k] = {
      calls: e.calls - s.calls,
      cycles: e.cycles - s.cycles,
      transitions: e.transitions - s.transitions,
      bytesCopied: e.bytesCopied - s.bytesCopied,
      registerBytes: e.registerBytes - s.registerBytes,
    };
  }
  return out;
}
