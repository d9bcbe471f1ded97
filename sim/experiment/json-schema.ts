/**
 * The published JSON Schema of experiment files (vmisim.schema.json at the repository root), for
 * editor completion and checking (yaml-language-server, ajv), generated from the same zod
 * declarations that validate experiments: configSchema in schema.ts and the plugins' own option
 * schemas through the registries. Nothing here lists experiment fields by hand.
 *
 * Draft-07: the draft yaml-language-server (VS Code YAML, monaco-yaml) implements fully — it
 * flags 2019-09/2020-12 schemas as "not yet fully supported" — and ajv's default class checks.
 * It has everything used here: `if`/`then`, `const`, `enum`, `pattern`, boolean schemas.
 *
 * zod's z.toJSONSchema converts the ordinary fields. Fields that zod cannot see into are
 * `z.unknown().transform(...)` pipes: sizes and durations with units, plugin selectors, the
 * interface cost model and the phases of the `phases` workload. Each is recognised by how it
 * answers probe inputs (the messages it gives for them) and replaced:
 *  - sizes/durations: a string with a `pattern` matching units.ts's syntax (a bare number is
 *    refused by units.ts, so it is refused here too) and a description naming the units;
 *  - plugin selectors: `{ <key>: enum of names, ... }` with one `if <key> = name then <its
 *    options, nothing else>` branch per plugin, so only the chosen plugin's options are checked
 *    and offered; workloads also take `preset:` (an enum of experiments/workloads, its overrides
 *    checked against the preset's type) or `include:` (a path);
 *  - costs: a preset name or `{ preset, <cycle fields> }`.
 * A pipe that answers none of the probes stops generation with an error naming it, so a new kind
 * of custom field cannot silently become "anything goes".
 */
import { z } from 'zod';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { CPU_SCHEDULERS } from '../../policies/cpu/registry.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';
import { WORKLOADS } from '../../workloads/registry.js';
import { COST_PRESETS, DEFAULT_COST_PRESET } from '../abi/costs.js';
import type { PluginDecl } from '../options/plugin.js';
import { listPresets } from './presets.js';
import { configSchema } from './schema.js';
import { SIZE_UNIT_NAMES, TIME_UNIT_NAMES } from '../options/units.js';

/** A JSON Schema node (draft-07), as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/** Default location of the published schema, relative to the repository root. */
export const EXPERIMENT_SCHEMA_PATH = 'vmisim.schema.json';

/** Every plugin registry a selector may draw from. */
const REGISTRIES: readonly Readonly<Record<string, PluginDecl<unknown>>>[] = [
  CPU_SCHEDULERS,
  BALLOON_POLICIES,
  TIMER_DELIVERY,
  WORKLOADS,
];

/** Marks a unit field between z.toJSONSchema's override and the pass that adds unit descriptions. */
const UNIT_MARK = 'x-vmisim-unit';

// ---------------------------------------------------------------------------------------------
// Recognising the custom fields

/** A custom (transform) field, as recognised from its answers to probe inputs. */
export type CustomField =
  | { kind: 'size' }
  | { kind: 'duration' }
  | { kind: 'costs' }
  | { kind: 'selector'; what: string; key: string; names: string[] }
  | { kind: 'phase'; names: string[] };

function isUnknownTransform(s: z.core.$ZodType): boolean {
  const def = s._zod.def as { type: string; in?: z.core.$ZodType; out?: z.core.$ZodType };
  return (
    def.type === 'pipe' &&
    def.in?._zod.def.type === 'unknown' &&
    (def.out?._zod.def.type === 'transform' || isUnknownTransform(def.out!))
  );
}

function firstMessage(s: z.core.$ZodType, input: unknown): string {
  const r = z.safeParse(s, input);
  return r.success ? '' : (r.error.issues[0]?.message ?? '');
}

function splitNames(list: string): string[] {
  return list.split(/\s*[,|]\s*/).filter((n) => n !== '');
}

/** What kind of custom field `s` is, or undefined if it is an ordinary zod schema. */
export function recogniseCustomField(s: z.core.$ZodType): CustomField | undefined {
  if (!isUnknownTransform(s)) return undefined;
  const m = firstMessage(s, '1 zz');
  if (m.startsWith('unknown size unit')) return { kind: 'size' };
  if (m.startsWith('unknown duration unit')) return { kind: 'duration' };
  if (m.startsWith('unknown cost preset')) return { kind: 'costs' };
  const sel = /^expected a mapping with '([^:']+): <([^>]*)>'/.exec(m);
  if (sel) {
    const what = /^expected the (.+) name \(one of /.exec(firstMessage(s, {}))?.[1] ?? 'plugin';
    return { kind: 'selector', what, key: sel[1]!, names: splitNames(sel[2]!) };
  }
  if (m.startsWith('expected a phase')) {
    const inner = /\(one of (.*)\), found/.exec(firstMessage(s, { for: '1s', type: 1 }));
    if (inner) return { kind: 'phase', names: splitNames(inner[1]!) };
  }
  throw new Error(
    `json-schema.ts does not know this custom field (it answered '1 zz' with "${m}"); teach recogniseCustomField about it`,
  );
}

