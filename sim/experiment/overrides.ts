/**
 * Overrides — what a `compare:` alternative, a `sweep:` point or a command-line flag (`--set`,
 * `--seeds`, cli-overrides.ts) changes in the experiment — and locating a problem at a field path:
 * in the override that set the field if one did (its value, or its key when the path it names is
 * wrong; a flag is named by its text, it has no line), else in the file (or included file) that
 * wrote it.
 *
 * Override paths: `guests.web.kernel.clock` → `['guests', 0, 'kernel', 'clock']`; numbers index
 * lists, other segments on a list pick the entry of that name.
 */
import { suggest } from '../options/fields.js';
import { formatFieldPath, InputError } from '../options/input-error.js';
import { MAX_RUNS } from './limits.js';
import type { RawConfig } from './schema.js';
import type { FactorValue } from '../results/types.js';
import type { Source } from './yaml-source.js';

export interface Override {
  key: string;
  path: (string | number)[];
  value: unknown;
  /** Who set it, for messages: `compare.static`, `sweep host.pcpus=4`. */
  label: string;
  /** Where its value and its key are in the file. */
  valueAt: (string | number)[];
  keyAt: (string | number)[];
  /**
   * Set on the command line: the flag as typed (`--set host.pcpus=8`), where its problems are
   * reported, and its value parsed on its own (for "found ..." inside it). valueAt and keyAt are then [].
   */
  flag?: { text: string; value: Source };
}

/** Throws the InputError for `path` (see errorAt). */
export function fail(
  src: Source,
  path: (string | number)[],
  overrides: Override[],
  problem: string,
  isKey = false,
): never {
  throw errorAt(src, path, overrides, problem, isKey);
}

/** The InputError for `path`, located in the override that set it if there is one. */
export function errorAt(
  src: Source,
  path: (string | number)[],
  overrides: Override[],
  problem: string,
  isKey = false,
): InputError {
  const field = formatFieldPath(path);
  // The last override wins where a compare alternative and a sweep set the same path.
  const o = [...overrides].reverse().find((ov) => isPrefix(ov.path, path) || isPrefix(path, ov.path));
  if (o !== undefined) {
    // The problem is in an override. If the override sets the field (or something around it),
    // point into its value; if it passes through a bad key, point at the override's key.
    const inValue = isPrefix(o.path, path);
    if (o.flag !== undefined) {
      const found = inValue && !isKey ? o.flag.value.locate(path.slice(o.path.length)).found : undefined;
      return new InputError({ file: o.flag.text }, field, withFound(problem, found, isKey));
    }
    const loc = inValue
      ? src.locate([...o.valueAt, ...path.slice(o.path.length)], isKey)
      : src.locate(o.keyAt, true);
    const found = inValue && !isKey ? loc.found : undefined;
    return new InputError(
      { file: loc.file, line: loc.line, col: loc.col },
      `${o.label}: ${field}`,
      withFound(problem, found, isKey),
    );
  }
  const loc = src.locate(path, isKey);
  return new InputError(
    { file: loc.file, line: loc.line, col: loc.col },
    field,
    withFound(problem, loc.found, isKey),
  );
}

function withFound(problem: string, found: string | undefined, isKey: boolean): string {
  // Messages that already quote what was found (unknown names, unknown units) say it once.
  if (isKey || problem.includes(', found ') || (found !== undefined && problem.includes(`'${found}'`)))
    return problem;
  return `${problem}, found ${found ?? 'nothing'}`;
}

export function isPrefix(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length <= b.length && a.every((s, i) => String(s) === String(b[i]));
}

/**
 * The path a dotted override key names in the raw experiment (`guests.web.kernel.clock` →
 * `['guests', 0, 'kernel', 'clock']`): numbers index lists; other segments on a list pick the
 * entry of that name. A key that cannot name a path goes to `refuse`.
 */
