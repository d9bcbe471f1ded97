/**
 * The line charts every time-series chart of the report is made of: one dataset per line (colour,
 * dash, no point markers) and the chart around them (time on x, a note when the data is constant).
 */
import type { ChartDataset } from 'chart.js';
import { formatNumber } from './aggregate.js';
import { color, type LineChartConfig, type LinePoint } from './chart-spec.js';

/** One line: `colorIndex` into the palette, `dash` a canvas dash pattern ([] for solid). */
export function lineDataset(
  label: string,
  data: LinePoint[],
  colorIndex: number,
  dash: number[] = [],
): ChartDataset<'line', LinePoint[]> {
  return {
    label,
    data,
    borderColor: color(colorIndex),
    backgroundColor: color(colorIndex),
    borderWidth: 2,
    borderDash: dash,
    pointRadius: 0,
    pointHoverRadius: 3,
    tension: 0,
    fill: false,
  };
}

/**
 * A line chart of `datasets` over simulated time (`time.unit`, up to `time.max`). With `levels` the
 * values are indexes of a state's levels: the y axis runs over exactly those, one tick each (the
 * spec's yTickLabels name them).
 */
export function lineConfig(
  title: string,
  subtitle: string,
  yTitle: string,
  time: { unit: string; max: number },
  datasets: ChartDataset<'line', LinePoint[]>[],
  levels?: readonly string[],
): LineChartConfig {
  // A flat line at zero looks like a broken chart; say that the data really is constant.
  const ys = datasets.flatMap((d) => d.data.map((p) => p[1]));
  if (ys.length > 0 && ys.every((y) => y === ys[0])) {
    const y = ys[0] as number;
    const note = `every value is ${levels?.[y] ?? formatNumber(y)} throughout`;
    subtitle = subtitle === '' ? note : `${subtitle}; ${note}`;
  }
  const y =
    levels === undefined
      ? { beginAtZero: true, title: { display: true, text: yTitle } }
      : {
          min: 0,
          max: Math.max(1, levels.length - 1),
          ticks: { stepSize: 1 },
          title: { display: true, text: yTitle },
        };
  return {
    type: 'line',
    data: { datasets },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        title: { display: true, text: title },
        subtitle: { display: subtitle !== '', text: subtitle, padding: { bottom: 12 } },
        // Line-style legend keys, so dashed (e.g. target) and solid (actual) lines can be told apart:
        // a box of height 0 is stroked as a line in the dataset's colour, width and dash. (Point-style
        // keys take the point's style, which has no dash: every key came out solid.)
        legend: {
          display: true,
          position: 'bottom',
          labels: { boxWidth: 36, boxHeight: 0 },
        },
      },
      scales: {
        // No explicit max: chart.js then ends the axis on a round tick instead of squeezing in the
        // last sample time (e.g. 249.9) next to the previous tick.
        x: {
          type: 'linear',
          min: 0,
          suggestedMax: time.max,
          title: { display: true, text: `Simulated time (${time.unit})` },
        },
        y,
      },
    },
  };
}