/** The declaration of plugin `name` among the registries that hold every one of `names`. */
export function pluginDecl(name: string, names: readonly string[]): PluginDecl<unknown> {
  for (const r of REGISTRIES) {
    if (names.every((n) => Object.hasOwn(r, n))) return r[name]!;
  }
  throw new Error(`no plugin registry holds all of ${names.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pattern of a quantity with one of `units` (units.ts: number, optional spaces, unit). */
export function unitPattern(units: readonly string[]): string {
  const alt = [...units]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex)
    .join('|');
  return `^\\s*[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?\\s*(${alt})\\s*$`;
}

/** What unit fields' descriptions end with (after ` — `): the units they take. */
export const UNIT_TEXT = {
  size: `a size with a unit, e.g. 2GiB, 512MiB, 1GB: ${SIZE_UNIT_NAMES.join(', ')} (KiB/MiB/GiB/TiB are 1024-based, KB/MB/GB/TB 1000-based)`,
  duration: `a duration with a unit, e.g. 30ms, 10s, 10m: ${TIME_UNIT_NAMES.join(', ')} (m = minutes)`,
} as const;

function unitSchema(kind: 'size' | 'duration'): JsonSchema {
  return {
    type: 'string',
    pattern: unitPattern(kind === 'size' ? SIZE_UNIT_NAMES : TIME_UNIT_NAMES),
    [UNIT_MARK]: kind,
  };
}

/** Descriptions of the cost fields (sim/abi/costs.ts keeps its own in a private schema). */
const COST_FIELD_TEXT: Record<string, string> = {
  vmiCallCycles: 'VMI call completed inside the ROM',
  exitCycles: 'transition that leaves the guest (world switch)',
  hypercallCycles: 'Xen hypercall trap and return',
  copyCyclesPerByte: 'copying guest memory into the hypervisor, per byte',
  pageCycles: 'one page handed over or taken back',
  pteUpdateCycles: 'hypervisor work on one page-table entry (validate or shadow), an assumption',
  ptwrEmulateCycles: 'Xen emulating a write to a pinned page table, beyond its trap; an assumption',
};

function costsSchema(): JsonSchema {
  const presets = Object.keys(COST_PRESETS);
  const fields: Record<string, JsonSchema> = {};
  for (const k of Object.keys(COST_PRESETS[DEFAULT_COST_PRESET])) {
    fields[k] = {
      type: 'number',
      minimum: 0,
      description: `${COST_FIELD_TEXT[k] ?? k}, in cycles (default: the preset's)`,
    };
  }
  return {
    anyOf: [
      { type: 'string', enum: presets, description: 'a cost preset' },
      {
        type: 'object',
        properties: {
          preset: {
            type: 'string',
            enum: presets,
            description: `starting point: ${presets.join(', ')} (default ${DEFAULT_COST_PRESET})`,
          },
          ...fields,
        },
        additionalProperties: false,
      },
    ],
  };
}

/** An options object's schema without what the selector adds. */
interface OptionsShape {
  properties: Record<string, JsonSchema>;
  required: string[];
}

function optionsShape(decl: PluginDecl<unknown>): OptionsShape {
  const j = zodToJsonSchema(decl.options);
  return {
    properties: (j.properties as Record<string, JsonSchema> | undefined) ?? {},
    required: (j.required as string[] | undefined) ?? [],
  };
}

/** The schema of one plugin's options: its declaration converted (the selector key not included). */
export function pluginOptionsJsonSchema(decl: PluginDecl<unknown>): JsonSchema {
  return zodToJsonSchema(decl.options);
}

const allowAll = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, true]));

/** `if <key> is <value> then <the chosen plugin's options, and nothing else>`. */
function branch(key: string, value: string, then: JsonSchema): JsonSchema {
  return { if: { properties: { [key]: { const: value } }, required: [key] }, then };
}

/**
 * A plugin selector: `key` names one of `names`; the other keys are that plugin's options.
 * `base` are keys every choice has (a phase's `for`); `refs` adds `preset`/`include` (workloads).
 */
