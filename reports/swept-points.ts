/**
 * The one place that answers "what are the swept factors", "where does an alternative sit in the
 * grid" (its compare name and factor values) and "which alternatives share a swept point" — the
 * alternatives that may be ranked against each other. A direction ("lower is better") means
 * something only at one load: across points of a swept load factor the least loaded host would
 * always win, which says nothing about the policies.
 *
 * The grid comes from results.json's header (`experiment.sweep`, written by sim/experiment/load.ts).
 * Files written before the header had it name the alternatives of `compare` × `sweep`
 * `<alternative>/<key>=<value>[,…]` and those of a sweep alone `<key>=<value>[,…]`; for them the
 * grid is read back from the names, and only when they form that whole grid (every alternative at
 * every point, the same keys at every point), so a compare key that happens to contain `=` or `/`
 * is not mistaken for one. Their values come back as numbers or booleans where the text reads as
 * one (the names lost the type), else as text.
 */
import type {
  AlternativePlace,
  FactorValue,
  ResultsFile,
  SweepHeader,
  SweptFactor,
} from '../sim/results/types.js';

/** One swept point and its alternatives in declaration order; `point` is '' without a sweep. */
export interface SweptPoint {
  /** `host.pcpus=4,guests.web.count=2`, the part of the alternatives' names after the `/`. */
  point: string;
  /** The point's value of each factor, by path in factor order; {} without a sweep. */
  factors: Record<string, FactorValue>;
  alternatives: string[];
}

/** The experiment's grid, as the report reads it (see the header). */
export interface Grid extends SweepHeader {
  /** The compare alternatives in declaration order ([] without `compare:`). */
  compares: string[];
}

/** `key=value,…` of a point, as in the alternatives' names (sim/experiment/overrides.ts). */
export function pointLabel(factors: Readonly<Record<string, FactorValue>>): string {
  return Object.entries(factors)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

/** `names` ∪ the names in `header` not among them, header's first (the order of the report). */
function completeGrid(header: SweepHeader, names: readonly string[]): Grid {
  const known = new Set(header.alternatives.map((a) => a.name));
  // Alternatives only in the runs (not in the header) sit in no grid: each a point of its own.
  const extra = names.filter((n) => !known.has(n)).map((name): AlternativePlace => ({ name, factors: {} }));
  const alternatives = [...header.alternatives, ...extra];
  const compares = [...new Set(alternatives.flatMap((a) => (a.compare === undefined ? [] : [a.compare])))];
  return { factors: header.factors, alternatives, compares };
}

/**
 * The grid of `r`: from its header, or read from the alternatives' names for a file written before
 * the header had it (see the header). `names` are the report's alternatives (aggregate.ts
 * alternativeOrder), default the header's.
 */
export function gridOf(
  r: Pick<ResultsFile, 'experiment'>,
  names: readonly string[] = r.experiment.alternatives,
): Grid {
  return completeGrid(r.experiment.sweep ?? gridFromNames(names), names);
}

const POINT = /^[^=,/\s]+=[^,]*(,[^=,/\s]+=[^,]*)*$/;

function keysOf(point: string): string {
  return point
    .split(',')
    .map((kv) => kv.slice(0, kv.indexOf('=')))
    .join(',');
}

/** A value read back from a name: a number or boolean when the text is exactly one, else the text. */
function typedValue(text: string): FactorValue {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && String(n) === text ? n : text;
}

/** The grid of a results file without `experiment.sweep`, read from its alternatives' names. */
export function gridFromNames(names: readonly string[]): SweepHeader {
  const none: SweepHeader = { factors: [], alternatives: names.map((name) => ({ name, factors: {} })) };
  if (names.length === 0) return none;
  const split = names.map((n) => {
    const at = n.indexOf('/');
    return at < 0 ? { alt: '', point: n } : { alt: n.slice(0, at), point: n.slice(at + 1) };
  });
  if (!split.every((s) => POINT.test(s.point))) return none;
  const keys = keysOf(split[0]!.point);
  if (!split.every((s) => keysOf(s.point) === keys)) return none;
  const alts = [...new Set(split.map((s) => s.alt))];
  const points = [...new Set(split.map((s) => s.point))];
  // The whole grid, each name once.
  if (alts.length * points.length !== names.length) return none;
  const have = new Set(names);
  const name = (alt: string, point: string) => (alt === '' ? point : `${alt}/${point}`);
  if (!alts.every((a) => points.every((p) => have.has(name(a, p))))) return none;
  const factorsOf = (point: string): Record<string, FactorValue> =>
    Object.fromEntries(
      point.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), typedValue(kv.slice(kv.indexOf('=') + 1))]),
    );
  const factors = keys.split(',').map((path) => ({
    path,
    values: [...new Set(points.map((p) => factorsOf(p)[path]!))],
  }));
  return {
    factors,
    alternatives: names.map((n, i) => ({
      name: n,
      ...(split[i]!.alt === '' ? {} : { compare: split[i]!.alt }),
      factors: factorsOf(split[i]!.point),
    })),
  };
}

