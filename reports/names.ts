/**
 * Turning user-supplied names (alternatives, guests, metric ids) into file names and column names.
 *
 * Names may contain anything (`<script>`, quotes, slashes, unicode), so anything that becomes a path
 * is reduced to a portable ASCII stem; when that loses information a short hash of the original is
 * appended so two different names never map to the same file (also on case-insensitive file systems).
 */
import { createHash } from 'node:crypto';
import type { MetricDef, RunResult } from '../sim/results/types.js';

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

/** `series/<safe-alternative>__seed-<n>.csv`, relative to the report directory. */
export function seriesCsvPath(
  stems: Map<string, string>,
  run: Pick<RunResult, 'alternative' | 'seed'>,
): string {
  return `series/${stems.get(run.alternative) ?? safeFileStem(run.alternative)}__seed-${run.seed}.csv`;
}

/**
 * `stealMean`, `Steal Mean`, `steal-mean` → `steal_mean`; `workDoneCPU` → `work_done_cpu`.
 * Non-alphanumerics become `_`. A single capital at the end (`MiB`) is not split.
 */
export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z][a-z]|[A-Z]{2,})/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * Unit as it may appear in a column name: `%` → `pct`, `/` → `per`, other symbols → `_`; letter case
 * is kept because it carries meaning (`MiB` vs `mib`, `Mb` vs `MB`), matching series column names.
 */
export function sanitizeUnit(unit: string): string {
  return unit
    .replace(/%/g, ' pct ')
    .replace(/\//g, ' per ')
    .replace(/[µμ]/g, 'u')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * CSV column names for the metrics, in declaration order: `<snake id>_<unit>` (e.g. `steal_mean_pct`);
 * the unit is not repeated when the id already ends with it, and collisions get `_2`, `_3`, ….
 */
export function metricColumnNames(metrics: readonly MetricDef[]): string[] {
  const used = new Set<string>(['run_id', 'alternative', 'seed', 'status', 'error']);
  return metrics.map((m) => {
    const unit = sanitizeUnit(m.unit);
    let id = snakeCase(m.id);
    if (unit !== '' && id.endsWith(`_${unit.toLowerCase()}`)) id = id.slice(0, -(unit.length + 1));
    id ||= 'metric';
    const base = unit === '' ? id : `${id}_${unit}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  });
}
