#!/usr/bin/env node
/**
 * The `vmisim` command. `vmisim run [FILE]` validates an experiment, runs every alternative ×
 * seed on a worker pool and writes the output directory atomically; with no FILE it runs the
 * built-in quickstart (sim/cli/run-command.ts; finished runs are kept in a cache beside the
 * output, so it resumes after Ctrl-C). `vmisim validate FILE…` checks files without running them (both take `--set path=value` and
 * `--seeds N`, sim/experiment/cli-overrides.ts),
 * `vmisim plan FILE --shards N` lists the runs and the shard of each, `vmisim run FILE --store DIR
 * --shard I/N` computes one shard into a run store shared by a cluster's nodes
 * (sim/cli/shard-command.ts) and `vmisim merge FILE --store DIR` writes the output from it,
 * `vmisim report DIR` renders a report again from its results.json, `vmisim compare DIR_A DIR_B`
 * compares two output folders (sim/cli/compare-command.ts), `vmisim sensitivity FILE` says which
 * assumed constant would flip each verdict (sim/cli/sensitivity-command.ts), `vmisim schema` prints the
 * experiment JSON Schema, `vmisim list [kind]` shows the plugins and their options.
 *
 * Exit codes: 0 all runs succeeded; 1 some runs failed (their errors are in the results);
 * 2 bad input (experiment file or flags, an unreadable input, or an --out that is not vmisim's to
 * write) — one message, nothing written; 3 the output could not be written (read-only, full disk,
 * permission denied…) — one message, the previous output untouched; 130 interrupted;
 * 70 an internal error (a bug in vmisim: the message carries a stack trace for the report).
 */
