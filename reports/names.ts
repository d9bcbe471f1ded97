/**
 * Turning user-supplied names (alternatives, guests) into file names (column names:
 * sim/results/column-names.ts).
 *
 * Names may contain anything (`<script>`, quotes, slashes, unicode), so anything that becomes a path
 * is reduced to a portable ASCII stem; when that loses information a short hash of the original is
 * appended so two different names never map to the same file (also on case-insensitive file systems).
 */
import { createHash } from 'node:crypto';
import type { RunResult } from '../sim/results/types.js';

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

/**
 * Maps each distinct name to a stem that is unique ignoring case (macOS/Windows file systems fold
 * case). Deterministic: the same list gives the same map whatever order duplicates come in.
 */
export function uniqueFileStems(names: readonly string[]): Map<string, string> {
  const distinct = [...new Set(names)];
  const stems = new Map(distinct.map((n) => [n, safeFileStem(n)] as const));
  const byFolded = new Map<string, string[]>();
  for (const [n, s] of stems) byFolded.set(s.toLowerCase(), [...(byFolded.get(s.toLowerCase()) ?? []), n]);
  for (const group of byFolded.values()) {
    if (group.length < 2) continue;
    for (const n of group) stems.set(n, `${safeFileStem(n)}-${shortHash(`case:${n}`)}`);
  }
  return stems;
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
