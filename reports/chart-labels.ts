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
  // host_memory_state: the unit `state` is its last word, not a suffix to drop.
  'host memory': 'Host memory state',
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

/**
 * The settings of a generated alternative name (`host.balloon.policy=none,host.scheduler.policy=credit`)
 * without the dotted key prefix they all share (`balloon.policy=none`, `scheduler.policy=credit`);
 * any other name as one part. Legends and tick labels then have room for the values, which are
 * what tells alternatives apart.
 */
export function alternativeParts(name: string): string[] {
  const parts = name.split(',');
  const keys = parts.map((p) => /^([^=]+)=/.exec(p)?.[1]?.split('.'));
  if (parts.length < 2 || keys.some((k) => k === undefined)) return [name];
  const segs = keys as string[][];
  // Whole leading segments all keys share, keeping each key's last two (`balloon.policy`: `policy`
  // alone would say too little).
  const most = Math.min(...segs.map((k) => k.length - 2));
  let common = 0;
  while (common < most && segs.every((k) => k[common] === segs[0]![common])) common++;
  return parts.map((p, i) => `${segs[i]!.slice(common).join('.')}${p.slice(p.indexOf('='))}`);
}

/** A generated alternative name made compact (alternativeParts, comma-joined), then shortName. */
export function shortAlternative(name: string, max = 56): string {
  return shortName(alternativeParts(name).join(', '), max);
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

/** A percentage unit. */
export function isPercent(unit: string): boolean {
  return unit === '%' || unit === 'pct' || unit === 'percent';
}
