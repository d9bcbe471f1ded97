/**
 * The statistics of one run: the time series (Sampler), the figures the statistics keep themselves
 * (wake-to-run latency and clock error, fed by trace events and samples, restarted by their
 * owners), and the end-of-run summary — each guest's (guest-summary.ts) and the run metrics of the
 * figure catalog (sim/results/catalog/run-metrics.ts). With a warmup, every figure is snapshotted
 * at its end and summaries cover the window after it; the series keep every sample.
 */
import type { Simulator } from '../../kernel/index.js';
import type { GuestSummary, RunSeries, RunSummary } from '../../results/types.js';
import { metricValue, type MetricInputs } from '../../results/catalog/figure.js';
import { HOST_SERIES } from '../../results/catalog/host-series.js';
import { RUN_METRICS } from '../../results/catalog/run-metrics.js';
import type { HostView } from '../../results/catalog/view.js';
import { PRIO_SAMPLE, type Host, type HostTrace } from '../host.js';
import { ClockErrorStats } from './clock-error.js';
import { guestSummary, windowGuest } from './guest-summary.js';
import { Sampler } from './sampler.js';
import { GuestReadings, HostReadings } from './view.js';
import { WakeLatencyStats } from './wake-latency.js';

type Counter = (v: HostView) => number;

/** The host counters behind the run metrics that count over the window. */
const COUNTERS: readonly Counter[] = RUN_METRICS.flatMap((m) =>
  m.window.kind === 'window-total' || m.window.kind === 'window-rate' ? [m.window.counter] : [],
);

export class RunStatistics {
  private readonly stats: { clock: ClockErrorStats; wake: WakeLatencyStats };
  private readonly hostView: HostReadings;
  private readonly sampler: Sampler;
  /** Figures at the end of the warmup, subtracted from the end-of-run ones (undefined: no warmup). */
  private atWarmup: { atNs: number; guests: GuestSummary[]; counters: Map<Counter, number> } | undefined;

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
    const guests = host.guests.length;
    this.stats = {
      clock: new ClockErrorStats(sim.trace, guests, (g) => host.clockErrorNs(g)),
      wake: new WakeLatencyStats(sim.trace, guests),
    };
    this.hostView = new HostReadings(host);
    const guestView = new GuestReadings(host, cpuDemandNs, this.stats.clock, this.stats.wake);
    this.sampler = new Sampler(sim, host, intervalNs, durationNs, this.hostView, guestView, this.stats);
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

  /** The rows sampled so far (all of them once the run is over; the whole ones before a failure). */
  series(): RunSeries {
    return this.sampler.series();
  }

  /** `unconstrainedNs`: per guest, the work its workload would have done alone (unconstrained.ts). */
  summary(eventsProcessed: number, unconstrainedNs: readonly number[]): RunSummary {
    const h = this.host;
    const now = this.sim.nowNs;
    const entitlement = h.entitlementPcpus();
    // The run is over: hand out the timer interrupts due since each vCPU's last state change.
    h.settleTimers();
    const end = h.guests.map((g) =>
      guestSummary(h, this.stats, g, now, entitlement, unconstrainedNs[g.index] ?? 0),
    );
    const w = this.atWarmup;
    // With a warmup, cumulative figures count from its end (see windowGuest).
    const guests =
      w === undefined
        ? end
        : end.map((e, i) =>
            windowGuest(e, w.guests[i]!, w.atNs, now, this.unconstrainedAfter(i, unconstrainedNs[i] ?? 0)),
          );
    const inputs: MetricInputs = {
      guests,
      windowNs: now - (w?.atNs ?? 0),
      increase: (counter) => {
        const total = counter(this.hostView);
        return w === undefined ? total : total - w.counters.get(counter)!;
      },
      sampleMean: (series) => this.windowMean(series),
      readNow: (series) => HOST_SERIES.find((f) => f.quantity === series)!.read(this.hostView),
    };
    // A metric that does not apply to this run (no workload measures it) is left out.
    const metrics = Object.fromEntries(
      RUN_METRICS.flatMap((m) => {
        const v = metricValue(m, inputs);
        return v === undefined ? [] : [[m.id, v] as const];
      }),
    );
    return { metrics, guests, eventsProcessed };
  }

  /** End of the warmup: snapshot every cumulative figure; latency percentiles start afresh. */
  private onWarmupEnd(): void {
    const h = this.host;
    const now = this.sim.nowNs;
    h.settleTimers();
    const entitlement = h.entitlementPcpus();
    this.atWarmup = {
      atNs: now,
      guests: h.guests.map((g) => guestSummary(h, this.stats, g, now, entitlement, 0)),
      counters: new Map(COUNTERS.map((c) => [c, c(this.hostView)])),
    };
    this.stats.wake.restartWindow();
  }

  /** Work guest `gi` would have done unconstrained after the warmup: its total less the intervals before. */
  private unconstrainedAfter(gi: number, totalNs: number): number {
    const before = Math.round((this.atWarmup?.atNs ?? 0) / this.intervalNs);
    let sum = 0;
    const rows = this.cpuDemandNs[gi];
    for (let k = 0; k < before && rows !== undefined && k < rows.length; k++) sum += rows[k]!;
    return totalNs - sum;
  }

  /** Mean of a host series over the samples after the warmup; undefined without any. */
  private windowMean(series: string): number | undefined {
    const from = (this.atWarmup?.atNs ?? 0) / 1e9;
    const values = this.sampler.hostColumn(series);
    let sum = 0;
    let n = 0;
    for (let r = 0; r < values.length; r++) {
      if (this.sampler.timeS[r]! <= from) continue;
      sum += values[r]!;
      n++;
    }
    return n > 0 ? sum / n : undefined;
  }
}
