/**
 * The read-only views of a running host that the figure catalog's readers take
 * (sim/results/catalog/view.ts): the host as a whole, and each guest at a sample, where the
 * statistics' own figures (the sampled clock error, the interval's wake-to-run latencies) sit
 * beside the model's state.
 */
import type { GuestView, HostView, LatencyDistribution, PressureState } from '../../results/catalog/view.js';
import type { Host } from '../host.js';
import { RUNNING } from '../runstates.js';
import type { ClockErrorStats } from './clock-error.js';
import type { WakeLatencyStats } from './wake-latency.js';

const MEMORY_STATES = ['high', 'soft', 'hard', 'low'];
/** The threshold each drawn state begins below: soft below `high`, hard below `soft`, low below `low`. */
const THRESHOLD_OF = { soft: 'high', hard: 'soft', low: 'low' } as const;

export class HostReadings implements HostView {
  constructor(private readonly h: Host) {}

  freePages(): number {
    return this.h.freePages();
  }

  swappedPages(): number {
    return this.h.swappedPages();
  }

  memoryStateIndex(): number {
    return MEMORY_STATES.indexOf(this.h.hostMem.state);
  }

  stateFloorPages(state: PressureState): number {
    const cfg = this.h.hostMem.cfg;
    return cfg.thresholds[THRESHOLD_OF[state]] * cfg.totalPages;
  }

  interfaceCalls(): number {
    return this.sumOverGuests((g) => this.h.calls.totalCalls(g));
  }

  /** Σ over guests, from the first: the order the per-guest totals were always summed in. */
  private sumOverGuests(of: (g: number) => number): number {
    let s = 0;
    for (let g = 0; g < this.h.guests.length; g++) s += of(g);
    return s;
  }

  transitions(): number {
    return this.sumOverGuests((g) => this.h.calls.transitions(g));
  }

  interfaceOverheadNs(): number {
    return this.h.guests.reduce((a, g) => a + g.overheadNs.reduce((x, y) => x + y, 0), 0);
  }

  interfaceCycles(): number {
    return this.sumOverGuests((g) => this.h.calls.cycles(g));
  }

  mmuCycles(): number {
    return this.sumOverGuests((g) => this.h.calls.pathCycles(g, 'mmu'));
  }

  hardOrLowNs(): number {
    return this.h.hostMem
      .timeInStates(this.h.nowNs())
      .slice(2)
      .reduce((a, b) => a + b, 0);
  }

  hostSwapOutPages(): number {
    return this.h.hostMem.hostSwapOutTotal();
  }

  storageBusyNs(): number {
    return this.h.storage.busyNsUpTo(this.h.nowNs());
  }

  storageQueueWaitNs(): number {
    return this.h.storage.totalQueueWaitNs();
  }
}

export class GuestReadings implements GuestView {
  /** The sample row being written: its interval's unconstrained demand is read from `cpuDemandNs`. */
  row = 0;
  /** Each guest's entitlement in pCPUs, fixed for the run. */
  private readonly entitlement: number[];

  constructor(
    private readonly h: Host,
    /** Per guest, the CPU its workload would have run in each interval unconstrained, ns. */
    private readonly cpuDemandNs: readonly Float64Array[],
    private readonly clock: ClockErrorStats,
    private readonly wake: WakeLatencyStats,
  ) {
    this.entitlement = h.entitlementPcpus();
  }

  vcpus(g: number): number {
    return this.h.guests[g]!.vcpus;
  }

  entitlementPcpus(g: number): number {
    return this.entitlement[g] ?? 0;
  }

  freePages(g: number): number {
    return this.h.guests[g]!.freePages;
  }

  balloonTargetPages(g: number): number {
    return this.h.balloonTarget[g]!;
  }

  balloonPages(g: number): number {
    return this.h.guests[g]!.balloonPages;
  }

  stealNs(g: number): number {
    const h = this.h;
    const now = h.nowNs();
    const first = h.guestFirstVcpu[g]!;
    let sum = 0;
    for (let v = first; v < first + h.guests[g]!.vcpus; v++) sum += h.runstates.stealNs(v, now);
    return sum;
  }

  runningNs(g: number): number {
    const h = this.h;
    const now = h.nowNs();
    const first = h.guestFirstVcpu[g]!;
    let sum = 0;
    for (let v = first; v < first + h.guests[g]!.vcpus; v++) sum += h.runstates.timeIn(v, RUNNING, now);
    return sum;
  }

  unconstrainedNsInInterval(g: number): number {
    return this.cpuDemandNs[g]?.[this.row] ?? 0;
  }

  interfaceCalls(g: number): number {
    return this.h.calls.totalCalls(g);
  }

  cachePages(g: number): number {
    return this.h.guests[g]!.mem.cachePages;
  }

  guestSwappedPages(g: number): number {
    return this.h.guests[g]!.mem.swappedPages;
  }

  hostSwappedPages(g: number): number {
    return this.h.hostMem.hostSwapped[g]!;
  }

  majorFaults(g: number): number {
    return this.h.guests[g]!.mem.majorFaults;
  }

  timerInterruptsLost(g: number): number {
    const t = this.h.timers.counts(this.h.guestFirstVcpu[g]!, this.h.guests[g]!.vcpus);
    return t.dropped + t.merged;
  }

  memoryDemandPages(g: number): number {
    const m = this.h.guests[g]!.mem;
    return m.anonWantedPages + m.cacheWantedPages;
  }

  residentPages(g: number): number {
    const m = this.h.guests[g]!.mem;
    return m.anonPages + m.cachePages;
  }

  sampledClockErrorNs(g: number): number {
    return this.clock.sampledErrorNs(g);
  }

  intervalWakeLatency(g: number): LatencyDistribution {
    return this.wake.interval[g]!;
  }
}
