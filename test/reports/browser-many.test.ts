/**
 * A many-alternative report.html in a real browser (Debian's headless Chromium through
 * playwright-core): eight alternatives with generated names turn the comparison table (a row per
 * alternative, its header and first column staying in view while it scrolls), metric charts draw
 * real error bars, line-chart legends show the colours of their lines, the host memory state is
 * drawn with its level names, and no chart clips its axis titles or alternative names.
 *
 * With VMISIM_SCREENSHOT_DIR set, the screenshots are also written there, to be looked at.
 * This test never skips: without /usr/bin/chromium (or VMISIM_CHROMIUM) it fails and says why.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { collectConsoleErrors, launchChromium, missingChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportFiles } from '../../reports/write-report.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';
import type { ResultsFile } from '../../sim/results/types.js';

const BALLOONS = ['none', 'esx', 'mom', 'auto'];
const SCHEDULERS = ['credit', 'proportional-share'];
/** 8 alternatives named as a two-factor sweep names them. */
const ALTERNATIVES = BALLOONS.flatMap((b) =>
  SCHEDULERS.map((s) => `host.balloon.policy=${b},host.scheduler.policy=${s}`),
);
const LEVELS = ['high', 'soft', 'hard', 'low'];

/** The fixture with 8 alternatives, a host memory state column and a ratio metric from 1. */
function manyAlternatives(): ResultsFile {
  const r = makeFixtureResults({ alternatives: ALTERNATIVES });
  r.metrics.push({
    id: 'slowdown_mean',
    label: 'Slowdown (mean over guests)',
    unit: '×',
    better: 'lower',
    description: 'unconstrained work ÷ work done',
    axisFrom: 1,
  });
  r.runs.forEach((run, i) => {
    run.summary!.metrics.slowdown_mean = 1.05 + (Math.floor(i / 2) % 4) * 0.02 + run.seed * 0.005;
    const s = run.series!;
    s.columns.splice(1, 0, {
      name: 'host_memory_state',
      quantity: 'host_memory_state',
      unit: 'state',
      description: 'host free-memory state',
      levels: LEVELS,
    });
    s.values.splice(
      1,
      0,
      s.timeS.map((_, k) => (k < 30 ? 0 : k < 60 ? 1 : k < 90 ? 2 : (i % 2) + 2)),
    );
  });
  return r;
}

