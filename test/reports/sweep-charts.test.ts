// reports/sweep-charts.ts and reports/sweep-section.ts: each metric against the swept factor, one
// line per compare alternative with its 95 % CI band, the verdict of each point marked; two
// factors give small multiples and a table by factor. Expected numbers are worked by hand below.
import { describe, expect, it } from 'vitest';
import {
  sweepCharts,
  sweepLayout,
  sweepOverviewCharts,
  type SweepChartConfig,
} from '../../reports/sweep-charts.js';
import { factorTables, sweepSection } from '../../reports/sweep-section.js';
import { compareAlternatives } from '../../reports/aggregate.js';
import { color } from '../../reports/chart-spec.js';
import type { FactorValue, SweepHeader } from '../../sim/results/types.js';
import { resultsWith } from '../fixtures/one-metric-results.js';

/** The header of compare × sweep: every compare at every combination, the last factor fastest. */
function header(compares: string[], factors: { path: string; values: FactorValue[] }[]): SweepHeader {
  const points = factors.reduce<Record<string, FactorValue>[]>(
    (acc, f) => acc.flatMap((c) => f.values.map((v) => ({ ...c, [f.path]: v }))),
    [{}],
  );
  const label = (p: Record<string, FactorValue>) =>
    Object.entries(p)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',');
  return {
    factors,
    alternatives: compares.flatMap((c) =>
      points.map((p) => ({ name: c === '' ? label(p) : `${c}/${label(p)}`, compare: c, factors: p })),
    ),
  };
}

// a and b over host.pcpus, written [4, 1, 2] in the file; three seeds each.
// At 4: b = a + 10 on every seed (paired), so b wins: 52 vs 42 = 23.8 % higher.
// At 1: the same values, "equal". At 2: differences 1, −2, 4 (sd 3): no clear best.
// Means and 95 % CIs, t(0.975, 2) = 4.302653 (scipy.stats.t.ppf; reports/stats.ts): a@4 42 ± 4.302653·2/√3 = 4.96828,
// b@4 52 ± 4.96828, a@1 = b@1 11 ± 4.302653/√3 = 2.48414, a@2 22 ± 4.96828, b@2 23 ± 4.302653·√7/√3 = 6.57241.
const values = {
  'a/host.pcpus=4': [40, 42, 44],
  'a/host.pcpus=1': [10, 11, 12],
  'a/host.pcpus=2': [20, 24, 22],
  'b/host.pcpus=4': [50, 52, 54],
  'b/host.pcpus=1': [10, 11, 12],
  'b/host.pcpus=2': [21, 22, 26],
};
const oneFactor = header(['a', 'b'], [{ path: 'host.pcpus', values: [4, 1, 2] }]);

const datasets = (c: unknown) => (c as SweepChartConfig).data.datasets;

