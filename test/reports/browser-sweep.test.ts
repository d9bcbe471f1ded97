/**
 * A sweep's report.html in headless Chromium (as test/reports/browser.test.ts drives it): the
 * metric-versus-factor chart draws its interval bands, its axis titles fit, its legend has one
 * entry per line in that line's colour, and the table by factor is there.
 *
 * The results are made up with numbers chosen to be read off the chart: a and b over host.pcpus
 * [1, 2, 4] × host.abi [vmi, xen], three seeds; b = a + 30 on every seed (b wins every point), and
 * each 95 % CI half-width is t(0.975, 2)·2/√3 = 4.97 — a band about 16 px tall in a 400 px chart.
 *
 * This test never skips: without /usr/bin/chromium (or VMISIM_CHROMIUM) it fails and says why.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportFiles } from '../../reports/write-report.js';
import { color } from '../../reports/chart-spec.js';
import type { SweepHeader } from '../../sim/results/types.js';
import { resultsWith } from '../fixtures/one-metric-results.js';
import { CHROMIUM_MISSING, closeBrowserTest, launchChromium, needBrowser } from '../helpers/browser.js';

const PCPUS = [1, 2, 4];
const ABIS = ['vmi', 'xen'];
const sweep: SweepHeader = {
  factors: [
    { path: 'host.pcpus', values: PCPUS },
    { path: 'host.abi', values: ABIS },
  ],
  alternatives: ['a', 'b'].flatMap((c) =>
    PCPUS.flatMap((p) =>
      ABIS.map((abi) => ({
        name: `${c}/host.pcpus=${p},host.abi=${abi}`,
        compare: c,
        factors: { 'host.pcpus': p, 'host.abi': abi },
      })),
    ),
  ),
};
const values = Object.fromEntries(
  sweep.alternatives.map((a) => {
    const base = 20 * (a.factors['host.pcpus'] as number) + (a.compare === 'b' ? 30 : 0);
    return [a.name, [base - 2, base + 2, base]];
  }),
);

/** Per sweep chart: what is drawn, read from chart.js and from the canvas pixels. */
const INSPECT = `
  Array.from(document.querySelectorAll('#sweep-charts canvas')).map(function (canvas) {
    var chart = Chart.getChart(canvas);
    var ctx = canvas.getContext('2d');
    function pixel(x, y) { return Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data); }
    function fits(scale, along) {
      var t = scale.options.title;
      ctx.save();
      ctx.font = Chart.helpers.toFont(t.font).string;
      var w = ctx.measureText(t.text).width;
      ctx.restore();
      return { text: t.text, width: w, room: along, box: [scale.left, scale.top, scale.right, scale.bottom] };
    }
    var ds = chart.data.datasets;
    // Midway between the first two x values, halfway from each line to its band's upper edge.
    var bands = [];
    ds.forEach(function (d, i) {
      if (d.fill !== '-1') return;
      var hi = chart.getDatasetMeta(i).data, mean = chart.getDatasetMeta(i + 1).data;
      var x = (hi[0].x + hi[1].x) / 2;
      var yHi = (hi[0].y + hi[1].y) / 2, yMean = (mean[0].y + mean[1].y) / 2;
      bands.push({ line: ds[i + 1].label, color: ds[i + 1].borderColor, heightPx: yMean - yHi, pixel: pixel(x, (yHi + yMean) / 2) });
    });
    var legend = chart.legend.legendItems.map(function (item, k) {
      var box = chart.legend.legendHitBoxes[k];
      var boxWidth = chart.legend.options.labels.boxWidth;
      return { text: item.text, stroke: item.strokeStyle, pixel: pixel(box.left + boxWidth / 2, box.top + box.height / 2) };
    });
    var lines = ds.filter(function (d) { return d.legend !== false; }).map(function (d) { return { label: d.label, color: d.borderColor }; });
    return {
      id: canvas.getAttribute('data-chart-id'),
      size: [chart.width, chart.height],
      x: fits(chart.scales.x, chart.width),
      y: fits(chart.scales.y, chart.scales.y.bottom - chart.scales.y.top + 40),
      bands: bands, legend: legend, lines: lines,
    };
  })`;

