/**
 * `vmisim validate FILE…`: checks experiment files without running them — every problem of every
 * file, each at its file, line and column — and says, for a good file, how many runs it would
 * start. It makes exactly the checks `vmisim run` makes before it starts (preflight.ts), memory
 * estimate for `threads` worker threads included, so a file it accepts is one `run` accepts (with the
 * same --set and --seeds flags).
 * Exit 0 when every file is good, 2 when any is not.
 */
import { combineProblems, EXIT_BAD_INPUT, InputError, InputErrors } from '../options/input-error.js';
import { preflight } from '../experiment/preflight.js';
import { NO_OVERRIDES, type CommandLineOverrides } from '../experiment/cli-overrides.js';

/** Validates each of `files` changed by the flags `cli` (the same for every file). */
export function validateCommand(
  files: string[],
  threads: number,
  write: (s: string) => void,
  cli: CommandLineOverrides = NO_OVERRIDES,
): number {
  let bad = 0;
  for (const file of files) {
    const { experiment: exp, problem, estimatePending } = preflight(file, threads, cli);
    if (problem !== undefined) {
      bad++;
      write(`vmisim: ${(files.length > 1 ? inFile(file, problem) : problem).message}\n`);
      // Said, so that no one takes the list for complete.
      if (estimatePending)
        write(
          `vmisim: ${file}: not checked yet: the memory estimate of the whole experiment, which needs every alternative free of problems\n`,
        );
    } else if (exp !== undefined) {
      const runs = exp.alternatives.length * exp.seeds.length;
      write(
        `ok ${file}${withFlags(exp.overrides)}: ${exp.alternatives.length} alternative${exp.alternatives.length === 1 ? '' : 's'} × ${exp.seeds.length} seed${exp.seeds.length === 1 ? '' : 's'} = ${runs} run${runs === 1 ? '' : 's'}\n`,
      );
    }
  }
  return bad === 0 ? 0 : EXIT_BAD_INPUT;
}

/** ` (with --set host.pcpus=8 --seeds 3)`, or nothing without flags. */
export function withFlags(overrides: readonly string[]): string {
  return overrides.length === 0 ? '' : ` (with ${overrides.join(' ')})`;
}

/**
 * With several files, a problem named by a flag (`--set …`, the same for every file) also names the
 * file it was found in: `b.yaml: --set guests.web.memory=1GiB: …`.
 */
function inFile(file: string, problem: InputError): InputError {
  const each = problem instanceof InputErrors ? problem.errors : [problem];
  const named = each.map((e) =>
    e.location.file.startsWith('--')
      ? new InputError({ file: `${file}: ${e.location.file}` }, e.field, e.problem)
      : e,
  );
  return combineProblems(named) ?? problem;
}
