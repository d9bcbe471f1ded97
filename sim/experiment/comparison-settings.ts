/**
 * An experiment's `baseline:` and `margins:` — how the report compares its alternatives
 * (reports/comparison.ts) — checked against the file: the baseline must be one of `compare`'s
 * alternatives, and each margin must name a run metric of the figure catalog.
 */
import { suggest } from '../options/fields.js';
import { METRICS } from '../results/catalog/run-metrics.js';
import type { ComparisonSettings } from '../results/types.js';
import type { TopFields } from './expand.js';

/**
 * The settings for results.json, or undefined when the file sets neither; each problem goes to
 * `report` with the path of its field.
 */
export function comparisonSettings(
  top: TopFields,
  compareNames: readonly string[],
  report: (path: (string | number)[], problem: string) => void,
): ComparisonSettings | undefined {
  const { baseline, margins } = top;
  if (baseline !== undefined && !compareNames.includes(baseline))
    report(
      ['baseline'],
      compareNames.length === 0
        ? `baseline ${JSON.stringify(baseline)} needs a compare: section to name it`
        : `expected one of the compare alternatives (${compareNames.join(', ')}), found ${JSON.stringify(baseline)}${hint(baseline, compareNames)}`,
    );
  const ids = METRICS.map((m) => m.id);
  for (const id of Object.keys(margins ?? {}))
    if (!ids.includes(id))
      report(['margins', id], `expected a metric id, found ${JSON.stringify(id)}${hint(id, ids)}`);
  if (baseline === undefined && margins === undefined) return undefined;
  return {
    ...(baseline === undefined ? {} : { baseline }),
    ...(margins === undefined ? {} : { margins }),
  };
}

function hint(found: string, names: readonly string[]): string {
  const near = suggest(found, names);
  return near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
}
