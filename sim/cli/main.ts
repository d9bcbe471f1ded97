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
 * compares two output folders (sim/cli/compare-command.ts), `vmisim schema` prints the
 * experiment JSON Schema, `vmisim list [kind]` shows the plugins and their options.
 *
 * Exit codes: 0 all runs succeeded; 1 some runs failed (their errors are in the results);
 * 2 bad input (experiment file or flags, an unreadable input, or an --out that is not vmisim's to
 * write) — one message, nothing written; 3 the output could not be written (read-only, full disk,
 * permission denied…) — one message, the previous output untouched; 130 interrupted;
 * 70 an internal error (a bug in vmisim: the message carries a stack trace for the report).
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { InputError, EXIT_BAD_INPUT } from '../options/input-error.js';
import { OutputError } from '../runner/output-error.js';
import { defaultThreads } from '../runner/pool.js';
import { vmisimVersion } from '../runner/assemble.js';
import { LIST_KINDS, listPlugins, type ListKind } from './list.js';
import { QUICKSTART, runCommand, type RunFlags } from './run-command.js';
import { shardCommand } from './shard-command.js';
import { planCommand } from './plan-command.js';
import { submitSlurmCommand, type SlurmFlags } from './submit-slurm.js';
import { submitK8sCommand, type K8sFlags } from './submit-k8s.js';
import { validateCommand } from './validate-command.js';
import { reportCommand } from './report-command.js';
import { compareCommand } from './compare-command.js';
import { experimentJsonSchemaText } from '../experiment/json-schema.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';

/** A bug in vmisim (anything thrown that is not an InputError or OutputError); 70 is sysexits' EX_SOFTWARE. */
const EXIT_INTERNAL_ERROR = 70;

function positiveInt(flag: string) {
  return (v: string): number => {
    if (!/^[0-9]+$/.test(v) || Number(v) < 1)
      throw new InvalidArgumentError(`${flag} expects a whole number ≥ 1, found '${v}'`);
    return Number(v);
  };
}

function nonNegativeInt(flag: string) {
  return (v: string): number => {
    if (!/^[0-9]{1,6}$/.test(v))
      throw new InvalidArgumentError(`${flag} expects a whole number ≥ 0, found '${v}'`);
    return Number(v);
  };
}

/** `--set` and `--seeds`, the same for run and validate: they change the experiment before it is checked. */
function overrideOptions(): Option[] {
  return [
    new Option(
      '--set <path=value>',
      "change a field of the experiment, repeatable: a dotted path as in compare: (host.pcpus, guests.web.memory) and a YAML value (8, 2GiB, true, [1,2], '{policy: esx}'); applied to the base experiment before compare: and sweep:, whose own values of the same path still win",
    ).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    new Option('--seeds <n>', "run seeds 1..n instead of the file's seeds (or a list: --seeds 3,7,9)"),
  ];
}

/** The flags of --set and --seeds as the loader takes them. */
function overridesOf(flags: { set?: string[]; seeds?: string }): CommandLineOverrides {
  return { set: flags.set ?? [], ...(flags.seeds === undefined ? {} : { seeds: flags.seeds }) };
}

/** `--threads`, the same for run and validate (the memory estimate depends on it). */
function threadsOption(what: string): Option {
  return new Option(
    '-t, --threads <n>',
    `${what} (default: ${defaultThreads()}, the machine's cores)`,
  ).argParser(positiveInt('--threads'));
}

interface RunStoreFlags {
  store?: string;
  shard?: string;
  shards?: string;
}

