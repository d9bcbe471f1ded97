/**
 * The tidy table of a report (Wickham 2014, "Tidy data": one observation per row, one variable per
 * column): one row per successful run × scope × metric, where the scope is the host (guest empty)
 * or one guest. Columns: run, alternative, the factors (./factors.ts: `compare`, then each swept
 * field), seed, guest, metric, value, unit. Written as tidy.csv (./csv.ts's format) and
 * tidy.parquet with typed columns, for `pandas.read_csv`/`read_parquet`, R's readr/arrow, DuckDB.
 *
 * The metrics: the run metrics of results.json (`metrics`, host-wide), then per guest the numeric
 * columns of guest-summary.csv (sim/results/catalog/guest-columns.ts), `calls_<name>` per
 * interface call and `workload_<key>` per measure its workload reports. Ids and units are the
 * catalog's, so docs/outputs.md describes every one.
 *
 * Rows are produced run by run and written as they come: the CSV through a TextFile, the Parquet
 * file a row group of ROW_GROUP_ROWS at a time, so memory holds at most one row group whatever the
 * number of runs.
 */
import { join } from 'node:path';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import type { Better, GuestSummary, ResultsFile, RunResult } from '../sim/results/types.js';
import { GUEST_METRIC_COLUMNS } from '../sim/results/catalog/guest-columns.js';
import { METRICS } from '../sim/results/catalog/run-metrics.js';
import { toCsv } from './csv.js';
import { factorsOf, type Factors } from './factors.js';
import { TextFile } from './text-file.js';

export const TIDY_CSV = 'tidy.csv';
export const TIDY_PARQUET = 'tidy.parquet';

/** One row; `guest` is '' for host-wide metrics, `value` undefined where it is not a finite number. */
export interface TidyRow {
  run: string;
  alternative: string;
  /** In the order of Factors.names. */
  factors: string[];
  seed: number;
  guest: string;
  metric: string;
  value: number | undefined;
  unit: string;
}

/** The header: the fixed columns around the factor columns. */
export function tidyHeader(factors: Factors): string[] {
  return ['run', 'alternative', ...factors.names, 'seed', 'guest', 'metric', 'value', 'unit'];
}

/**
 * Unit of a workload measure from its key's suffix (workloads/types.ts: keys end in their unit,
 * `latency_p99_ms`, `hit_ratio`, `requests_count`); '' for ratios, counts and keys without one.
 */
export function workloadMetricUnit(key: string): string {
  const m = /_(cpu_s|per_s|ms|us|s|pct|MiB)$/.exec(key);
  return m === null ? '' : WORKLOAD_UNITS[m[1]!]!;
}

const WORKLOAD_UNITS: Readonly<Record<string, string>> = {
  cpu_s: 'CPU s',
  per_s: 'per s',
  ms: 'ms',
  us: 'µs',
  s: 's',
  pct: '%',
  MiB: 'MiB',
};

const WORKLOAD_UNIT_TEXT =
  Object.entries(WORKLOAD_UNITS)
    .map(([suffix, unit]) => `\`_${suffix}\` ${unit}`)
    .join(', ') + '; none for `_ratio`, `_count` and other endings';

/** A metric of the tidy table as the catalog declares it; `guest` says whether rows name a guest. */
export interface TidyMetric {
  id: string;
  guest: boolean;
  unit: string;
  better: Better;
  description: string;
}

/**
 * Every metric of the tidy table, host-wide first, from the catalog (the families of interface
 * calls and workload measures as one entry each, their id a pattern). A guest's figures have no
 * direction of their own: the host-wide metrics are what reports rank.
 */
export function tidyMetrics(): TidyMetric[] {
  return [
    ...METRICS.map((m) => ({
      id: m.id,
      guest: false,
      unit: m.unit,
      better: m.better,
      description: m.description,
    })),
    ...GUEST_METRIC_COLUMNS.map((c) => ({
      id: c.column,
      guest: true,
      unit: c.unit,
      better: 'neither' as const,
      description: c.description,
    })),
    {
      id: 'calls_<name>',
      guest: true,
      unit: 'calls',
      better: 'neither',
      description: 'interface calls of that name (e.g. `calls_SetAlarm`) over the whole run',
    },
    {
      id: 'workload_<key>',
      guest: true,
      unit: 'by suffix',
      better: 'neither',
      description: `what its workload measured of itself (e.g. \`workload_latency_p99_ms\`); the unit is the key's suffix: ${WORKLOAD_UNIT_TEXT}`,
    },
  ];
}

/** A guest's metrics as (metric, value, unit), in the order of guest-summary.csv's columns. */
function guestMetrics(g: GuestSummary): [string, number, string][] {
  const sorted = (r: Record<string, number>) => Object.keys(r).sort();
  return [
    ...GUEST_METRIC_COLUMNS.map((c): [string, number, string] => [c.column, c.read(g), c.unit]),
    ...sorted(g.interfaceCalls).map((k): [string, number, string] => [
      `calls_${k}`,
      g.interfaceCalls[k]!,
      'calls',
    ]),
    ...sorted(g.workloadMetrics).map((k): [string, number, string] => [
      `workload_${k}`,
      g.workloadMetrics[k]!,
      workloadMetricUnit(k),
    ]),
  ];
}

