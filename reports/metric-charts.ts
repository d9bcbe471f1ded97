/**
 * Per-metric comparison charts: one horizontal bar chart per metric with the mean over seeds per
 * alternative and its 95 % CI as an error bar (chartjs-chart-error-bars), and the verdict.
 */
import type { ResultsFile } from '../sim/results/types.js';
import {
  alternativeOrder,
  compareAlternatives,
  formatNumber,
  isWinner,
  verdictText,
  type ComparisonTable,
  type MetricComparison,
} from './aggregate.js';
import { alternativeParts, shortName, withUnit } from './chart-labels.js';
import { color, type ChartSpec, type ErrorBarChartConfig, type ErrorBarValue } from './chart-spec.js';
import { safeFileStem } from './names.js';
import { axisFromOf, axisStartOf } from './catalog-hints.js';

/** Characters per line of an alternative's label before it is shortened in the middle. */
const LABEL_LINE = 36;

/**
 * An alternative's tick label: generated names (`host.balloon.policy=none,host.scheduler.policy=credit`)
 * one setting per line without their shared key prefix, so none is cut; a single long name is
 * shortened in the middle. Several lines: an array.
 */
export function alternativeLabel(name: string, star: boolean): string | string[] {
  const parts = alternativeParts(name).map((p) => shortName(p, LABEL_LINE));
  if (star) parts[0] = `★ ${parts[0]}`;
  return parts.length === 1 ? parts[0]! : parts;
}

/** Subtitle characters per line: a chart.js subtitle does not wrap, and runs off a half-page chart. */
const SUBTITLE_LINE = 72;

/** The first two of `lines`, the second ending in "… (see the table)" when more were cut. */
function atMostTwoLines(lines: string[]): string[] {
  return lines.length <= 2 ? lines : [lines[0]!, `${lines[1]!} … (see the table)`];
}

/** `text` in lines of at most `width` characters, broken between words (a longer word stays whole). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/**
 * Every successful run gave the metric the same value (all swap counts 0 on a host that never
 * swaps): its chart would be a row of equal bars without intervals, so it is named, not drawn.
 */
function sameInEveryRun(m: MetricComparison): boolean {
  const measured = m.stats.filter((s) => s.stats.n > 0).map((s) => s.stats);
  return measured.length > 0 && measured.every((s) => s.min === s.max && s.min === measured[0]!.min);
}

/** "Host swap-out (0 pages), …": the metrics metricCharts leaves out, with their one value. */
export function metricChartsLeftOut(table: ComparisonTable): string[] {
  return table.metrics
    .filter(sameInEveryRun)
    .map(
      (m) =>
        `${m.metric.label} (${formatNumber(m.stats.find((s) => s.stats.n > 0)!.stats.min)} ${m.metric.unit})`,
    );
}

/**
 * One horizontal bar chart per metric: mean over successful seeds per alternative, its 95 % CI as
 * an error bar, the verdict as subtitle, and a ★ on the alternative's label when it wins its swept
 * point outright (./comparison.ts). Bars start at zero so their lengths compare honestly — or at the
 * metric's axisFrom (a ratio's 1), where a length from 0 would mean nothing. Each bar has its
 * alternative's colour and is named on the axis, so there is no legend to disagree with it.
 */
export function metricCharts(r: ResultsFile, table: ComparisonTable = compareAlternatives(r)): ChartSpec[] {
  const order = alternativeOrder(r);
  return table.metrics
    .filter((m) => !sameInEveryRun(m))
    .map((m): ChartSpec => {
      const labels = m.stats.map((s) => alternativeLabel(s.alternative, isWinner(m, s.alternative)));
      const data: ErrorBarValue[] = m.stats.map(({ stats: s }) => {
        if (s.n === 0) return null;
        if (!Number.isFinite(s.ci95Half)) return { x: s.mean };
        return { x: s.mean, xMin: s.mean - s.ci95Half, xMax: s.mean + s.ci95Half };
      });
      const colors = m.stats.map((s) => color(order.indexOf(s.alternative)));
      const direction = m.metric.better === 'neither' ? '' : ` — ${m.metric.better} is better`;
      const title = `${withUnit(m.metric.label, m.metric.unit)}${direction}`;
      const ns = [...new Set(m.stats.map((s) => s.stats.n))];
      const nNote =
        ns.length === 1 ? `n = ${ns[0]} seeds` : `n = ${m.stats.map((s) => s.stats.n).join('/')} seeds`;
      const lowest = Math.min(...data.map((p) => (p === null ? Infinity : (p.xMin ?? p.x))));
      const start = axisStartOf(m.metric, lowest, { beginAtZero: true });
      // Bars grow from the axis start (a slowdown of 1.2 is a bar of 0.2 from 1).
      const from = axisFromOf(m.metric);
      // Horizontal bars: alternative names (often long, generated from sweeps) read left to right
      // on the category axis instead of being rotated and clipped.
      const config: ErrorBarChartConfig = {
        type: 'barWithErrorBars',
        data: {
          labels,
          datasets: [
            {
              label: 'Mean over seeds',
              data,
              backgroundColor: colors.map((c) => `${c}B3`),
              borderColor: colors,
              borderWidth: 1,
              barPercentage: 0.6,
              ...(from === undefined ? {} : { base: from }),
              errorBarColor: '#222222',
              errorBarWhiskerColor: '#222222',
              errorBarLineWidth: 2,
              errorBarWhiskerLineWidth: 2,
              errorBarWhiskerRatio: 0.35,
            },
          ],
        },
        options: {
          indexAxis: 'y',
          layout: { padding: { right: 24 } }, // room for the last tick label of the value axis
          plugins: {
            title: { display: true, text: title },
            // A verdict per swept point is one line each: on one line they run past the chart's edges.
            subtitle: {
              display: true,
              text: [
                // At most two lines per swept point, so a verdict that lists many long names
                // leaves the bars room; the whole verdict is in the comparison table.
                ...verdictText(m)
                  .split('; ')
                  .flatMap((line) => atMostTwoLines(wrapWords(line, SUBTITLE_LINE))),
                ...wrapWords(`${nNote}; bar: mean, whisker: 95 % confidence interval`, SUBTITLE_LINE),
              ],
              padding: { bottom: 12 },
            },
            legend: { display: false },
          },
          scales: {
            x: {
              ...start,
              // Long tick numbers (2,500,000) are thinned out rather than rotated.
              ticks: { maxRotation: 0 },
              title: { display: true, text: withUnit(m.metric.label, m.metric.unit) },
            },
            // Every bar named, even when a long verdict subtitle leaves the labels little room.
            y: { ticks: { autoSkip: false }, title: { display: true, text: 'Alternative' } },
          },
        },
      };
      return { id: `metric-${safeFileStem(m.metric.id)}`, title, config };
    });
}
