/**
 * Reads and validates the results.json of an output folder, for the commands that start from one
 * (`vmisim report`, `vmisim compare`). A missing, unreadable or invalid file is bad input (an
 * InputError naming the file, exit 2), and so is one too large to parse within the JavaScript
 * heap limit (the message says how to raise it).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../options/input-error.js';
import { fsProblem } from '../options/fs-problem.js';
import { parseResultsFile } from '../results/schema.js';
import type { ResultsFile } from '../results/types.js';
import { reportMemoryProblem } from '../experiment/estimate.js';

/** The results of output folder `dir`, validated; throws an InputError otherwise. */
export function readResultsFolder(dir: string): ResultsFile {
  const file = join(dir, 'results.json');
  try {
    // All of results.json is parsed at once: refuse, before reading it, one too large for the heap.
    const tooBig = reportMemoryProblem(statSync(file).size);
    if (tooBig !== undefined) throw new InputError({ file }, undefined, tooBig);
    return parseResultsFile(JSON.parse(readFileSync(file, 'utf8')));
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
}
