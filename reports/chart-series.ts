/**
 * Reading a run's time series for charts: columns with their values, per-guest quantity families
 * (quantities sharing a first word and unit, like balloon target/actual, are drawn together),
 * guest ranking for capped charts, and min/max downsampling of long series.
 */
import type { RunResult, SeriesColumnDef } from '../sim/results/types.js';
import type { OverGuests } from '../sim/results/catalog/figure.js';
import { overGuestsOf } from './catalog-hints.js';
import { quantityLabel, quantityWords } from './chart-labels.js';
import type { LinePoint } from './chart-spec.js';
import { sanitizeUnit } from '../sim/results/column-names.js';

/**
 * Points of one column, scaled to the time unit. When longer than `maxPoints`, keeps per bucket the
 * minimum and the maximum (in time order) so spikes survive, unlike plain stride sampling.
 */
export function linePoints(
  timeS: readonly number[],
  ys: readonly number[],
  divisor: number,
  maxPoints: number,
): LinePoint[] {
  const n = Math.min(timeS.length, ys.length);
  // 6 significant digits are far below a pixel and keep the embedded JSON small; CSVs keep full precision.
  const pt = (i: number): LinePoint => [round6((timeS[i] as number) / divisor), round6(ys[i] as number)];
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => pt(i));
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const out: LinePoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if ((ys[i] as number) < (ys[lo] as number)) lo = i;
      if ((ys[i] as number) > (ys[hi] as number)) hi = i;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) out.push(pt(i));
  }
  return out;
}

function round6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/** Arithmetic mean; NaN for no values. */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** A series column with its values. */
export interface ColumnRef {
  def: SeriesColumnDef;
  values: number[];
}

/** The columns of a run's series, with their values ([] without series). */
export function columnsOf(run: RunResult): ColumnRef[] {
  const s = run.series;
  if (s === undefined) return [];
  return s.columns.map((def, c) => ({ def, values: s.values[c] ?? [] }));
}

/** A group of per-guest quantities drawn together; `quantities` in column order. */
export interface Family {
  key: string;
  /** Identifier-like name for chart ids: the quantity, or `<first word>_<unit>` for a family. */
  stem: string;
  unit: string;
  quantities: string[];
  /** How one line for all guests combines them: the first quantity's column says (default total). */
  overGuests: OverGuests;
}

/**
 * Per-guest quantities grouped into families: quantities sharing their first word and unit (e.g.
 * balloon target/actual) form one family, every other quantity is a family of its own.
 */
export function guestFamilies(cols: readonly ColumnRef[]): Family[] {
  const quantities: { q: string; unit: string; overGuests: OverGuests }[] = [];
  for (const c of cols) {
    if (c.def.guest === undefined) continue;
    if (!quantities.some((x) => x.q === c.def.quantity))
      quantities.push({ q: c.def.quantity, unit: c.def.unit, overGuests: overGuestsOf(c.def) });
  }
  const families: Family[] = [];
  for (const { q, unit, overGuests } of quantities) {
    const first = q.split('_')[0] ?? q;
    const siblings = quantities.filter((x) => x.unit === unit && (x.q.split('_')[0] ?? x.q) === first);
    const key = siblings.length > 1 ? `${first}:${unit}` : `${q}:${unit}`;
    const stem = siblings.length > 1 ? `${first}_${sanitizeUnit(unit)}` : q;
    const fam = families.find((f) => f.key === key);
    if (fam) fam.quantities.push(q);
    else families.push({ key, stem, unit, quantities: [q], overGuests });
  }
  return families;
}

const ABBREVIATIONS = new Set(['cpu', 'io']);

/** Chart label of a family: "Stolen time", or "Balloon: target vs actual". */
export function familyLabel(f: Family): string {
  if (f.quantities.length === 1) return quantityLabel(f.quantities[0] as string, f.unit);
  const words = f.quantities.map((q) => quantityWords(q, f.unit));
  const first = (words[0] ?? '').split(' ')[0] ?? '';
  const rest = words.map((w) => w.split(' ').slice(1).join(' ') || w);
  // Abbreviations stay upper case ("CPU: demand vs got"); other words get a capital.
  const head = ABBREVIATIONS.has(first)
    ? first.toUpperCase()
    : `${first.charAt(0).toUpperCase()}${first.slice(1)}`;
  return `${head}: ${rest.join(' vs ')}`;
}

/** Label of one quantity inside a family ("target"); empty for single-quantity families. */
export function seriesLabel(f: Family, quantity: string): string {
  if (f.quantities.length === 1) return '';
  const words = quantityWords(quantity, f.unit).split(' ');
  return words.length > 1 ? words.slice(1).join(' ') : (words[0] ?? quantity);
}

/** Ranks guests by the mean of a column (descending) to pick which ones to draw when capped. */
export function topGuests(
  columnOf: (guest: string) => ColumnRef | undefined,
  guests: readonly string[],
  k: number,
): string[] {
  if (guests.length <= k) return [...guests];
  const score = (g: string) => mean(columnOf(g)?.values ?? []);
  return guests
    .map((g, i) => ({ g, i, s: score(g) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, k)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.g);
}

/** Guest names in column order. */
export function guestsInRun(cols: readonly ColumnRef[]): string[] {
  const seen = new Set<string>();
  for (const c of cols) if (c.def.guest !== undefined) seen.add(c.def.guest);
  return [...seen];
}

/**
 * A run's columns indexed once, so that charting every guest of a run costs time in proportion to
 * its columns, not to guests × columns (3,000 guests took minutes with a search per lookup).
 */
export class RunColumns {
  readonly cols: ColumnRef[];
  /** Guest names in column order. */
  readonly guests: string[];
  readonly families: Family[];
  private readonly byGuest = new Map<string, Map<string, ColumnRef>>();
  private readonly position = new Map<string, number>();

  constructor(run: RunResult) {
    this.cols = columnsOf(run);
    this.guests = guestsInRun(this.cols);
    this.families = guestFamilies(this.cols);
    this.guests.forEach((g, i) => this.position.set(g, i));
    for (const c of this.cols) {
      const g = c.def.guest;
      if (g === undefined) continue;
      let m = this.byGuest.get(g);
      if (m === undefined) this.byGuest.set(g, (m = new Map()));
      // The first column of a (guest, quantity), as a search in column order would find.
      if (!m.has(c.def.quantity)) m.set(c.def.quantity, c);
    }
  }

  /** The column of `quantity` for `guest`, if the run has one. */
  column(guest: string, quantity: string): ColumnRef | undefined {
    return this.byGuest.get(guest)?.get(quantity);
  }

  /** The guest's position in column order (-1 if it has no column). */
  guestIndex(guest: string): number {
    return this.position.get(guest) ?? -1;
  }
}
