/**
 * `vmisim run FILE --store DIR [--shard I/N | --shards N]`: one task of a cluster's array job. It
 * computes the runs of its shard (sim/runner/shard-plan.ts; which shard: sim/cli/shard-selection.ts)
 * that the store does not hold yet, stores each as it finishes (sim/runner/run-cache.ts
 * openRunStore), and writes no report: `vmisim merge` does, once every shard is done. A repeated or
 * requeued shard therefore recomputes only what is missing, and an entry whose digest does not match
 * its content is recomputed.
 *
 * Threads: --threads, else SLURM_CPUS_PER_TASK (what Slurm allotted; os.availableParallelism()
 * shows the whole node inside a task), else the machine's cores.
 *
 * SIGTERM (Slurm's --signal, a requeue or preemption, Kubernetes' pod termination) or SIGINT: no
 * new run starts, the runs in progress are abandoned (their worker threads terminated), the finished
 * ones are already in the store (each is stored as it finishes), and the process exits, 143 or 130,
 * once the pool has stopped — in well under a second of wall time after the signal, far within
 * Slurm's KillWait and Kubernetes' termination grace period (30 s by default each).
 *
 * Exit codes: 0 every run of the shard is in the store; 1 some runs failed (not stored: merge lists
 * them); 2 bad input; 3 the store could not be written; 130/143 interrupted by SIGINT/SIGTERM.
 */
import { relative } from 'node:path';
import { describeError } from '../options/fs-problem.js';
import { InputError } from '../options/input-error.js';
import { OutputError, EXIT_OUTPUT_FAILED } from '../runner/output-error.js';
import { runSpecs } from '../experiment/load.js';
import { checkExperimentFile } from '../experiment/preflight.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';
import { defaultThreads, runEach } from '../runner/pool.js';
import { vmisimVersion } from '../runner/assemble.js';
import { runCodeVersion } from '../runner/model-fingerprint.js';
import { openRunStore } from '../runner/run-cache.js';
import { planShards } from '../runner/shard-plan.js';
import { selectShard } from './shard-selection.js';
import { withFlags } from './validate-command.js';

export interface ShardFlags {
  store: string;
  shard?: string;
  shards?: string;
  threads?: number;
  checkInvariants?: boolean;
  quiet?: boolean;
}

const EXIT_TERMINATED = 143;
const EXIT_INTERRUPTED = 130;

/** --threads, else SLURM_CPUS_PER_TASK, else the machine's cores. */
export function shardThreads(flag: number | undefined, env: NodeJS.ProcessEnv): number {
  if (flag !== undefined) return flag;
  const slurm = env.SLURM_CPUS_PER_TASK;
  if (slurm === undefined || slurm === '') return defaultThreads();
  if (!/^[0-9]{1,4}$/.test(slurm.trim()) || Number(slurm) < 1)
    throw new InputError(
      { file: 'SLURM_CPUS_PER_TASK' },
      undefined,
      `expected a whole number ≥ 1, found '${slurm}'`,
    );
  return Number(slurm);
}

export async function shardCommand(
  file: string,
  flags: ShardFlags,
  cli: CommandLineOverrides,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const selection = selectShard(flags, env);
  const threads = shardThreads(flags.threads, env);
  const exp = checkExperimentFile(file, threads, cli);
  const specs = runSpecs(exp);
  const { index, count } = selection ?? { index: 0, count: 1 };
  const mine = planShards(specs, count).filter((r) => r.shard === index);
  const log = (s: string) => {
    if (!flags.quiet) process.stderr.write(`${s}\n`);
  };
  const checkInvariants = flags.checkInvariants ?? env.VMISIM_DEBUG_INVARIANTS === '1';
  const store = openRunStore(flags.store, {
    vmisimVersion: runCodeVersion(vmisimVersion()),
    checkInvariants,
    warn: (s) => log(`warning: ${s}`),
  });
  const storeLabel = relative(process.cwd(), store.dir) || '.';
  const todo = mine.filter((r) => store.lookup(specs[r.index]!) === undefined);
  const shardLabel =
    selection === undefined ? 'all runs' : `shard ${index}/${count} (from ${selection.from})`;
  log(
    `vmisim ${vmisimVersion()}: ${exp.name}: ${shardLabel}: ${mine.length} of ${specs.length} runs, ${mine.length - todo.length} already in ${storeLabel}, ${todo.length} to compute on ${threads} threads${withFlags(exp.overrides)}`,
  );

  const abort = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    signalled ??= sig;
    abort.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let stored = 0;
  let failed = 0;
  let storeError: unknown;
  try {
    if (todo.length > 0) {
      try {
        await runEach(
          todo.map((r) => specs[r.index]!),
          {
            threads,
            checkInvariants,
            signal: abort.signal,
            onRunDone: (result, j, wallS) => {
              const run = todo[j]!;
              if (result.status !== 'ok') {
                failed++;
                log(`[${stored + failed}/${todo.length}] ${run.runId} failed: ${result.error ?? ''}`);
                return;
              }
              try {
                store.store(specs[run.index]!, result, wallS);
              } catch (e) {
                storeError ??= e;
                abort.abort();
                return;
              }
              stored++;
              log(`[${stored + failed}/${todo.length}] ${run.runId} ok (${wallS.toFixed(1)} s), stored`);
            },
          },
        );
      } catch (e) {
        if (!abort.signal.aborted) throw e;
      }
    }
  } finally {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  }
  if (storeError !== undefined)
    throw new OutputError(
      `cannot write the run store ${storeLabel}: ${describeError(storeError, store.dir)}`,
      EXIT_OUTPUT_FAILED,
    );
  if (signalled !== undefined) {
    process.stderr.write(
      `${signalled}: stopped; ${stored} of ${todo.length} runs computed now are in ${storeLabel}; the same command computes the ${todo.length - stored} others\n`,
    );
    return signalled === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED;
  }
  if (failed > 0) {
    log(`${failed} of ${todo.length} runs failed (not stored; vmisim merge will list them)`);
    return 1;
  }
  log(`done: ${mine.length} runs of ${shardLabel} in ${storeLabel}`);
  return 0;
}
