/**
 * `vmisim validate FILE…`: checks experiment files without running them — every problem of every
 * file, each at its file, line and column — and says, for a good file, how many runs it would
 * start. It makes exactly the checks `vmisim run` makes before it starts (preflight.ts), memory
 * estimate for `threads` worker threads included, so a file it accepts is one `run` accepts.
 * Exit 0 when every file is good, 2 when any is not.
 */
import { EXIT_BAD_INPUT, InputError } from '../experiment/input-error.js';
import { checkExperimentFile } from '../experiment/preflight.js';

export function validateCommand(files: string[], threads: number, write: (s: string) => void): number {
  let bad = 0;
  for (const file of files) {
    try {
      const exp = checkExperimentFile(file, threads);
      const runs = exp.alternatives.length * exp.seeds.length;
      write(
        `ok ${file}: ${exp.alternatives.length} alternative${exp.alternatives.length === 1 ? '' : 's'} × ${exp.seeds.length} seed${exp.seeds.length === 1 ? '' : 's'} = ${runs} run${runs === 1 ? '' : 's'}\n`,
      );
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      bad++;
      write(`vmisim: ${e.message}\n`);
    }
  }
  return bad === 0 ? 0 : EXIT_BAD_INPUT;
}
