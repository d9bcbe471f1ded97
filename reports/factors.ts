/**
 * The factors of an experiment's alternatives: the compare alternative's name and the value of
 * each swept field, as columns of the tidy table (./tidy.ts) and `vmisim compare`.
 *
 * They are read back from the alternatives' names (`<compare>/<key>=<value>[,…]`, see
 * ./swept-points.ts). This is the one place that does so: when results.json declares its sweep
 * factors in its header, factorsOf reads them from there instead and nothing else changes.
 */
import type { ResultsFile } from '../sim/results/types.js';
import { sweptPoints } from './swept-points.js';

/** Factor names in column order, and each alternative's values in that order (text as written). */
export interface Factors {
  /** `compare` when the experiment has compare alternatives, then each swept field (`host.pcpus`). */
  names: string[];
  valuesOf(alternative: string): string[];
}

/** The compare part of a sweep alternative's name, and its `key=value` pairs. */
function split(name: string, swept: boolean): { compare: string; point: string } {
  if (!swept) return { compare: name, point: '' };
  const at = name.indexOf('/');
  return at < 0 ? { compare: '', point: name } : { compare: name.slice(0, at), point: name.slice(at + 1) };
}

/** The factors of `results` (see the header). */
export function factorsOf(results: Pick<ResultsFile, 'experiment'>): Factors {
  const names = results.experiment.alternatives;
  const points = sweptPoints(names);
  const swept = points.length > 1 || points[0]!.point !== '';
  const keys = swept ? points[0]!.point.split(',').map((kv) => kv.slice(0, kv.indexOf('='))) : [];
  // A sweep alone names its alternatives by the point only: there is no compare factor then.
  const hasCompare = !swept || names.some((n) => split(n, true).compare !== '');
  const byName = new Map<string, string[]>();
  for (const n of names) {
    const { compare, point } = split(n, swept);
    const values = point === '' ? [] : point.split(',').map((kv) => kv.slice(kv.indexOf('=') + 1));
    byName.set(n, hasCompare ? [compare, ...values] : values);
  }
  return {
    names: hasCompare ? ['compare', ...keys] : keys,
    valuesOf: (a) => byName.get(a) ?? [],
  };
}