describe('metric-versus-factor charts', () => {
  const r = resultsWith(values, {}, oneFactor);
  const [chart, ...more] = sweepCharts(r);
  const config = chart!.config as unknown as SweepChartConfig;

  it('one chart per metric, x = the numeric factor ascending on a linear axis', () => {
    expect(more).toHaveLength(0);
    expect(chart!.id).toBe('sweep-m');
    expect(config.data.labels).toEqual([1, 2, 4]);
    expect(config.options!.scales!.x).toMatchObject({ type: 'linear', title: { text: 'host.pcpus' } });
    expect(config.options!.plugins!.title!.text).toBe('M (CPU s) vs host.pcpus — higher is better');
  });

  it('y from the metric axisFrom (a ratio from 1) when nothing lies below it, fitted otherwise', () => {
    const yOf = (vals: Record<string, number[]>) => {
      const rr = resultsWith(vals, { better: 'lower', unit: '×' }, oneFactor);
      rr.metrics[0]!.axisFrom = 1;
      return (sweepCharts(rr)[0]!.config as unknown as SweepChartConfig).options!.scales!.y;
    };
    const slow = (k: number) => [1 + k, 1.1 + k, 1.2 + k];
    const vals = (lowA: number) => ({
      'a/host.pcpus=4': slow(lowA),
      'a/host.pcpus=1': slow(1),
      'a/host.pcpus=2': slow(0.5),
      'b/host.pcpus=4': slow(lowA),
      'b/host.pcpus=1': slow(1),
      'b/host.pcpus=2': slow(0.5),
    });
    // Values k + 1, 1.1, 1.2 per point: mean k + 1.1, CI ± 4.302653 · 0.1 / √3 = ± 0.248 (by hand).
    // With k = 0 at host.pcpus 4 the band's low edge is 0.852 < 1: only a suggested minimum.
    expect(yOf(vals(0))).toMatchObject({ beginAtZero: false, suggestedMin: 1 });
    // With k = 0.3 the lowest edge is 1.152 ≥ 1: the axis starts at 1 exactly.
    expect(yOf(vals(0.3))).toMatchObject({ beginAtZero: false, min: 1 });
    // Without axisFrom the axis is fitted to the data, not from 0.
    expect(config.options!.scales!.y).toMatchObject({ beginAtZero: false });
    expect(config.options!.scales!.y).not.toHaveProperty('min');
  });

  it('per alternative a band (low, high: mean ∓ CI half-width, out of the legend) and its mean line', () => {
    const ds = datasets(config);
    expect(ds.map((d) => d.label)).toEqual([
      'a: 95 % CI low',
      'a: 95 % CI high',
      'a',
      'b: 95 % CI low',
      'b: 95 % CI high',
      'b',
    ]);
    expect(ds.map((d) => d.legend)).toEqual([false, false, undefined, false, false, undefined]);
    expect(ds[2]!.data).toEqual([11, 22, 42]);
    expect(ds[5]!.data).toEqual([11, 23, 52]);
    const close = (got: (number | null)[], want: number[]) => {
      expect(got).toHaveLength(want.length);
      got.forEach((g, i) => expect(g!).toBeCloseTo(want[i]!, 3));
    };
    close(ds[0]!.data, [11 - 2.48414, 22 - 4.96828, 42 - 4.96828]);
    close(ds[1]!.data, [11 + 2.48414, 22 + 4.96828, 42 + 4.96828]);
    close(ds[3]!.data, [11 - 2.48414, 23 - 6.57241, 52 - 4.96828]);
    close(ds[4]!.data, [11 + 2.48414, 23 + 6.57241, 52 + 4.96828]);
    // The upper edge fills down to the lower one, under the lines; band and line share a colour.
    expect(ds[1]!.fill).toBe('-1');
    expect(ds[0]!.fill).toBe(false);
    expect(ds[2]!.borderColor).toBe(color(0));
    expect(ds[5]!.borderColor).toBe(color(1));
    expect(String(ds[4]!.backgroundColor).startsWith(color(1))).toBe(true);
  });

  it('marks the winner of a point with a star and spells out every point’s verdict', () => {
    const b = datasets(config)[5]!;
    expect(b.pointStyle).toEqual(['circle', 'circle', 'star']);
    expect(datasets(config)[2]!.pointStyle).toEqual(['circle', 'circle', 'circle']);
    expect(config.options!.plugins!.subtitle!.text).toEqual([
      'Mean over seeds, shaded: its 95 % CI (Student t), n = 3 seeds per point; ★ clearly best',
      'At host.pcpus 1: equal; 2: no clear best (a, b)',
      '4: ★ b (23.8 % higher than a)',
    ]);
  });

  it('names the equivalent best when some but not all are equivalent', () => {
    // At 1 pCPU: b = a + 0.1 on every seed (inside the margin, 1 % of a's mean 101 = 1.01), c = a − 20.
    const h = header(['a', 'b', 'c'], [{ path: 'host.pcpus', values: [1] }]);
    const c = sweepCharts(
      resultsWith(
        {
          'a/host.pcpus=1': [100, 101, 102],
          'b/host.pcpus=1': [100.1, 101.1, 102.1],
          'c/host.pcpus=1': [80, 81, 82],
        },
        {},
        h,
      ),
    )[0]!.config as unknown as SweepChartConfig;
    expect((c.options!.plugins!.subtitle!.text as string[])[1]).toBe('At host.pcpus 1: a, b equivalent best');
  });

  it('a categorical factor: a category axis in file order; a sweep alone: one line, nothing ranked', () => {
    const h = header([''], [{ path: 'host.memory', values: ['2GiB', '1GiB'] }]);
    const c = sweepCharts(resultsWith({ 'host.memory=2GiB': [3, 5], 'host.memory=1GiB': [1, 1] }, {}, h))[0]!
      .config as unknown as SweepChartConfig;
    expect(c.data.labels).toEqual(['2GiB', '1GiB']);
    expect(c.options!.scales!.x).toMatchObject({ type: 'category' });
    expect(datasets(c).map((d) => d.label)).toEqual([
      'Mean over seeds: 95 % CI low',
      'Mean over seeds: 95 % CI high',
      'Mean over seeds',
    ]);
    expect(datasets(c)[2]!.data).toEqual([4, 1]);
    expect((c.options!.plugins!.subtitle!.text as string[]).at(-1)).toBe(
      'One alternative per point: nothing is ranked across points',
    );
  });

  it('a sweep without compare only over choices (a policy, the interface) has no sweep charts', () => {
    // The loader writes no compare name without compare: (sim/experiment/load.ts).
    const h: SweepHeader = {
      factors: [{ path: 'host.abi', values: ['xen', 'vmi'] }],
      alternatives: [
        { name: 'host.abi=xen', factors: { 'host.abi': 'xen' } },
        { name: 'host.abi=vmi', factors: { 'host.abi': 'vmi' } },
      ],
    };
    expect(sweepCharts(resultsWith({ 'host.abi=xen': [3, 5], 'host.abi=vmi': [1, 1] }, {}, h))).toEqual([]);
  });

  it('no sweep, no charts; a metric with one mean everywhere is left out and named', () => {
    expect(sweepCharts(resultsWith({ a: [1, 2], b: [3, 4] }))).toEqual([]);
    const flat = resultsWith(
      { 'a/host.pcpus=1': [5, 5], 'a/host.pcpus=2': [5, 5] },
      {},
      header(['a'], [{ path: 'host.pcpus', values: [1, 2] }]),
    );
    expect(sweepCharts(flat)).toEqual([]);
    expect(sweepSection(flat)).toContain('Not drawn, the same at every point: M (5 CPU s)');
  });

  it('a file without the sweep header draws the same charts from the names', () => {
    expect(sweepCharts(resultsWith(values))).toEqual(sweepCharts(r));
  });
});

