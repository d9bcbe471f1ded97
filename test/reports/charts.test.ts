/** Chart specs: plain JSON, axis titles with units, readable with many guests, faithful downsampling. */
import { describe, expect, it } from 'vitest';
import {
  buildReportCharts,
  comparisonCharts,
  firstOkRuns,
  linePoints,
  runCharts,
  shortName,
  type ChartSpec,
} from '../../reports/charts.js';
import { EVIL_GUEST, makeFixtureResults } from '../fixtures/results-fixture.js';
import { GUEST_SERIES } from '../../sim/results/catalog/guest-series.js';
import { esxPolicy } from '../../policies/balloon/esx.js';
import type { SeriesColumnDef } from '../../sim/results/types.js';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { createCanvas } from 'canvas';

type Axis = { title?: { display?: boolean; text?: string } };

function allSpecs(): ChartSpec[] {
  const c = buildReportCharts(makeFixtureResults({ withFailedRun: true }));
  return [
    ...c.metrics,
    ...c.comparison,
    ...c.runs.flatMap((r) => [...r.charts, ...r.guests.flatMap((g) => g.charts)]),
  ];
}

describe('chart specs', () => {
  const specs = allSpecs();

  it('are plain JSON (no functions, no undefined) and have unique ids', () => {
    for (const s of specs) expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
    for (const s of specs) expect(s.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
  });

  it('every chart has a title, both axis titles, the value axis with a unit, and a legend where lines need one', () => {
    expect(specs.length).toBeGreaterThan(10);
    for (const s of specs) {
      const o = s.config.options!;
      expect(o.plugins?.title?.display).toBe(true);
      expect(String(o.plugins?.title?.text)).not.toBe('');
      // Line charts name their lines in a legend; a bar chart names each bar on its axis instead.
      expect(o.plugins?.legend?.display).toBe(s.config.type === 'line');
      const x = o.scales?.x as Axis;
      const y = o.scales?.y as Axis;
      expect(x.title?.display).toBe(true);
      expect(y.title?.display).toBe(true);
      // Line charts: time across, value up. Bar charts are horizontal: value across.
      const value = s.config.type === 'line' ? y : x;
      expect(value.title?.text, s.id).toMatch(/\(.+\)$/);
      if (s.config.type === 'line') expect(x.title?.text).toBe('Simulated time (s)');
      else expect(y.title?.text).toBe('Alternative');
    }
  });

  it('show the units the data declares', () => {
    const byId = new Map(specs.map((s) => [s.id, s]));
    const yTitle = (id: string) => (byId.get(id)?.config.options?.scales?.y as Axis).title?.text ?? '';
    expect(yTitle('compare-host_free_MiB')).toBe('Host free memory (MiB)');
    const title = (id: string) => String(byId.get(id)?.config.options?.plugins?.title?.text);
    expect(yTitle('compare-guests-steal_pct')).toBe('Stolen time (%)');
    expect(title('compare-guests-steal_pct')).toMatch(/\(mean over \d+ guests\)/);
    expect(yTitle('compare-guests-interface_calls_per_s')).toBe('Interface calls (calls/s)');
    expect(title('compare-guests-interface_calls_per_s')).toMatch(/\(total over \d+ guests\)/);
    expect((byId.get('metric-work_done')?.config.options?.scales?.x as Axis).title?.text).toBe(
      'Work done (CPU s)',
    );
  });

  it('draws balloon target and actual of a guest together, target dashed', () => {
    const c = buildReportCharts(makeFixtureResults());
    const g = c.runs[0]!.guests.find((x) => x.name === EVIL_GUEST)!;
    const balloon = g.charts.find((s) =>
      String(s.config.options?.plugins?.title?.text).startsWith('Balloon'),
    )!;
    const ds = balloon.config.data.datasets;
    expect(ds.map((d) => d.label)).toEqual(['target', 'actual']);
    expect((ds[0] as { borderDash: number[] }).borderDash.length).toBeGreaterThan(0);
  });
});

describe('many guests and alternatives', () => {
  it('caps lines per chart and says so in the subtitle', () => {
    const r = makeFixtureResults({ guests: 20 });
    const specs = runCharts(r.runs[0]!, 'x-', { maxLines: 8 });
    const steal = specs.find((s) => s.id === 'x-guests-steal_pct')!;
    expect(steal.config.data.datasets.length).toBe(8);
    expect(String(steal.config.options?.plugins?.subtitle?.text)).toContain('8 of 20 guests');
    const balloon = specs.find((s) => s.id === 'x-guests-balloon_MiB')!;
    expect(balloon.config.data.datasets.length).toBe(8); // 4 guests × (target, actual)
  });

  it('leaves out a comparison chart whose every line holds one value throughout', () => {
    const r = makeFixtureResults({ guests: 3 });
    const ids = () => comparisonCharts(r).map((s) => s.id);
    expect(ids()).toContain('compare-host_swapped_MiB');
    // Host swapped memory 0 at every sample of every run: the chart goes, the others stay.
    for (const run of r.runs) {
      const col = run.series!.columns.findIndex((c) => c.name === 'host_swapped_MiB');
      run.series!.values[col] = run.series!.values[col]!.map(() => 0);
    }
    expect(ids()).not.toContain('compare-host_swapped_MiB');
    expect(ids()).toContain('compare-host_free_MiB');
  });

  it('aggregates guests in comparison charts: one line per alternative', () => {
    const r = makeFixtureResults({ guests: 20 });
    const steal = comparisonCharts(r).find((s) => s.id === 'compare-guests-steal_pct')!;
    expect(steal.config.data.datasets.map((d) => d.label)).toEqual(r.experiment.alternatives);
    expect(String(steal.config.options?.plugins?.title?.text)).toContain('mean over 20 guests');
  });

  it('shows the worst guest for latency percentiles and errors, never their sum', () => {
    // The figure catalog says how each quantity combines over guests (guest-series.ts).
    const over = (q: string) => GUEST_SERIES.find((f) => f.quantity === q)?.overGuests;
    expect(over('wake_p99_us')).toBe('worst');
    expect(over('clock_error_ms')).toBe('worst');
    expect(over('steal_pct')).toBe('mean');
    expect(over('free_MiB')).toBe('total');
    expect(esxPolicy.gauges[0]!.overGuests).toBe('total');
    // And the comparison chart follows the column's declaration, whatever its name: declared
    // worst, two guests at 3 and −5 draw −5 (largest in magnitude), never their sum −2.
    const r = makeFixtureResults({ guests: 2 });
    for (const run of r.runs)
      for (const c of run.series?.columns ?? [])
        if (c.guest !== undefined && c.quantity === 'free_MiB') c.overGuests = 'worst';
    const run = firstOkRuns(r)[0]!;
    const isGuestFree = (c: SeriesColumnDef) => c.guest !== undefined && c.quantity === 'free_MiB';
    const cols = run.series!.columns.flatMap((c, i) => (isGuestFree(c) ? [i] : []));
    run.series!.values[cols[0]!]![0] = 3;
    run.series!.values[cols[1]!]![0] = -5;
    const free = comparisonCharts(r).find((s) => s.id === 'compare-guests-free_MiB')!;
    expect(free.config.data.datasets[0]!.data[0]).toEqual([run.series!.timeS[0], -5]);
    expect(String(free.config.options?.plugins?.title?.text)).toContain('worst over 2 guests');
  });

  it('does not speak of aggregating a single guest', () => {
    const r = makeFixtureResults({ guests: 1 });
    const steal = comparisonCharts(r).find((s) => s.id === 'compare-guests-steal_pct')!;
    expect(String(steal.config.options?.plugins?.title?.text)).toBe('Stolen time by alternative');
  });
});

describe('shortName', () => {
  it('keeps short names and cuts long ones in the middle so sweep suffixes stay visible', () => {
    expect(shortName('esx')).toBe('esx');
    const a = shortName('esx idleTax=0.75 host.memory=12GiB', 24);
    const b = shortName('esx idleTax=0.75 host.memory=16GiB', 24);
    expect(Array.from(a)).toHaveLength(24);
    expect(a).toContain('…');
    expect(a).not.toBe(b);
    expect(shortName('ü'.repeat(10) + '😀'.repeat(30), 12)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('linePoints', () => {
  it('keeps short series exactly (scaled to the time unit)', () => {
    expect(linePoints([0, 60, 120], [1, 2, 3], 60, 100)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('reduces long series to per-bucket min and max, keeping spikes', () => {
    const t = Array.from({ length: 10_000 }, (_, i) => i);
    const y = t.map((i) => (i === 7777 ? 1000 : i === 1234 ? -50 : Math.sin(i / 100)));
    const pts = linePoints(t, y, 1, 1000);
    expect(pts.length).toBeLessThanOrEqual(1000);
    expect(pts.some(([x, v]) => x === 7777 && v === 1000)).toBe(true);
    expect(pts.some(([x, v]) => x === 1234 && v === -50)).toBe(true);
    for (let i = 1; i < pts.length; i++) expect(pts[i]![0]).toBeGreaterThan(pts[i - 1]![0]);
  });
});

describe('legend keys', () => {
  it('show each line as drawn: a dashed target is a dashed key, an actual a solid one', () => {
    // Laid out by chart.js itself (on a node canvas) from the spec the report uses.
    Chart.register(...registerables);
    const r = makeFixtureResults({ guests: 2 });
    const spec = comparisonCharts(r).find((s) => s.id === 'compare-guests-balloon_MiB')!;
    const config = structuredClone(spec.config) as unknown as ChartConfiguration;
    config.options = { ...config.options, animation: false, responsive: false };
    const canvas = createCanvas(800, 400);
    const chart = new Chart(
      canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0],
      config,
    );
    const items = chart.legend!.legendItems!;
    const datasets = config.data.datasets as { label?: string; borderDash?: number[] }[];
    expect(items.length).toBe(datasets.length);
    expect(datasets.some((d) => (d.borderDash ?? []).length > 0)).toBe(true);
    for (const item of items) {
      expect(item.lineDash ?? []).toEqual(datasets[item.datasetIndex!]!.borderDash ?? []);
    }
    chart.destroy();
  });
});
