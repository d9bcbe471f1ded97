/**
 * What a validation scenario is: published behaviour vmisim must reproduce, or a model identity it
 * must keep, as an experiment file with a check that reads its results and says what vmisim
 * measured against what was published. The checks judge the shape the source reports (who gets
 * more, by how much), never a tuned number; where the model cannot match a figure the row says why.
 * A published-behaviour row has a mutant test, test/validation/<id>.test.ts, that breaks the
 * mechanism the row depends on and shows the check then fails (test/validation/scenarios.test.ts
 * holds every such row to it). Also the small helpers the checks share. Each scenario is a file in
 * sim/validation/scenarios/, listed in scenarios.ts.
 */
import type { GuestSummary, RunResult } from '../results/types.js';

export interface Verdict {
  /** What vmisim measured, in words and numbers. */
  measured: string;
  pass: boolean;
  /** Where and why the model differs from the source, if it does. */
  note?: string;
}

/**
 * What a passing row proves. `published`: the model reproduces a shape a paper or source reports,
 * and a test breaks the mechanism behind it (a mutant) and shows the row then fails. `identity`: a
 * conservation or bookkeeping check (sums, call counts against the model's own constants) that
 * proves the model is consistent with itself, not that it matches the system it models.
 */
export type ScenarioKind = 'published' | 'identity';

export interface Scenario {
  id: string;
  kind: ScenarioKind;
  title: string;
  /** The experiment file, relative to the repository. */
  experiment: string;
  /** The source, as cited in the reference. */
  source: string;
  /** The published figure or shape. */
  published: string;
  /** Judges the successful runs of the experiment (all alternatives and seeds). */
  check(runs: RunResult[]): Verdict;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean over the runs of `alt` of `f` applied to guest `name` (or to every guest, summed). */
export function guestMean(
  runs: RunResult[],
  alt: string,
  f: (g: GuestSummary) => number,
  name?: string,
): number {
  return mean(
    runs
      .filter((r) => r.alternative === alt && r.summary !== undefined)
      .map((r) =>
        r.summary!.guests.filter((g) => name === undefined || g.name === name).reduce((a, g) => a + f(g), 0),
      ),
  );
}

export function metricMean(runs: RunResult[], alt: string, id: string): number {
  return mean(runs.filter((r) => r.alternative === alt).map((r) => r.summary?.metrics[id] ?? NaN));
}

export const f1 = (x: number) => x.toFixed(1);
export const f3 = (x: number) => x.toFixed(3);
