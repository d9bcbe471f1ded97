/**
 * docs/outputs.md stays equal to what reports/outputs-doc.ts generates, and names every file of a
 * report and every column of its tables (checked on a report written from the test fixture).
 * Regenerate it with `VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/outputs-doc.test.ts`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FILES, outputsDocText } from '../../reports/outputs-doc.js';
import { writeReportFiles } from '../../reports/write-report.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';
import { scratch } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csv.js';
import { metricColumnNames } from '../../sim/results/column-names.js';

const docPath = fileURLToPath(new URL('../../docs/outputs.md', import.meta.url));
const UPDATE = 'run VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/outputs-doc.test.ts';

/** The `## ` or `### ` section of the page whose heading contains `title`, up to the next heading. */
function section(doc: string, title: string): string {
  const at = doc.search(new RegExp(`^#{2,3} .*${title.replace(/[.*]/g, '\\$&')}`, 'm'));
  expect(at, title).toBeGreaterThanOrEqual(0);
  const rest = doc.slice(doc.indexOf('\n', at));
  const end = rest.search(/^#{2,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('docs/outputs.md', () => {
  it('is what reports/outputs-doc.ts generates', async () => {
    const expected = await outputsDocText(docPath);
    if (process.env.VMISIM_UPDATE_DOCS === '1') writeFileSync(docPath, expected);
    expect(existsSync(docPath), UPDATE).toBe(true);
    expect(readFileSync(docPath, 'utf8'), UPDATE).toBe(expected);
  });

  it('names every file and every table column of a report', async () => {
    const results = makeFixtureResults({ withFailedRun: true });
    const dir = scratch();
    await writeReportFiles(results, dir);
    const doc = readFileSync(docPath, 'utf8');
    const names = OUTPUT_FILES.map((f) => f.name.replace(/\/.*/, ''));
    for (const f of readdirSync(dir)) expect(names, f).toContain(f);
    const metricCols = new Set(metricColumnNames(results.metrics));
    const documented = (file: string, col: string) => {
      const generic = col.replace(/^(calls|workload)_.*/, '$1_<');
      const perMetric = [...metricCols].find((m) => col === m || col.startsWith(`${m}_`));
      const name = perMetric === undefined ? generic : `<column>${col.slice(perMetric.length)}`;
      return section(doc, file).includes(`\`${name}`);
    };
    for (const file of [
      'summary.csv',
      'summary-by-alternative.csv',
      'comparison.csv',
      'guest-summary.csv',
      'tidy.csv',
    ]) {
      const header = parseCsv(readFileSync(join(dir, file), 'utf8'))[0]!;
      for (const col of header) expect(documented(file, col), `${file}: ${col}`).toBe(true);
    }
  });
});
