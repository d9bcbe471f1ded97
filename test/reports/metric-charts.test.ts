// Metric bar charts with real error bars (chartjs-chart-error-bars) and ratio axes from the
// catalog's axisFrom; state axes named by their levels; compact alternative names. The numbers are
// checked by hand in the comments.
import { describe, expect, it } from 'vitest';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { BarWithErrorBar, BarWithErrorBarsController } from 'chartjs-chart-error-bars';
import { createCanvas } from 'canvas';
import {
  alternativeLabel,
  metricCharts,
  metricChartsLeftOut,
  wrapWords,
} from '../../reports/metric-charts.js';
import { compareAlternatives } from '../../reports/aggregate.js';
import { alternativeParts, shortAlternative } from '../../reports/chart-labels.js';
import { comparisonCharts, runCharts, type ChartSpec } from '../../reports/charts.js';
import { renderChartPng } from '../../reports/png.js';
import { METRICS } from '../../sim/results/catalog/run-metrics.js';
import { HOST_SERIES } from '../../sim/results/catalog/host-series.js';
import { resultsWith } from '../fixtures/one-metric-results.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';
import { decodePng } from './png-pixels.js';
import { axisFromOf, levelsOf, overGuestsOf } from '../../reports/catalog-hints.js';

Chart.register(...registerables, BarWithErrorBarsController, BarWithErrorBar);

/** Lays a spec out with chart.js on a node canvas, as a renderer would (options made static). */
function layOut(spec: ChartSpec): Chart {
  const config = structuredClone(spec.config) as unknown as ChartConfiguration;
  config.options = { ...config.options, animation: false, responsive: false };
  const canvas = createCanvas(1000, 500);
  return new Chart(canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0], config);
}

