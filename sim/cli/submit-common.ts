/**
 * What `vmisim submit slurm` and `vmisim submit k8s` share: the experiment checked and named before
 * anything is written, the `vmisim run --store` and `vmisim merge` command lines every shard and the
 * merge run (the same FILE, --set and --seeds, so the merge finds exactly the runs the shards
 * stored and records the same flags a single-machine run would), shell quoting, and the folder the
 * generated files go to.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../options/input-error.js';
import { runSpecs, type Experiment } from '../experiment/load.js';
import { checkExperimentFile } from '../experiment/preflight.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';
import { defaultThreads } from '../runner/pool.js';
import { writeAtomic } from '../runner/run-cache.js';

/** Flags both engines take. */
export interface SubmitFlags {
  shards: number;
  store?: string;
  out?: string;
  /** Folder the generated files go to (default: <engine>/<experiment name>). */
  dir?: string;
  cpusPerTask?: number;
}

export interface SubmitPlan {
  exp: Experiment;
  runs: number;
  /** Arguments after `vmisim` of each shard (the index comes from the engine's environment). */
  shardArgs: string[];
  /** Arguments after `vmisim` of the merge. */
  mergeArgs: string[];
  dir: string;
}

/** The experiment, checked as `vmisim run` checks it, and the two command lines. */
export function submitPlan(
  engine: string,
  file: string,
  flags: SubmitFlags,
  cli: CommandLineOverrides,
  defaultStore: (dir: string) => string,
): SubmitPlan {
  const exp = checkExperimentFile(file, flags.cpusPerTask ?? defaultThreads(), cli);
  const runs = runSpecs(exp).length;
  if (flags.shards > runs)
    throw new InputError(
      { file: '--shards' },
      undefined,
      `${flags.shards} shards for ${runs} runs: the others would have nothing to do; at most ${runs}`,
    );
  const dir = flags.dir ?? join(engine, exp.name);
  const store = flags.store ?? defaultStore(dir);
  const out = flags.out ?? join('out', exp.name);
  const overrides = [
    ...cli.set.flatMap((s) => ['--set', s]),
    ...(cli.seeds === undefined ? [] : ['--seeds', cli.seeds]),
  ];
  return {
    exp,
    runs,
    shardArgs: ['run', file, '--store', store, '--shards', String(flags.shards), ...overrides],
    mergeArgs: ['merge', file, '--store', store, '--out', out, ...overrides],
    dir,
  };
}

/** `s` as one word of a POSIX shell command line. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export const shellLine = (words: readonly string[]): string => words.map(shellQuote).join(' ');

/** Writes each file into `dir` (created), each atomically; scripts (`*.sh`, `*.sbatch`) executable. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeAtomic(join(dir, name), text);
    if (/\.(sh|sbatch)$/.test(name)) chmodSync(join(dir, name), 0o755);
  }
}

/**
 * A Kubernetes / Slurm job name from the experiment's name: lower-case letters, digits and dashes
 * (RFC 1123 labels, which both accept), at most `max` characters.
 */
export function jobName(experiment: string, max: number): string {
  const clean = experiment
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `vmisim-${clean}`.slice(0, max).replace(/-+$/, '');
}
