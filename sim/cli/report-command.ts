/**
 * `vmisim report DIR`: renders the report of an output directory again from its results.json —
 * after an upgrade of the report, or to regenerate charts — without re-running anything. The
 * directory is replaced atomically (a half-written report is never visible); timings.json and every
 * file that is not vmisim's are kept (sim/runner/atomic-dir.ts). A missing, unreadable or invalid
 * results.json is bad input (exit 2), and so is one too large to parse within the JavaScript heap
 * limit (the message says how to raise it); a folder that cannot be written is exit 3. Either way
 * the directory is left untouched.
 */
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../options/input-error.js';
import { fsProblem } from '../options/fs-problem.js';
import { parseResultsFile } from '../results/schema.js';
import type { ResultsFile } from '../results/types.js';
import { openAtomicDir } from '../runner/atomic-dir.js';
import { reportMemoryProblem } from '../experiment/estimate.js';
import { sourceFromResults } from '../results/source.js';
import { writeReport } from '../../reports/write-report.js';
import { reportNotes } from './report-notes.js';

/** Files of an output directory that are not rebuilt from results.json, carried over as they are. */
const KEPT = ['timings.json'];

/** `threads`: the render pool's threads (reports/render-pool.ts); the files do not depend on it. */
export async function reportCommand(dir: string, log: (s: string) => void, threads = 1): Promise<number> {
  const file = join(dir, 'results.json');
  let results: ResultsFile;
  try {
    // All of results.json is parsed at once: refuse, before reading it, one too large for the heap.
    const tooBig = reportMemoryProblem(statSync(file).size);
    if (tooBig !== undefined) throw new InputError({ file }, undefined, tooBig);
    results = parseResultsFile(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const unreadable = fsProblem(e, file);
    const why =
      code === 'ENOENT'
        ? `no results.json in ${dir} (is it the output directory of a vmisim run?)`
        : e instanceof InputError
          ? e.problem
          : e instanceof SyntaxError
            ? `results.json is not valid JSON: ${e.message}`
            : unreadable !== undefined
              ? `cannot read it: ${unreadable}`
              : String(e instanceof Error ? e.message : e);
    throw new InputError({ file }, undefined, why);
  }
  const out = openAtomicDir(resolve(dir));
  try {
    await out.write(async (tmp) => {
      // Validated above: written as it is, without a second validated copy.
      await writeReport(sourceFromResults(results), tmp, reportNotes(), { threads });
      for (const f of KEPT) if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(tmp, f));
    });
    out.commit();
  } finally {
    out.cleanup();
  }
  log(`wrote ${join(dir, 'report.html')} from ${results.runs.length} runs`);
  return 0;
}
