// What `vmisim validate` said of an experiment against what the built CLI's `vmisim run` does with
// it: run must start exactly when validate says ok, and when it refuses, print the very problems
// validate printed (validate also says what it could not check yet). Shared by the tests that
// validate and run accept the same files and the same flags.
import { join } from 'node:path';
import { expect } from 'vitest';
import { startVmisim } from '../helpers/cli.js';

/** What `vmisim run exp.yaml ...args` does in `dir`: 'starts', or exits with its stderr. */
async function runVerdict(
  dir: string,
  threads: number,
  args: string[],
): Promise<{ starts: true } | { starts: false; code: number | null; stderr: string }> {
  const child = startVmisim(['run', 'exp.yaml', '--out', 'out', '--threads', String(threads), ...args], dir);
  const started = child.waitForStderr(/: \d+ runs \(\d+ alternatives × \d+ seeds\) on \d+ threads/).then(
    () => true,
    () => false,
  );
  if (await started) {
    child.child.kill('SIGKILL');
    await child.exited;
    return { starts: true };
  }
  const r = await child.exited;
  return { starts: false, code: r.code, stderr: r.stderr };
}

/**
 * Runs `vmisim run` on `dir`/exp.yaml with `args` (killed once it starts its runs) and checks it
 * against validate's exit `code` and output `said`; returns whether validate accepted.
 */
export async function expectRunAgrees(
  dir: string,
  threads: number,
  args: string[],
  code: number,
  said: string,
): Promise<boolean> {
  const run = await runVerdict(dir, threads, args);
  if (code === 0) {
    expect(run, said).toEqual({ starts: true });
    return true;
  }
  expect(run.starts, said).toBe(false);
  if (run.starts) return false;
  expect(run.code).toBe(2);
  const problems = said
    .replaceAll(join(dir, 'exp.yaml'), 'exp.yaml')
    .split('\n')
    .filter((l) => !/not checked yet/.test(l))
    .join('\n');
  expect(run.stderr).toBe(problems);
  return false;
}
