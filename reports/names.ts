/**
 * Turning user-supplied names (alternatives, guests) into file names (column names:
 * sim/results/column-names.ts).
 *
 * Names may contain anything (`<script>`, quotes, slashes, unicode), so anything that becomes a path
 * is reduced to a portable ASCII stem; when that loses information a short hash of the original is
 * appended so two different names never map to the same file (also on case-insensitive file systems).
 *
 * An alternative of a sweep is named by its place in the grid rather than its whole name:
 * `credit__host.pcpus-4` (compare name, then `<factor>-<value>` per factor), so the series of
 * `credit/host.pcpus=4`, seed 1, is `series/credit__host.pcpus-4__seed-1.csv`. A hash is added only
 * where a part would not be a clean name of its own or two stems would collide.
 */
import { createHash } from 'node:crypto';
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import { alternativeOrder } from './aggregate.js';
import { gridOf, placeOf, type Grid } from './swept-points.js';

const MAX_STEM = 60;

function shortHash(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 8);
}

/**
 * A file-name-safe stem for `name`: only `[A-Za-z0-9._-]`, no leading dot or dash, at most ~70
 * characters. Returned unchanged when `name` already qualifies; otherwise the readable remainder plus
 * `-<8 hex of sha256(name)>`, so distinct names stay distinct.
 */
export function safeFileStem(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .replace(/_+$/, '')
    .slice(0, MAX_STEM);
  if (cleaned === name && cleaned.length > 0) return cleaned;
  return `${cleaned.length > 0 ? `${cleaned}-` : ''}${shortHash(name)}`;
}

/** A part of a stem that needs no hash: a clean name (see safeFileStem) of at most MAX_STEM characters. */
const CLEAN_PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The stem of a swept alternative from its place in `grid` (`credit__host.pcpus-4`), or
 * safeFileStem(name) when it has no factors or a part is not clean (a hostile compare name or value).
 */
function gridStem(name: string, grid: Grid | undefined): string {
  const place = grid === undefined ? undefined : placeOf(grid, name);
  const factors = Object.entries(place?.factors ?? {});
  if (place === undefined || factors.length === 0) return safeFileStem(name);
  const parts = [
    ...(place.compare === undefined ? [] : [place.compare]),
    ...factors.map(([path, value]) => `${path}-${String(value)}`),
  ];
  const stem = parts.join('__');
  const clean = parts.every((p) => CLEAN_PART.test(p) && !p.includes('__')) && stem.length <= 2 * MAX_STEM;
  return clean ? stem : safeFileStem(name);
}

/**
 * Maps each distinct name to a stem that is unique ignoring case (macOS/Windows file systems fold
 * case); swept alternatives of `grid` by their factor values (see the header). Deterministic: the
 * same list gives the same map whatever order duplicates come in.
 */
export function uniqueFileStems(names: readonly string[], grid?: Grid): Map<string, string> {
  const distinct = [...new Set(names)];
  const stems = new Map(distinct.map((n) => [n, gridStem(n, grid)] as const));
  const byFolded = new Map<string, string[]>();
  for (const [n, s] of stems) byFolded.set(s.toLowerCase(), [...(byFolded.get(s.toLowerCase()) ?? []), n]);
  for (const group of byFolded.values()) {
    if (group.length < 2) continue;
    for (const n of group) stems.set(n, `${stems.get(n)!}-${shortHash(`case:${n}`)}`);
  }
  return stems;
}

/** The file stems of a report's alternatives (uniqueFileStems over the report's order and grid). */
export function reportFileStems(r: {
  experiment: ResultsFile['experiment'];
  runs: readonly Pick<RunResult, 'alternative'>[];
}): Map<string, string> {
  const order = alternativeOrder(r);
  return uniqueFileStems(order, gridOf(r, order));
}

/** `<safe-alternative>__seed-<n>`: the file stem of a run's own files. */
function runStem(stems: Map<string, string>, run: Pick<RunResult, 'alternative' | 'seed'>): string {
  return `${stems.get(run.alternative) ?? safeFileStem(run.alternative)}__seed-${run.seed}`;
}

/** `series/<safe-alternative>__seed-<n>.csv`, relative to the report directory. */
export function seriesCsvPath(
  stems: Map<string, string>,
  run: Pick<RunResult, 'alternative' | 'seed'>,
): string {
  return `series/${runStem(stems, run)}.csv`;
}

/**
 * `runs/<safe-alternative>__seed-<n>.js`, relative to the report directory: the script with the
 * run's charts that report.html loads when the run is picked.
 */
export function runDetailPath(
  stems: Map<string, string>,
  run: Pick<RunResult, 'alternative' | 'seed'>,
): string {
  return `runs/${runStem(stems, run)}.js`;
}