export function resolvePath(
  raw: Record<string, unknown>,
  key: string,
  refuse: (problem: string) => never,
): (string | number)[] {
  const path: (string | number)[] = [];
  let cur: unknown = raw;
  for (const seg of key.split('.')) {
    if (seg === '') refuse(`empty segment in override path '${key}'`);
    if (Array.isArray(cur)) {
      const idx = /^[0-9]+$/.test(seg)
        ? Number(seg)
        : cur.findIndex((g) => (g as { name?: unknown })?.name === seg);
      if (idx < 0 || idx >= cur.length) {
        const names = cur
          .map((g) => (g as { name?: unknown })?.name)
          .filter((n): n is string => typeof n === 'string');
        const guess = suggest(seg, names);
        refuse(
          `no list entry '${seg}' in override path '${key}'; ${guess === undefined ? '' : `did you mean '${guess}'? `}entries: ${names.join(', ')}`,
        );
      }
      path.push(idx);
      cur = cur[idx];
    } else {
      path.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

/** resolvePath for a key written in the file at `keyAt`, refused there. */
function resolveFilePath(
  src: Source,
  raw: Record<string, unknown>,
  key: string,
  keyAt: (string | number)[],
): (string | number)[] {
  return resolvePath(raw, key, (problem) => fail(src, keyAt, [], problem, true));
}

/** The overrides of compare alternative `alt`: `{ 'host.balloon.policy': 'static' }` → paths. */
export function compareOverrides(
  src: Source,
  raw: Record<string, unknown>,
  alt: string,
  overrides: Record<string, unknown>,
): Override[] {
  return Object.entries(overrides).map(([key, value]) => {
    const at = ['compare', alt, key];
    return {
      key,
      path: resolveFilePath(src, raw, key, at),
      value,
      label: `compare.${alt}`,
      valueAt: at,
      keyAt: at,
    };
  });
}

/** A sweep value as it appears in an alternative's name. */
function sweepLabel(v: unknown): string {
  return String(factorValue(v));
}

/** A swept value as results.json records it: a number, string or boolean as is, anything else as JSON text. */
export function factorValue(v: unknown): FactorValue {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
}

/**
 * The points of `sweep:` — every combination of its keys' values (the last key varying fastest),
 * each a list of overrides and a name part `host.pcpus=4,guests.web.count=2`. Values are a list,
 * or an inclusive numeric range `{ from, to, step }`.
 */
export function sweepPoints(
  src: Source,
  raw: Record<string, unknown>,
  sweep: NonNullable<RawConfig['sweep']>,
): { name: string; overrides: Override[] }[] {
  let points: { name: string; overrides: Override[] }[] = [{ name: '', overrides: [] }];
  for (const [key, spec] of Object.entries(sweep)) {
    const keyAt = ['sweep', key];
    const path = resolveFilePath(src, raw, key, keyAt);
    const values: { value: unknown; valueAt: (string | number)[] }[] = Array.isArray(spec)
      ? spec.map((value, i) => ({ value, valueAt: [...keyAt, i] }))
      : rangeValues(src, keyAt, spec).map((value) => ({ value, valueAt: keyAt }));
    // Judged before the points are built: a few long lists multiply fast.
    if (points.length * values.length > MAX_RUNS)
      fail(src, keyAt, [], `the sweep has more than ${MAX_RUNS} points; narrow it`, true);
    points = points.flatMap((p) =>
      values.map(({ value, valueAt }) => {
        const label = `${key}=${sweepLabel(value)}`;
        return {
          name: p.name === '' ? label : `${p.name},${label}`,
          overrides: [...p.overrides, { key, path, value, label: `sweep ${label}`, valueAt, keyAt }],
        };
      }),
    );
  }
  return points;
}

/** from, from + step, … ≤ to (values rounded to 12 significant digits against drift). */
function rangeValues(
  src: Source,
  at: (string | number)[],
  r: { from: number; to: number; step: number },
): number[] {
  if (r.to < r.from) fail(src, at, [], `range from ${r.from} to ${r.to}: 'to' must be at least 'from'`);
  const n = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  if (n > MAX_RUNS)
    fail(src, at, [], `range from ${r.from} to ${r.to} by ${r.step} has ${n} values, more than ${MAX_RUNS}`);
  return Array.from({ length: n }, (_, i) => Number((r.from + i * r.step).toPrecision(12)));
}

export function setPath(obj: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = cur[seg];
    if (next === null || typeof next !== 'object') cur[seg] = {};
    cur = cur[seg] as Record<string | number, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}
