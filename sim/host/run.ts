/**
 * One run, start to finish: build the kernel, the host, its guests (each over its ABI), the
 * policies and workloads from a RunSpec by name, simulate for the spec's duration, and return a
 * RunResult of plain data. This is what a worker executes; it touches no files and no clocks.
 *
 * A run that breaks an invariant (or a kernel assert) does not throw: it returns a failed
 * RunResult whose error says when (simulated time, human and ns), in or after which event, and
 * what broke — e.g. `at 12.345 s (12345000000 ns), after guest web-3's memory tick and balloon
 * poll: guest web-3: host-swapped pages 812 out of range 0..800 (…) (invariant: …)` — with the
 * time series sampled up to the failure, so the other runs and the report go on without it.
 */
import { formatSimTime, Simulator, type TieOrder, type TraceBus } from '../kernel/index.js';
import { Host, type HostTrace } from './host.js';
import { RunStatistics } from './stats/run-statistics.js';
import { Guest } from '../guest/guest.js';
import { bindInterface, resolveClock } from '../abi/registry.js';
import { chooseScheduler } from '../../policies/cpu/registry.js';
import { chooseBalloonPolicy } from '../../policies/balloon/registry.js';
import { chooseWorkload } from '../../workloads/registry.js';
import { createTimerDelivery } from '../../policies/time/registry.js';
import { unconstrainedWorkNs } from './unconstrained.js';
import { memorySemanticsNamed } from '../spec/memory-semantics.js';
import { PAGE_SIZE_BYTES } from '../options/units.js';
import { runId, specHash, type GuestSpec, type RunSpec } from '../spec/run-spec.js';
import type { RunResult } from '../results/types.js';
import { aggregationsWith, type Aggregations } from './aggregations.js';

export interface RunOptions {
  /** Check every model invariant after every event (slow; tests turn it on). */
  checkInvariants?: boolean;
  /** Subscribes to the run's trace bus before it starts (tests, debugging tools). */
  subscribe?: (trace: TraceBus<HostTrace>) => void;
  /**
   * The aggregations to turn off (sim/host/aggregations.ts; all on by default), e.g. `{ lazyTimers:
   * false }` for an event per timer interrupt. Same results, more work; for the on-versus-off tests.
   */
  aggregations?: Partial<Aggregations>;
  /**
   * How events at the same instant and priority are ordered (sim/kernel/event-queue.ts TieOrder).
   * `entity` gives different results from the default (the order of simultaneous events changes);
   * it is the order under which an event settled lazily can be placed exactly among them.
   */
  tieOrder?: TieOrder;
  /**
   * Look-ahead of running vCPUs' steps (Host.aggregateBursts): fewer events, the same results as
   * without it. Needs `tieOrder: 'entity'`.
   */
  aggregateBursts?: boolean;
  /**
   * Test hook (test/hostile/failed-run.test.ts): at this simulated time the last guest's
   * host-swapped page count becomes −1, a broken invariant, so that tests can see how a failed
   * run is reported. No input can set it.
   */
  breakInvariantAtNs?: number;
}

/**
 * Simulates one spec. A broken invariant gives a failed RunResult with the series up to it; a bad
 * plugin name (which validation rules out) throws.
 */
