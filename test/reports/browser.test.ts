/**
 * report.html in a real browser (Debian's headless Chromium through playwright-core): no console
 * errors, no request but the page and the scripts of the runs picked (runs/*.js in its folder), the
 * comparison table and charts render, the run picker loads and switches the charts, and the
 * `<script>` guest name is shown as text without any dialog.
 *
 * This test never skips: without /usr/bin/chromium (or VMISIM_CHROMIUM) it fails and says why.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { collectConsoleErrors, launchChromium, missingChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportFiles } from '../../reports/write-report.js';
import { EVIL_GUEST, makeFixtureResults, QUOTED_ALTERNATIVE } from '../fixtures/results-fixture.js';
import { formatNumber } from '../../reports/aggregate.js';
import type { ResultsFile } from '../../sim/results/types.js';

/** Counts non-transparent pixels of every canvas under `selector` (chart.js draws on transparent). */
const INK_SCRIPT = (selector: string) => `
  Array.from(document.querySelectorAll(${JSON.stringify(selector)})).map(function (c) {
    var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    var n = 0;
    for (var i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  })`;

/** The data of the first dataset of the first chart under `selector`, as JSON. */
const FIRST_DATA_SCRIPT = (selector: string) => `
  (function () {
    var c = document.querySelector(${JSON.stringify(selector)} + ' canvas');
    var chart = c && Chart.getChart(c);
    return chart ? JSON.stringify(chart.data.datasets[0].data) + '|' + chart.options.plugins.title.text + '|' + chart.options.plugins.subtitle.text : '';
  })()`;

/** Waits until the picked run's charts are drawn (its script in runs/ is loaded on demand). */
async function runChartsDrawn(p: Page): Promise<void> {
  await p.locator('#run-charts canvas').first().waitFor({ timeout: 30_000 });
}