function selectorSchema(
  what: string,
  key: string,
  names: readonly string[],
  base: OptionsShape,
  refs: boolean,
  description = `a ${what}: \`${key}: <${names.join('|')}>\`${refs ? ' (or `preset:`/`include:`)' : ''} and its options`,
): JsonSchema {
  const branches: JsonSchema[] = [];
  const shapes = new Map<string, OptionsShape>();
  for (const name of names) {
    const decl = pluginDecl(name, names);
    const o = optionsShape(decl);
    shapes.set(name, o);
    branches.push(
      branch(key, name, {
        description: `${name}: ${decl.description}`,
        properties: { ...allowAll([key, ...Object.keys(base.properties)]), ...o.properties },
        ...(o.required.length > 0 ? { required: o.required } : {}),
        additionalProperties: false,
      }),
    );
  }
  const list = names.map((n) => `${n} (${pluginDecl(n, names).description})`).join('; ');
  const properties: Record<string, JsonSchema> = {
    ...base.properties,
    [key]: { type: 'string', enum: [...names], description: `the ${what}: ${list}` },
  };
  let required = [...base.required, key];
  if (refs) {
    const presets = listPresets();
    properties.preset = {
      type: 'string',
      enum: presets.map((p) => p.name),
      description: `a workload preset of experiments/workloads (it sets the type; keys beside it override its options): ${presets.map((p) => `${p.name} (${p.description})`).join('; ')}`,
    };
    properties.include = {
      type: 'string',
      description:
        'a workload preset file (description and workload), relative to the experiment file; keys beside it override its options',
    };
    required = [...base.required];
    branches.push({
      if: { not: { anyOf: [{ required: ['preset'] }, { required: ['include'] }] } },
      then: { required: [key] },
    });
    for (const p of presets) {
      const type = String(p.workload.type);
      const o = shapes.get(type);
      if (o === undefined) continue;
      branches.push(
        branch('preset', p.name, {
          description: `preset ${p.name}: ${type} — ${p.description}`,
          properties: { preset: true, ...o.properties },
          additionalProperties: false,
        }),
      );
    }
    // An include's type is known only once the file is read: any options, but no type or preset.
    branches.push({
      if: { required: ['include'] },
      then: { properties: { [key]: false, preset: false } },
    });
  }
  return {
    description,
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    allOf: branches,
  };
}

function customSchema(c: CustomField): JsonSchema {
  switch (c.kind) {
    case 'size':
    case 'duration':
      return unitSchema(c.kind);
    case 'costs':
      return costsSchema();
    case 'selector':
      return selectorSchema(c.what, c.key, c.names, { properties: {}, required: [] }, c.key === 'type');
    case 'phase':
      return selectorSchema(
        'workload',
        'type',
        c.names,
        {
          properties: {
            for: { ...unitSchema('duration'), description: 'how long the phase lasts (longer than 0)' },
          },
          required: ['for'],
        },
        false,
        `a phase: \`for: <duration>\`, \`type: <${c.names.join('|')}>\` and that workload's options`,
      );
  }
}

/** Adds the unit text to every unit field's description and drops the marks. */
function describeUnits(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(describeUnits);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const j = node as JsonSchema;
  const unit = j[UNIT_MARK];
  if (unit !== undefined) {
    delete j[UNIT_MARK];
    const text = unit === 'size' ? UNIT_TEXT.size : UNIT_TEXT.duration;
    j.description = typeof j.description === 'string' ? `${j.description} — ${text}` : text;
  }
  for (const v of Object.values(j)) describeUnits(v);
}

const KEEP_ON_CUSTOM = new Set(['description', 'default', 'title', 'examples', 'deprecated']);

/** Any zod schema of the experiment format as a draft-07 JSON Schema node (no `$schema`). */
export function zodToJsonSchema(schema: z.core.$ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const custom = recogniseCustomField(zodSchema);
      if (custom === undefined) return;
      const j = jsonSchema as JsonSchema;
      for (const k of Object.keys(j)) if (!KEEP_ON_CUSTOM.has(k)) delete j[k];
      Object.assign(j, customSchema(custom), pick(j, KEEP_ON_CUSTOM));
    },
  }) as JsonSchema;
  delete json.$schema;
  describeUnits(json);
  return json;
}

function pick(j: JsonSchema, keys: ReadonlySet<string>): JsonSchema {
  return Object.fromEntries(Object.entries(j).filter(([k]) => keys.has(k)));
}

// ---------------------------------------------------------------------------------------------
// The published schema

/** The JSON Schema of experiment files. */
export function experimentJsonSchema(): JsonSchema {
  return {
    $schema: JSON_SCHEMA_DRAFT,
    title: 'vmisim experiment',
    description:
      'An experiment file of vmisim: the host, its guests and named alternatives to compare (docs/experiments.md). Generated from the zod declarations by sim/experiment/json-schema.ts.',
    ...zodToJsonSchema(configSchema),
  };
}

/** The schema as JSON text (two-space indent, final newline): what `vmisim schema` prints. */
export function experimentJsonSchemaText(): string {
  return `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
}

/**
 * The exact text the checked-in schema file must have: generated, then formatted with the
 * project's prettier settings (so `prettier --check .` passes). prettier is a dev dependency,
 * so it is loaded only here.
 */
export async function experimentSchemaFileText(path: string = EXPERIMENT_SCHEMA_PATH): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(experimentJsonSchemaText(), { ...config, filepath: path });
}
