/**
 * `vmisim submit slurm FILE --shards N`: writes, into a folder (default slurm/<experiment name>),
 *   shards.sbatch  a job array of N tasks (`--array=0-(N−1)`), each `vmisim run FILE --store DIR
 *                  --shards N` (its index from SLURM_ARRAY_TASK_ID, its threads from
 *                  SLURM_CPUS_PER_TASK); `--requeue`, so a preempted or failed node's task runs
 *                  again and computes only what the store lacks; `--signal=B:TERM@S`, so a task
 *                  about to reach its time limit stops cleanly, its finished runs stored;
 *   merge.sbatch   `vmisim merge FILE --store DIR --out OUT`, one task;
 *   submit.sh      submits both, the merge with `--dependency=afterok:<array>` (it runs once every
 *                  task has succeeded; `--kill-on-invalid-dep=yes` cancels it if one cannot), and
 *                  prints the two job ids.
 * A driver script rather than two printed commands: the merge needs the array's job id, which only
 * `sbatch --parsable` tells. The working directory and log paths are given on sbatch's command line
 * (shell-quoted), not in #SBATCH lines, which sbatch splits on white space.
 */
import { resolve } from 'node:path';
import { InputError } from '../options/input-error.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';
import { vmisimVersion } from '../runner/assemble.js';
import { jobName, shellLine, shellQuote, submitPlan, writeFiles, type SubmitFlags } from './submit-common.js';

export interface SlurmFlags extends SubmitFlags {
  partition?: string;
  /** Slurm's time format: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
  time?: string;
  /** Seconds before the time limit at which each task gets SIGTERM. */
  signalS?: number;
  /** How the nodes run vmisim (default `vmisim`): a shell command, e.g. `npx vmisim`. */
  vmisim?: string;
}

const SLURM_TIME = /^(\d+-)?\d+(:\d{1,2}){0,2}$|^\d+-\d+$|^(UNLIMITED|INFINITE)$/;
const SLURM_NAME = /^[A-Za-z0-9_.,-]+$/;
const DEFAULT_SIGNAL_S = 60;

function checkFlag(flag: string, v: string | undefined, re: RegExp, expected: string): void {
  if (v !== undefined && !re.test(v))
    throw new InputError({ file: flag }, undefined, `expected ${expected}, found '${v}'`);
}

/** The three files, by name (exported for tests). */
export function slurmFiles(
  file: string,
  flags: SlurmFlags,
  cli: CommandLineOverrides,
  cwd: string,
): { dir: string; files: Record<string, string> } {
  checkFlag('--time', flags.time, SLURM_TIME, 'a Slurm time (minutes, HH:MM:SS, D-HH:MM:SS…)');
  checkFlag('--partition', flags.partition, SLURM_NAME, 'a partition name');
  const plan = submitPlan('slurm', file, flags, cli, (dir) => `${dir}/store`);
  const name = jobName(plan.exp.name, 64);
  const cpus = flags.cpusPerTask ?? 1;
  const vmisim = flags.vmisim ?? 'vmisim';
  const common = [
    `#SBATCH --cpus-per-task=${cpus}`,
    ...(flags.time === undefined ? [] : [`#SBATCH --time=${flags.time}`]),
    ...(flags.partition === undefined ? [] : [`#SBATCH --partition=${flags.partition}`]),
  ];
  const header = (what: string) =>
    `#!/bin/bash\n# ${what} of the experiment ${plan.exp.name} (${plan.runs} runs in ${flags.shards} shards), written by vmisim ${vmisimVersion()} submit slurm; submit.sh submits it.`;
  const shards = [
    header('The shards'),
    `#SBATCH --job-name=${name}`,
    `#SBATCH --array=0-${flags.shards - 1}`,
    '#SBATCH --requeue',
    `#SBATCH --signal=B:TERM@${flags.signalS ?? DEFAULT_SIGNAL_S}`,
    '#SBATCH --open-mode=append',
    ...common,
    '# exec: SIGTERM (--signal, a requeue, preemption) reaches vmisim, which stores its finished runs and exits.',
    `exec ${vmisim} ${shellLine(plan.shardArgs)}`,
    '',
  ].join('\n');
  const merge = [
    header('The merge'),
    `#SBATCH --job-name=${name}-merge`,
    ...common,
    `exec ${vmisim} ${shellLine([...plan.mergeArgs, '--threads', String(cpus)])}`,
    '',
  ].join('\n');
  const dir = shellQuote(resolve(cwd, plan.dir));
  const work = shellQuote(cwd);
  const submit = [
    '#!/bin/sh',
    `# Submits the shards of ${plan.exp.name} as a job array and the merge to run once every shard has`,
    '# succeeded. Prints "<array job id> <merge job id>".',
    'set -eu',
    `mkdir -p ${dir}/logs`,
    `array=$(sbatch --parsable --chdir=${work} --output=${dir}/logs/shard-%a.log ${dir}/shards.sbatch)`,
    'array=${array%%;*}',
    `merge=$(sbatch --parsable --chdir=${work} --output=${dir}/logs/merge.log --dependency=afterok:$array --kill-on-invalid-dep=yes ${dir}/merge.sbatch)`,
    'echo "${array} ${merge%%;*}"',
    '',
  ].join('\n');
  return { dir: plan.dir, files: { 'shards.sbatch': shards, 'merge.sbatch': merge, 'submit.sh': submit } };
}

export function submitSlurmCommand(
  file: string,
  flags: SlurmFlags,
  cli: CommandLineOverrides,
  log: (s: string) => void,
): number {
  const { dir, files } = slurmFiles(file, flags, cli, process.cwd());
  writeFiles(dir, files);
  log(
    `wrote ${dir}/shards.sbatch (${flags.shards} array tasks), ${dir}/merge.sbatch and ${dir}/submit.sh\nsubmit with: sh ${shellQuote(`${dir}/submit.sh`)}`,
  );
  return 0;
}