/** The rows of one run (none for a failed run: it has no summary to read). */
export function tidyRowsOfRun(results: ResultsFile, factors: Factors, run: RunResult): TidyRow[] {
  const summary = run.summary;
  if (run.status !== 'ok' || summary === undefined) return [];
  const row = (guest: string, metric: string, value: number | undefined, unit: string): TidyRow => ({
    run: run.runId,
    alternative: run.alternative,
    factors: factors.valuesOf(run.alternative),
    seed: run.seed,
    guest,
    metric,
    value: value !== undefined && Number.isFinite(value) ? value : undefined,
    unit,
  });
  return [
    // A metric the run does not measure (a web latency without a web guest) has no row, not an empty one.
    ...results.metrics.flatMap((m) =>
      summary.metrics[m.id] === undefined ? [] : [row('', m.id, summary.metrics[m.id], m.unit)],
    ),
    ...summary.guests.flatMap((g) =>
      guestMetrics(g).map(([metric, v, unit]) => row(g.name, metric, v, unit)),
    ),
  ];
}

/** tidy.csv's cells of a row, in header order. */
function csvCells(r: TidyRow): (string | number | undefined)[] {
  return [r.run, r.alternative, ...r.factors, r.seed, r.guest, r.metric, r.value, r.unit];
}

/** Rows per Parquet row group: bounds what is held before it is written (about 100 bytes a row). */
const ROW_GROUP_ROWS = 50_000;

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

/**
 * The Parquet schema: strings are UTF8 byte arrays, seed INT64 (seeds are any whole number ≥ 0),
 * value DOUBLE. What is an empty cell in tidy.csv (guest of a host-wide metric, a unit-less
 * count, a missing value) is null here, so both read into pandas as missing.
 */
function parquetSchema(header: readonly string[]): SchemaElement[] {
  const column = (name: string): SchemaElement => {
    if (name === 'seed') return { name, type: 'INT64', repetition_type: 'REQUIRED' };
    if (name === 'value') return { name, type: 'DOUBLE', repetition_type: 'OPTIONAL' };
    const required = ['run', 'alternative', 'metric'].includes(name);
    return {
      name,
      type: 'BYTE_ARRAY',
      converted_type: 'UTF8',
      repetition_type: required ? 'REQUIRED' : 'OPTIONAL',
    };
  };
  return [{ name: 'root', num_children: header.length }, ...header.map(column)];
}

/** Gathers rows into columns and writes them as row groups of a Parquet file. */
class ParquetTable {
  private readonly writer: ParquetWriter;
  private columns: unknown[][];

  constructor(
    path: string,
    private readonly header: readonly string[],
    createdBy: string,
    private readonly rowGroupRows: number,
  ) {
    this.writer = new ParquetWriter({ writer: fileWriter(path), schema: parquetSchema(header), createdBy });
    this.columns = header.map(() => []);
  }

  add(r: TidyRow): void {
    const cells = csvCells(r);
    cells.forEach((v, i) => {
      const name = this.header[i];
      const cell = name === 'seed' ? BigInt(v as number) : v === '' ? null : (v ?? null);
      this.columns[i]!.push(cell);
    });
    if (this.columns[0]!.length >= this.rowGroupRows) this.flush();
  }

  finish(): void {
    this.flush();
    void this.writer.finish();
  }

  private flush(): void {
    if (this.columns[0]!.length === 0) return;
    // Min/max statistics only where a reader filters on them (seed, value): on the strings they
    // took most of the writing time and skip nothing a reader would ask for.
    const columnData = this.header.map((name, i) => ({
      name,
      data: this.columns[i]!,
      statistics: name === 'seed' || name === 'value',
    }));
    void this.writer.write({ columnData, rowGroupSize: this.rowGroupRows });
    this.columns = this.header.map(() => []);
  }
}

/**
 * Writes tidy.csv and tidy.parquet into `dir` (an existing directory), run by run; `rowGroupRows`
 * is there for tests of files of many row groups.
 */
export function writeTidyTables(results: ResultsFile, dir: string, rowGroupRows = ROW_GROUP_ROWS): void {
  const factors = factorsOf(results);
  const header = tidyHeader(factors);
  const csv = new TextFile(join(dir, TIDY_CSV));
  try {
    const parquet = new ParquetTable(
      join(dir, TIDY_PARQUET),
      header,
      `vmisim ${results.vmisimVersion}`,
      rowGroupRows,
    );
    csv.write(toCsv([header]));
    for (const run of results.runs) {
      const rows = tidyRowsOfRun(results, factors, run);
      if (rows.length > 0) csv.write(toCsv(rows.map(csvCells)));
      for (const r of rows) parquet.add(r);
    }
    parquet.finish();
  } finally {
    csv.close();
  }
}
