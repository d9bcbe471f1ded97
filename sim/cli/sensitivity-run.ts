/**
 * Computes an experiment's sensitivity to its assumed constants (reports/sensitivity.ts): its runs
 * at baseline, then with each constant at the low and at the high end of its range
 * (sim/experiment/assumed-constants.ts), the other constants at baseline. Every run goes through the
 * run cache first and the worker pool for the rest, as `vmisim run` does, so a second invocation
 * computes nothing and the figures do not depend on the number of threads (each run depends on its
 * spec alone; the analysis reads the runs in spec order).
 *
 * Used by `vmisim sensitivity FILE` (sim/cli/sensitivity-command.ts) and by `vmisim run` of an
 * experiment whose file says `sensitivity:` (sim/cli/run-command.ts).
 */
import type { Experiment } from '../experiment/load.js';
import { runSpecs } from '../experiment/load.js';
import {
  constantsNamed,
  variedSpec,
  type AssumedConstant,
  type ConstantEnd,
} from '../experiment/assumed-constants.js';
import { specHash, type RunSpec } from '../spec/run-spec.js';
import type { RunResult } from '../results/types.js';
import type { RunCache } from '../runner/run-cache.js';
import { runEach } from '../runner/pool.js';
import { assembleResults } from '../runner/assemble.js';
import {
  sensitivityOf,
  ENDS,
  type ConstantInfo,
  type SensitivityFile,
  type Variant,
} from '../../reports/sensitivity.js';
import { createProgress, type ProgressMode } from './progress.js';

export interface SensitivityRunOptions {
  threads: number;
  cache: RunCache;
  checkInvariants: boolean;
  mode: ProgressMode;
  signal: AbortSignal;
  /** Reuse nothing from the cache (`--fresh`). */
  fresh?: boolean;
  log: (line: string) => void;
  /** Told when the cache cannot store a run (the run is kept in memory). */
  onStoreFailure?: (e: unknown) => void;
}

export interface SensitivityRun {
  sensitivity: SensitivityFile;
  runs: number;
  computed: number;
  failed: number;
  /** The spec hashes of every run it used (the run cache keeps them). */
  hashes: string[];
}

const distinct = (xs: number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);

/** The constant as the report lists it, with the values the experiment's runs had and take. */
function constantInfo(
  c: AssumedConstant,
  base: RunSpec[],
  varied: Record<ConstantEnd, RunSpec[]>,
): ConstantInfo {
  const vals = (specs: RunSpec[]) => distinct(specs.flatMap((s) => c.valuesIn(s)));
  const used = varied.low.some((s, i) => s !== base[i]);
  return {
    id: c.id,
    path: c.path,
    unit: c.unit,
    reference: c.reference,
    referenceOf: c.referenceOf,
    low: c.low,
    high: c.high,
    reason: c.reason,
    values: used
      ? { baseline: vals(base), low: vals(varied.low), high: vals(varied.high) }
      : { baseline: [], low: [], high: [] },
  };
}

/** Runs what is missing and returns the sensitivity of `exp`'s verdicts to `constantIds` (default: every constant). */
export async function runSensitivity(
  exp: Experiment,
  label: string,
  constantIds: readonly string[] | undefined,
  o: SensitivityRunOptions,
): Promise<SensitivityRun> {
  const base = runSpecs(exp);
  const constants = constantsNamed(constantIds);
  const groups: { constant?: AssumedConstant; end?: ConstantEnd; specs: RunSpec[]; used: boolean }[] = [
    { specs: base, used: true },
  ];
  const infos: ConstantInfo[] = [];
  for (const c of constants) {
    const varied = {
      low: base.map((s) => variedSpec(s, c, 'low')),
      high: base.map((s) => variedSpec(s, c, 'high')),
    };
    const used = varied.low.some((s, i) => s !== base[i]);
    infos.push(constantInfo(c, base, varied));
    for (const end of ENDS) groups.push({ constant: c, end, specs: varied[end], used });
  }
  // Each distinct run once, in order of first appearance, named for progress by its first group.
  const byHash = new Map<string, RunSpec>();
  const names = new Map<string, string>();
  for (const g of groups) {
    if (!g.used) continue;
    for (const s of g.specs) {
      const h = specHash(s);
      if (byHash.has(h)) continue;
      byHash.set(h, s);
      names.set(h, g.constant === undefined ? 'baseline' : `${g.constant.id} ${g.end}`);
    }
  }
  const results = new Map<string, RunResult>();
  for (const [h, s] of byHash) {
    const hit = o.fresh ? undefined : o.cache.lookup(s);
    if (hit !== undefined) results.set(h, hit.run.result);
  }
  const todo = [...byHash].filter(([h]) => !results.has(h));
  const unused = constants.filter((_, i) => !groups[1 + 2 * i]!.used).map((c) => c.id);
  o.log(
    `sensitivity of ${exp.name}: ${constants.length} constants × low, high; ${byHash.size} distinct runs, ${byHash.size - todo.length} reused, ${todo.length} to compute on ${o.threads} threads${unused.length > 0 ? `; not used by this experiment: ${unused.join(', ')}` : ''}`,
  );
  const progress = createProgress({
    mode: o.mode,
    total: byHash.size,
    reused: byHash.size - todo.length,
    runSimS: exp.durationNs / 1e9,
    stream: process.stderr,
  });
  try {
    await runEach(
      todo.map(([, s]) => s),
      {
        threads: o.threads,
        checkInvariants: o.checkInvariants,
        signal: o.signal,
        onRunDone: (r, j, wallS) => {
          const [h, s] = todo[j]!;
          let kept = r;
          try {
            kept = o.cache.store(s, r, wallS).result;
          } catch (e) {
            o.onStoreFailure?.(e);
          }
          results.set(h, kept);
          progress.runDone({ ...r, runId: `${r.runId} (${names.get(h)!})` }, wallS);
        },
      },
    );
  } finally {
    progress.stop();
  }
  const resultsOf = (specs: RunSpec[]) =>
    assembleResults(
      exp,
      specs.map((s) => results.get(specHash(s))!),
      label,
    );
  const variants: Variant[] = groups.slice(1).map((g) => ({
    constant: g.constant!.id,
    end: g.end!,
    results: g.used ? resultsOf(g.specs) : undefined,
  }));
  const failed = [...results.values()].filter((r) => r.status === 'failed').length;
  return {
    sensitivity: sensitivityOf(resultsOf(base), infos, variants),
    runs: byHash.size,
    computed: todo.length,
    failed,
    hashes: [...byHash.keys()],
  };
}