describe('report.html in headless Chromium', () => {
  let dir = '';
  let browser: Browser | undefined;
  let page: Page;
  let fileUrl = '';
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];

  // Without a browser every test below fails with this message (a failing beforeAll would only
  // mark them skipped, which reads like "fine" in a summary).
  const missing = missingChromium();
  const needBrowser = () => {
    if (missing) throw new Error(missing);
  };

  beforeAll(async () => {
    if (missing) return;
    dir = await mkdtemp(join(tmpdir(), 'vmisim-browser-'));
    await writeReportFiles(makeFixtureResults({ withFailedRun: true }), dir);
    fileUrl = pathToFileURL(join(dir, 'report.html')).href;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    collectConsoleErrors(page, consoleErrors);
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(fileUrl, { waitUntil: 'load' });
    await runChartsDrawn(page);
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Every request is the page or a run's script beside it: nothing outside the report folder. */
  const onlyInsideTheFolder = () => {
    expect(requests[0]).toBe(fileUrl);
    const folder = `${pathToFileURL(dir).href}/`;
    for (const r of requests.slice(1)) {
      expect(r.startsWith(folder), r).toBe(true);
      expect(r.slice(folder.length)).toMatch(/^runs\/[A-Za-z0-9._-]+\.js$/);
    }
  };

  it('loads without console errors and requests nothing but files in its own folder', () => {
    needBrowser();
    expect(consoleErrors).toEqual([]);
    onlyInsideTheFolder();
    // The first run's charts, from its script; no other run's script is loaded before it is picked.
    expect(requests).toHaveLength(2);
  });

  it('shows the comparison table with every metric and a verdict', async () => {
    needBrowser();
    const table = page.locator('#comparison-table');
    await expect(table.isVisible()).resolves.toBe(true);
    expect(await table.locator('tbody tr').count()).toBe(5);
    const text = await table.innerText();
    expect(text).toContain('Mean steal');
    expect(text).toContain(QUOTED_ALTERNATIVE);
    expect(text).toMatch(/best/);
    // Every number as the browser shows it equals the mean over that alternative's successful
    // runs in results.json, computed here directly from the runs.
    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as ResultsFile;
    const cells = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) =>
          [...r.querySelectorAll('td.num')].map((td) => (td as unknown as { innerText: string }).innerText),
        ),
      );
    results.metrics.forEach((m, row) => {
      results.experiment.alternatives.forEach((alt, col) => {
        const xs = results.runs
          .filter((run) => run.alternative === alt && run.status === 'ok')
          .map((run) => run.summary!.metrics[m.id]!);
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        expect(
          cells[row]![col]!.startsWith(formatNumber(mean)),
          `${m.id} / ${alt}: ${cells[row]![col]}`,
        ).toBe(true);
        expect(cells[row]![col]).toContain(`n=${xs.length}`);
      });
    });
  });

  it('keeps the metric column in view when the comparison table scrolls sideways', async () => {
    needBrowser();
    const narrow = await browser!.newPage({ viewport: { width: 480, height: 800 } });
    try {
      await narrow.goto(fileUrl, { waitUntil: 'load' });
      const scroller = narrow.locator('.scroll:has(#comparison-table)');
      const widths = await scroller.evaluate((el) => [el.scrollWidth, el.clientWidth]);
      // The table is wider than the page here, or there would be nothing to check.
      expect(widths[0]!).toBeGreaterThan(widths[1]! + 100);
      await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      const box = await scroller.boundingBox();
      const metric = await narrow.locator('#comparison-table tbody th[scope=row]').first().boundingBox();
      // Scrolled to the far right, the row's metric name still starts at the table's left edge.
      expect(Math.abs(metric!.x - box!.x)).toBeLessThan(2);
    } finally {
      await narrow.close();
    }
  });

  it('draws non-blank charts', async () => {
    needBrowser();
    for (const sel of ['#metric-charts canvas', '#comparison-charts canvas', '#run-charts canvas']) {
      const ink = (await page.evaluate(INK_SCRIPT(sel))) as number[];
      expect(ink.length, sel).toBeGreaterThan(0);
      for (const n of ink) expect(n, sel).toBeGreaterThan(2000);
    }
    await page.screenshot({ path: join(tmpdir(), 'vmisim-report-top.png') });
  });

  it('the run picker changes the run charts', async () => {
    needBrowser();
    const before = (await page.evaluate(FIRST_DATA_SCRIPT('#run-charts'))) as string;
    const idBefore = await page.locator('#run-id').innerText();
    expect(before).not.toBe('');
    await page.selectOption('#pick-seed', '2');
    await runChartsDrawn(page);
    const afterSeed = (await page.evaluate(FIRST_DATA_SCRIPT('#run-charts'))) as string;
    expect(afterSeed).not.toBe(before);
    await page.selectOption('#pick-alternative', { label: QUOTED_ALTERNATIVE });
    await runChartsDrawn(page);
    const afterAlt = (await page.evaluate(FIRST_DATA_SCRIPT('#run-charts'))) as string;
    expect(afterAlt).not.toBe(afterSeed);
    expect(afterAlt).toContain(QUOTED_ALTERNATIVE);
    expect(await page.locator('#run-id').innerText()).toBe(`run id: ${QUOTED_ALTERNATIVE}/seed-2`);
    expect(idBefore).not.toBe(await page.locator('#run-id').innerText());
    const ink = (await page.evaluate(INK_SCRIPT('#run-charts canvas'))) as number[];
    for (const n of ink) expect(n).toBeGreaterThan(2000);
    await page.locator('#runs').screenshot({ path: join(tmpdir(), 'vmisim-report-run-picker.png') });
  });

  it('the guest picker shows the <script> guest by name, as text', async () => {
    needBrowser();
    const options = await page.locator('#pick-guest option').allInnerTexts();
    expect(options).toContain(EVIL_GUEST);
    await page.selectOption('#pick-guest', { label: EVIL_GUEST });
    const titles = (await page.evaluate(
      `Array.from(document.querySelectorAll('#guest-charts canvas')).map(function (c) { return Chart.getChart(c).options.plugins.title.text; })`,
    )) as string[];
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles) expect(t).toContain(EVIL_GUEST);
    expect(await page.locator('body').innerText()).toContain(EVIL_GUEST);
    // Still only the page's own four inline script elements (data, chart.js, error bars, page script) and the scripts of the runs picked
    // (runs/*.js beside the page), and no alert ever fired.
    const scripts = (await page.evaluate(
      `Array.from(document.scripts).map(function (s) { return s.getAttribute('src') || ''; })`,
    )) as string[];
    expect(scripts.filter((src) => src === '')).toHaveLength(4);
    expect(scripts.filter((src) => src !== '').length).toBeGreaterThan(0);
    for (const src of scripts.filter((x) => x !== '')) expect(src).toMatch(/^runs\/[A-Za-z0-9._-]+\.js$/);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.locator('#guest-charts').screenshot({ path: join(tmpdir(), 'vmisim-report-guest.png') });
  });

  it('lists the failed run with its error as text', async () => {
    needBrowser();
    const failed = await page.locator('#failed').innerText();
    expect(failed).toContain('none, seed 3');
    expect(failed).toContain('guest <b>web-1</b> frames');
    await page.screenshot({ path: join(tmpdir(), 'vmisim-report-full.png'), fullPage: true });
    onlyInsideTheFolder();
  });
});
