/**
 * The tidy table (reports/tidy.ts): tidy.csv loads as tidy data in Python (pandas if installed,
 * else the csv module; without python3, the test's own CSV reader), holds exactly the figures of
 * summary.csv and guest-summary.csv, and tidy.parquet read back with hyparquet holds the same.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { writeReportFiles } from '../../reports/write-report.js';
import { TIDY_CSV, TIDY_PARQUET, writeTidyTables } from '../../reports/tidy.js';
import { factorsOf } from '../../reports/factors.js';
import { metricColumnNames } from '../../sim/results/column-names.js';
import { GUEST_SUMMARY_COLUMNS } from '../../sim/results/catalog/guest-columns.js';
import type { ResultsFile } from '../../sim/results/types.js';
import { EVIL_GUEST, makeFixtureResults, QUOTED_ALTERNATIVE } from '../fixtures/results-fixture.js';
import { parseCsv } from '../helpers/csv.js';
import { resultsWith } from '../fixtures/one-metric-results.js';
import { scratch } from '../helpers/cli.js';

const READER = fileURLToPath(new URL('./read-tidy.py', import.meta.url));
/**
 * The Python to read with: VMISIM_PYTHON, else the first of `python3` on PATH and Debian's
 * /usr/bin/python3 (where setup.sh installs python3-pandas) that has pandas, else `python3` with
 * only its csv module; undefined without any Python.
 */
function pickPython(): string | undefined {
  const candidates = process.env.VMISIM_PYTHON
    ? [process.env.VMISIM_PYTHON]
    : ['python3', '/usr/bin/python3'];
  const runs = candidates.filter((py) => spawnSync(py, ['--version']).status === 0);
  return runs.find((py) => spawnSync(py, ['-c', 'import pandas']).status === 0) ?? runs[0];
}
const PYTHON = pickPython();

async function reportOf(results: ResultsFile): Promise<string> {
  const dir = scratch();
  await writeReportFiles(results, dir);
  return dir;
}

const csvRows = (dir: string, name: string) => parseCsv(readFileSync(join(dir, name), 'utf8'));

async function parquetRows(path: string): Promise<Record<string, unknown>[]> {
  const b = readFileSync(path);
  const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  return parquetReadObjects({ file });
}

/** `(run, guest, metric)` → value text, from a table with a header row. */
function byKey(rows: string[][]): Map<string, string> {
  const [head, ...body] = rows;
  const at = (c: string) => head!.indexOf(c);
  return new Map(body.map((r) => [`${r[at('run')]}|${r[at('guest')]}|${r[at('metric')]}`, r[at('value')]!]));
}