describe('two factors: small multiples and the table by factor', () => {
  // host.pcpus [1, 2] × host.abi [vmi, xen], compare a and b, two seeds.
  // vmi: b = a + 5 on both seeds (b wins); xen: a = b + 5 (a wins at 1 pCPU), equal at 2 pCPUs.
  const two = header(
    ['a', 'b'],
    [
      { path: 'host.pcpus', values: [1, 2] },
      { path: 'host.abi', values: ['vmi', 'xen'] },
    ],
  );
  const vals = {
    'a/host.pcpus=1,host.abi=vmi': [10, 12],
    'a/host.pcpus=1,host.abi=xen': [20, 22],
    'a/host.pcpus=2,host.abi=vmi': [30, 32],
    'a/host.pcpus=2,host.abi=xen': [40, 44],
    'b/host.pcpus=1,host.abi=vmi': [15, 17],
    'b/host.pcpus=1,host.abi=xen': [15, 17],
    'b/host.pcpus=2,host.abi=vmi': [35, 37],
    'b/host.pcpus=2,host.abi=xen': [40, 44],
  };
  const r = resultsWith(vals, {}, two);

  it('overview.png takes one panel per metric (its first small multiple)', () => {
    const twoMetrics = structuredClone(r);
    twoMetrics.metrics.push({ ...twoMetrics.metrics[0]!, id: 'm2', label: 'M2' });
    for (const run of twoMetrics.runs) run.summary!.metrics.m2 = run.summary!.metrics.m! * 2;
    expect(sweepOverviewCharts(sweepCharts(twoMetrics)).map((c) => c.id)).toEqual([
      'sweep-m__host.abi-vmi',
      'sweep-m2__host.abi-vmi',
    ]);
  });

  it('one chart per value of the second factor, x = the first, the panel in the subtitle and the id', () => {
    const charts = sweepCharts(r);
    expect(charts.map((c) => c.id)).toEqual(['sweep-m__host.abi-vmi', 'sweep-m__host.abi-xen']);
    const xen = charts[1]!.config as unknown as SweepChartConfig;
    expect(xen.data.labels).toEqual([1, 2]);
    expect((xen.options!.plugins!.subtitle!.text as string[])[0]).toBe('host.abi = xen');
    // Means by hand: a@xen (21, 42), b@xen (16, 42).
    expect(datasets(xen)[2]!.data).toEqual([21, 42]);
    expect(datasets(xen)[5]!.data).toEqual([16, 42]);
  });

  it('the table: rows the first factor, columns the second, each cell the verdict and both means', () => {
    const layout = sweepLayout(r)!;
    const m = compareAlternatives(r).metrics[0]!;
    const [t, ...others] = factorTables(m, layout);
    expect(others).toHaveLength(0);
    expect(t!.rows).toEqual({ path: 'host.pcpus', values: [1, 2] });
    expect(t!.columns).toEqual({ path: 'host.abi', values: ['vmi', 'xen'] });
    const cell = (i: number, j: number) => t!.cells[i]![j]!;
    // The means of summary-by-alternative: (10+12)/2 = 11, (15+17)/2 = 16, (20+22)/2 = 21, …
    expect(cell(0, 0).means.map((x) => [x.line, x.mean])).toEqual([
      ['a', 11],
      ['b', 16],
    ]);
    expect(cell(0, 1).means.map((x) => x.mean)).toEqual([21, 16]);
    expect(cell(1, 0).means.map((x) => x.mean)).toEqual([31, 36]);
    expect(cell(1, 1).means.map((x) => x.mean)).toEqual([42, 42]);
    // b wins at vmi by 5 over 11 (45.5 %) and 5 over 31 (16.1 %); a at 1 pCPU xen by 5 over 16 (31.3 %).
    expect(cell(0, 0)).toMatchObject({ winner: 'b', verdict: '★ b (45.5 % higher than a)' });
    expect(cell(1, 0)).toMatchObject({ winner: 'b', verdict: '★ b (16.1 % higher than a)' });
    expect(cell(0, 1)).toMatchObject({ winner: 'a', verdict: '★ a (31.3 % higher than b)' });
    expect(cell(1, 1)).toMatchObject({ winner: undefined, verdict: 'equal' });
    const html = sweepSection(r);
    expect(html).toContain('<th scope="col">host.abi = xen</th>');
    expect(html).toContain('<th scope="row">host.pcpus = 2</th>');
  });

  it('three factors: the page says what the table and the panels show', () => {
    const three = header(
      ['a', 'b'],
      [
        { path: 'host.pcpus', values: [1, 2] },
        { path: 'host.abi', values: ['vmi'] },
        { path: 'host.memory', values: ['4GiB', '8GiB'] },
      ],
    );
    const vals3 = Object.fromEntries(three.alternatives.map((a, i) => [a.name, [i, i + 1]]));
    const r3 = resultsWith(vals3, {}, three);
    expect(sweepCharts(r3).map((c) => c.id)).toEqual([
      'sweep-m__host.abi-vmi__host.memory-4GiB',
      'sweep-m__host.abi-vmi__host.memory-8GiB',
    ]);
    const html = sweepSection(r3);
    expect(html).toContain(
      'The experiment sweeps 3 factors: rows and columns are the first two; there is one table per combination of host.memory.',
    );
    expect(html).toContain('<caption>host.memory = 8GiB</caption>');
    expect(html).toContain('per combination of the values of host.abi, host.memory (small multiples)');
  });
});