/**
 * A swept factor that chooses what is compared rather than the conditions: a policy
 * (`host.scheduler.policy`, `host.balloon.policy`, `host.timer.policy`) or the interface
 * (`host.abi`). Without `compare:`, a sweep over such a factor is how a file compares the choices,
 * so its values are ranked against each other at each point of the other factors; a load factor
 * (pCPUs, memory, guest counts) stays a point, never ranked across.
 */
export function isChoiceFactor(path: string): boolean {
  return /(^|\.)policy$/.test(path) || path === 'host.abi';
}

/**
 * The alternatives grouped by swept point, points in order of first appearance; one group of all
 * (point '') without a sweep. An alternative outside the grid is a point of its own. Without
 * `compare:`, the choice factors (isChoiceFactor) are not part of the point: their values are the
 * alternatives ranked there.
 */
export function sweptPoints(grid: Grid): SweptPoint[] {
  const pointFactors =
    grid.compares.length === 0 ? grid.factors.filter((f) => !isChoiceFactor(f.path)) : grid.factors;
  if (pointFactors.length === 0)
    return [{ point: '', factors: {}, alternatives: grid.alternatives.map((a) => a.name) }];
  const keep = new Set(pointFactors.map((f) => f.path));
  const out = new Map<string, SweptPoint>();
  for (const a of grid.alternatives) {
    const factors = Object.fromEntries(Object.entries(a.factors).filter(([k]) => keep.has(k)));
    const point = pointLabel(factors);
    const p = out.get(point) ?? { point, factors, alternatives: [] };
    p.alternatives.push(a.name);
    out.set(point, p);
  }
  return [...out.values()];
}

/** Where `alternative` sits in the grid, undefined for a name the grid does not know. */
export function placeOf(grid: Grid, alternative: string): AlternativePlace | undefined {
  return grid.alternatives.find((a) => a.name === alternative);
}

/** `alternative`'s value of each swept factor, by path in factor order ({} when none or unknown). */
export function factorValuesOf(grid: Grid, alternative: string): Record<string, FactorValue> {
  return placeOf(grid, alternative)?.factors ?? {};
}

/**
 * The alternative of compare name `compare` (or, with '', the only one) at the point whose factors
 * are `factors`; undefined when the grid has none there.
 */
export function alternativeAt(
  grid: Grid,
  compare: string,
  factors: Readonly<Record<string, FactorValue>>,
): string | undefined {
  const label = pointLabel(factors);
  return grid.alternatives.find((a) => (a.compare ?? '') === compare && pointLabel(a.factors) === label)
    ?.name;
}

/**
 * Every combination of the factors' values, the last factor varying fastest (the order of the
 * sweep's points); [{}] for no factors.
 */
export function combinations(factors: readonly SweptFactor[]): Record<string, FactorValue>[] {
  return factors.reduce<Record<string, FactorValue>[]>(
    (acc, f) => acc.flatMap((c) => f.values.map((v) => ({ ...c, [f.path]: v }))),
    [{}],
  );
}

/** `factors` of `grid` in factor order (what pointLabel and alternativeAt expect). */
export function inFactorOrder(
  grid: Pick<SweepHeader, 'factors'>,
  factors: Readonly<Record<string, FactorValue>>,
): Record<string, FactorValue> {
  return Object.fromEntries(
    grid.factors.filter((f) => Object.hasOwn(factors, f.path)).map((f) => [f.path, factors[f.path]!]),
  );
}
