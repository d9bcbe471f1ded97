/**
 * Human units at the edge: experiment files say `2GiB`, `512MB`, `30ms`, `10m`; everything past
 * this module is integer bytes, 4 KiB pages or integer nanoseconds.
 *
 * Sizes take IEC binary prefixes (KiB = 2^10 B, MiB = 2^20, GiB = 2^30, TiB = 2^40) and SI
 * decimal ones with their true meaning (KB = kB = 10^3 B, MB = 10^6, GB = 10^9, TB = 10^12).
 * Times take ns, us (or µs), ms, s, m (minutes) and h. A bare number is refused: `memory: 2`
 * is ambiguous, and guessing a unit is how simulations silently go wrong.
 */

import { closest, distance } from 'fastest-levenshtein';

export const PAGE_SIZE_BYTES = 4096;
export const BYTES_PER_MIB = 1024 * 1024;
/** 4 KiB pages in a MiB: statistics report memory in MiB, models count pages. */
export const PAGES_PER_MIB = BYTES_PER_MIB / PAGE_SIZE_BYTES;

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  KB: 1e3,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
};

const TIME_UNITS_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86_400e9,
};

export const SIZE_UNIT_NAMES = Object.keys(SIZE_UNITS);
export const TIME_UNIT_NAMES = Object.keys(TIME_UNITS_NS);

/** Result of parsing a quantity: a value, or a sentence saying what was wrong. */
export type UnitParse = { ok: true; value: number } | { ok: false; problem: string };

const QUANTITY = /^\s*([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([A-Za-zµ]+)\s*$/;

function parseQuantity(
  input: unknown,
  units: Record<string, number>,
  kind: string,
  example: string,
): UnitParse {
  if (typeof input === 'number') {
    return { ok: false, problem: `a ${kind} needs a unit (e.g. ${example})` };
  }
  if (typeof input !== 'string') {
    return { ok: false, problem: `expected a ${kind} with a unit (e.g. ${example})` };
  }
  const m = QUANTITY.exec(input);
  if (!m) {
    return { ok: false, problem: `expected a ${kind} with a unit (e.g. ${example})` };
  }
  const [, num, unit] = m as unknown as [string, string, string];
  const factor = units[unit];
  if (factor === undefined) {
    const names = Object.keys(units);
    const near = closest(unit, names);
    const hint = distance(unit.toLowerCase(), near.toLowerCase()) <= 1 ? `; did you mean '${near}'?` : '';
    return {
      ok: false,
      problem: `unknown ${kind} unit '${unit}' in '${input}'; expected one of ${names.join(', ')}${hint}`,
    };
  }
  const raw = Number(num) * factor;
  // Decimal inputs like 1.5GiB or 0.1ms can land a hair off an integer in binary floating point.
  const rounded = Math.round(raw);
  if (Math.abs(raw - rounded) > 1e-6 * Math.max(1, Math.abs(raw))) {
    return { ok: false, problem: `${input} is not a whole number of ${kind === 'size' ? 'bytes' : 'ns'}` };
  }
  if (!Number.isSafeInteger(rounded)) {
    return {
      ok: false,
      problem: `${input} is too large (must stay below 2^53 ${kind === 'size' ? 'bytes' : 'ns'})`,
    };
  }
  return { ok: true, value: rounded };
}

/** Parses a size such as `2GiB` or `512MB` into bytes. */
export function parseSizeBytes(input: unknown): UnitParse {
  return parseQuantity(input, SIZE_UNITS, 'size', '2GiB, 512MiB, 1GB');
}

/** Parses a duration such as `30ms` or `10m` into integer nanoseconds. */
export function parseDurationNs(input: unknown): UnitParse {
  return parseQuantity(input, TIME_UNITS_NS, 'duration', '30ms, 10s, 10m');
}

/** Formats bytes for people: the largest IEC unit that keeps at least 1 before the point. */
export function formatBytes(bytes: number): string {
  const units: [string, number][] = [
    ['TiB', 2 ** 40],
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ];
  for (const [name, f] of units) {
    if (bytes >= f) return `${+(bytes / f).toFixed(2)}${name}`;
  }
  return `${bytes}B`;
}

/** Formats nanoseconds for people: `10m`, `1.5s`, `250ms`. */
export function formatDurationNs(ns: number): string {
  const units: [string, number][] = [
    ['h', 3600e9],
    ['m', 60e9],
    ['s', 1e9],
    ['ms', 1e6],
    ['us', 1e3],
  ];
  for (const [name, f] of units) {
    if (ns >= f) return `${+(ns / f).toFixed(3)}${name}`;
  }
  return `${ns}ns`;
}
