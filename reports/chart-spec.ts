/**
 * The chart specification types shared by every chart builder and both renderers (HTML and PNG),
 * plus the palette and line styles, so all charts of a report use the same colours for the same
 * alternative or guest. Specs are plain JSON: no functions, so they can be embedded in a page.
 *
 * What chart.js can only take as a function is carried as data beside the configuration and turned
 * into one by each renderer (reports/png.ts and the page script in reports/html-assets.ts):
 * `yTickLabels` names the ticks of a state axis. Interval bars use the `barWithErrorBars` type of
 * chartjs-chart-error-bars, which both renderers register.
 */
import type { ChartConfiguration } from 'chart.js';
import type {} from 'chartjs-chart-error-bars'; // its chart type, barWithErrorBars, for chart.js's types

/** One point of a line: [x in the chart's time unit, y]. */
export type LinePoint = [number, number];
/** A bar value: a number, a [low, high] floating bar (used for CI whiskers), or null (no value). */
export type BarValue = number | [number, number] | null;

export type LineChartConfig = ChartConfiguration<'line', LinePoint[]>;
export type BarChartConfig = ChartConfiguration<'bar', BarValue[], string>;
/**
 * A mean with its interval on a horizontal bar (chartjs-chart-error-bars' IErrorBarXDataPoint): `x`
 * the mean, `xMin` and `xMax` the interval's ends, left out when there is none (fewer than two
 * seeds); null: no value.
 */
export type ErrorBarValue = { x: number; xMin?: number; xMax?: number } | null;
export type ErrorBarChartConfig = ChartConfiguration<'barWithErrorBars', ErrorBarValue[], string | string[]>;

/** A chart: a stable id (also the PNG file stem) and a function-free chart.js configuration. */
export interface ChartSpec {
  /** File-name-safe, unique within one report. */
  id: string;
  /** Short caption for lists and alt text. */
  title: string;
  config: LineChartConfig | BarChartConfig | ErrorBarChartConfig;
  /** Names of the y axis ticks 0, 1, 2, … (a state's levels, e.g. high, soft, hard, low). */
  yTickLabels?: string[];
}

/** Limits that keep charts legible. */
export interface ChartOptions {
  /** Most lines drawn in one chart (default 8). */
  maxLines: number;
  /** Most points per line; longer series are reduced to per-bucket min and max (default 1200). */
  maxPoints: number;
}

/** Defaults for ChartOptions. */
export const CHART_DEFAULTS: ChartOptions = { maxLines: 8, maxPoints: 1200 };

/** Colour-blind-friendly palette (Okabe–Ito first, then a few distinct extras); index = line/alternative. */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#8C564B',
  '#7F7F7F',
  '#BCBD22',
] as const;

/** Dash patterns for the quantities within one family chart (first dashed, e.g. target vs actual). */
export const DASHES: number[][] = [[8, 5], [], [2, 3], [12, 4, 2, 4]];

/** Palette colour for line or alternative index i (wraps around). */
export const color = (i: number): string => PALETTE[i % PALETTE.length] as string;
