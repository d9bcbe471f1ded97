/**
 * `vmisim run [FILE]`: validates an experiment, runs every alternative × seed on a worker pool,
 * and writes the output directory atomically; `--set` and `--seeds` change the experiment first
 * (sim/experiment/cli-overrides.ts) and are recorded in results.json. Each finished run also goes at once into the run
 * cache beside the output (sim/runner/run-cache.ts), so Ctrl-C, a crash or a reboot loses no
 * finished run and the same command resumes where it stopped (`--fresh` recomputes everything).
 * The report is written while the runs go on, into the output's temporary folder: each run's files
 * as it finishes, the rest after the last (reports/write-report.ts writeReportAsRunsFinish).
 *
 * On Ctrl-C: no new run starts, the pool and the report stop, finished runs stay in the cache, the
 * previous output directory stays as it was, exit 130. A second Ctrl-C exits at once.
 *
 * An --out that is not vmisim's to write is refused before anything starts (exit 2); one the file
 * system refuses fails with exit 3, the previous output untouched (sim/runner/atomic-dir.ts).
 *
 * An experiment whose file says `sensitivity:` also runs each assumed constant at the ends of its
 * range once the report is written (sim/cli/sensitivity-run.ts, through the same cache) and adds the
 * sensitivity section and its files to the output before it is committed.
 *
 * `vmisim merge` is this command with the runs taken from a shared run store instead of the cache
 * (MergeSource): every run must be there — none is computed — so the output is the very bytes a
 * single-machine run writes; missing runs are listed by index and spec hash, exit 1.
 */
import { fileURLToPath } from 'node:url';
import { relative, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describeError } from '../options/fs-problem.js';
import { runSpecs } from '../experiment/load.js';
import { checkExperimentFile } from '../experiment/preflight.js';
import { NO_OVERRIDES, type CommandLineOverrides } from '../experiment/cli-overrides.js';
import { runId, specHash, type RunSpec } from '../spec/run-spec.js';
import { RunArrivals, runInMemory, type RunHandle } from '../results/source.js';
import type { RunResult } from '../results/types.js';
import { defaultThreads, runEach } from '../runner/pool.js';
import { checkOutputDir, openAtomicDir } from '../runner/atomic-dir.js';
import { assembleResults, vmisimVersion } from '../runner/assemble.js';
import { runCodeVersion } from '../runner/model-fingerprint.js';
import { openRunCache, openRunStore } from '../runner/run-cache.js';
import { writeReportAsRunsFinish } from '../../reports/write-report.js';
import { reportNotes } from './report-notes.js';
import { addSensitivityToReport } from '../../reports/sensitivity-section.js';
import { runSensitivity } from './sensitivity-run.js';
import {
  createProgress,
  createRenderProgress,
  type ProgressReporter,
  type RenderProgress,
} from './progress.js';
import { withFlags } from './validate-command.js';

export const QUICKSTART = fileURLToPath(new URL('../../../experiments/quickstart.yaml', import.meta.url));

export const EXIT_INTERRUPTED = 130;

/**
 * Ctrl-C while a command writes `out`: the first one aborts `abort` (the command stops taking runs
 * and writes what it has), a second one stops now — `out` removed, exit 130. Cache entries are whole
 * (written synchronously, then renamed), so nothing computed is lost. Returns the listener's
 * removal, for the command's `finally`.
 */
