#!/usr/bin/env node
/**
 * The `vmisim` command. `vmisim run [FILE]` validates an experiment, runs every alternative ×
 * seed on a worker pool and writes the output directory atomically; with no FILE it runs the
 * built-in quickstart. `vmisim list` shows the plugins and their options.
 *
 * Exit codes: 0 all runs succeeded; 1 some runs failed (their errors are in the results);
 * 2 bad input (experiment file or flags) — one message, nothing written; 130 interrupted.
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { relative, resolve } from 'node:path';
import { realpathSync, writeFileSync } from 'node:fs';
import { InputError, EXIT_BAD_INPUT } from '../experiment/input-error.js';
import { loadExperimentFile, runSpecs } from '../experiment/load.js';
import { defaultThreads, runPool } from '../runner/pool.js';
import { openAtomicDir } from '../runner/atomic-dir.js';
import { assembleResults, vmisimVersion } from '../runner/assemble.js';
import { writeReportFiles } from '../../reports/write-report.js';
import { LIST_KINDS, listPlugins, type ListKind } from './list.js';

const QUICKSTART = fileURLToPath(new URL('../../../experiments/quickstart.yaml', import.meta.url));

function positiveInt(flag: string) {
  return (v: string): number => {
    if (!/^[0-9]+$/.test(v) || Number(v) < 1)
      throw new InvalidArgumentError(`${flag} expects a whole number ≥ 1, found '${v}'`);
    return Number(v);
  };
}

interface RunFlags {
  out?: string;
  threads?: number;
  checkInvariants?: boolean;
  quiet?: boolean;
}

async function runCommand(file: string | undefined, flags: RunFlags): Promise<number> {
  const path = file ?? QUICKSTART;
  const label = file ?? 'experiments/quickstart.yaml (built-in)';
  const exp = loadExperimentFile(path);
  const specs = runSpecs(exp);
  const outDir = resolve(flags.out ?? `out/${exp.name}`);
  const threads = flags.threads ?? defaultThreads();
  const log = (s: string) => {
    if (!flags.quiet) process.stderr.write(`${s}\n`);
  };
  log(
    `vmisim ${vmisimVersion()}: ${exp.name}: ${specs.length} runs (${exp.alternatives.length} alternatives × ${exp.seeds.length} seeds) on ${threads} threads`,
  );

  const out = openAtomicDir(outDir);
  const abort = new AbortController();
  const onSigint = () => {
    abort.abort();
    out.cleanup();
    process.stderr.write('\ninterrupted: nothing was written\n');
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  try {
    let done = 0;
    const timings: { runId: string; wallS: number }[] = [];
    const t0 = process.hrtime.bigint();
    const runs = await runPool(specs, {
      threads,
      checkInvariants: flags.checkInvariants ?? process.env.VMISIM_DEBUG_INVARIANTS === '1',
      signal: abort.signal,
      onRunDone: (r, _i, wallS) => {
        done++;
        timings.push({ runId: r.runId, wallS });
        log(
          `[${done}/${specs.length}] ${r.runId} ${r.status}${r.error ? `: ${r.error}` : ''} (${wallS.toFixed(2)} s)`,
        );
      },
    });
    const results = assembleResults(exp, runs, label);
    await writeReportFiles(results, out.tmp);
    timings.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
    const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
    writeFileSync(
      `${out.tmp}/timings.json`,
      `${JSON.stringify({ threads, totalWallS: totalS, runs: timings }, null, 2)}\n`,
    );
    out.commit();
    const failed = runs.filter((r) => r.status === 'failed').length;
    log(`wrote ${relative(process.cwd(), outDir) || '.'}/report.html (${totalS.toFixed(1)} s)`);
    if (failed > 0) {
      log(`${failed} of ${runs.length} runs failed; see report.html`);
      return 1;
    }
    return 0;
  } finally {
    out.cleanup();
    process.removeListener('SIGINT', onSigint);
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('vmisim')
    .description('Simulate a virtualization host running paravirtualized i386 guests (VMI / Xen).')
    .version(vmisimVersion())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let code = 0;
  program
    .command('run')
    .description('run an experiment (default: the built-in quickstart) and write its report')
    .argument('[file]', 'experiment YAML file')
    .option('-o, --out <dir>', 'output directory (default: out/<experiment name>)')
    .addOption(
      new Option(
        '-t, --threads <n>',
        `worker threads (default: ${defaultThreads()}, the machine's cores)`,
      ).argParser(positiveInt('--threads')),
    )
    .option(
      '--check-invariants',
      'check every model invariant after every event (slow; also VMISIM_DEBUG_INVARIANTS=1)',
    )
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (file: string | undefined, flags: RunFlags) => {
      code = await runCommand(file, flags);
    });
  program
    .command('list')
    .description('list schedulers, timer delivery, balloon policies and workloads with their options')
    .addArgument(new Argument('[kind]', 'show only one kind').choices(Object.keys(LIST_KINDS) as ListKind[]))
    .action((kind: ListKind | undefined) => {
      process.stdout.write(listPlugins(kind));
    });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return 0;
      return EXIT_BAD_INPUT;
    }
    if (e instanceof InputError) {
      process.stderr.write(`vmisim: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
}

// Run when executed directly, also through a symlink such as node_modules/.bin/vmisim.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(
        `vmisim: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exit(70);
    },
  );
}