import { Argument, Command, CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { InputError, EXIT_BAD_INPUT } from '../options/input-error.js';
import { OutputError } from '../runner/output-error.js';
import { defaultThreads } from '../runner/pool.js';
import { vmisimVersion } from '../runner/assemble.js';
import { LIST_KINDS, listPlugins, type ListKind } from './list.js';
import type { RunFlags } from './run-command.js';
import { addClusterCommands, runOrShard, type RunStoreFlags } from './cluster-commands.js';
import { overrideOptions, overridesOf, threadsOption } from './cli-options.js';
import { validateCommand } from './validate-command.js';
import { reportCommand } from './report-command.js';
import { compareCommand } from './compare-command.js';
import { parseConstants, sensitivityCommand, type SensitivityFlags } from './sensitivity-command.js';
import { experimentJsonSchemaText } from '../experiment/json-schema.js';

/** A bug in vmisim (anything thrown that is not an InputError or OutputError); 70 is sysexits' EX_SOFTWARE. */
const EXIT_INTERNAL_ERROR = 70;

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('vmisim')
    .description('Simulate a virtualization host running paravirtualized i386 guests (VMI / Xen).')
    .version(vmisimVersion())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let code = 0;
  const run = program
    .command('run')
    .description('run an experiment (default: the built-in quickstart) and write its report')
    .argument('[file]', 'experiment YAML file')
    .option(
      '-o, --out <dir>',
      'output folder: new, empty, or an earlier output of vmisim, whose other files are kept (default: out/<experiment name>)',
    )
    .addOption(threadsOption('worker threads'))
    .option(
      '--check-invariants',
      'check every model invariant after every event (slow; also VMISIM_DEBUG_INVARIANTS=1)',
    )
    .option('-q, --quiet', 'print nothing but errors')
    .option('--fresh', 'recompute every run instead of reusing runs finished by an earlier (interrupted) run')
    .option(
      '--store <dir>',
      'compute into a run store shared by the nodes of a cluster instead of writing a report (vmisim merge writes it): only the runs the store lacks; SIGTERM stops it, keeping finished runs',
    )
    .option(
      '--shard <I/N>',
      'with --store: compute only shard I of N (0 ≤ I < N; vmisim plan shows the split)',
    )
    .option(
      '--shards <n>',
      'with --store: N shards, this one numbered by SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX (default N: SLURM_ARRAY_TASK_COUNT)',
    );
  for (const o of overrideOptions()) run.addOption(o);
  run
    .addHelpText(
      'after',
      `
Examples:
  $ vmisim run                                        the built-in quickstart, into out/quickstart
  $ vmisim run experiments/balloon-policies.yaml -t 2
  $ vmisim run my.yaml --out results/my --fresh       recompute everything, ignoring finished runs
  $ vmisim run my.yaml --set host.pcpus=8 --set guests.web.memory=2GiB --seeds 10
--set and --seeds change the file's base experiment as if it said so; an alternative of compare: or a
point of sweep: that sets the same path keeps its value (a --set that every one of them sets again is
refused). results.json and the report record the flags. A --set changes every run, so no run made
without it is reused; --seeds only picks the seeds, and a seed already run is reused.
Interrupted (Ctrl-C, exit 130)? Run the same command again: finished runs are reused.
On a cluster (docs/slurm.md, docs/kubernetes.md), each array task runs
  $ vmisim run my.yaml --store /shared/store --shards 8   index from the array job's environment
  $ vmisim run my.yaml --store /shared/store --shard 3/8  shard 3 by hand
and vmisim merge writes the report. Threads: --threads, else SLURM_CPUS_PER_TASK, else the cores.
With --store: exit 143 on SIGTERM (finished runs are in the store; the same command does the rest).
Exit codes: 0 done; 1 some runs failed; 2 bad input (nothing run or written); 3 the output could not be
written (the previous output is untouched); 130 interrupted; 70 an internal error (a bug in vmisim).`,
    )
    .action(
      async (
        file: string | undefined,
        flags: RunFlags & RunStoreFlags & { set?: string[]; seeds?: string },
      ) => {
        code = await runOrShard(file, flags, overridesOf(flags));
      },
    );
  const validate = program
    .command('validate')
    .description(
      'check experiment files without running them: every problem, at its file:line:column; the same checks as run',
    )
    .argument('<file...>', 'experiment YAML files')
    .addOption(threadsOption('worker threads the memory estimate assumes, as for run'));
  for (const o of overrideOptions()) validate.addOption(o);
  validate
    .addHelpText(
      'after',
      '\nExamples:\n  $ vmisim validate experiments/*.yaml\n  $ vmisim validate big-sweep.yaml --threads 8\n  $ vmisim validate my.yaml --set host.pcpus=8 --seeds 10   the checks run makes with the same flags\nExit 0 when every file is valid (run would start it), 2 otherwise.',
    )
    .action((files: string[], flags: { threads?: number; set?: string[]; seeds?: string }) => {
      code = validateCommand(
        files,
        flags.threads ?? defaultThreads(),
        (s) => process.stdout.write(s),
        overridesOf(flags),
      );
    });
  addClusterCommands(program, (c) => {
    code = c;
  });
  program
    .command('report')
    .description('render the report of an output directory again from its results.json, without re-running')
    .argument('<dir>', 'output directory of a vmisim run (holds results.json)')
    .addOption(threadsOption('threads that render the charts'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ vmisim report out/quickstart\n  $ vmisim report out/quickstart --threads 4',
    )
    .action(async (dir: string, flags: { threads?: number }) => {
      code = await reportCommand(
        dir,
        (s) => process.stderr.write(`${s}\n`),
        flags.threads ?? defaultThreads(),
      );
    });
  program
    .command('compare')
    .description(
      'compare two output folders: per alternative in both and per metric, mean A, mean B and B − A with its 95 % interval and verdict',
    )
    .argument('<dirA>', 'output folder of a vmisim run (holds results.json): the reference')
    .argument('<dirB>', 'output folder to compare with it')
    .option('-o, --out <file>', 'also write the comparison as CSV (replaced atomically)')
    .addHelpText(
      'after',
      `
Alternatives are matched by name, metrics by id. Seeds are paired (paired t test) when both folders
come from the same experiment file with the same seeds, otherwise Welch's t test; p-values are
Holm-corrected per metric across the alternatives, as in the report.

Examples:
  $ vmisim compare out/before out/after
  $ vmisim compare out/vmi out/xen --out vmi-vs-xen.csv
Exit codes: 0 compared; 2 bad input (a missing folder, no results.json, nothing in common); 3 --out
could not be written.`,
    )
    .action((dirA: string, dirB: string, flags: { out?: string }) => {
      code = compareCommand(dirA, dirB, flags, (s) => process.stdout.write(s));
    });
  const sensitivity = program
    .command('sensitivity')
    .description(
      'vary each assumed constant (vmisim list constants) to the ends of its range and say which would flip each verdict of the report',
    )
    .argument('<file>', 'experiment YAML file')
    .option('-o, --out <dir>', 'output folder (default: out/<experiment name>-sensitivity)')
    .option(
      '--constants <ids>',
      "comma-separated constants to vary (default: the file's sensitivity:, else all)",
      parseConstants,
    )
    .addOption(threadsOption('worker threads'))
    .option('-q, --quiet', 'print nothing but errors')
    .option('--fresh', 'recompute every run instead of reusing finished ones');
  for (const o of overrideOptions()) sensitivity.addOption(o);
  sensitivity
    .addHelpText(
      'after',
      `
Runs the experiment at its baseline and with each constant at the low and at the high end of its
range, the others at baseline (each run's own value × end / reference: at the p4-2006 preset,
exitCycles 3,000 → 1,000 and 4,000). Writes sensitivity.json, sensitivity.csv, sensitivity.html and a
tornado chart per verdict (charts/sensitivity-*.png). Finished runs are cached beside the output:
the same command again computes nothing.

Examples:
  $ vmisim sensitivity experiments/interface-comparison.yaml
  $ vmisim sensitivity my.yaml --constants exitCycles,hypercallCycles -t 2
Exit codes: 0 done; 1 some runs failed; 2 bad input; 3 the output could not be written; 130 interrupted.`,
    )
    .action(async (file: string, flags: SensitivityFlags & { set?: string[]; seeds?: string }) => {
      code = await sensitivityCommand(file, flags, overridesOf(flags));
    });
  program
    .command('schema')
    .description('print the JSON Schema of experiment files (the published vmisim.schema.json)')
    .addHelpText(
      'after',
      '\nFor editor completion, start an experiment with\n  # yaml-language-server: $schema=<path to>/vmisim.schema.json',
    )
    .action(() => {
      process.stdout.write(experimentJsonSchemaText());
    });
  program
    .command('list')
    .description(
      'list schedulers, timer delivery, balloon policies, workloads and interfaces with their options; `list metrics` lists what a report measures',
    )
    .addArgument(new Argument('[kind]', 'show only one kind').choices(Object.keys(LIST_KINDS) as ListKind[]))
    .addHelpText(
      'after',
      '\nExamples:\n  $ vmisim list workloads\n  $ vmisim list policies\n  $ vmisim list metrics       id, unit, better direction and meaning of every metric',
    )
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
    if (e instanceof InputError || e instanceof OutputError) {
      process.stderr.write(`vmisim: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

// Run when executed directly, also through a symlink such as node_modules/.bin/vmisim.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv).then(
    // Exit once stdout has drained: a pipe takes large outputs (vmisim schema) asynchronously.
    (code) => process.stdout.write('', () => process.exit(code)),
    (e: unknown) => {
      process.stderr.write(
        `vmisim: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exit(EXIT_INTERNAL_ERROR);
    },
  );
}
