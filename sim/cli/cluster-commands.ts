/**
 * The commands that run an experiment across a cluster: `vmisim plan` (the runs and their shards),
 * `vmisim merge` (the output from a run store), `vmisim submit slurm|k8s` (the job scripts), and
 * runOrShard, which `vmisim run` calls: with --store it computes one shard into the store
 * (sim/cli/shard-command.ts), otherwise it is the single-machine run.
 */
import { Command, Option } from 'commander';
import { InputError } from '../options/input-error.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';
import { positiveInt, nonNegativeInt, overrideOptions, overridesOf, threadsOption } from './cli-options.js';
import { QUICKSTART, runCommand, type RunFlags } from './run-command.js';
import { shardCommand } from './shard-command.js';
import { planCommand } from './plan-command.js';
import { submitSlurmCommand, type SlurmFlags } from './submit-slurm.js';
import { submitK8sCommand, type K8sFlags } from './submit-k8s.js';

export interface RunStoreFlags {
  store?: string;
  shard?: string;
  shards?: string;
}

/** `vmisim run`: a whole run with its report, or, with --store, one shard into a run store. */
export async function runOrShard(
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

/** Adds plan, merge and submit to `program`; each hands its exit code to `done`. */
export function addClusterCommands(program: Command, done: (code: number) => void): void {
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
      done(planCommand(file, flags, overridesOf(flags), (s) => process.stdout.write(s)));
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
        done(await runCommand(file, flags, overridesOf(flags), { store: flags.store }));
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
      done(submitSlurmCommand(file, flags, overridesOf(flags), (s) => process.stderr.write(`${s}\n`)));
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
      done(submitK8sCommand(file, flags, overridesOf(flags), (s) => process.stderr.write(`${s}\n`)));
    });
}
