/**
 * Which shard this process runs (`vmisim run --store DIR`), from the command line or from the
 * environment a cluster's array job sets. Precedence, highest first:
 *
 *   1. `--shard I/N`: both given; the environment is not read (to run one shard by hand, also inside
 *      an allocation).
 *   2. The index from the environment, the first set of SLURM_ARRAY_TASK_ID (Slurm job arrays),
 *      JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs), AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array
 *      jobs); when several are set they must agree. N from `--shards N`, else
 *      SLURM_ARRAY_TASK_COUNT; when both are set they must agree (an array of another size would
 *      leave runs to no shard or to two).
 *
 * Anything else — a malformed number, I ≥ N, no index, no N — is bad input (exit 2) naming the flag
 * or variable and the value found. Slurm arrays must be numbered from 0 (`--array=0-(N−1)`, as
 * `vmisim submit slurm` writes them).
 */
import { InputError } from '../options/input-error.js';

export interface ShardSelection {
  index: number;
  count: number;
  /** Where the index came from, for the log: `--shard` or the variable's name. */
  from: string;
}

/** The index variables in order of precedence. */
export const INDEX_VARIABLES = [
  'SLURM_ARRAY_TASK_ID',
  'JOB_COMPLETION_INDEX',
  'AWS_BATCH_JOB_ARRAY_INDEX',
] as const;
const COUNT_VARIABLE = 'SLURM_ARRAY_TASK_COUNT';

const bad = (where: string, problem: string) => new InputError({ file: where }, undefined, problem);

/** A whole number ≥ `min` written in decimal digits, or an InputError naming `where`. */
function wholeNumber(where: string, text: string, min: number): number {
  if (!/^[0-9]{1,9}$/.test(text.trim()) || Number(text) < min)
    throw bad(where, `expected a whole number ≥ ${min}, found '${text}'`);
  return Number(text);
}

/**
 * The shard to run, or undefined when neither flag is given and no index variable is set (an
 * unsharded run into the store).
 */
export function selectShard(
  flags: { shard?: string; shards?: string },
  env: NodeJS.ProcessEnv,
): ShardSelection | undefined {
  if (flags.shard !== undefined) {
    const m = /^\s*([^/]*)\/(.*)$/.exec(flags.shard);
    if (m === null)
      throw bad('--shard', `expected I/N (shard I of N, counted from 0), found '${flags.shard}'`);
    if (flags.shards !== undefined) throw bad('--shards', 'give either --shard I/N or --shards N, not both');
    const count = wholeNumber('--shard', m[2]!, 1);
    const index = wholeNumber('--shard', m[1]!, 0);
    if (index >= count)
      throw bad('--shard', `shards are numbered 0 … ${count - 1}, found ${index} in '${flags.shard}'`);
    return { index, count, from: '--shard' };
  }
  const set = INDEX_VARIABLES.filter((v) => env[v] !== undefined && env[v] !== '');
  const countText = flags.shards ?? env[COUNT_VARIABLE];
  if (set.length === 0) {
    if (flags.shards !== undefined)
      throw bad(
        '--shards',
        `the shard index comes from ${INDEX_VARIABLES.join(', ')} or --shard I/N, and none is set`,
      );
    return undefined;
  }
  const values = set.map((v) => wholeNumber(v, env[v]!, 0));
  if (values.some((x) => x !== values[0]))
    throw bad(set[1]!, `${set.map((v, i) => `${v}=${values[i]}`).join(' but ')}: which shard is this?`);
  const from = set[0]!;
  if (countText === undefined)
    throw bad(from, `${from}=${values[0]} gives the shard index, but not how many shards: pass --shards N`);
  const count = wholeNumber(flags.shards !== undefined ? '--shards' : COUNT_VARIABLE, countText, 1);
  const envCount = env[COUNT_VARIABLE];
  if (
    flags.shards !== undefined &&
    envCount !== undefined &&
    envCount !== '' &&
    envCount.trim() !== String(count)
  )
    throw bad(
      '--shards',
      `--shards ${count} but the job array has ${COUNT_VARIABLE}=${envCount} tasks: runs would go to no shard or to two; submit an array of ${count} tasks`,
    );
  const index = values[0]!;
  if (index >= count)
    throw bad(
      from,
      `${from}=${index}, but shards are numbered 0 … ${count - 1} (N = ${count}); arrays must start at 0`,
    );
  return { index, count, from };
}