describe('metric charts', () => {
  it('draw the mean with its 95 % interval as an error bar, as plain data', () => {
    // a: 20, 21 → mean 20.5, s = 0.7071, t(0.975, 1 df) = 12.706, half-width = 12.706 × 0.7071 / √2
    // = 6.353 → [14.147, 26.853]. b: one seed → a mean without an interval.
    const spec = metricCharts(resultsWith({ a: [20, 21], b: [40] }))[0]!;
    expect(spec.config.type).toBe('barWithErrorBars');
    const [a, b] = spec.config.data.datasets[0]!.data as { x: number; xMin?: number; xMax?: number }[];
    expect(a!.x).toBe(20.5);
    expect(a!.xMin).toBeCloseTo(14.147, 3);
    expect(a!.xMax).toBeCloseTo(26.853, 3);
    expect(b).toEqual({ x: 40 });
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('leave out a metric with the same value in every run, and name it with that value', () => {
    const same = resultsWith({ a: [0, 0], b: [0, 0] }, { unit: 'pages' });
    expect(metricCharts(same)).toEqual([]);
    expect(metricChartsLeftOut(compareAlternatives(same))).toEqual(['M (0 pages)']);
    // Equal means but spread within an alternative, or one alternative different: drawn.
    expect(metricCharts(resultsWith({ a: [1, 3], b: [2, 2] }))).toHaveLength(1);
    expect(metricCharts(resultsWith({ a: [2, 2], b: [3, 3] }))).toHaveLength(1);
    expect(metricChartsLeftOut(compareAlternatives(resultsWith({ a: [2, 2], b: [3, 3] })))).toEqual([]);
  });

  it('lay out an error bar at the interval’s ends', () => {
    const chart = layOut(metricCharts(resultsWith({ a: [20, 21], b: [40, 44] }))[0]!);
    const x = chart.scales.x!;
    const bar = chart.getDatasetMeta(0).data[0] as unknown as { xMin: number; xMax: number };
    expect(bar.xMin).toBeCloseTo(x.getPixelForValue(20.5 - 6.353), 0);
    expect(bar.xMax).toBeCloseTo(x.getPixelForValue(20.5 + 6.353), 0);
    chart.destroy();
  });

  it('have no legend to disagree with their per-alternative colours; the subtitle says what is drawn', () => {
    const spec = metricCharts(resultsWith({ a: [1, 2], b: [3, 4] }))[0]!;
    expect(spec.config.options?.plugins?.legend?.display).toBe(false);
    expect(spec.config.options?.plugins?.subtitle?.text).toContain(
      'n = 2 seeds; bar: mean, whisker: 95 % confidence interval',
    );
  });

  it('start a ratio’s axis and bars at the catalog’s axisFrom, others at 0', () => {
    expect(METRICS.find((m) => m.id === 'slowdown_mean')?.axisFrom).toBe(1);
    // a: 1.02, 1.03, 1.04 → mean 1.03, s = 0.01, half-width 4.303 × 0.01 / √3 = 0.0248: from 1.005.
    const r = resultsWith({ a: [1.02, 1.03, 1.04], b: [1.1, 1.11, 1.12] });
    const plain = metricCharts(r)[0]!;
    r.metrics[0]!.axisFrom = 1;
    const ratio = metricCharts(r)[0]!;
    const ds = (s: ChartSpec) => s.config.data.datasets[0] as { base?: number };
    expect(ds(plain).base).toBeUndefined();
    expect(ds(ratio).base).toBe(1);
    // Laid out: the value axis starts at 1 (the lowest whisker end, 1.005, is above it), not at 0.
    const chart = layOut(ratio);
    expect(chart.scales.x!.min).toBe(1);
    chart.destroy();
    const zero = layOut(plain);
    expect(zero.scales.x!.min).toBe(0);
    zero.destroy();
  });

  it('render their error bars in the PNG', async () => {
    const spec = metricCharts(resultsWith({ a: [20, 21], b: [40, 44] }))[0]!;
    const without = structuredClone(spec);
    without.config.data.datasets[0]!.data = (spec.config.data.datasets[0]!.data as { x: number }[]).map(
      (p) => ({ x: p.x }),
    );
    const a = decodePng(await renderChartPng(spec));
    const b = decodePng(await renderChartPng(without));
    let differ = 0;
    for (let i = 0; i < a.rgba.length; i += 4) if (a.rgba[i] !== b.rgba[i]) differ++;
    // Two whiskers of 2 px lines, each ~tens of pixels long: well over 50 pixels change.
    expect(differ).toBeGreaterThan(50);
  });
});

describe('subtitles', () => {
  it('wrap between words, so a long verdict does not run off a chart', () => {
    expect(wrapWords('no clear best among alpha, beta, gamma (best mean alpha)', 24)).toEqual([
      'no clear best among',
      'alpha, beta, gamma (best',
      'mean alpha)',
    ]);
    expect(wrapWords('short', 24)).toEqual(['short']);
    // Nine alternatives a seed-wise 1 apart: "alternative-number-8 best (5.7 % higher than
    // alternative-number-7, the next best)" is 81 characters, on two lines of at most 72.
    const many = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [`alternative-number-${i}`, [10 + i, 10.5 + i, 11 + i]]),
    );
    const lines = metricCharts(resultsWith(many))[0]!.config.options!.plugins!.subtitle!.text as string[];
    expect(lines.slice(0, 2)).toEqual([
      'alternative-number-8 best (5.7 % higher than alternative-number-7, the',
      'next best)',
    ]);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(72);
  });
});

