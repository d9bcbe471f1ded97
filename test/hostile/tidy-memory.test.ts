// The tidy table is written run by run: under a 40 MiB heap, a results file of 128 runs × 64
// guests (about 465,000 rows, a 28 MB CSV) is written whole. Holding every row before writing —
// the CSV as one string, or the Parquet columns of all rows (9 columns × 465,000 values × 8 bytes
// = 33 MB) — would not fit, and V8 would abort (exit 134).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFixtureResults } from '../fixtures/results-fixture.js';
import { scratch } from '../helpers/cli.js';
import { GUEST_METRIC_COLUMNS } from '../../sim/results/catalog/guest-columns.js';

const TIDY = new URL('../../dist/reports/tidy.js', import.meta.url).href;
const RUNS = 128;
const GUESTS = 64;

// Builds the results from one run's summary (the summaries are small: ~10 MB for all runs) and
// writes the tidy table; argv: the run as JSON, the output folder.
const CHILD = `
import { readFileSync } from 'node:fs';
import { writeTidyTables } from ${JSON.stringify(TIDY)};
const { header, run } = JSON.parse(readFileSync(process.argv[1], 'utf8'));
const guests = Array.from({ length: ${GUESTS} }, (_, k) => ({ ...run.summary.guests[k % run.summary.guests.length], name: 'g' + k }));
const runs = Array.from({ length: ${RUNS} }, (_, i) => ({ ...run, runId: run.alternative + '/seed-' + i, seed: i, summary: { ...run.summary, guests } }));
writeTidyTables({ ...header, runs }, process.argv[2]);
`;

describe('the tidy table', () => {
  it('is written within a small heap whatever the number of rows', () => {
    const dir = scratch();
    const { runs, ...header } = makeFixtureResults({ samples: 2 });
    const { series: _series, ...run } = runs[0]!;
    const input = join(dir, 'run.json');
    writeFileSync(input, JSON.stringify({ header, run }));
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=40', '--input-type=module', '-e', CHILD, input, dir],
      { encoding: 'utf8', timeout: 600_000 },
    );
    expect(r.stderr).not.toMatch(/heap limit|out of memory/);
    expect(r.status).toBe(0);
    const lines = readFileSync(join(dir, 'tidy.csv')).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
    // A row per metric, then per guest one per numeric column, interface call name and workload measure.
    const g = run.summary!.guests;
    const perGuest = (k: number) =>
      GUEST_METRIC_COLUMNS.length +
      Object.keys(g[k % g.length]!.interfaceCalls).length +
      Object.keys(g[k % g.length]!.workloadMetrics).length;
    let perRun = header.metrics.length;
    for (let k = 0; k < GUESTS; k++) perRun += perGuest(k);
    expect(lines - 1).toBe(RUNS * perRun);
  });
});
