/**
 * CSV column names of the results: metric ids and units turned into `<snake id>_<unit>` columns
 * (summary.csv, summary-by-alternative.csv), the same unit spelling that series column names use.
 */
import type { MetricDef } from './types.js';

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
