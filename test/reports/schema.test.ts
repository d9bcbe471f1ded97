/**
 * The zod schema and the checked-in JSON Schema (reports/results.schema.json) stay in sync, and the
 * fixture is a valid results file. Regenerate the JSON file with
 * `VMISIM_UPDATE_SCHEMA=1 npx vitest run test/reports/schema.test.ts`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResultsFile, resultsJsonSchema } from '../../sim/results/schema.js';
import { RESULTS_FORMAT_VERSION } from '../../sim/results/types.js';
import { resultsSchemaFileText, writeResultsSchemaFile } from '../../reports/write-results-schema.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';

const schemaPath = fileURLToPath(new URL('../../reports/results.schema.json', import.meta.url));

describe('results schema', () => {
  it('checked-in reports/results.schema.json equals the generated schema', async () => {
    if (process.env.VMISIM_UPDATE_SCHEMA === '1') await writeResultsSchemaFile(schemaPath);
    const onDisk = await readFile(schemaPath, 'utf8').catch(() => '(missing)');
    expect(onDisk, 'run VMISIM_UPDATE_SCHEMA=1 npx vitest run test/reports/schema.test.ts').toBe(
      await resultsSchemaFileText(schemaPath),
    );
    // Formatting aside, the file is exactly the generated schema.
    expect(JSON.parse(onDisk)).toEqual(resultsJsonSchema());
  });

  it('is a draft 2020-12 schema versioned by formatVersion', () => {
    const s = resultsJsonSchema() as {
      $schema: string;
      title: string;
      properties: { formatVersion: { const: number } };
      required: string[];
    };
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.properties.formatVersion.const).toBe(RESULTS_FORMAT_VERSION);
    expect(s.title).toContain(`formatVersion ${RESULTS_FORMAT_VERSION}`);
    expect(s.required).toEqual(['formatVersion', 'vmisimVersion', 'experiment', 'metrics', 'runs']);
  });

  it('accepts the fixture, also after a JSON round trip', () => {
    const r = makeFixtureResults({ withFailedRun: true });
    expect(parseResultsFile(r)).toEqual(r);
    expect(parseResultsFile(JSON.parse(JSON.stringify(r)))).toEqual(r);
  });

  it('rejects bad files with the path of every problem', () => {
    const r = makeFixtureResults() as unknown as {
      formatVersion: number;
      runs: { seed: unknown; series: { values: number[][] } }[];
    };
    r.formatVersion = 99;
    const run0 = r.runs[0];
    if (!run0) throw new Error('fixture has no runs');
    run0.seed = 'one';
    run0.series.values[0]?.pop();
    expect(() => parseResultsFile(r)).toThrowError(
      /formatVersion[\s\S]*runs\[0\]\.seed[\s\S]*runs\[0\]\.series\.values\[0\]/,
    );
  });

  it('rejects non-finite numbers, ok runs without summary and duplicate run ids', () => {
    const nan = makeFixtureResults();
    (nan.runs[0]?.summary?.metrics as Record<string, number>).steal_mean = NaN;
    expect(() => parseResultsFile(nan)).toThrowError(/runs\[0\]\.summary\.metrics\.steal_mean/);
    const noSummary = makeFixtureResults();
    delete noSummary.runs[1]?.summary;
    expect(() => parseResultsFile(noSummary)).toThrowError(/must have a summary/);
    const dup = makeFixtureResults();
    (dup.runs[1] as { runId: string }).runId = dup.runs[0]?.runId ?? '';
    expect(() => parseResultsFile(dup)).toThrowError(/duplicate runId/);
  });
});