describe('state axes', () => {
  it('carry the catalog’s level names for the host memory state', () => {
    const state = HOST_SERIES.find((f) => f.quantity === 'host_memory_state')!;
    expect(state.levels).toEqual(['high', 'soft', 'hard', 'low']);
    const r = makeFixtureResults();
    for (const run of r.runs) {
      const s = run.series;
      if (s === undefined) continue;
      s.columns.splice(1, 0, {
        name: 'host_memory_state',
        quantity: 'host_memory_state',
        unit: 'state',
        description: 'state',
        levels: ['high', 'soft', 'hard', 'low'],
      });
      s.values.splice(
        1,
        0,
        s.timeS.map((_, i) => (i < 10 ? 0 : 2)),
      );
    }
    const run = r.runs[0]!;
    const own = runCharts(run, 'x-').find((c) => c.id === 'x-host-state')!;
    const compared = comparisonCharts(r).find((c) => c.id === 'compare-host_memory_state')!;
    for (const spec of [own, compared]) {
      expect(spec.yTickLabels).toEqual(['high', 'soft', 'hard', 'low']);
      const y = spec.config.options?.scales?.y as { min?: number; max?: number; title?: { text?: string } };
      expect([y.min, y.max]).toEqual([0, 3]);
      expect(y.title?.text).toBe('Host memory state');
    }
    expect(own.config.options?.plugins?.title?.text).toBe('Host memory state');
    // Drawn with the tick callback both renderers add: one tick per state, by name.
    const chart = layOut(own);
    const yScale = chart.scales.y!;
    expect(yScale.ticks.map((t) => t.value)).toEqual([0, 1, 2, 3]);
    chart.destroy();
  });

  it('say a constant state by its name', () => {
    const r = makeFixtureResults();
    const run = r.runs[0]!;
    const s = run.series!;
    s.columns.push({ name: 'st', quantity: 'st', unit: 'state', description: '', levels: ['high', 'low'] });
    s.values.push(s.timeS.map(() => 0));
    const spec = runCharts(run, 'x-').find((c) => c.id === 'x-host-state')!;
    expect(String(spec.config.options?.plugins?.subtitle?.text)).toContain('every value is high throughout');
  });
});

describe('alternative names in charts', () => {
  it('drop the key prefix generated settings share, and nothing that tells them apart', () => {
    expect(alternativeParts('host.balloon.policy=none,host.scheduler.policy=proportional-share')).toEqual([
      'balloon.policy=none',
      'scheduler.policy=proportional-share',
    ]);
    // Keys of two segments keep both; a name that is not settings stays whole.
    expect(alternativeParts('host.pcpus=4,host.memory=8GiB')).toEqual(['host.pcpus=4', 'host.memory=8GiB']);
    expect(alternativeParts('esx "idle-tax, 0.75"/fast')).toEqual(['esx "idle-tax, 0.75"/fast']);
    expect(shortAlternative('host.balloon.policy=mom,host.scheduler.policy=proportional-share')).toBe(
      'balloon.policy=mom, scheduler.policy=proportional-share',
    );
    // Tick labels: one setting a line, the winner's star on the first.
    expect(alternativeLabel('host.balloon.policy=esx,host.scheduler.policy=credit', true)).toEqual([
      '★ balloon.policy=esx',
      'scheduler.policy=credit',
    ]);
    expect(alternativeLabel('none', false)).toBe('none');
  });
});

describe('a results.json written before columns and metrics declared how they are drawn', () => {
  it('is drawn as the figure catalog declares the figures of the same names', () => {
    expect(
      overGuestsOf({ name: 'g_steal_pct', guest: 'g', quantity: 'steal_pct', unit: '%', description: '' }),
    ).toBe('mean');
    expect(
      overGuestsOf({
        name: 'g_wake_p99_us',
        guest: 'g',
        quantity: 'wake_p99_us',
        unit: 'µs',
        description: '',
      }),
    ).toBe('worst');
    // Declared wins; a name the catalog does not know is summed.
    expect(
      overGuestsOf({
        name: 'g_x',
        guest: 'g',
        quantity: 'steal_pct',
        unit: '%',
        description: '',
        overGuests: 'total',
      }),
    ).toBe('total');
    expect(overGuestsOf({ name: 'g_x', guest: 'g', quantity: 'x_MiB', unit: 'MiB', description: '' })).toBe(
      'total',
    );
    const state = {
      name: 'host_memory_state',
      quantity: 'host_memory_state',
      unit: 'state',
      description: '',
    };
    expect(levelsOf(state)).toEqual(['high', 'soft', 'hard', 'low']);
    expect(levelsOf({ ...state, guest: 'g' })).toBeUndefined();
    const slowdown = {
      id: 'slowdown_mean',
      label: 'S',
      unit: '×',
      better: 'lower' as const,
      description: '',
    };
    expect(axisFromOf(slowdown)).toBe(1);
    // Same id, another unit: not the catalog's metric.
    expect(axisFromOf({ ...slowdown, unit: '%' })).toBeUndefined();
  });
});
