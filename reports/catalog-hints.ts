/**
 * How a column or metric is drawn, as results.json declares it (`overGuests`, `levels`,
 * `axisFrom`), or — for a results.json written before it declared them — as the figure catalog
 * declares the figure of the same name (sim/results/catalog/), so an old result folder reported
 * again is drawn as a new one would be. Anything neither knows: summed, numbered, from 0.
 */
import { GUEST_SERIES } from '../sim/results/catalog/guest-series.js';
import { HOST_SERIES } from '../sim/results/catalog/host-series.js';
import { METRICS } from '../sim/results/catalog/run-metrics.js';
import type { OverGuests } from '../sim/results/catalog/figure.js';
import type { MetricDef, SeriesColumnDef } from '../sim/results/types.js';

/** How a per-guest column combines over guests on one line. */
export function overGuestsOf(def: SeriesColumnDef): OverGuests {
  return def.overGuests ?? GUEST_SERIES.find((f) => f.quantity === def.quantity)?.overGuests ?? 'total';
}

/** The level names of a host state column, undefined for a column of numbers. */
export function levelsOf(def: SeriesColumnDef): readonly string[] | undefined {
  if (def.guest !== undefined) return def.levels;
  return def.levels ?? HOST_SERIES.find((f) => f.quantity === def.quantity)?.levels;
}

/** Where a metric's axis starts when not 0. */
export function axisFromOf(m: MetricDef): number | undefined {
  return m.axisFrom ?? METRICS.find((x) => x.id === m.id && x.unit === m.unit)?.axisFrom;
}

/** The value-axis start of a metric's chart, given the lowest value it draws (an interval's low end included). */
export type AxisStart =
  | { beginAtZero: boolean }
  | { beginAtZero: false; min: number }
  | { beginAtZero: false; suggestedMin: number };

/**
 * From axisFrom exactly when nothing lies below it (chart.js would round a suggested minimum down
 * to a tick: 0.9 for 1); else down far enough to show what does. Without axisFrom, `otherwise`.
 */
export function axisStartOf(m: MetricDef, lowest: number, otherwise: { beginAtZero: boolean }): AxisStart {
  const from = axisFromOf(m);
  if (from === undefined) return otherwise;
  return lowest >= from ? { beginAtZero: false, min: from } : { beginAtZero: false, suggestedMin: from };
}
