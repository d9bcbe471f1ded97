/**
 * Per-metric comparison charts: one horizontal bar chart per metric with the mean over seeds per
 * alternative, its 95 % CI as a thin floating bar (pure data, no plugin), and the verdict.
 */
import type { ResultsFile } from '../sim/results/types.js';
import { alternativeOrder, compareAlternatives, isWinner, verdictText } from './aggregate.js';
import { shortName, withUnit } from './chart-labels.js';
import { color, type BarChartConfig, type BarValue, type ChartSpec } from './chart-spec.js';
import { safeFileStem } from './names.js';

/**
 * One horizontal bar chart per metric: mean over successful seeds per alternative with its 95 % CI
 * drawn as a thin floating bar, the verdict as subtitle, and a ★ on the alternative's label when it
 * wins its swept point outright (./comparison.ts). Bars start at zero so their lengths compare honestly.
 */
export function metricCharts(r: ResultsFile): ChartSpec[] {
  const table = compareAlternatives(r);
  const order = alternativeOrder(r);
  return table.metrics.map((m): ChartSpec => {
    const labels = m.stats.map(
      (s) => `${isWinner(m, s.alternative) ? '★ ' : ''}${shortName(s.alternative, 28)}`,
    );
    const means: BarValue[] = m.stats.map((s) => (s.stats.n > 0 ? s.stats.mean : null));
    const cis: BarValue[] = m.stats.map((s) =>
      Number.isFinite(s.stats.ci95Half)
        ? [s.stats.mean - s.stats.ci95Half, s.stats.mean + s.stats.ci95Half]
        : null,
    );
    const colors = m.stats.map((s) => color(order.indexOf(s.alternative)));
    const direction = m.metric.better === 'neither' ? '' : ` — ${m.metric.better} is better`;
    const title = `${withUnit(m.metric.label, m.metric.unit)}${direction}`;
    const ns = [...new Set(m.stats.map((s) => s.stats.n))];
    const nNote =
      ns.length === 1 ? `n = ${ns[0]} seeds` : `n = ${m.stats.map((s) => s.stats.n).join('/')} seeds`;
    // Horizontal bars: alternative names (often long, generated from sweeps) read left to right
    // on the category axis instead of being rotated and clipped.
    const config: BarChartConfig = {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: 'Mean over seeds',
            data: means,
            backgroundColor: colors.map((c) => `${c}B3`),
            borderColor: colors,
            borderWidth: 1,
            grouped: false,
            barPercentage: 0.6,
            order: 2,
          },
          {
            label: '95 % CI',
            data: cis,
            backgroundColor: '#222222',
            borderWidth: 0,
            grouped: false,
            barThickness: 5,
            minBarLength: 2,
            order: 1,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        layout: { padding: { right: 24 } }, // room for the last tick label of the value axis
        plugins: {
          title: { display: true, text: title },
          // A verdict per swept point is one line each: on one line they run past the chart's edges.
          subtitle: { display: true, text: [...verdictText(m).split('; '), nNote], padding: { bottom: 12 } },
          // Datasets are ordered so the whisker draws on top; list the bars first anyway.
          legend: { display: true, position: 'bottom', reverse: true },
        },
        scales: {
          x: {
            beginAtZero: true,
            // Long tick numbers (2,500,000) are thinned out rather than rotated.
            ticks: { maxRotation: 0 },
            title: { display: true, text: withUnit(m.metric.label, m.metric.unit) },
          },
          y: { title: { display: true, text: 'Alternative' } },
        },
      },
    };
    return { id: `metric-${safeFileStem(m.metric.id)}`, title, config };
  });
}
