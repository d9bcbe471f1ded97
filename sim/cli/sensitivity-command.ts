/**
 * `vmisim sensitivity FILE [--out DIR] [--constants a,b] [--threads N]`: which assumed constant, at
 * either end of its stated range, would flip each verdict of the experiment's report
 * (sim/cli/sensitivity-run.ts computes it; reports/sensitivity-section.ts writes it). Writes
 * sensitivity.json, sensitivity.csv, sensitivity.html and charts/sensitivity-*.png into DIR
 * (default out/<experiment>-sensitivity), atomically (sim/runner/atomic-dir.ts): on failure or
 * Ctrl-C the previous DIR stays as it was; finished runs stay in the run cache beside DIR, so the
 * same command resumes, and a second one computes nothing.
 *
 * Constants: --constants, else the file's `sensitivity: { constants }`, else every constant.
 */
import { InvalidArgumentError } from 'commander';
import { relative, resolve } from 'node:path';
import { describeError } from '../options/fs-problem.js';
import { suggest } from '../options/fields.js';
import { checkExperimentFile } from '../experiment/preflight.js';
import { ASSUMED_CONSTANT_IDS } from '../experiment/assumed-constants.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';
import { defaultThreads } from '../runner/pool.js';
import { checkOutputDir, openAtomicDir } from '../runner/atomic-dir.js';
import { vmisimVersion } from '../runner/assemble.js';
import { runCodeVersion } from '../runner/model-fingerprint.js';
import { openRunCache } from '../runner/run-cache.js';
import { writeSensitivityFiles } from '../../reports/sensitivity-section.js';
import { EXIT_INTERRUPTED, interruptOnSigint } from './run-command.js';
import { runSensitivity } from './sensitivity-run.js';

export interface SensitivityFlags {
  out?: string;
  constants?: string[];
  threads?: number;
  quiet?: boolean;
  fresh?: boolean;
}

/** Parses `--constants a,b`: known ids, each once; an unknown one names the known and the closest. */
export function parseConstants(v: string): string[] {
  const ids = v.split(',').map((s) => s.trim());
  for (const id of ids) {
    if (ASSUMED_CONSTANT_IDS.includes(id)) continue;
    const near = suggest(id, ASSUMED_CONSTANT_IDS);
    throw new InvalidArgumentError(
      `--constants expects ids of vmisim list constants (${ASSUMED_CONSTANT_IDS.join(', ')}), found '${id}'${near ? `; did you mean '${near}'?` : ''}`,
    );
  }
  return [...new Set(ids)];
}

const rel = (p: string) => relative(process.cwd(), p) || '.';

export async function sensitivityCommand(
  file: string,
  flags: SensitivityFlags,
  cli: CommandLineOverrides,
): Promise<number> {
  const threads = flags.threads ?? defaultThreads();
  const exp = checkExperimentFile(file, threads, cli);
  const outDir = resolve(flags.out ?? `out/${exp.name}-sensitivity`);
  checkOutputDir(outDir);
  const log = (s: string) => {
    if (!flags.quiet) process.stderr.write(`${s}\n`);
  };
  const cache = openRunCache(outDir, {
    vmisimVersion: runCodeVersion(vmisimVersion()),
    checkInvariants: false,
    warn: (s) => log(`warning: ${s}`),
  });
  const out = openAtomicDir(outDir);
  const abort = new AbortController();
  const stopListening = interruptOnSigint(out, abort);
  let storeWarned = false;
  try {
    const mode = flags.quiet ? 'quiet' : process.stderr.isTTY ? 'bar' : 'lines';
    let run;
    try {
      run = await runSensitivity(exp, file, flags.constants ?? exp.sensitivity, {
        threads,
        cache,
        checkInvariants: false,
        mode,
        signal: abort.signal,
        ...(flags.fresh ? { fresh: true } : {}),
        log,
        onStoreFailure: (e) => {
          if (!storeWarned)
            log(`warning: cannot write the run cache ${rel(cache.dir)}: ${describeError(e, cache.dir)}`);
          storeWarned = true;
        },
      });
    } catch (e) {
      if (!abort.signal.aborted) throw e;
      process.stderr.write(
        `\ninterrupted: finished runs kept in ${rel(cache.dir)}, previous output untouched; run the same command again to resume\n`,
      );
      return EXIT_INTERRUPTED;
    }
    const s = run.sensitivity;
    await out.write((tmp) => writeSensitivityFiles(s, tmp));
    out.commit();
    log(
      `wrote ${rel(outDir)}/sensitivity.html (${s.verdicts.length} verdicts, ${run.runs} runs, ${run.computed} computed)`,
    );
    if (run.failed > 0) {
      log(`${run.failed} of ${run.runs} runs failed; their seeds are left out of the verdicts`);
      return 1;
    }
    return 0;
  } finally {
    out.cleanup();
    stopListening();
  }
}