interface Inspected {
  id: string;
  size: [number, number];
  x: { text: string; width: number; room: number; box: number[] };
  y: { text: string; width: number; room: number; box: number[] };
  bands: { line: string; color: string; heightPx: number; pixel: number[] }[];
  legend: { text: string; stroke: string; pixel: number[] }[];
  lines: { label: string; color: string }[];
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

describe('a sweep report in headless Chromium', () => {
  let dir = '';
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  let charts: Inspected[] = [];
  let loadErrors: string[] = [];

  beforeAll(async () => {
    if (CHROMIUM_MISSING) return;
    dir = await mkdtemp(join(tmpdir(), 'vmisim-browser-sweep-'));
    await writeReportFiles(resultsWith(values, {}, sweep), dir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
    // What the page itself logged (reading pixels back below makes Chromium warn about readbacks).
    loadErrors = [...consoleErrors];
    charts = (await page.evaluate(INSPECT)) as Inspected[];
    await page.locator('#sweep').screenshot({ path: join(tmpdir(), 'vmisim-report-sweep.png') });
  });

  afterAll(() => closeBrowserTest(browser, dir));

  it('draws one chart per interface (small multiples), also as PNGs, without console errors', () => {
    needBrowser();
    expect(loadErrors).toEqual([]);
    expect(charts.map((c) => c.id)).toEqual(['sweep-m__host.abi-vmi', 'sweep-m__host.abi-xen']);
    for (const c of charts) expect(existsSync(join(dir, 'charts', `${c.id}.png`))).toBe(true);
  });

  it('shades each line’s interval band in the line’s colour', () => {
    needBrowser();
    for (const c of charts) {
      expect(c.bands.map((b) => b.line)).toEqual(['a', 'b']);
      for (const b of c.bands) {
        // A band 4.97 units tall on a y axis of some 100 units over ~300 px: well over 5 px.
        expect(b.heightPx, `${c.id} ${b.line}`).toBeGreaterThan(5);
        const [r, g, bl, alpha] = b.pixel;
        // The fill is the line colour at alpha 0x2E (46): faint, but there, and of that colour.
        expect(alpha, `${c.id} ${b.line} alpha`).toBeGreaterThan(25);
        expect(alpha, `${c.id} ${b.line} alpha`).toBeLessThan(80);
        rgb(b.color).forEach((v, i) =>
          expect(Math.abs([r, g, bl][i]! - v), `${c.id} ${b.line}`).toBeLessThan(16),
        );
      }
    }
  });

  it('fits both axis titles inside the canvas', () => {
    needBrowser();
    for (const c of charts) {
      expect(c.x.text).toBe('host.pcpus');
      expect(c.y.text).toBe('M (CPU s)');
      for (const axis of [c.x, c.y]) {
        expect(axis.width, `${c.id} ${axis.text}`).toBeLessThan(axis.room);
        const [left, top, right, bottom] = axis.box;
        expect(left!).toBeGreaterThanOrEqual(0);
        expect(top!).toBeGreaterThanOrEqual(0);
        expect(right!).toBeLessThanOrEqual(c.size[0]);
        expect(bottom!).toBeLessThanOrEqual(c.size[1]);
      }
    }
  });

  it('has one legend entry per line, drawn in that line’s colour', () => {
    needBrowser();
    for (const c of charts) {
      expect(c.legend.map((l) => l.text)).toEqual(['a', 'b']);
      expect(c.lines).toEqual([
        { label: 'a', color: color(0) },
        { label: 'b', color: color(1) },
      ]);
      c.legend.forEach((l, i) => {
        expect(l.stroke).toBe(c.lines[i]!.color);
        // The key's pixels, as drawn: opaque, in the line's colour.
        expect(l.pixel[3]).toBeGreaterThan(200);
        rgb(c.lines[i]!.color).forEach((v, k) =>
          expect(Math.abs(l.pixel[k]! - v), `${c.id} ${l.text}`).toBeLessThan(16),
        );
      });
    }
  });

  it('shows the table by factor: pCPUs down, interface across, b winning every cell', async () => {
    needBrowser();
    const table = page.locator('#sweep table.by-factor').first();
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['', 'host.abi = vmi', 'host.abi = xen']);
    expect(await table.locator('tbody th').allInnerTexts()).toEqual([
      'host.pcpus = 1',
      'host.pcpus = 2',
      'host.pcpus = 4',
    ]);
    // At 1 pCPU the means are 20 and 50: b leads by 30 / 20 = 150 %.
    const first = await table.locator('tbody tr').first().locator('td').first().innerText();
    expect(first).toContain('★ b (150.0 % higher than a)');
    expect(first).toContain('a 20 · b 50');
  });
});