export function simulate(spec: RunSpec, opts: RunOptions = {}): RunResult {
  const sim = new Simulator<HostTrace>({ seed: spec.seed, tieOrder: opts.tieOrder });
  const aggregations = aggregationsWith(opts.aggregations);
  const plugins = {
    scheduler: chooseScheduler(spec.host.scheduler),
    balloon: chooseBalloonPolicy(spec.host.balloon),
    timer: createTimerDelivery(spec.host.timer),
  };
  const host = new Host(
    sim,
    {
      pcpus: spec.host.pcpus,
      memoryPages: Math.floor(spec.host.memoryBytes / PAGE_SIZE_BYTES),
      cpuMHz: spec.host.cpuMHz,
      clockFaults: spec.host.clock,
      storage: spec.host.storage,
      hostPageCache: spec.host.hostPageCache,
      memory: {
        overheadPagesPerGuest: Math.ceil(spec.host.guestOverheadBytes / PAGE_SIZE_BYTES),
        thresholds: spec.host.memoryStates,
        samplePages: spec.host.sampling.pages,
        samplePeriodNs: spec.host.sampling.periodNs,
        sharing: spec.host.sharing,
        semantics: memorySemanticsNamed(spec.host.memorySemantics),
        workloadKind: spec.guests.map((g) => g.workload.name),
        runningSums: aggregations.runningSums,
      },
      aggregations,
    },
    plugins,
  );
  const binding = bindInterface(spec.host);
  for (const gs of spec.guests) {
    const workloadOf = chooseWorkload(gs.workload);
    host.addGuest(
      (index) => {
        const usablePages = Math.floor((gs.memoryBytes - kernelBytes(gs)) / PAGE_SIZE_BYTES);
        const workload = workloadOf.create({
          vcpus: gs.vcpus,
          usablePages,
          vcpuRng: Array.from({ length: gs.vcpus }, (_, v) => sim.rng.stream(`workload:${gs.name}/vcpu${v}`)),
        });
        const ops = binding.decl.create({ hv: host, guest: index, costs: spec.host.costs });
        const { clock, note } = resolveClock(gs.clock, binding.decl, binding.note);
        return new Guest(
          index,
          gs.name,
          gs.vcpus,
          {
            totalPages: Math.floor(gs.memoryBytes / PAGE_SIZE_BYTES),
            reservedPages: Math.ceil(kernelBytes(gs) / PAGE_SIZE_BYTES),
            lowmemPages: Math.floor(gs.lowmem.zoneBytes / PAGE_SIZE_BYTES),
            pae: gs.lowmem.pae,
            minFreePages: Math.ceil(gs.minFreeBytes / PAGE_SIZE_BYTES),
            swapTotalPages: Math.floor(gs.swapBytes / PAGE_SIZE_BYTES),
            startBalloonPages:
              Math.floor(gs.memoryBytes / PAGE_SIZE_BYTES) -
              Math.floor(gs.balloon.startBytes / PAGE_SIZE_BYTES),
            deflateOnOom: gs.deflateOnOom,
            balloonDriver: binding.decl.balloonDriver,
          },
          ops,
          workload,
          { clock, hz: gs.hz, sync: gs.timeSync, vmiAlarmHz: gs.vmiAlarmHz },
          note,
          binding.decl.name,
        );
      },
      {
        weight: gs.cpu.weight,
        capPct: gs.cpu.capPct,
        shares: gs.cpu.sharesPerVcpu,
        reservationMHz: gs.cpu.reservationMHz,
        limitMHz: gs.cpu.limitMHz,
        affinity: gs.cpu.affinity ?? Array.from({ length: spec.host.pcpus }, (_, p) => p),
      },
      {
        minPages: Math.ceil(gs.balloon.minBytes / PAGE_SIZE_BYTES),
        shares: gs.balloon.shares,
        weight: gs.balloon.weight,
      },
    );
  }
  const unconstrained = spec.guests.map((gs) =>
    unconstrainedWorkNs(
      chooseWorkload(gs.workload),
      spec.seed,
      gs.name,
      gs.vcpus,
      Math.floor((gs.memoryBytes - kernelBytes(gs)) / PAGE_SIZE_BYTES),
      spec.durationNs,
      spec.sampleIntervalNs,
    ),
  );
  const stats = new RunStatistics(
    sim,
    host,
    spec.sampleIntervalNs,
    spec.durationNs,
    unconstrained.map((u) => u.perIntervalNs),
    spec.warmupNs,
  );
  opts.subscribe?.(sim.trace);
  if (!aggregations.lazyTimers) host.tickEagerly();
  if (opts.aggregateBursts === true) {
    if (opts.tieOrder !== 'entity') throw new Error("RunOptions.aggregateBursts needs tieOrder: 'entity'");
    host.aggregateBursts();
  }
  const ids = {
    runId: runId(spec),
    alternative: spec.alternative,
    seed: spec.seed,
    specHash: specHash(spec),
  };
  // Where the run was when it failed, for the message: booting, in an event, in the check after
  // one (debug mode), or in the final check.
  let phase: 'boot' | 'event' | 'after-event' | 'end' = 'boot';
  try {
    host.start();
    if (opts.breakInvariantAtNs !== undefined) {
      const last = host.guests.length - 1;
      const kind = sim.registerHandler(
        () => {
          host.hostMem.hostSwapped[last] = -1;
        },
        () => 'the test hook that breaks an invariant',
      );
      sim.schedule(opts.breakInvariantAtNs, kind, 0);
    }
    // Debug mode: also on when VMISIM_DEBUG_INVARIANTS=1 (the test suite sets it for every run).
    if (opts.checkInvariants ?? process.env.VMISIM_DEBUG_INVARIANTS === '1') {
      host.hostMem.checkSumsOnRead = true;
      sim.setAfterEvent(() => {
        try {
          host.checkInvariants();
        } catch (e) {
          phase = 'after-event';
          throw e;
        }
      });
    }
    phase = 'event';
    sim.runUntil(spec.durationNs);
    phase = 'end';
    host.checkInvariants();
  } catch (e) {
    return {
      ...ids,
      status: 'failed',
      error: failureMessage(sim, phase, e),
      series: stats.series(),
    };
  }
  return {
    ...ids,
    status: 'ok',
    summary: {
      ...stats.summary(
        sim.eventsProcessed,
        unconstrained.map((u) => u.totalNs),
      ),
      time: {
        cpuMHz: spec.host.cpuMHz,
        timerDelivery: { policy: spec.host.timer.name, options: spec.host.timer.options },
        ...(spec.host.clock === undefined ? {} : { clockFaults: spec.host.clock }),
      },
    },
    series: stats.series(),
  };
}

/** `at <time>, <where>: <what broke>` for a run that threw in `phase`. */
function failureMessage(
  sim: Simulator<HostTrace>,
  phase: 'boot' | 'event' | 'after-event' | 'end',
  e: unknown,
): string {
  const event = sim.failedEvent();
  const where =
    phase === 'boot'
      ? 'while the guests boot'
      : phase === 'end'
        ? 'at the end of the run'
        : `${phase === 'after-event' ? 'after' : 'in'} ${event ?? 'an event'}`;
  return `at ${formatSimTime(sim.nowNs)}, ${where}: ${e instanceof Error ? e.message : String(e)}`;
}

/** A guest kernel's memory: its reserve and the structures it sized with its memory at boot (lowmem). */
function kernelBytes(gs: GuestSpec): number {
  return gs.kernelReservedBytes + gs.lowmem.bootStructuresBytes;
}