// A sweep of a policy × pCPUs without compare: the policies are what is ranked at each point, so
// they are the lines (one per policy) against host.pcpus. Higher is better; three seeds each.
// At 1 pCPU: esx = none + 10 on every seed (paired differences 10, 10, 10): esx wins, 21 vs 11.
// At 2: the same values: "equal". At 4: esx − none = 1, −2, 4 (sd 3, t ≈ 0.58): no clear best.
const choiceValues = {
  'host.balloon.policy=none,host.pcpus=1': [10, 11, 12],
  'host.balloon.policy=none,host.pcpus=2': [20, 21, 22],
  'host.balloon.policy=none,host.pcpus=4': [20, 24, 22],
  'host.balloon.policy=esx,host.pcpus=1': [20, 21, 22],
  'host.balloon.policy=esx,host.pcpus=2': [20, 21, 22],
  'host.balloon.policy=esx,host.pcpus=4': [21, 22, 26],
};
/** As the loader writes a sweep without compare: no compare name at all (sim/experiment/load.ts). */
const withoutCompare = (h: SweepHeader): SweepHeader => ({
  ...h,
  alternatives: h.alternatives.map(({ compare: _c, ...a }) => a),
});
const choiceByLoad = withoutCompare(
  header(
    [''],
    [
      { path: 'host.balloon.policy', values: ['none', 'esx'] },
      { path: 'host.pcpus', values: [1, 2, 4] },
    ],
  ),
);

