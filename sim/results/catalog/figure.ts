/**
 * The rows of the figure catalog (sim/results/catalog/): each figure of a run once — its name,
 * unit, description, which direction is better, how it is read (a reader over the views of
 * ./view.ts, or over the per-guest summary) and how it windows (turned from readings at instants
 * into one value per sample interval, or one value for the run). The sampler, the run summary,
 * results.json's metric list, the CSV columns and docs/results.md are produced from the rows.
 *
 * The window formulas are here, beside their one-line descriptions for the docs, so that what a
 * figure means and how it is computed cannot drift apart. In them, r is the reading now, r′ the
 * one at the previous sample, Δt the time since that sample.
 */
import type { Better, GuestSummary } from '../types.js';
import type { GuestView, HostView } from './view.js';

/** How a series column turns readings into its value at each sample. */
export type SeriesWindow =
  'level' | 'interval' | 'rate' | 'vcpu-share' | 'interval-vcpu-share' | 'entitlement-share';

/** What each series window means, for the docs. */
export const SERIES_WINDOW_TEXT: Readonly<Record<SeriesWindow, string>> = {
  level: 'value at the sample',
  interval: 'over the interval since the previous sample (the statistic restarts after each sample)',
  rate: 'increase since the previous sample ÷ the interval, per simulated second',
  'vcpu-share': 'increase since the previous sample, % of the guest’s vCPU time in the interval',
  'interval-vcpu-share': 'amount in the interval, % of the guest’s vCPU time in it',
  'entitlement-share':
    'increase since the previous sample, % of the guest’s entitlement over the interval (0 without one)',
};

/** Windows that need the reading at the previous sample. */
export function seriesWindowIsDelta(w: SeriesWindow): boolean {
  return w === 'rate' || w === 'vcpu-share' || w === 'entitlement-share';
}

/**
 * A series value from reading `r` (and `previous`, the reading at the previous sample, for delta
 * windows), `dtNs` after the previous sample, for a guest of `vcpus` vCPUs and an entitlement of
 * `entitlementPcpus` (host columns: 1 and 0; only level windows apply to them).
 */
export function seriesValue(
  w: SeriesWindow,
  r: number,
  previous: number,
  dtNs: number,
  vcpus: number,
  entitlementPcpus: number,
): number {
  switch (w) {
    case 'level':
    case 'interval':
      return r;
    case 'rate':
      return (r - previous) / (dtNs / 1e9);
    case 'vcpu-share':
      return (100 * (r - previous)) / (dtNs * vcpus);
    case 'interval-vcpu-share':
      return (100 * r) / (dtNs * vcpus);
    case 'entitlement-share':
      return entitlementPcpus > 0 ? (100 * (r - previous)) / dtNs / entitlementPcpus : 0;
  }
}

/**
 * How a per-guest quantity is drawn as one line for all guests (the comparison charts): `mean` for
 * shares (percentages), `worst` for errors and latency percentiles (the largest in magnitude —
 * summing them would mean nothing), `total` for amounts and rates.
 */
export type OverGuests = 'mean' | 'worst' | 'total';

/** One column of the host's time series; its name is the quantity, which carries its unit. */
export interface HostSeriesFigure {
  quantity: string;
  unit: string;
  better: Better;
  description: string;
  window: 'level';
  /** A fixed reference level (e.g. a threshold), drawn dashed beside the data. */
  reference?: true;
  /** A state: the value is an index into these names, which charts show as the axis ticks. */
  levels?: readonly string[];
  read: (v: HostView) => number;
}

/** One column per guest of the time series, named `<guest>_<quantity>`; the quantity carries its unit. */
export interface GuestSeriesFigure {
  quantity: string;
  unit: string;
  better: Better;
  description: string;
  window: SeriesWindow;
  overGuests: OverGuests;
  read: (v: GuestView, g: number) => number;
}

/**
 * How a run metric is made from the run: over the guests' summaries (windowed to the measured
 * window by the statistics), over the host's samples, or from a host counter over the window.
 * `round: false` marks counts, summed exactly; everything else is rounded to six decimals.
 */
