/**
 * Regenerates `reports/results.schema.json` from the zod schema in sim/results/schema.ts.
 *
 * Run after changing sim/results/types.ts and schema.ts:
 *   VMISIM_UPDATE_SCHEMA=1 npx vitest run test/reports/schema.test.ts
 * or, after `npm run build`, from the repository root: `node dist/reports/write-results-schema.js`.
 * A test fails while the checked-in file differs from this text, so the two cannot drift.
 *
 * The checked-in copy is formatted with the project's prettier settings (so `prettier --check .`
 * passes); prettier is a dev dependency, so it is loaded only here, never by report writing, which
 * emits the same JSON Schema unformatted.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resultsJsonSchemaText } from '../sim/results/schema.js';

/** Default location, relative to the repository root. */
export const RESULTS_SCHEMA_PATH = 'reports/results.schema.json';

/** The exact text the checked-in schema file at `path` must have: generated, then prettier-formatted. */
export async function resultsSchemaFileText(path: string = RESULTS_SCHEMA_PATH): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(resultsJsonSchemaText(), { ...config, filepath: path });
}

/** Writes the generated, formatted JSON Schema to `path`. */
export async function writeResultsSchemaFile(path: string = RESULTS_SCHEMA_PATH): Promise<void> {
  await writeFile(path, await resultsSchemaFileText(path), 'utf8');
}

// Run as a script: `node dist/reports/write-results-schema.js [path]`.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeResultsSchemaFile(process.argv[2]);
}