describe('a sweep of choices × a load factor without compare', () => {
  const r = resultsWith(choiceValues, {}, choiceByLoad);
  const layout = sweepLayout(r)!;
  const charts = sweepCharts(r);

  it('draws one line per choice against the load factor, in one chart', () => {
    expect(layout.x).toEqual({ path: 'host.pcpus', values: [1, 2, 4] });
    expect(layout.lines).toEqual(['none', 'esx']);
    expect(layout.panels).toEqual([{}]);
    expect(charts.map((c) => c.id)).toEqual(['sweep-m']);
    const mean = (label: string) => datasets(charts[0]!.config).find((d) => d.label === label)!;
    // Means by hand: none 11, 21, 22; esx 21, 21, 23.
    expect(mean('none').data).toEqual([11, 21, 22]);
    expect(mean('esx').data).toEqual([21, 21, 23]);
  });

  it('marks the choice that wins at a point, and names it by its value in the verdicts', () => {
    const styles = (label: string) =>
      datasets(charts[0]!.config).find((d) => d.label === label)!.pointStyle as string[];
    expect(styles('esx')).toEqual(['star', 'circle', 'circle']);
    expect(styles('none')).toEqual(['circle', 'circle', 'circle']);
    const subtitle = (charts[0]!.config as unknown as SweepChartConfig).options!.plugins!.subtitle!
      .text as string[];
    expect(subtitle.join(' ')).toMatch(/At host\.pcpus 1: ★ esx \(.*\); 2: equal/);
    expect(subtitle.join(' ')).not.toContain('host.balloon.policy=');
  });

  it('says the lines are the choices; no table by factor with one axis', () => {
    const html = sweepSection(r, compareAlternatives(r));
    expect(html).toContain('one line per value of host.balloon.policy (the choices compared at each point)');
    expect(html).not.toContain('<h3>By ');
    expect(factorTables(compareAlternatives(r).metrics[0]!, layout)).toEqual([]);
  });
});

describe('a sweep of choices × two load factors without compare', () => {
  // The values above at memory 1 GiB; at 2 GiB every run + 100 (the same verdicts).
  const vals = Object.fromEntries(
    Object.entries(choiceValues).flatMap(([k, v]) => [
      [`${k},host.memory=1GiB`, v],
      [`${k},host.memory=2GiB`, v.map((x) => x + 100)],
    ]),
  );
  const r = resultsWith(
    vals,
    {},
    withoutCompare(
      header(
        [''],
        [
          { path: 'host.balloon.policy', values: ['none', 'esx'] },
          { path: 'host.pcpus', values: [1, 2, 4] },
          { path: 'host.memory', values: ['1GiB', '2GiB'] },
        ],
      ),
    ),
  );
  it('tables by the two load factors rank the choices in each cell', () => {
    const layout = sweepLayout(r)!;
    expect(layout.axes.map((f) => f.path)).toEqual(['host.pcpus', 'host.memory']);
    const [t, ...others] = factorTables(compareAlternatives(r).metrics[0]!, layout);
    expect(others).toHaveLength(0);
    expect(t!.rows).toEqual({ path: 'host.pcpus', values: [1, 2, 4] });
    expect(t!.columns.path).toBe('host.memory');
    const cell = t!.cells[0]![1]!; // 1 pCPU, 2 GiB: esx 121 vs none 111
    expect(cell.winner).toBe('esx');
    expect(cell.verdict).toMatch(/^★ esx \(/);
    expect(cell.means.map((x) => [x.line, x.mean])).toEqual([
      ['none', 111],
      ['esx', 121],
    ]);
    expect(t!.cells[1]![0]!.verdict).toBe('equal');
  });
});