/** `vmisim run`: a whole run with its report, or, with --store, one shard into a run store. */
async function runOrShard(
  file: string | undefined,
  flags: RunFlags & RunStoreFlags,
  cli: CommandLineOverrides,
): Promise<number> {
  const { store, shard, shards, ...runFlags } = flags;
  if (store === undefined) {
    if (shard !== undefined || shards !== undefined)
      throw new InputError(
        { file: shard !== undefined ? '--shard' : '--shards' },
        undefined,
        'needs --store DIR, the run store the shards share',
      );
    return runCommand(file, runFlags, cli);
  }
  for (const [flag, v] of [
    ['--out', flags.out],
    ['--fresh', flags.fresh],
  ] as const)
    if (v !== undefined)
      throw new InputError(
        { file: flag },
        undefined,
        'not with --store: a shard writes only the store; vmisim merge writes the output',
      );
  return shardCommand(
    file ?? QUICKSTART,
    {
      ...runFlags,
      store,
      ...(shard === undefined ? {} : { shard }),
      ...(shards === undefined ? {} : { shards }),
    },
    cli,
  );
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
  const plan = program
    .command('plan')
    .description(
      'list the runs of an experiment with their index, spec hash, estimated cost and shard, as vmisim run --shard splits them',
    )
    .argument('<file>', 'experiment YAML file')
    .addOption(new Option('--shards <n>', 'number of shards').default(1).argParser(positiveInt('--shards')))
    .option('--json', 'print the plan as JSON');
  for (const o of overrideOptions()) plan.addOption(o);
  plan
    .addHelpText(
      'after',
      "\nExamples:\n  $ vmisim plan my.yaml --shards 8\n  $ vmisim plan my.yaml --shards 8 --json | jq '.runs[] | select(.shard == 3)'\nThe split depends only on the experiment, the vmisim version and model code, and N.",
    )
    .action((file: string, flags: { shards?: number; json?: boolean; set?: string[]; seeds?: string }) => {
      code = planCommand(file, flags, overridesOf(flags), (s) => process.stdout.write(s));
    });
  const merge = program
    .command('merge')
    .description(
      'write results.json, the tables and the report of an experiment from a run store filled by vmisim run --store, computing nothing',
    )
    .argument('<file>', 'experiment YAML file, as given to vmisim run (results.json records it)')
    .requiredOption('--store <dir>', 'the run store the shards wrote')
    .option('-o, --out <dir>', 'output folder, as for run (default: out/<experiment name>)')
    .addOption(threadsOption('threads that render the charts'))
    .option('-q, --quiet', 'print nothing but errors');
  for (const o of overrideOptions()) merge.addOption(o);
  merge
    .addHelpText(
      'after',
      `
The output is byte for byte what vmisim run FILE would write on one machine (timings.json aside:
it holds wall times). Give FILE, --set and --seeds exactly as the shards were given them.

Examples:
  $ vmisim merge my.yaml --store /shared/store --out results/my
Exit codes: 0 done; 1 runs missing from the store (listed by index, spec hash and run) or failed;
2 bad input; 3 the output could not be written; 130 interrupted.`,
    )
    .action(
      async (
        file: string,
        flags: {
          store: string;
          out?: string;
          threads?: number;
          quiet?: boolean;
          set?: string[];
          seeds?: string;
        },
      ) => {
        code = await runCommand(file, flags, overridesOf(flags), { store: flags.store });
      },
    );
  const submit = program
    .command('submit')
    .description(
      'write the job scripts that run an experiment sharded on a cluster: slurm (a job array) or k8s (an Indexed Job)',
    );
  const submitOptions = (cmd: Command, engine: string) =>
    cmd
      .argument('<file>', 'experiment YAML file, as the nodes will see it')
      .requiredOption(
        '--shards <n>',
        'number of shards (array tasks, Job completions)',
        positiveInt('--shards'),
      )
      .option(
        '--store <dir>',
        `the run store the shards share (default: ${engine === 'slurm' ? '<dir>/store' : 'store'})`,
      )
      .option('-o, --out <dir>', 'where the merge writes the output (default: out/<experiment name>)')
      .option('--dir <dir>', `where to write the generated files (default: ${engine}/<experiment name>)`)
      .option(
        '--cpus-per-task <n>',
        'CPUs (and worker threads) of each shard and of the merge (default 1)',
        positiveInt('--cpus-per-task'),
      )
      .option('--vmisim <command>', 'how the nodes run vmisim (default: vmisim)');
  const slurm = submitOptions(submit.command('slurm'), 'slurm')
    .description(
      'write an sbatch job array of the shards, a merge job that depends on it, and submit.sh that submits both',
    )
    .option('--partition <name>', "Slurm partition (default: the cluster's default)")
    .option(
      '--time <limit>',
      'time limit of each shard and of the merge, as sbatch --time takes it (D-HH:MM:SS)',
    )
    .option(
      '--signal-s <s>',
      'SIGTERM each task this many seconds before its time limit (default 60)',
      positiveInt('--signal-s'),
    );
  for (const o of overrideOptions()) slurm.addOption(o);
  slurm
    .addHelpText(
      'after',
      '\nExamples:\n  $ vmisim submit slurm my.yaml --shards 16 --partition batch --time 2:00:00 --cpus-per-task 4 --store /scratch/$USER/store\n  $ sh slurm/my/submit.sh\nSee docs/slurm.md.',
    )
    .action((file: string, flags: SlurmFlags & { set?: string[]; seeds?: string }) => {
      code = submitSlurmCommand(file, flags, overridesOf(flags), (s) => process.stderr.write(`${s}\n`));
    });
  const k8s = submitOptions(submit.command('k8s'), 'k8s')
    .description(
      'write a Kubernetes Indexed Job of the shards, a merge Job, and submit.sh that applies them in turn',
    )
    .requiredOption('--image <image>', 'container image with vmisim')
    .option(
      '--pvc <claim>',
      'PersistentVolumeClaim (ReadWriteMany) mounted at /data in every pod (default: vmisim-data)',
    )
    .option('--namespace <ns>', 'namespace of the Jobs')
    .option('--parallelism <n>', 'pods at once (default: all shards)', positiveInt('--parallelism'))
    .option(
      '--retries <n>',
      'retries of each shard (backoffLimitPerIndex, default 3)',
      nonNegativeInt('--retries'),
    );
  for (const o of overrideOptions()) k8s.addOption(o);
  k8s
    .addHelpText(
      'after',
      '\nExamples:\n  $ vmisim submit k8s my.yaml --shards 16 --image ghcr.io/me/vmisim:0.1.0 --pvc vmisim-data --cpus-per-task 2\n  $ sh k8s/my/submit.sh\nFILE, --store and --out are paths in the volume, relative to /data. See docs/kubernetes.md.',
    )
    .action((file: string, flags: K8sFlags & { set?: string[]; seeds?: string }) => {
      code = submitK8sCommand(file, flags, overridesOf(flags), (s) => process.stderr.write(`${s}\n`));
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
