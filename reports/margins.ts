/**
 * The practical-equivalence margin of each metric: how large a difference must be before a report
 * may call one alternative better. Without it "equal" could never be a verdict (a difference of
 * 0.03 MiB would be crowned once its spread is small enough), and with one it can: the two
 * alternatives are equivalent when the difference's (1 − 2α) interval lies inside ±margin (TOST).
 *
 * Default: margin = max(1 % of |baseline mean|, the unit's floor). 1 % is below what any
 * sizing or policy decision in this domain turns on (a steal, work or memory figure within 1 % of
 * another is the same answer), and above the run-to-run noise of a deterministic simulation of the
 * same seed. The floor keeps a baseline of 0 (no swapping, no lost interrupt) from making every
 * difference matter: one page, one interrupt, a hundredth of a percentage point, a microsecond of
 * latency. Callers override per metric id (`relative` as a fraction, `absolute` in the metric's unit).
 */
import type { MetricDef } from '../sim/results/types.js';

/** A metric's margin rule; the margin is max(relative · |baseline mean|, absolute). */
export interface MarginRule {
  /** Fraction of the baseline mean's magnitude (0.01 = 1 %). */
  relative: number;
  /** Floor in the metric's unit. */
  absolute: number;
}

export const DEFAULT_RELATIVE_MARGIN = 0.01;

/** Absolute floors by unit (see the header); units not listed have no floor beyond the 1 %. */
const FLOOR_BY_UNIT: Readonly<Record<string, number>> = {
  MiB: 0.5,
  pages: 1,
  interrupts: 1,
  '%': 0.01,
  µs: 1,
  ms: 0.001,
  s: 0.001,
  'CPU s': 0.001,
  'vCPU s': 0.001,
  'guest s': 0.001,
  Mcycles: 0.001,
  '×': 0.001,
  'calls/s': 0.01,
  'per s': 0.01,
};

/** The rule for `metric`, with `overrides[metric.id]` taking precedence field by field. */
export function marginRule(
  metric: MetricDef,
  overrides?: Readonly<Record<string, Partial<MarginRule>>>,
): MarginRule {
  const o = overrides?.[metric.id];
  return {
    relative: o?.relative ?? DEFAULT_RELATIVE_MARGIN,
    absolute: o?.absolute ?? FLOOR_BY_UNIT[metric.unit] ?? 0,
  };
}

export function marginFor(rule: MarginRule, baselineMean: number): number {
  return Math.max(rule.relative * Math.abs(baselineMean), rule.absolute);
}
