/**
 * `npm run validate`: runs every validation scenario's experiment (all alternatives and seeds, on
 * the worker pool) and writes docs/validation.md — scenario, source, published figure or shape,
 * vmisim's figure, pass or fail — from those runs, never by hand. Exit 1 if any scenario fails.
 */
import { writeFileSync } from 'node:fs';
import { loadExperimentFile, runSpecs } from '../experiment/load.js';
import { runPool } from '../runner/pool.js';
import { vmisimVersion } from '../runner/assemble.js';
import { SCENARIOS, type Scenario, type Verdict } from './scenarios.js';
import { validationFileText } from './page.js';

async function main(): Promise<number> {
  const rows: { s: Scenario; v: Verdict }[] = [];
  for (const s of SCENARIOS) {
    const specs = runSpecs(loadExperimentFile(s.experiment));
    const runs = await runPool(specs);
    const failed = runs.filter((r) => r.status !== 'ok');
    const v: Verdict =
      failed.length > 0
        ? { measured: `${failed.length} run(s) failed: ${failed[0]!.error ?? ''}`, pass: false }
        : s.check(runs);
    rows.push({ s, v });
    process.stderr.write(`${v.pass ? 'pass' : 'FAIL'} ${s.id}: ${v.measured}\n`);
  }
  writeFileSync('docs/validation.md', await validationFileText(rows, vmisimVersion()));
  process.stderr.write('wrote docs/validation.md\n');
  return rows.every((r) => r.v.pass) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`validate: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(70);
  },
);
