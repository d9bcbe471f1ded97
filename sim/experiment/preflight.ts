/**
 * Every check `vmisim run` makes before it starts anything, in the one function `vmisim validate`
 * calls too, so the two accept exactly the same files (with the same command-line overrides,
 * cli-overrides.ts): the file's reading and parsing, the schema,
 * every cross-field and per-alternative check and the counts (load.ts, expand.ts, limits.ts), and
 * the memory estimate of the whole experiment for `threads` worker threads on this machine and in
 * this process's JavaScript heap (estimate.ts). Every problem is reported in one pass. The estimate is made even when other
 * problems were found, over the alternatives that could be built; when some could not, it is a
 * lower bound, and the outcome says that it is still to be made in full.
 */
import { memoryProblem } from './estimate.js';
import { combineProblems, InputError } from '../options/input-error.js';
import { readExperimentFile, type Experiment } from './load.js';
import { NO_OVERRIDES, type CommandLineOverrides } from './cli-overrides.js';

export interface Preflight {
  /** The experiment, ready to run, when there is no problem. */
  experiment: Experiment | undefined;
  /** Every problem, as one InputError (an InputErrors for several); undefined when there is none. */
  problem: InputError | undefined;
  /** The memory estimate could not see every alternative (they have problems): made once they are fixed. */
  estimatePending: boolean;
}

/** Every pre-run check of the experiment in `file` changed by the flags `cli`, to run on `threads` threads. */
export function preflight(
  file: string,
  threads: number,
  cli: CommandLineOverrides = NO_OVERRIDES,
): Preflight {
  const { experiment: exp, problems, parsed, complete } = readExperimentFile(file, cli);
  if (exp !== undefined && exp.alternatives.length > 0) {
    const tooBig = memoryProblem(exp, threads);
    if (tooBig !== undefined) problems.push(new InputError({ file }, undefined, tooBig));
  }
  const problem = combineProblems(problems);
  return {
    experiment: problem === undefined ? exp : undefined,
    problem,
    estimatePending: parsed && !complete && problem !== undefined,
  };
}

/** The experiment in `file`, ready to run on `threads` threads; throws InputError(s) for every problem. */
export function checkExperimentFile(
  file: string,
  threads: number,
  cli: CommandLineOverrides = NO_OVERRIDES,
): Experiment {
  const { experiment, problem } = preflight(file, threads, cli);
  if (problem !== undefined) throw problem;
  if (experiment === undefined)
    throw new Error('unreachable: an experiment that could not be read has problems');
  return experiment;
}
