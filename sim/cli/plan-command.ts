/**
 * `vmisim plan FILE [--shards N] [--json]`: the runs of an experiment, each with its index, spec
 * hash, estimated cost and shard (sim/runner/shard-plan.ts) — what `vmisim run --shard I/N` will
 * compute on each node, and how even the split is. The plan depends only on the experiment (with
 * --set/--seeds), the vmisim version and model code (printed: the store's entries are keyed to them)
 * and N, never on the machine.
 */
import { runSpecs } from '../experiment/load.js';
import { checkExperimentFile } from '../experiment/preflight.js';
import type { CommandLineOverrides } from '../experiment/cli-overrides.js';
import { vmisimVersion } from '../runner/assemble.js';
import { runCodeVersion } from '../runner/model-fingerprint.js';
import { planShards, type PlannedRun } from '../runner/shard-plan.js';
import { defaultThreads } from '../runner/pool.js';

/** What `--json` prints. */
export interface PlanJson {
  experiment: string;
  /** The version run stores record: the package version and the model code's fingerprint. */
  code: string;
  shards: number;
  /** Sum of the costs of each shard's runs, by shard. */
  shardCosts: number[];
  runs: PlannedRun[];
}

export function planCommand(
  file: string,
  flags: { shards?: number; json?: boolean },
  cli: CommandLineOverrides,
  write: (s: string) => void,
): number {
  const exp = checkExperimentFile(file, defaultThreads(), cli);
  const shards = flags.shards ?? 1;
  const runs = planShards(runSpecs(exp), shards);
  const shardCosts = new Array<number>(shards).fill(0);
  for (const r of runs) shardCosts[r.shard]! += r.cost;
  const plan: PlanJson = {
    experiment: exp.name,
    code: runCodeVersion(vmisimVersion()),
    shards,
    shardCosts,
    runs,
  };
  if (flags.json) {
    write(`${JSON.stringify(plan, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${exp.name}: ${runs.length} runs in ${shards} shards (vmisim ${plan.code})`,
    ['index', 'shard', 'cost', 'hash', 'run'].join('\t'),
    ...runs.map((r) => [r.index, r.shard, r.cost, r.hash, r.runId].join('\t')),
    `cost by shard: ${shardCosts.map((c, s) => `${s}: ${c}`).join(', ')} (estimated ticks and samples; the largest sets the time)`,
  ];
  write(`${lines.join('\n')}\n`);
  return 0;
}
