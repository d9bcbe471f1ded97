/**
 * What the figure catalog's readers see of a running host: read-only views the host side provides
 * (sim/host/stats/view.ts) at an instant — a sample, the end of the warmup, the end of the run.
 * Declared here, below the models, so that the catalog names what it reads without importing them:
 * a figure that needs model state nobody reads yet adds one method here and its implementation
 * there.
 *
 * Cumulative readings (counters, times) are totals since boot; the catalog's windows turn them
 * into rates and shares over an interval or into totals over the measured window.
 */

/** Free-memory states whose lower bound is drawn: soft below `high`, hard below `soft`, low below `low`. */
export type PressureState = 'soft' | 'hard' | 'low';

/** A latency distribution as the statistics keep it (an HDR histogram), in ns. */
export interface LatencyDistribution {
  readonly totalCount: number;
  readonly maxValue: number;
  getValueAtPercentile(percentile: number): number;
}

/** The host as a whole. */
export interface HostView {
  /** Host free memory, pages. */
  freePages(): number;
  /** Guest memory the host cannot back with frames, pages. */
  swappedPages(): number;
  /** The free-memory state: 0 high, 1 soft, 2 hard, 3 low (ESX 2002 thresholds). */
  memoryStateIndex(): number;
  /** Free memory below which the host is in `state`, pages (host.memoryStates × host memory). */
  stateFloorPages(state: PressureState): number;
  /** Cumulative, all guests: interface calls, transitions to the hypervisor. */
  interfaceCalls(): number;
  transitions(): number;
  /** Cumulative, all guests: CPU time spent in interface calls, ns; their cycles by the cost model. */
  interfaceOverheadNs(): number;
  interfaceCycles(): number;
  /** Cumulative, all guests: the part of interfaceCycles spent on page tables (ParavirtOps.mmu). */
  mmuCycles(): number;
  /** Cumulative: time the host spent in its hard or low state, ns. */
  hardOrLowNs(): number;
  /** Cumulative: guest pages the host swapped out to its own disk. */
  hostSwapOutPages(): number;
  /** Cumulative: time the shared disk was busy, and time requests waited in its queue, ns. */
  storageBusyNs(): number;
  storageQueueWaitNs(): number;
}

/** Each guest, by index (the order of the experiment's guests). */
export interface GuestView {
  vcpus(g: number): number;
  /** Its entitlement under full contention, pCPUs (fixed for the run). */
  entitlementPcpus(g: number): number;
  freePages(g: number): number;
  /** Balloon target as the host last applied it, and what the guest's driver holds, pages. */
  balloonTargetPages(g: number): number;
  balloonPages(g: number): number;
  /** Cumulative over its vCPUs: time runnable or offline (steal), time running, ns. */
  stealNs(g: number): number;
  runningNs(g: number): number;
  /** CPU its workload would have run unconstrained in the interval that ends at this sample, ns. */
  unconstrainedNsInInterval(g: number): number;
  /** Cumulative: interface calls of all its vCPUs. */
  interfaceCalls(g: number): number;
  /** Page cache; anonymous pages in its own swap; its pages the host swapped out. */
  cachePages(g: number): number;
  guestSwappedPages(g: number): number;
  hostSwappedPages(g: number): number;
  /** Cumulative: major faults (guest swap-ins). */
  majorFaults(g: number): number;
  /** Cumulative: periodic timer interrupts dropped or merged, all its vCPUs. */
  timerInterruptsLost(g: number): number;
  /** What its workload asks for (anonymous + page cache) and what of it is resident, pages. */
  memoryDemandPages(g: number): number;
  residentPages(g: number): number;
  /** Its clock error, true − guest time, as the statistics measured it at this sample, ns. */
  sampledClockErrorNs(g: number): number;
  /** Its wake-to-run latencies since the previous sample (the statistics restart it after each). */
  intervalWakeLatency(g: number): LatencyDistribution;
}
