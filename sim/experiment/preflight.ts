/**
 * Every check `vmisim run` makes before it starts anything, in the one function `vmisim validate`
 * calls too, so the two accept exactly the same files: the file's reading and parsing, the schema,
 * every cross-field and per-alternative check and the counts (load.ts, limits.ts), and the memory
 * estimate of the whole experiment for `threads` worker threads on this machine (estimate.ts).
 * Every problem is reported in one pass: the estimate is made even when other problems were found,
 * over the alternatives that could be expanded (then a lower bound of the real need).
 */
import { totalmem } from 'node:os';
import { memoryProblem } from './estimate.js';
import { InputError, throwProblems } from './input-error.js';
import { readExperimentFile, type Experiment } from './load.js';

/** The experiment in `file`, ready to run on `threads` threads; InputError(s) for every problem. */
export function checkExperimentFile(file: string, threads: number): Experiment {
  const { experiment: exp, problems } = readExperimentFile(file);
  if (exp !== undefined && exp.alternatives.length > 0) {
    const tooBig = memoryProblem(exp, threads, totalmem());
    if (tooBig !== undefined) problems.push(new InputError({ file }, undefined, tooBig));
  }
  throwProblems(problems);
  if (exp === undefined) throw new Error('unreachable: an experiment that could not be read has problems');
  return exp;
}
