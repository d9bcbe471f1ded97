/**
 * zod building blocks for experiment fields: sizes and durations in human units (converted
 * once, here, to bytes and integer ns), strict objects whose unknown keys get a "did you mean"
 * suggestion, and plugin selectors (`{ policy: static, fraction: 0.3 }`) that validate the
 * options against the chosen plugin's own declaration.
 */
import { z } from 'zod';
import { closest, distance } from 'fastest-levenshtein';
import { parseDurationNs, parseSizeBytes, type UnitParse } from './units.js';
import type { PluginChoice, PluginDecl } from './plugin.js';

/** The closest of `candidates` to `word` if it is plausibly a misspelling of it. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates as string[]);
  const d = distance(word.toLowerCase(), best.toLowerCase());
  return d <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : `; did you mean '${s}'?`;
}

/** A field in human units, converted by `parse` (one of the parsers in units.ts). */
function unitField(parse: (v: unknown) => UnitParse) {
  return z.unknown().transform((v, ctx): number => {
    const r = parse(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.problem, input: v });
      return z.NEVER;
    }
    return r.value;
  });
}

/** A size in human units (`2GiB`, `512MB`) → integer bytes. */
export const sizeBytes = () => unitField(parseSizeBytes);

/** A duration in human units (`30ms`, `10m`) → integer nanoseconds. */
export const durationNs = () => unitField(parseDurationNs);

/** Marker on issues from unknown keys so the reporter can rank them first and point at the key. */
export const UNKNOWN_KEY_PREFIX = 'unknown key';

/** Between the messages of the unknown keys of one object, which zod reports as one issue. */
const KEY_MESSAGE_SEPARATOR = '\n';

/** A strict object: unknown keys are errors that list the valid keys and suggest the closest. */
export function strictObject<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      // One message per key, each with its own suggestion (split again by issuesPerKey).
      return iss.keys
        .map(
          (k) => `${UNKNOWN_KEY_PREFIX} '${k}'; expected one of ${known.join(', ')}${didYouMean(k, known)}`,
        )
        .join(KEY_MESSAGE_SEPARATOR);
    },
  });
}

/**
 * An issue as one issue per field: zod lists all of an object's unknown keys in one issue at the
 * object; this gives one at each key, with its own message.
 */
export function issuesPerKey(
  iss: z.core.$ZodIssue,
): { path: PropertyKey[]; message: string; isKey: boolean }[] {
  if (iss.code !== 'unrecognized_keys')
    return [{ path: iss.path, message: iss.message, isKey: iss.message.startsWith(UNKNOWN_KEY_PREFIX) }];
  const messages = iss.message.split(KEY_MESSAGE_SEPARATOR);
  return iss.keys.map((k, i) => ({
    path: [...iss.path, k],
    message: messages[i] ?? messages[0]!,
    isKey: true,
  }));
}

/**
 * A plugin selector: an object whose `selectorKey` names a plugin in `registry` and whose other
 * keys are that plugin's options. Output: `{ name, options }` with defaults applied.
 */
export function pluginSelector(
  registry: Readonly<Record<string, PluginDecl<unknown>>>,
  kind: string,
  selectorKey: string,
) {
  const names = Object.keys(registry);
  return z.unknown().transform((v, ctx): PluginChoice => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a mapping with '${selectorKey}: <${names.join('|')}>' and its options, found ${describe(v)}`,
        input: v,
      });
      return z.NEVER;
    }
    const { [selectorKey]: name, ...rest } = v as Record<string, unknown>;
    if (typeof name !== 'string') {
      ctx.addIssue({
        code: 'custom',
        path: [selectorKey],
        message: `expected the ${kind} name (one of ${names.join(', ')}), found ${describe(name)}`,
        input: name,
      });
      return z.NEVER;
    }
    const decl = Object.hasOwn(registry, name) ? registry[name] : undefined;
    if (decl === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [selectorKey],
        message: `unknown ${kind} '${name}'; expected one of ${names.join(', ')}${didYouMean(name, names)}`,
        input: name,
      });
      return z.NEVER;
    }
    const parsed = decl.options.safeParse(rest);
    if (!parsed.success) {
      // Unknown-key issues point at the object; point at each offending key instead.
      for (const iss of parsed.error.issues)
        for (const { path, message } of issuesPerKey(iss)) ctx.addIssue({ code: 'custom', path, message });
      return z.NEVER;
    }
    return { name, options: parsed.data as Record<string, unknown> };
  });
}

/** A short description of a found value for error messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}
