/**
 * An experiment (or one alternative of it) judged against the schema part by part: when the whole
 * fails, each top-level field, the host and each guest entry that is valid on its own comes back,
 * so that the checks across fields (expand.ts) still run wherever their parts are sound, and every
 * schema issue is said once, at its place in the file — a missing field as missing, and not when
 * a misspelt key beside it already names it.
 */
import { z } from 'zod';
import { configSchema, guestSchema, hostSchema } from './schema.js';
import { issuesPerKey, suggest, UNKNOWN_KEY_PREFIX } from '../options/fields.js';
import type { InputError } from '../options/input-error.js';
import type { Source } from './yaml-source.js';
import { expandWorkloadRefs } from './presets.js';
import type { GuestEntryCount } from './limits.js';
import { errorAt, type Override } from './overrides.js';
import type { LoadContext, TopFields, ValidParts } from './expand.js';

/** The experiment's top-level fields judged one by one (TopFields). */
const TOP_FIELDS = [
  'name',
  'description',
  'duration',
  'sampleInterval',
  'warmup',
  'seeds',
  'compare',
  'sweep',
  'baseline',
  'margins',
] as const satisfies readonly (keyof TopFields)[];

/**
 * `data` (an experiment, or an alternative of it) against the schema: every issue goes to
 * `problems`, and what passed comes back — the whole, or, when something failed, each top-level
 * field, the host and each guest entry that is valid on its own, so that the checks across fields
 * can still be made where their parts are sound.
 */
export function validateParts(
  src: Source,
  data: Record<string, unknown>,
  overrides: Override[],
  ctx: LoadContext,
  problems: InputError[],
): ValidParts {
  const expanded = structuredClone(data);
  // A failed preset or include is reported where the experiment names it, and nothing else is said
  // of that workload (its `preset:` key would otherwise be reported as unknown).
  const badRefs = expandWorkloadRefs(src, expanded, ctx.presets, problems);
  // With the input in each issue: a field of the wrong type is told from a missing one by it
  // (missing, relevantIssues), and zod 4 leaves it out unless asked.
  const r = configSchema.safeParse(expanded, { reportInput: true });
  if (r.success && badRefs.size === 0) {
    const w = r.data;
    return { whole: w, top: w, host: w.host, guests: w.guests, entries: w.guests };
  }
  const underBadRef = (path: PropertyKey[]) =>
    path[0] === 'guests' && badRefs.has(path[1] as number) && path[2] === 'workload';
  if (!r.success)
    for (const issue of relevantIssues(r.error.issues))
      for (const { path, message, isKey } of issuesPerKey(issue))
        if (!underBadRef(path))
          problems.push(
            errorAt(src, path as (string | number)[], overrides, missing(issue) ?? message, isKey),
          );
  const entries = Array.isArray(expanded.guests) ? (expanded.guests as unknown[]) : [];
  return {
    whole: undefined,
    top: validFields(configSchema, expanded, TOP_FIELDS),
    host: validFields(hostSchema, expanded.host),
    guests: entries.map((g, gi) =>
      validFields(
        guestSchema,
        g,
        badRefs.has(gi) ? GUEST_FIELDS.filter((k) => k !== 'workload') : GUEST_FIELDS,
      ),
    ),
    entries: Array.isArray(expanded.guests) ? entryCounts(entries) : undefined,
  };
}

const GUEST_FIELDS = Object.keys(guestSchema.shape) as (keyof typeof guestSchema.shape)[];

/** The fields `keys` (default: all) of `schema` that are valid on their own in `data`, parsed. */
function validFields<S extends z.ZodRawShape, K extends keyof S & string>(
  schema: z.ZodObject<S>,
  data: unknown,
  keys: readonly K[] = Object.keys(schema.shape) as K[],
): Partial<z.output<z.ZodObject<S>>> {
  const out: Record<string, unknown> = {};
  const m =
    data !== null && typeof data === 'object' && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : {};
  for (const k of keys) {
    const r = (schema.shape[k] as z.ZodType).safeParse(m[k]);
    if (r.success) out[k] = r.data;
  }
  return out as Partial<z.output<z.ZodObject<S>>>;
}

/** Each entry's count and vCPUs as written, if every entry's are valid (limits.ts totals). */
function entryCounts(entries: unknown[]): GuestEntryCount[] | undefined {
  const out: GuestEntryCount[] = [];
  for (const g of entries) {
    const r = countsSchema.safeParse(g);
    if (!r.success) return undefined;
    out.push(r.data);
  }
  return out;
}

const countsSchema = z.looseObject({ count: guestSchema.shape.count, vcpus: guestSchema.shape.vcpus });

/** A required field that is absent, said as such (zod says "expected string, received undefined"). */
function missing(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'invalid_type' || issue.input !== undefined) return undefined;
  const what: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
  };
  return `required: expected ${what[issue.expected] ?? issue.expected}, found nothing`;
}

const isUnknownKey = (i: z.core.$ZodIssue) =>
  i.code === 'unrecognized_keys' || i.message.startsWith(UNKNOWN_KEY_PREFIX);

/**
 * The issues worth reporting: a misspelt key also makes the real one look missing, so a missing
 * field is left out where the same object has an unknown key that is plausibly its misspelling (the
 * unknown key's message already suggests the right name). Other missing fields are reported.
 */
function relevantIssues(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const unknownIn = new Map<string, string[]>();
  for (const issue of issues.filter(isUnknownKey))
    for (const { path } of issuesPerKey(issue)) {
      const parent = path.slice(0, -1).map(String).join('.');
      unknownIn.set(parent, [...(unknownIn.get(parent) ?? []), String(path[path.length - 1])]);
    }
  return issues.filter((i) => {
    if (isUnknownKey(i) || i.input !== undefined) return true;
    const field = String(i.path[i.path.length - 1]);
    const keys = unknownIn.get(i.path.slice(0, -1).map(String).join('.')) ?? [];
    return !keys.some((k) => suggest(k, [field]) === field);
  });
}