describe('a many-alternative report.html in headless Chromium', () => {
  let dir = '';
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  const missing = missingChromium();
  const needBrowser = () => {
    if (missing) throw new Error(missing);
  };
  /** Screenshots into the temp dir, and into VMISIM_SCREENSHOT_DIR when set. */
  const shoot = async (p: Page, name: string, opts: { fullPage?: boolean } = {}) => {
    const path = join(dir, name);
    await p.screenshot({ path, ...opts });
    const keep = process.env.VMISIM_SCREENSHOT_DIR;
    if (keep) await copyFile(path, join(keep, name));
  };

  beforeAll(async () => {
    if (missing) return;
    dir = await mkdtemp(join(tmpdir(), 'vmisim-browser-many-'));
    await writeReportFiles(manyAlternatives(), dir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    collectConsoleErrors(page, consoleErrors);
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads without console errors (chart.js and the error-bar plugin run under the page’s CSP)', () => {
    needBrowser();
    expect(consoleErrors).toEqual([]);
  });

  it('lays the table out with a row per alternative, names whole', async () => {
    needBrowser();
    const table = page.locator('#comparison-table');
    expect(await table.getAttribute('data-layout')).toBe('alternatives-as-rows');
    const names = await table.locator('tbody th[scope=row]').allInnerTexts();
    expect(names).toEqual(ALTERNATIVES);
    // Header: "Alternative", then one column per metric (5 of the fixture + slowdown).
    expect(await table.locator('thead th').count()).toBe(1 + 6);
    // Nothing cut: every name fits its cell (long names wrap, they are not clipped).
    const clipped = await table
      .locator('tbody th[scope=row]')
      .evaluateAll((ths) => ths.filter((th) => th.scrollWidth > th.clientWidth + 1).length);
    expect(clipped).toBe(0);
    await shoot(page, 'many-table.png');
  });

  it('keeps the header row and the alternative column in view while the table scrolls', async () => {
    needBrowser();
    const narrow = await browser!.newPage({ viewport: { width: 700, height: 600 } });
    try {
      await narrow.goto(page.url(), { waitUntil: 'load' });
      const box = narrow.locator('.scroll:has(#comparison-table)');
      const size = await box.evaluate((el) => [
        el.scrollWidth,
        el.clientWidth,
        el.scrollHeight,
        el.clientHeight,
      ]);
      // It must really scroll both ways here, or there would be nothing to check.
      expect(size[0]!).toBeGreaterThan(size[1]! + 100);
      await box.evaluate((el) => el.scrollIntoView());
      await box.evaluate((el) => el.scrollTo({ left: el.scrollWidth, top: el.scrollHeight }));
      const outer = (await box.boundingBox())!;
      const header = (await narrow.locator('#comparison-table thead th').nth(3).boundingBox())!;
      const lastName = (await narrow.locator('#comparison-table tbody th[scope=row]').last().boundingBox())!;
      // Scrolled to the far right and bottom: the metric header still at the box's top, the last
      // alternative's name still at its left edge.
      expect(Math.abs(header.y - outer.y)).toBeLessThan(3);
      expect(Math.abs(lastName.x - outer.x)).toBeLessThan(3);
      await shoot(narrow, 'many-table-scrolled.png');
    } finally {
      await narrow.close();
    }
  });

  it('draws metric charts with real error bars, ratios from 1 and every alternative named', async () => {
    needBrowser();
    const charts = (await page.evaluate(`
      Array.from(document.querySelectorAll('#metric-charts canvas')).map(function (c) {
        var ch = Chart.getChart(c);
        var meta = ch.getDatasetMeta(0);
        var y = ch.scales.y;
        return {
          id: c.getAttribute('data-chart-id'),
          type: ch.config.type,
          bars: meta.data.map(function (el) { return [el.x, el.xMin, el.xMax]; }),
          xMin: ch.scales.x.min,
          ticks: y.ticks.map(function (t) { return t.label; }),
          legend: ch.options.plugins.legend.display,
          yLeft: y.left,
          area: [ch.chartArea.left, ch.chartArea.right, ch.chartArea.top, ch.chartArea.bottom],
          size: [ch.width, ch.height],
          xTitleBottom: ch.scales.x.bottom,
        };
      })`)) as {
      id: string;
      type: string;
      bars: [number, number, number][];
      xMin: number;
      ticks: (string | string[])[];
      legend: boolean;
      yLeft: number;
      area: number[];
      size: number[];
      xTitleBottom: number;
    }[];
    expect(charts.length).toBe(6);
    for (const c of charts) {
      expect(c.type, c.id).toBe('barWithErrorBars');
      expect(c.legend, c.id).toBe(false);
      // Two seeds each: every bar has an interval around its mean (whisker ends left and right).
      expect(c.bars).toHaveLength(8);
      for (const [x, lo, hi] of c.bars) {
        expect(lo, c.id).toBeLessThanOrEqual(x);
        expect(hi, c.id).toBeGreaterThanOrEqual(x);
      }
      // Every alternative's settings on its tick label, one per line, none cut short.
      expect(c.ticks.map((t) => (Array.isArray(t) ? t.join(',') : t).replace(/^★ /, ''))).toEqual(
        ALTERNATIVES.map((a) => a.replace(/host\./g, '')),
      );
      // Nothing outside the canvas: labels right of its left edge, the axis title above its bottom.
      expect(c.yLeft, c.id).toBeGreaterThanOrEqual(0);
      expect(c.xTitleBottom, c.id).toBeLessThanOrEqual(c.size[1]!);
      expect(c.area[1]! - c.area[0]!, c.id).toBeGreaterThan(200);
    }
    // Slowdowns 0.005 apart over two seeds: a half-width of 12.706 × 0.0035355 ≈ 0.045 on an axis
    // of about 0.12 — whiskers tens of pixels long on each side of every mean.
    const slowdown = charts.find((c) => c.id === 'metric-slowdown_mean')!.bars;
    expect(slowdown.every(([x, lo, hi]) => x - lo > 10 && hi - x > 10)).toBe(true);
    expect(charts.find((c) => c.id === 'metric-slowdown_mean')!.xMin).toBe(1);
    expect(charts.find((c) => c.id === 'metric-work_done')!.xMin).toBe(0);
    await page.locator('#metric-charts').scrollIntoViewIfNeeded();
    await shoot(page, 'many-metric-charts.png');
  });

  it('gives line charts legend keys in their lines’ colours and the memory state its names', async () => {
    needBrowser();
    const legends = (await page.evaluate(`
      Array.from(document.querySelectorAll('#comparison-charts canvas, #run-charts canvas')).map(function (c) {
        var ch = Chart.getChart(c);
        return {
          id: c.getAttribute('data-chart-id'),
          keys: ch.legend.legendItems.map(function (it) { return [it.strokeStyle, it.text]; }),
          lines: ch.data.datasets.map(function (d) { return [d.borderColor, d.label]; }),
          yTicks: ch.scales.y.ticks.map(function (t) { return t.label; }),
          plotHeight: ch.chartArea.bottom - ch.chartArea.top,
        };
      })`)) as {
      id: string;
      keys: [string, string][];
      lines: [string, string][];
      yTicks: string[];
      plotHeight: number;
    }[];
    expect(legends.length).toBeGreaterThan(5);
    for (const l of legends) {
      expect(l.keys, l.id).toEqual(l.lines);
      // Eight long legend keys leave the plot (and its y axis title) room.
      expect(l.plotHeight, l.id).toBeGreaterThan(180);
    }
    const state = legends.find((l) => l.id === 'compare-host_memory_state')!;
    expect(state.yTicks).toEqual(LEVELS);
    // Eight alternatives, eight distinct colours in the legend.
    expect(new Set(state.keys.map((k) => k[0])).size).toBe(8);
    await page.locator('#comparison-charts').scrollIntoViewIfNeeded();
    await shoot(page, 'many-comparison-charts.png');
  });
});
