/**
 * How the runs of an experiment are split into shards for a cluster (`vmisim plan`, `vmisim run
 * --shard I/N`): every run gets an estimated cost, and the runs are dealt out by longest processing
 * time first (LPT, Graham 1969: sort by cost, largest first, each to the shard with the least cost so
 * far), which keeps the slowest shard within 4/3 of the best possible split. Equal costs are ordered
 * by spec hash and equal loads by shard number, so a shard's run set depends only on the runs (the
 * experiment and the code that expands it) and N — the same on every node, whatever the order the
 * file lists things in or the machine that computes the plan.
 *
 * The cost is a relative weight, not a time: simulated seconds × (Σ guest vCPUs × guest HZ + samples
 * per second + 1). A run's work is dominated by timer ticks and the scheduling they drive, which
 * scale with vCPUs × HZ, and by the samples it records; the + 1 keeps a run with neither above zero.
 */
import { runId, specHash, type RunSpec } from '../spec/run-spec.js';

/** One run of the plan. */
export interface PlannedRun {
  /** Position in the experiment's run list (alternative × seed order, as results.json lists runs). */
  index: number;
  runId: string;
  hash: string;
  /** Relative cost (see the header): estimated ticks and samples. */
  cost: number;
  /** 0 … N − 1. */
  shard: number;
}

const NS_PER_S = 1e9;

/** The estimated cost of one run (see the header). */
export function runCost(spec: RunSpec): number {
  const simulatedS = spec.durationNs / NS_PER_S;
  const ticksPerS = spec.guests.reduce((sum, g) => sum + g.vcpus * g.hz, 0);
  const samplesPerS = spec.sampleIntervalNs > 0 ? NS_PER_S / spec.sampleIntervalNs : 0;
  return Math.round(simulatedS * (ticksPerS + samplesPerS + 1));
}

/** Every run with its shard, in run order. `shards` ≥ 1. */
export function planShards(specs: readonly RunSpec[], shards: number): PlannedRun[] {
  const runs: PlannedRun[] = specs.map((spec, index) => ({
    index,
    runId: runId(spec),
    hash: specHash(spec),
    cost: runCost(spec),
    shard: 0,
  }));
  const order = [...runs].sort((a, b) => b.cost - a.cost || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const load = new Array<number>(shards).fill(0);
  for (const run of order) {
    let best = 0;
    for (let s = 1; s < shards; s++) if (load[s]! < load[best]!) best = s;
    run.shard = best;
    load[best]! += run.cost;
  }
  return runs;
}
