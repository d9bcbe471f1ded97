/**
 * The factors of an experiment's alternatives: the compare alternative's name and the value of
 * each swept field, as columns of the tidy table (./tidy.ts) and `vmisim compare`.
 *
 * They come from the experiment's grid (./swept-points.ts: results.json's `experiment.sweep`, or the
 * alternatives' names for a file written before the header had it).
 */
import type { ResultsFile } from '../sim/results/types.js';
import { gridOf } from './swept-points.js';

/** Factor names in column order, and each alternative's values in that order (text as written). */
export interface Factors {
  /** `compare` when the experiment has compare alternatives, then each swept field (`host.pcpus`). */
  names: string[];
  valuesOf(alternative: string): string[];
}

/** The factors of `results` (see the header). */
export function factorsOf(results: Pick<ResultsFile, 'experiment'>): Factors {
  const grid = gridOf(results);
  const keys = grid.factors.map((f) => f.path);
  // Without a sweep every alternative is a compare alternative (named as in the file); a sweep
  // alone names its alternatives by the point only, so there is no compare factor then.
  const hasCompare = keys.length === 0 || grid.compares.length > 0;
  const byName = new Map<string, string[]>();
  for (const a of grid.alternatives) {
    const values = keys.map((k) => (a.factors[k] === undefined ? '' : String(a.factors[k])));
    byName.set(a.name, hasCompare ? [keys.length === 0 ? a.name : (a.compare ?? ''), ...values] : values);
  }
  return {
    names: hasCompare ? ['compare', ...keys] : keys,
    valuesOf: (a) => byName.get(a) ?? [],
  };
}