export type MetricWindow =
  | { kind: 'sum-over-guests'; of: (g: GuestSummary) => number; round?: false }
  | { kind: 'mean-over-guests'; of: (g: GuestSummary) => number }
  | { kind: 'worst-guest'; of: (g: GuestSummary) => number }
  | {
      kind: 'mean-over-samples';
      /** A host series quantity. */
      series: string;
      /** Without a sample in the window: the series' reading now, or 0. */
      withoutSamples: 'reading' | 0;
    }
  | { kind: 'window-total'; counter: (v: HostView) => number; divisor: number; round?: false }
  | { kind: 'window-rate'; counter: (v: HostView) => number }
  | {
      kind: 'workload';
      /** A key of the guests' workloadMetrics (workloads/*.ts `metrics`), e.g. `latency_p99_ms`. */
      measure: string;
      /** How the values of every guest (and every phase of a `phases` workload) combine. */
      over: 'sum' | 'largest';
      round?: false;
    };

/**
 * The values of workload measure `measure` over the guests, in guest order: the key itself and the
 * same key of each phase of a `phases` workload (`phase1_builds_done_count`, workloads/phases.ts).
 */
export function workloadMeasureValues(guests: readonly GuestSummary[], measure: string): number[] {
  const key = new RegExp(`^(phase\\d+_)*${measure}$`);
  return guests.flatMap((g) =>
    Object.entries(g.workloadMetrics)
      .filter(([k]) => key.test(k))
      .map(([, v]) => v),
  );
}

/** What each metric window means, for the docs. */
export function metricWindowText(w: MetricWindow): string {
  switch (w.kind) {
    case 'sum-over-guests':
      return 'sum over guests of each guest’s figure (totals over the window, states at its end)';
    case 'mean-over-guests':
      return 'mean over guests of each guest’s figure over the window';
    case 'worst-guest':
      return 'largest over guests';
    case 'mean-over-samples':
      return `mean of \`${w.series}\` over the samples in the window`;
    case 'window-total':
      return 'increase over the window';
    case 'window-rate':
      return 'increase over the window ÷ its length, per simulated second';
    case 'workload':
      return `${w.over === 'sum' ? 'sum' : 'largest'} over guests and phases of the workload’s \`${w.measure}\` (whole run)`;
  }
}

/** One run metric (a key of RunSummary.metrics; results.json's `metrics` lists them in catalog order). */
export interface RunMetricFigure {
  id: string;
  label: string;
  unit: string;
  better: Better;
  description: string;
  /**
   * Where a chart's value axis starts and its bars grow from, when not 0: a ratio's 1 (no change),
   * so that a slowdown of 1.05 is a short bar rather than one nearly as long as 1.00's.
   */
  axisFrom?: number;
  window: MetricWindow;
}

/** What a metric's window is computed over, provided by the statistics at the end of a run. */
export interface MetricInputs {
  /** Every guest's summary over the window (cumulative figures from the warmup's end on). */
  guests: readonly GuestSummary[];
  /** The window's length (the run less its warmup), ns. */
  windowNs: number;
  /** A host counter's increase over the window. */
  increase(counter: (v: HostView) => number): number;
  /** Mean of a host series over the samples after the warmup; undefined without any. */
  sampleMean(series: string): number | undefined;
  /** A host series read now. */
  readNow(series: string): number;
}

/**
 * The metric's value for the run; undefined when it does not apply (a workload measure no guest's
 * workload reports), so that the run summary leaves it out rather than report a 0 nobody measured.
 */
export function metricValue(m: RunMetricFigure, x: MetricInputs): number | undefined {
  const w = m.window;
  switch (w.kind) {
    case 'sum-over-guests': {
      const sum = x.guests.reduce((a, g) => a + w.of(g), 0);
      return w.round === false ? sum : round6(sum);
    }
    case 'mean-over-guests':
      return round6(x.guests.reduce((a, g) => a + w.of(g), 0) / x.guests.length);
    case 'worst-guest':
      return Math.max(...x.guests.map(w.of));
    case 'mean-over-samples':
      return round6(x.sampleMean(w.series) ?? (w.withoutSamples === 0 ? 0 : x.readNow(w.series)));
    case 'window-total': {
      const total = x.increase(w.counter) / w.divisor;
      return w.round === false ? total : round6(total);
    }
    case 'window-rate':
      return round6(x.increase(w.counter) / (x.windowNs / 1e9));
    case 'workload': {
      const xs = workloadMeasureValues(x.guests, w.measure);
      if (xs.length === 0) return undefined;
      const v = w.over === 'sum' ? xs.reduce((a, b) => a + b, 0) : Math.max(...xs);
      return w.round === false ? v : round6(v);
    }
  }
}

/** Six significant decimals: enough for every chart and table, and stable text in results.json. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
