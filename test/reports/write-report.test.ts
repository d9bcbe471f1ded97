/**
 * writeReportFiles: the full file set, deterministic text outputs, readable PNGs (right size, white
 * background, actual ink), and refusal to write into a missing directory or from invalid results.
 * writeReport: the same files from series read one run at a time, each read a bounded number of times.
 * writeReportAsRunsFinish: the same files again when the runs finish one by one in another order,
 * written as they come in; and a clean rejection when the runs stop before the last one.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeResults } from '../../reports/results-json.js';
import { writeReport, writeReportAsRunsFinish, writeReportFiles } from '../../reports/write-report.js';
import { RunArrivals, runInMemory, sourceFromRuns } from '../../sim/results/source.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';
import { decodePng, inkPixels, transparentFraction } from './png-pixels.js';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

describe('writeReportFiles', () => {
  const dirs: string[] = [];
  let a = '';
  let b = '';
  const results = makeFixtureResults({ withFailedRun: true });

  beforeAll(async () => {
    a = await mkdtemp(join(tmpdir(), 'vmisim-report-a-'));
    b = await mkdtemp(join(tmpdir(), 'vmisim-report-b-'));
    dirs.push(a, b);
    await writeReportFiles(results, a);
    await writeReportFiles(makeFixtureResults({ withFailedRun: true }), b);
  });
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes the documented file set', async () => {
    const files = await listFiles(a);
    for (const f of [
      'results.json',
      'results.schema.json',
      'summary.csv',
      'summary-by-alternative.csv',
      'comparison.csv',
      'guest-summary.csv',
      'report.html',
      'charts/overview.png',
      'series/none__seed-1.csv',
      'series/none__seed-2.csv',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('series/'))).toHaveLength(4); // the failed run has no series
    expect(files.filter((f) => f.startsWith('charts/')).length).toBeGreaterThan(10);
    for (const f of files) expect(f).toMatch(/^[A-Za-z0-9._/-]+$/);
  });

  it('results.json is exactly serializeResults and identical across writes; so are the other texts', async () => {
    const json = await readFile(join(a, 'results.json'), 'utf8');
    expect(json).toBe(serializeResults(results));
    for (const f of (await listFiles(a)).filter((x) => !x.endsWith('.png'))) {
      expect(await readFile(join(b, f), 'utf8'), f).toBe(await readFile(join(a, f), 'utf8'));
    }
  });

  it('renders every PNG at a readable size on white, with ink on it', async () => {
    const pngs = (await listFiles(a)).filter((f) => f.endsWith('.png'));
    for (const f of pngs) {
      const px = decodePng(await readFile(join(a, f)));
      if (f === 'charts/overview.png') {
        expect(px.width).toBeGreaterThanOrEqual(1200);
      } else {
        expect([px.width, px.height], f).toEqual([1200, 600]);
      }
      expect(transparentFraction(px), f).toBe(0);
      // A title, axes, labels and at least one line or bar: far more than a blank frame.
      expect(inkPixels(px), f).toBeGreaterThan(px.width * px.height * 0.01);
    }
  });

  it('writes the same bytes from series read one run at a time, reading each once (twice for the compared runs)', async () => {
    const c = await mkdtemp(join(tmpdir(), 'vmisim-report-c-'));
    dirs.push(c);
    const reads = new Map<string, number>();
    const handles = makeFixtureResults({ withFailedRun: true }).runs.map((run) => {
      const h = runInMemory(run);
      return {
        ...h,
        readSeries: () => {
          reads.set(run.runId, (reads.get(run.runId) ?? 0) + 1);
          return h.readSeries();
        },
      };
    });
    await writeReport(sourceFromRuns(results, handles), c);
    const files = await listFiles(a);
    expect(await listFiles(c)).toEqual(files);
    for (const f of files)
      expect((await readFile(join(c, f))).equals(await readFile(join(a, f))), f).toBe(true);
    // The first seed of each alternative is read for the comparison charts, then with every run.
    expect(Object.fromEntries(reads)).toEqual({
      'none/seed-1': 2,
      'none/seed-2': 1,
      'esx "idle-tax, 0.75"/fast/seed-1': 2,
      'esx "idle-tax, 0.75"/fast/seed-2': 1,
      'none/seed-3': 1,
    });
  });

  it('writes the same bytes when the runs finish one by one in another order, starting before any is in', async () => {
    const d = await mkdtemp(join(tmpdir(), 'vmisim-report-d-'));
    dirs.push(d);
    const { runs, ...header } = makeFixtureResults({ withFailedRun: true });
    const arrivals = new RunArrivals(header, runs);
    const written = writeReportAsRunsFinish(arrivals, d);
    // Last run first, the first run last: the report waits for each where it needs it.
    const settle = () => new Promise((r) => setTimeout(r, 5));
    for (const i of [...runs.keys()].reverse()) {
      await settle();
      // Nothing that compares runs is written before the last run is in.
      expect(await readdir(d)).not.toContain('report.html');
      arrivals.finish(i, runInMemory(runs[i]!));
    }
    await written;
    const files = await listFiles(a);
    expect(await listFiles(d)).toEqual(files);
    for (const f of files)
      expect((await readFile(join(d, f))).equals(await readFile(join(a, f))), f).toBe(true);
  });

  it('rejects when the runs stop before the last one is in', async () => {
    const e = await mkdtemp(join(tmpdir(), 'vmisim-report-e-'));
    dirs.push(e);
    const { runs, ...header } = makeFixtureResults({ withFailedRun: true });
    const arrivals = new RunArrivals(header, runs);
    const written = writeReportAsRunsFinish(arrivals, e);
    arrivals.finish(0, runInMemory(runs[0]!));
    arrivals.finish(2, runInMemory(runs[2]!));
    await new Promise((r) => setTimeout(r, 5));
    arrivals.stop(new Error('interrupted here'));
    await expect(written).rejects.toThrow('interrupted here');
    expect(await readdir(e)).not.toContain('report.html');
  });

  it('refuses a missing directory and invalid results, writing nothing', async () => {
    await expect(writeReportFiles(results, join(a, 'does-not-exist'))).rejects.toThrow(/does not exist/);
    const empty = await mkdtemp(join(tmpdir(), 'vmisim-report-bad-'));
    dirs.push(empty);
    const bad = makeFixtureResults();
    bad.runs[0]!.series!.values[1]!.pop();
    await expect(writeReportFiles(bad, empty)).rejects.toThrow(/invalid results file/);
    expect(await readdir(empty)).toEqual([]);
    expect((await stat(empty)).isDirectory()).toBe(true);
  });
});
