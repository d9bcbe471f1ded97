/**
 * Human labels for chart titles and axes, derived from the data's own names and units: quantity
 * `steal_pct` with unit `%` becomes "Stolen time (%)". Nothing here knows guest or metric names.
 */
import { sanitizeUnit } from '../sim/results/column-names.js';

/** Nicer names for common quantity words; anything else is humanized generically. */
const QUANTITY_WORDS: Record<string, string> = {
  free: 'Free memory',
  swapped: 'Swapped-out memory',
  steal: 'Stolen time',
  running: 'Running time',
  runnable: 'Runnable time',
  blocked: 'Blocked time',
  'balloon target': 'Balloon target',
  'balloon actual': 'Balloon size',
  'interface calls': 'Interface calls',
  'host free': 'Host free memory',
  'host swapped': 'Host-swapped memory',
  'esx working set': 'ESX working-set estimate',
};

/** How a unit is shown to people: `pct` → `%`, `calls_per_s` → `calls/s`. */
export function displayUnit(unit: string): string {
  if (unit === 'pct' || unit === 'percent') return '%';
  return unit.replace(/_per_/g, '/');
}

/** The quantity without its unit suffix: `balloon_target_MiB` → `balloon target`. */
export function quantityWords(quantity: string, unit: string): string {
  const suffixes = [
    '_pct',
    '_per_s',
    `_${sanitizeUnit(unit)}`,
    '_MiB',
    '_GiB',
    '_KiB',
    '_pages',
    '_ns',
    '_s',
  ];
  let q = quantity;
  for (const s of suffixes) {
    if (s.length > 1 && q.endsWith(s) && q.length > s.length) {
      q = q.slice(0, -s.length);
      break;
    }
  }
  return q.replace(/_+/g, ' ').trim();
}

/** Human label of a quantity, without unit: `steal_pct` → `Stolen time`. */
export function quantityLabel(quantity: string, unit: string): string {
  const words = quantityWords(quantity, unit);
  return QUANTITY_WORDS[words] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

/** `label (unit)`, the form every axis title takes. */
export function withUnit(label: string, unit: string): string {
  return unit === '' ? label : `${label} (${displayUnit(unit)})`;
}

/** Time axis unit chosen from the run length so tick labels stay short. */
export function timeScale(maxTimeS: number): { unit: 's' | 'min' | 'h'; divisor: number } {
  if (maxTimeS <= 1200) return { unit: 's', divisor: 1 };
  if (maxTimeS <= 48 * 3600) return { unit: 'min', divisor: 60 };
  return { unit: 'h', divisor: 3600 };
}

/**
 * Long user-supplied names would squeeze the plot area; legends and tick labels get a short form.
 * The ellipsis goes in the middle: generated alternative names differ mostly at the end (sweep
 * values such as `host.memory=12GiB` vs `=16GiB`), so cutting the end would make them identical.
 * Counts code points, so no surrogate pair is split.
 */
export function shortName(name: string, max = 32): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const head = Math.ceil((max - 1) * 0.45);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** `Free memory` → `free memory`. */
export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** What a unit measures, for axis titles grouping several columns: MiB → "memory". */
export function unitNoun(unit: string): string {
  if (/^(K|M|G|T)i?B$|^pages$|^bytes$/.test(unit)) return 'memory';
  if (isPercent(unit)) return 'share of time';
  return 'value';
}

/** Percentages are averaged over guests; amounts and rates (MiB, calls/s) are summed. */
export function isPercent(unit: string): boolean {
  return unit === '%' || unit === 'pct' || unit === 'percent';
}

/**
 * How a per-guest quantity is combined over guests on one line: percentages are averaged, errors
 * (clock error) and latency percentiles (wake p99) show the worst guest — summing them would
 * mean nothing — and amounts and rates are summed.
 */
export function guestAggregation(unit: string, quantity: string): 'mean' | 'worst' | 'total' {
  if (isPercent(unit)) return 'mean';
  if (/error|latency|(^|[_ ])p\d{2,3}([_ ]|$)/.test(quantity)) return 'worst';
  return 'total';
}