describe('tidy.csv', () => {
  const results = makeFixtureResults({ withFailedRun: true });

  it('loads in Python as tidy data: one row per (run, guest, metric), typed value and seed', async () => {
    const dir = await reportOf(results);
    const path = join(dir, TIDY_CSV);
    const rows = csvRows(dir, TIDY_CSV);
    // Read by hand from the fixture's guest-summary.csv: the first guest of none/seed-1 has a
    // wake-to-run p99 of 4001 µs.
    const args = [path, 'none/seed-1', EVIL_GUEST, 'wake_latency_p99_us'];
    if (PYTHON === undefined) {
      expect(byKey(rows).get(args.slice(1).join('|'))).toBe('4001');
      return;
    }
    const r = spawnSync(PYTHON, [READER, ...args], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(got.columns).toEqual([
      'run',
      'alternative',
      'compare',
      'seed',
      'guest',
      'metric',
      'value',
      'unit',
    ]);
    expect(got.rows).toBe(rows.length - 1);
    expect(got.unique_keys).toBe(true);
    expect(got.value).toBe(4001);
    if (got.reader === 'pandas')
      expect(got.dtypes).toMatchObject({ value: 'float64', seed: 'int64', metric: 'object' });
    else expect(got.parsed).toBe(true);
  });

  it('holds every figure of summary.csv and guest-summary.csv, and nothing else', async () => {
    const dir = await reportOf(results);
    const tidy = byKey(csvRows(dir, TIDY_CSV));
    // By hand from summary.csv: the quoted alternative's seed 2 has a lowest host free memory of
    // 1295.98 MiB; from guest-summary.csv: web-1 of none/seed-1 made 3 calls named `Set,"Odd"`.
    expect(tidy.get(`${QUOTED_ALTERNATIVE}/seed-2||host_free_min`)).toBe('1295.98');
    expect(tidy.get('none/seed-1|web-1|calls_Set,"Odd"')).toBe('3');
    // The failed run has no figures; web-1's workload reports no latency (empty in guest-summary.csv).
    expect([...tidy.keys()].some((k) => k.startsWith('none/seed-3|'))).toBe(false);
    expect(tidy.has('none/seed-1|web-1|workload_latency_p99_ms')).toBe(false);

    const expected = new Map<string, string>();
    const [sHead, ...summary] = csvRows(dir, 'summary.csv');
    const metricCols = metricColumnNames(results.metrics);
    for (const row of summary) {
      if (row[sHead!.indexOf('status')] !== 'ok') continue;
      results.metrics.forEach((m, i) =>
        expected.set(`${row[0]}||${m.id}`, row[sHead!.indexOf(metricCols[i]!)]!),
      );
    }
    const [gHead, ...guests] = csvRows(dir, 'guest-summary.csv');
    const text = new Set(GUEST_SUMMARY_COLUMNS.filter((c) => c.text).map((c) => c.column));
    for (const row of guests)
      gHead!.forEach((col, i) => {
        if (i < 4 || text.has(col) || row[i] === '') return;
        expected.set(`${row[0]}|${row[3]}|${col}`, row[i]!);
      });
    expect(tidy).toEqual(expected);
  });

  it('has no row for a metric a run does not measure (not an empty one)', async () => {
    // A workload measure such as web p99 is absent from the summary of a run without a web guest.
    const r = structuredClone(results);
    const run = r.runs.find((x) => x.status === 'ok')!;
    const dropped = r.metrics[0]!.id;
    delete run.summary!.metrics[dropped];
    const tidy = byKey(csvRows(await reportOf(r), TIDY_CSV));
    expect(tidy.has(`${run.runId}||${dropped}`)).toBe(false);
    expect(tidy.has(`${run.runId}||${r.metrics[1]!.id}`)).toBe(true);
  });

  it('has a factor column per swept field beside the compare name', async () => {
    const swept = makeFixtureResults({
      alternatives: ['a/host.pcpus=2,host.memory=4GiB', 'b/host.pcpus=2,host.memory=4GiB'],
    });
    const [head, first] = csvRows(await reportOf(swept), TIDY_CSV);
    expect(head).toEqual([
      'run',
      'alternative',
      'compare',
      'host.pcpus',
      'host.memory',
      'seed',
      'guest',
      'metric',
      'value',
      'unit',
    ]);
    expect(first!.slice(0, 6)).toEqual([
      'a/host.pcpus=2,host.memory=4GiB/seed-1',
      'a/host.pcpus=2,host.memory=4GiB',
      'a',
      '2',
      '4GiB',
      '1',
    ]);
    // A sweep alone: the points are the alternatives, with no compare name to give.
    const alone = factorsOf({
      experiment: { ...swept.experiment, alternatives: ['host.pcpus=2', 'host.pcpus=4'] },
    });
    expect(alone.names).toEqual(['host.pcpus']);
    expect(alone.valuesOf('host.pcpus=4')).toEqual(['4']);
  });
});

describe('tidy.parquet', () => {
  it('reads back with hyparquet as the same table as tidy.csv, with typed columns', async () => {
    const results = makeFixtureResults({ withFailedRun: true });
    const dir = await reportOf(results);
    const [head, ...rows] = csvRows(dir, TIDY_CSV);
    const pq = await parquetRows(join(dir, TIDY_PARQUET));
    expect(Object.keys(pq[0]!)).toEqual(head);
    expect(typeof pq[0]!.seed).toBe('bigint');
    expect(typeof pq[0]!.value).toBe('number');
    // Empty CSV cells are nulls in Parquet (a host-wide metric has no guest).
    expect(pq[0]!.guest).toBe(null);
    const asCsv = pq.map((r) => head!.map((c) => (r[c] === null ? '' : String(r[c]))));
    expect(asCsv).toEqual(rows);
  });

  it('has the header and no rows when every run failed', async () => {
    const dir = scratch();
    writeTidyTables(resultsWith({ x: [NaN, NaN] }), dir);
    expect(csvRows(dir, TIDY_CSV)).toEqual([
      ['run', 'alternative', 'compare', 'seed', 'guest', 'metric', 'value', 'unit'],
    ]);
    const b = readFileSync(join(dir, TIDY_PARQUET));
    expect(parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)).num_rows).toBe(0n);
    expect(await parquetRows(join(dir, TIDY_PARQUET))).toEqual([]);
  });

  it('is the same table and the same bytes when written a few rows per row group', async () => {
    const results = makeFixtureResults();
    const one = scratch();
    const two = scratch();
    writeTidyTables(results, one, 100);
    writeTidyTables(results, two, 100);
    const bytes = readFileSync(join(one, TIDY_PARQUET));
    expect(readFileSync(join(two, TIDY_PARQUET)).equals(bytes)).toBe(true);
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const [, ...rows] = csvRows(one, TIDY_CSV);
    expect(meta.row_groups.length).toBe(Math.ceil(rows.length / 100));
    const pq = await parquetRows(join(one, TIDY_PARQUET));
    expect(pq.map((r) => r.value ?? '')).toEqual(rows.map((r) => (r[6] === '' ? '' : Number(r[6]))));
  });
});
