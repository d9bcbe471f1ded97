/**
 * CSV output: RFC 4180 quoting, column naming with units, aggregate rows, series files. Parsed back
 * with an independent RFC 4180 reader, so the test does not trust the writer's own escaping.
 */
import { describe, expect, it } from 'vitest';
import { safeFileStem, uniqueFileStems } from '../../reports/names.js';
import { metricColumnNames, sanitizeUnit, snakeCase } from '../../sim/results/column-names.js';
import { tQuantile975 } from '../../reports/stats.js';
import {
  allCsvFiles,
  csvField,
  guestSummaryCsv,
  seriesCsv,
  summaryByAlternativeCsv,
  summaryCsv,
  toCsv,
} from '../../reports/tables.js';
import type { MetricDef } from '../../sim/results/types.js';
import {
  EVIL_GUEST,
  makeFixtureResults,
  PLAIN_ALTERNATIVE,
  QUOTED_ALTERNATIVE,
} from '../fixtures/results-fixture.js';
import { parseCsv } from '../helpers/csv.js';

const metric = (id: string, unit: string): MetricDef => ({
  id,
  unit,
  label: id,
  better: 'lower',
  description: '',
});

describe('csv quoting', () => {
  it('quotes only fields with comma, quote, CR or LF, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField(NaN)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('round-trips hostile values through a reader', () => {
    const nasty = ['a,b', '"q"', 'line\nbreak', 'ünï, "cödé"', ''];
    expect(parseCsv(toCsv([nasty, ['x', 1, 2, 3, 4]]))).toEqual([nasty, ['x', '1', '2', '3', '4']]);
  });
});

describe('column names', () => {
  it('are snake case id plus sanitized unit', () => {
    expect(snakeCase('stealMean')).toBe('steal_mean');
    expect(snakeCase('workDoneCPU')).toBe('work_done_cpu');
    expect(sanitizeUnit('%')).toBe('pct');
    expect(sanitizeUnit('calls/s')).toBe('calls_per_s');
    expect(sanitizeUnit('CPU s')).toBe('CPU_s');
    expect(
      metricColumnNames([
        metric('steal_mean', '%'),
        metric('hostFreeMin', 'MiB'),
        metric('host_free_min_MiB', 'MiB'),
        metric('calls', ''),
        metric('steal-mean', 'pct'),
      ]),
    ).toEqual(['steal_mean_pct', 'host_free_min_MiB', 'host_free_min_MiB_2', 'calls', 'steal_mean_pct_2']);
  });

  it('file stems are safe, distinct and stable', () => {
    expect(safeFileStem('none')).toBe('none');
    const evil = safeFileStem('../../etc/passwd');
    expect(evil).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(evil).not.toContain('..');
    expect(safeFileStem('a/b')).not.toBe(safeFileStem('a_b'));
    expect(safeFileStem('<script>')).toBe(safeFileStem('<script>'));
    const stems = uniqueFileStems(['Esx', 'esx', 'none']);
    expect(new Set([...stems.values()].map((s) => s.toLowerCase())).size).toBe(3);
  });
});

describe('summary.csv', () => {
  const r = makeFixtureResults({ withFailedRun: true });
  const rows = parseCsv(summaryCsv(r));

  it('has one row per run and a unit in every metric column', () => {
    expect(rows[0]).toEqual([
      'run_id',
      'alternative',
      'seed',
      'status',
      'work_done_CPU_s',
      'steal_mean_pct',
      'host_free_min_MiB',
      'balloon_mean_MiB',
      'interface_calls', // the id already ends with its unit
      'error',
    ]);
    expect(rows).toHaveLength(1 + r.runs.length);
    const quoted = rows.find((row) => row[1] === QUOTED_ALTERNATIVE && row[2] === '2');
    expect(quoted?.[0]).toBe(`${QUOTED_ALTERNATIVE}/seed-2`);
    expect(Number(quoted?.[5])).toBe(
      r.runs.find((x) => x.runId === quoted?.[0])?.summary?.metrics.steal_mean,
    );
  });

  it('leaves metrics empty and carries the error for failed runs', () => {
    const failed = rows.find((row) => row[3] === 'failed');
    expect(failed?.slice(4, 9)).toEqual(['', '', '', '', '']);
    expect(failed?.[9]).toContain('invariant violated');
  });
});

describe('summary-by-alternative.csv', () => {
  it('has mean and t-based 95 % half-width over the successful seeds', () => {
    const r = makeFixtureResults({ withFailedRun: true });
    const rows = parseCsv(summaryByAlternativeCsv(r));
    const header = rows[0] ?? [];
    expect(header.slice(0, 7)).toEqual([
      'alternative',
      'n_runs',
      'n_ok',
      'n_failed',
      'work_done_CPU_s_mean',
      'work_done_CPU_s_ci95',
      'work_done_CPU_s_n',
    ]);
    const none = rows.find((row) => row[0] === PLAIN_ALTERNATIVE) ?? [];
    expect(none.slice(1, 4)).toEqual(['3', '2', '1']);
    const values = r.runs
      .filter((x) => x.alternative === PLAIN_ALTERNATIVE && x.status === 'ok')
      .map((x) => x.summary?.metrics.steal_mean ?? NaN);
    const [a, b] = values as [number, number];
    const mean = (a + b) / 2;
    const sd = Math.abs(a - b) / Math.sqrt(2);
    const col = header.indexOf('steal_mean_pct_mean');
    expect(Number(none[col])).toBeCloseTo(mean, 12);
    expect(Number(none[col + 1])).toBeCloseTo((tQuantile975(1) * sd) / Math.sqrt(2), 12);
    expect(none[col + 2]).toBe('2');
  });
});

describe('series and guest CSVs', () => {
  const r = makeFixtureResults();

  it('writes time_s then every series column under its own name', () => {
    const run = r.runs[0];
    const rows = parseCsv(seriesCsv(run!) ?? '');
    expect(rows[0]?.[0]).toBe('time_s');
    expect(rows[0]).toContain('host_free_MiB');
    expect(rows[0]).toContain(`${EVIL_GUEST}_steal_pct`);
    expect(rows).toHaveLength(1 + (run?.series?.timeS.length ?? 0));
    const c = rows[0]?.indexOf('host_free_MiB') ?? -1;
    expect(Number(rows[5]?.[c])).toBe(run?.series?.values[0]?.[4]);
  });

  it('names series files series/<safe-alternative>__seed-<n>.csv, one per run', () => {
    const names = [...allCsvFiles(r).keys()].filter((k) => k.startsWith('series/'));
    expect(names).toHaveLength(r.runs.length);
    expect(names).toContain('series/none__seed-1.csv');
    for (const n of names) expect(n).toMatch(/^series\/[A-Za-z0-9][A-Za-z0-9._-]*__seed-\d+\.csv$/);
  });

  it('guest-summary.csv has one row per run × guest with quoted call names', () => {
    const rows = parseCsv(guestSummaryCsv(r));
    expect(rows).toHaveLength(1 + r.runs.length * 3);
    expect(rows[0]).toContain('calls_Set,"Odd"');
    expect(rows.some((row) => row[3] === EVIL_GUEST)).toBe(true);
  });
});