export function interruptOnSigint(out: { cleanup(): void }, abort: AbortController): () => void {
  const onSigint = () => {
    if (abort.signal.aborted) {
      out.cleanup();
      process.exit(EXIT_INTERRUPTED);
    }
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  return () => process.removeListener('SIGINT', onSigint);
}

export interface RunFlags {
  out?: string;
  threads?: number;
  checkInvariants?: boolean;
  quiet?: boolean;
  fresh?: boolean;
}

/**
 * How `vmisim merge` uses this command: the runs come from a shared run store instead of the cache
 * beside the output, and none is computed — a run missing from the store is listed, exit 1.
 */
export interface MergeSource {
  store: string;
}

interface Timing {
  runId: string;
  wallS: number;
  /** Taken from the run cache; wallS is then the time of the original computation. */
  reused?: true;
}

const rel = (p: string) => relative(process.cwd(), p) || '.';

/** Runs the experiment in `file` (default: the quickstart) changed by the flags `cli`. */
export async function runCommand(
  file: string | undefined,
  flags: RunFlags,
  cli: CommandLineOverrides = NO_OVERRIDES,
  merge?: MergeSource,
): Promise<number> {
  const path = file ?? QUICKSTART;
  const label = file ?? 'experiments/quickstart.yaml (built-in)';
  const threads = flags.threads ?? defaultThreads();
  // Every check before anything starts, the same as `vmisim validate` (memory estimate included).
  const exp = checkExperimentFile(path, threads, cli);
  const specs = runSpecs(exp);
  const outDir = resolve(flags.out ?? `out/${exp.name}`);
  // Refuse, before anything starts, an --out that is not vmisim's to write or cannot be reached.
  checkOutputDir(outDir);
  const checkInvariants = flags.checkInvariants ?? process.env.VMISIM_DEBUG_INVARIANTS === '1';
  const log = (s: string) => {
    if (!flags.quiet) process.stderr.write(`${s}\n`);
  };
  log(
    `vmisim ${vmisimVersion()}: ${exp.name}: ${specs.length} runs (${exp.alternatives.length} alternatives × ${exp.seeds.length} seeds) on ${threads} threads${withFlags(exp.overrides)}`,
  );

  // Runs already finished by an earlier invocation, in spec order; holes are still to compute.
  const cacheOptions = {
    // The model code's fingerprint too: a run of other code is recomputed, whatever the version says.
    vmisimVersion: runCodeVersion(vmisimVersion()),
    // A merge computes nothing: it takes the shards' runs, checked or not (results do not depend on it).
    checkInvariants: merge === undefined && checkInvariants,
    warn: (s: string) => log(`warning: ${s}`),
  };
  const cache =
    merge === undefined ? openRunCache(outDir, cacheOptions) : openRunStore(merge.store, cacheOptions);
  // Summaries in memory, series left in the cache until the report reads them one run at a time.
  const runs: (RunHandle | undefined)[] = specs.map(() => undefined);
  const timings: Timing[] = [];
  if (!flags.fresh) {
    specs.forEach((spec, i) => {
      const hit = cache.lookup(spec);
      if (hit === undefined) return;
      runs[i] = hit.run;
      timings.push({ runId: hit.run.result.runId, wallS: hit.wallS, reused: true });
    });
  }
  const todo = specs.flatMap((_, i) => (runs[i] === undefined ? [i] : []));
  const reused = specs.length - todo.length;
  if (reused > 0 || cache.ignored > 0) {
    const stale = cache.ignored - cache.altered;
    const ignored =
      (stale > 0 ? `; ${stale} unreadable or outdated ignored` : '') +
      (cache.altered > 0 ? `; ${cache.altered} altered (digest mismatch) recomputed` : '');
    log(`reused ${reused} of ${specs.length} runs from ${rel(cache.dir)}${ignored}`);
  }
  if (merge !== undefined && todo.length > 0) {
    process.stderr.write(missingRuns(specs, todo, rel(cache.dir)));
    return 1;
  }

  const out = openAtomicDir(outDir);
  const abort = new AbortController();
  const stopListening = interruptOnSigint(out, abort);
  const interrupted = (): number => {
    const kept = runs.filter((r) => r?.result.status === 'ok').length;
    process.stderr.write(
      `\ninterrupted: ${kept} of ${specs.length} finished runs kept in ${rel(cache.dir)}, previous output untouched; run the same command again to resume\n`,
    );
    return EXIT_INTERRUPTED;
  };

  let cacheWarned = false;
  const keep = (i: number, r: RunResult, wallS: number): RunHandle => {
    try {
      return cache.store(specs[i]!, r, wallS);
    } catch (e) {
      // A full disk or a read-only folder costs only the ability to resume, not the run (its
      // series then stays in memory).
      if (!cacheWarned)
        log(
          `warning: cannot write the run cache ${rel(cache.dir)}: ${describeError(e, cache.dir)}; finished runs will not be kept for resuming`,
        );
      cacheWarned = true;
      return runInMemory(r);
    }
  };

  const t0 = process.hrtime.bigint();
  const mode = flags.quiet ? 'quiet' : process.stderr.isTTY ? 'bar' : 'lines';
  // The report is written while the runs go on (reports/write-report.ts writeReportAsRunsFinish):
  // each run's files as it finishes, the comparison charts once every alternative's first run is in.
  const { runs: _none, ...header } = assembleResults(exp, [], label);
  const arrivals = new RunArrivals(
    header,
    specs.map((s) => ({ alternative: s.alternative, seed: s.seed })),
  );
  runs.forEach((r, i) => {
    if (r !== undefined) arrivals.finish(i, r);
  });
  let rendered = { done: 0, queued: 0 };
  let rendering: RenderProgress | undefined;
  // Set (from a callback) when the report fails other than by Ctrl-C.
  const failure: { report?: { error: unknown } } = {};
  const throwIfReportFailed = () => {
    if (failure.report !== undefined) throw failure.report.error;
  };
  const report = out.write((tmp) =>
    writeReportAsRunsFinish(arrivals, tmp, reportNotes(), {
      threads,
      signal: abort.signal,
      onProgress: (done, queued) => {
        rendered = { done, queued };
        rendering?.update(done, queued);
      },
    }),
  );
  // A report that fails while runs go on stops them (a full disk, say): the error is what is shown.
  void report.catch((e: unknown) => {
    if (abort.signal.aborted) return;
    failure.report = { error: e };
    abort.abort();
  });
  // Ends an interrupted or failed invocation: the report stops and its directory is discarded.
  const stopReport = async () => {
    arrivals.stop(new Error('the runs stopped before every run finished'));
    await report.catch(() => {});
  };
  try {
    const progress: ProgressReporter = createProgress({
      mode,
      total: specs.length,
      reused,
      runSimS: exp.durationNs / 1e9,
      stream: process.stderr,
    });
    try {
      if (todo.length > 0) {
        // The first seed of every alternative first: the comparison charts need those runs, and are
        // then drawn while the other seeds simulate. Each run's result does not depend on the order.
        const seedsN = exp.seeds.length;
        const order = [...todo].sort((a, b) => (a % seedsN) - (b % seedsN) || a - b);
        await runEach(
          order.map((i) => specs[i]!),
          {
            threads,
            checkInvariants,
            signal: abort.signal,
            onRunDone: (r, j, wallS) => {
              const i = order[j]!;
              runs[i] = keep(i, r, wallS);
              arrivals.finish(i, runs[i]);
              timings.push({ runId: r.runId, wallS });
              progress.runDone(r, wallS);
            },
          },
        );
      }
    } catch (e) {
      if (!abort.signal.aborted) {
        await stopReport();
        throw e;
      }
    } finally {
      progress.stop();
    }
    throwIfReportFailed();
    if (abort.signal.aborted) {
      await stopReport();
      return interrupted();
    }

    rendering = createRenderProgress({ mode, threads, stream: process.stderr });
    rendering.update(rendered.done, rendered.queued);
    try {
      await report;
    } catch {
      // Either Ctrl-C (the report stops with it) or a failure: told apart below.
    } finally {
      rendering.stop();
    }
    throwIfReportFailed();
    if (abort.signal.aborted) return interrupted();
    // The file's `sensitivity:` asks for the report's sensitivity section: more runs, then its files.
    // A merge computes nothing, so it leaves the section out.
    let sensitivityHashes: string[] = [];
    if (exp.sensitivity !== undefined && merge === undefined) {
      let s;
      try {
        s = await runSensitivity(exp, label, exp.sensitivity, {
          threads,
          cache,
          checkInvariants,
          mode,
          signal: abort.signal,
          ...(flags.fresh ? { fresh: true } : {}),
          log,
        });
      } catch (e) {
        if (abort.signal.aborted) return interrupted();
        throw e;
      }
      sensitivityHashes = s.hashes;
      if (s.failed > 0)
        log(`${s.failed} of ${s.runs} sensitivity runs failed; their seeds are left out of its verdicts`);
      await out.write((tmp) => addSensitivityToReport(s.sensitivity, tmp));
    }
    timings.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
    const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
    await out.write((tmp) =>
      writeFileSync(
        `${tmp}/timings.json`,
        `${JSON.stringify({ threads, totalWallS: totalS, reused, computed: todo.length, runs: timings }, null, 2)}\n`,
      ),
    );
    out.commit();
    // The cache now mirrors the output: entries of runs no longer in the experiment go. A store
    // may hold other experiments' runs: it is left as it is.
    if (merge === undefined) cache.prune(new Set([...specs.map(specHash), ...sensitivityHashes]));
    const failed = runs.filter((r) => r?.result.status === 'failed').length;
    log(`wrote ${rel(outDir)}/report.html (${totalS.toFixed(1)} s)`);
    if (failed > 0) {
      log(`${failed} of ${specs.length} runs failed; see report.html`);
      return 1;
    }
    return 0;
  } finally {
    out.cleanup();
    stopListening();
  }
}

/** The runs `vmisim merge` did not find in the store, by index (in run order) and spec hash. */
function missingRuns(specs: readonly RunSpec[], todo: readonly number[], store: string): string {
  const lines = todo.map((i) => `  ${i}\t${specHash(specs[i]!)}\t${runId(specs[i]!)}`);
  return `vmisim: ${todo.length} of ${specs.length} runs are not in ${store} (index, spec hash, run); run their shards again (vmisim plan lists which shard has each), then merge:\n${lines.join('\n')}\n`;
}
