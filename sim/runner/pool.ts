/**
 * Runs RunSpecs on a piscina worker pool, one whole run per task. Results come back in spec
 * order whatever the number of threads or the order runs finish in, so the output does not depend
 * on `--threads`. A run that throws becomes a failed RunResult with its error; the others go on.
 * runEach hands each result over as it finishes and keeps none (vmisim run stores them in the run
 * cache); runPool collects them all.
 */
import { setMaxListeners } from 'node:events';
import { Piscina } from 'piscina';
import { availableParallelism } from 'node:os';
import { runId, specHash, type RunSpec } from '../spec/run-spec.js';
import type { RunResult } from '../results/types.js';
import type { RunTask, TaskOutput } from './worker.js';

export interface PoolOptions {
  threads?: number;
  checkInvariants?: boolean;
  /** Called as each run finishes (in completion order), with the wall time its simulation took. */
  onRunDone?: (result: RunResult, index: number, wallS: number) => void;
  signal?: AbortSignal;
}

export function defaultThreads(): number {
  return availableParallelism();
}

/** Runs every spec, collecting the results in spec order (for callers that keep them all). */
export async function runPool(specs: RunSpec[], opts: PoolOptions = {}): Promise<RunResult[]> {
  const results: RunResult[] = [];
  await runEach(specs, {
    ...opts,
    onRunDone: (r, i, wallS) => {
      results[i] = r;
      opts.onRunDone?.(r, i, wallS);
    },
  });
  return results;
}

/**
 * Runs every spec, handing each result to `onRunDone` as it finishes and keeping none of them, so
 * a caller that stores results elsewhere (the run cache) never holds every run's series at once.
 */
export async function runEach(specs: RunSpec[], opts: PoolOptions = {}): Promise<void> {
  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(), specs.length || 1));
  const pool = new Piscina({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
  });
  // Piscina listens for the abort on every queued task: one listener per run is expected, not a leak.
  if (opts.signal !== undefined) setMaxListeners(specs.length + 10, opts.signal);
  try {
    await Promise.all(
      specs.map(async (spec, i) => {
        const task: RunTask = { spec, checkInvariants: opts.checkInvariants ?? false };
        let result: RunResult;
        let wallS = 0;
        try {
          const out = (await pool.run(task, opts.signal ? { signal: opts.signal } : {})) as TaskOutput;
          result = out.result;
          wallS = out.wallS;
        } catch (e) {
          if (opts.signal?.aborted) throw e;
          result = {
            runId: runId(spec),
            alternative: spec.alternative,
            seed: spec.seed,
            specHash: specHash(spec),
            status: 'failed',
            error: workerError(e),
          };
        }
        opts.onRunDone?.(result, i, wallS);
      }),
    );
  } finally {
    await pool.destroy();
  }
}

/** A run's error as people should read it; a dead worker says so (the pool starts a new one). */
function workerError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return /worker exited/i.test(msg)
    ? `the worker thread running it died (${msg}): out of memory or a crash; a new worker took over the remaining runs`
    : msg;
}
