/**
 * The generated parts of docs/experiments.md: the accepted units, the input limits, tables of the experiment fields (from configSchema)
 * and of every scheduler, timer-delivery policy, balloon policy and workload with its options (from
 * the plugins' own declarations), and the list of workload presets. Built from the same JSON Schema
 * as vmisim.schema.json (json-schema.ts), so the docs, the editor schema and validation agree.
 *
 * Each part sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` in the document;
 * updateGeneratedSections() rewrites them and leaves the hand-written rest alone. A test fails
 * when the checked-in document differs: `VMISIM_UPDATE_DOCS=1 npx vitest run test/docs/experiments-doc.test.ts`.
 */
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { CPU_SCHEDULERS } from '../../policies/cpu/registry.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';
import { WORKLOADS } from '../../workloads/registry.js';
import type { PluginDecl } from '../options/plugin.js';
import {
  experimentJsonSchema,
  pluginOptionsJsonSchema,
  unitPattern,
  UNIT_TEXT,
  type JsonSchema,
} from './json-schema.js';
import { listPresets } from './presets.js';
import { MEMORY_SEMANTICS, memorySemanticsNames } from '../spec/memory-semantics.js';
import { formatBytes, SIZE_UNIT_NAMES, TIME_UNIT_NAMES } from '../options/units.js';
import { MAX_TRACE_FILE_BYTES, MAX_YAML_BYTES } from '../options/read-input.js';
import { MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_VALUES } from './yaml-source.js';
import {
  MAX_GUESTS_IN_ALL_ALTERNATIVES,
  MAX_GUESTS_PER_HOST,
  MAX_RUNS,
  MAX_VALUES_CHECKED,
  MAX_VCPUS_PER_HOST,
} from './limits.js';
import { MAX_TIME_NS } from '../kernel/time.js';
import { MAX_PROBLEMS_LISTED } from '../options/input-error.js';

/** Default location of the document, relative to the repository root. */
export const EXPERIMENTS_DOC_PATH = 'docs/experiments.md';

const SIZE_PATTERN = unitPattern(SIZE_UNIT_NAMES);
const DURATION_PATTERN = unitPattern(TIME_UNIT_NAMES);

const isObject = (v: unknown): v is JsonSchema => v !== null && typeof v === 'object' && !Array.isArray(v);
const code = (s: string) => `\`${s}\``;

/** Text safe inside a table cell: no pipes, no line breaks, no `<…>` outside code taken for HTML. */
function cell(s: string): string {
  return s
    .replace(/\s*\n\s*/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;') : part))
    .join('`')
    .replace(/\|/g, '\\|');
}

/** A value as it would be written in YAML flow style. */
function yamlValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(yamlValue).join(', ')}]`;
  if (isObject(v)) {
    const entries = Object.entries(v).map(([k, x]) => `${k}: ${yamlValue(x)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return v === null ? 'null' : String(v);
}

/** The key a plugin-selector node chooses by, with its names (undefined if `j` is not one). */
function selectorKey(j: JsonSchema): { key: string; names: string[] } | undefined {
  if (!Array.isArray(j.allOf) || !isObject(j.properties)) return undefined;
  for (const b of j.allOf as JsonSchema[]) {
    const props = isObject(b.if) && isObject(b.if.properties) ? b.if.properties : undefined;
    const key = props && Object.keys(props)[0];
    if (key === undefined || key === 'preset') continue;
    const p = j.properties[key];
    if (isObject(p) && Array.isArray(p.enum)) return { key, names: p.enum as string[] };
  }
  return undefined;
}

function range(j: JsonSchema): string {
  const big = (n: unknown) => typeof n === 'number' && Math.abs(n) >= Number.MAX_SAFE_INTEGER;
  const min = big(j.minimum) ? undefined : (j.minimum as number | undefined);
  const max = big(j.maximum) ? undefined : (j.maximum as number | undefined);
  const xmin = j.exclusiveMinimum as number | undefined;
  const xmax = j.exclusiveMaximum as number | undefined;
  if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
  const parts: string[] = [];
  if (min !== undefined) parts.push(`≥ ${min}`);
  if (xmin !== undefined) parts.push(`> ${xmin}`);
  if (max !== undefined) parts.push(`≤ ${max}`);
  if (xmax !== undefined) parts.push(`< ${xmax}`);
  return parts.length === 0 ? '' : ` ${parts.join(', ')}`;
}

/** A short description of what a schema node accepts, for the type column. */
export function typeText(j: JsonSchema): string {
  if (j.pattern === SIZE_PATTERN) return 'size';
  if (j.pattern === DURATION_PATTERN) return 'duration';
  const sel = selectorKey(j);
  if (sel !== undefined) {
    const others = Object.keys(j.properties as JsonSchema).filter(
      (k) => k !== sel.key && k !== 'preset' && k !== 'include',
    );
    const extra = others.map((k) => `${k}: ${typeText((j.properties as Record<string, JsonSchema>)[k]!)}, `);
    return code(`{ ${extra.join('')}${sel.key}: NAME, …options }`);
  }
  if (Array.isArray(j.enum)) return (j.enum as unknown[]).map((v) => code(String(v))).join(' | ');
  if (j.const !== undefined) return code(String(j.const));
  if (Array.isArray(j.anyOf)) {
    const options = j.anyOf as JsonSchema[];
    return options.map(typeText).join(options.every((o) => o.const !== undefined) ? ' | ' : ' or ');
  }
  const type = Array.isArray(j.type) ? (j.type as string[]).join(' or ') : (j.type as string | undefined);
  switch (type) {
    case 'integer':
      return `integer${range(j)}`;
    case 'number':
      return `number${range(j)}`;
    case 'boolean':
      return 'boolean';
    case 'string':
      return j.pattern !== undefined ? 'name' : 'string';
    case 'null':
      return 'null';
    case 'array': {
      const items = isObject(j.items) ? typeText(j.items) : 'any';
      return `list of ${items}${j.minItems !== undefined && j.minItems !== 0 ? ` (≥ ${String(j.minItems)})` : ''}`;
    }
    case 'object':
      if (isObject(j.properties)) return 'mapping';
      if (isObject(j.additionalProperties) || j.additionalProperties === undefined)
        return `map of name → ${isObject(j.additionalProperties) ? typeText(j.additionalProperties) : 'any'}`;
      return 'mapping';
    case 'string or null':
      return 'string or null';
    default:
      return type ?? 'any';
  }
}

/** The field's description without the unit explanation (the type column and § Units say it). */
function meaning(j: JsonSchema): string {
  let d = typeof j.description === 'string' ? j.description : '';
  for (const t of Object.values(UNIT_TEXT)) {
    if (d === t) d = '';
    else if (d.endsWith(` — ${t}`)) d = d.slice(0, -(t.length + 3));
  }
  return d;
}

function defaultText(j: JsonSchema, required: boolean): string {
  if (j.default === undefined) return required ? '**required**' : '—';
  if (isObject(j.default) && Object.keys(j.default).length === 0) return 'its fields’ defaults';
  return code(yamlValue(j.default));
}

/** A table of an object schema's properties. */
function propertyTable(j: JsonSchema, first: string): string {
  const props = (j.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((j.required ?? []) as string[]);
  let out = `| ${first} | type | meaning | default |\n| --- | --- | --- | --- |\n`;
  for (const [k, p] of Object.entries(props)) {
    if (p === (true as unknown)) continue;
    out += `| ${code(k)} | ${cell(typeText(p))} | ${cell(meaning(p))} | ${cell(defaultText(p, required.has(k)))} |\n`;
  }
  return out;
}

/** Nested plain mappings (not plugin selectors) of `j`, with their dotted paths. */
function nestedObjects(j: JsonSchema, path: string): [string, JsonSchema][] {
  const out: [string, JsonSchema][] = [];
  for (const [k, p] of Object.entries((j.properties ?? {}) as Record<string, JsonSchema>)) {
    const sub = path === '' ? k : `${path}.${k}`;
    const node = p.type === 'array' && isObject(p.items) ? p.items : p;
    const at = node === p ? sub : `${sub}[]`;
    if (node.type === 'object' && isObject(node.properties) && selectorKey(node) === undefined) {
      out.push([at, node], ...nestedObjects(node, at));
    }
  }
  return out;
}

/** Tables of every experiment field: the top level, then each nested mapping by its path. */
export function fieldsMarkdown(): string {
  const root = experimentJsonSchema();
  let out = `### Top level\n\n${propertyTable(root, 'field')}`;
  for (const [path, node] of nestedObjects(root, '')) {
    const desc = meaning(node);
    out += `\n### ${code(path)}\n\n${desc === '' ? '' : `${cell(desc)}\n\n`}${propertyTable(node, 'field')}`;
  }
  return out;
}

/** The plugin kinds, as `vmisim list` shows them. */
const PLUGIN_KINDS: [string, string, Readonly<Record<string, PluginDecl<unknown>>>][] = [
  ['CPU schedulers', 'host.scheduler.policy', CPU_SCHEDULERS],
  ['Timer delivery policies', 'host.timer.delivery', TIMER_DELIVERY],
  ['Balloon policies', 'host.balloon.policy', BALLOON_POLICIES],
  ['Workloads', 'guests[].workload.type', WORKLOADS],
];

/** Every plugin of every kind: name, description and a table of its options. */
export function optionsMarkdown(): string {
  let out = '';
  for (const [title, key, registry] of PLUGIN_KINDS) {
    out += `### ${title} (${code(key)})\n\n`;
    for (const [name, decl] of Object.entries(registry)) {
      const j = pluginOptionsJsonSchema(decl);
      const none = Object.keys((j.properties ?? {}) as object).length === 0;
      out += `#### ${code(name)}\n\n${cell(decl.description)}\n\n${none ? 'No options.\n' : propertyTable(j, 'option')}\n`;
    }
  }
  return out.trimEnd() + '\n';
}

/** The workload presets of experiments/workloads. */
export function presetsMarkdown(): string {
  let out = '| preset | workload | description |\n| --- | --- | --- |\n';
  for (const p of listPresets()) {
    const { type, ...options } = p.workload;
    const opts = yamlValue(options);
    out += `| ${code(p.name)} | ${cell(code(`${String(type)}${opts === '{}' ? '' : ` ${opts}`}`))} | ${cell(p.description)} |\n`;
  }
  return out;
}

/** The unit names units.ts accepts. */
export function unitsMarkdown(): string {
  return `Accepted units — sizes: ${SIZE_UNIT_NAMES.map(code).join(', ')}; durations: ${TIME_UNIT_NAMES.map(code).join(', ')}.\n`;
}

/** The limits of read-input.ts, yaml-source.ts and limits.ts, from their constants. */
export function limitsMarkdown(): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const rows: [string, string][] = [
    [
      'bytes of YAML: the experiment file and every file it reads (`include:`, workload presets and include files) together',
      formatBytes(MAX_YAML_BYTES),
    ],
    ['bytes of one trace CSV', formatBytes(MAX_TRACE_FILE_BYTES)],
    ['values (scalars, mappings, lists) in all that YAML, aliases expanded', n(MAX_YAML_VALUES)],
    ['nesting of mappings and lists, aliases expanded', n(MAX_YAML_DEPTH)],
    ['aliases (`*name`) in one file', n(MAX_YAML_ALIASES)],
    ['runs: alternatives (compare × sweep points) × seeds', n(MAX_RUNS)],
    [
      'guests on one host (Σ `count` of an alternative; also the most one `count` may be)',
      n(MAX_GUESTS_PER_HOST),
    ],
    ['vCPUs on one host (Σ `count` × `vcpus`)', n(MAX_VCPUS_PER_HOST)],
    ['guests summed over all alternatives', n(MAX_GUESTS_IN_ALL_ALTERNATIVES)],
    ['alternatives × values (each alternative is the whole experiment checked again)', n(MAX_VALUES_CHECKED)],
    ['guests × `host.guestOverhead`', '`host.memory`'],
    [
      '`duration`: the cycle counters (ns × `cpuMHz` / 1000) stay below 2^53',
      `2^53 × 1000 / \`cpuMHz\` ns (${((MAX_TIME_NS * 1000) / 3000 / 86_400e9).toFixed(1)} days at 3000 MHz)`,
    ],
    ['problems listed in one message (the rest are counted)', n(MAX_PROBLEMS_LISTED)],
  ];
  let out = '| what | at most |\n| --- | --- |\n';
  for (const [what, max] of rows) out += `| ${cell(what)} | ${cell(max)} |\n`;
  return out;
}

/** The host memory semantics presets (`host.memorySemantics`) and what each does. */
export function memorySemanticsMarkdown(): string {
  let out = '| preset | what the hypervisor does |\n| --- | --- |\n';
  for (const n of memorySemanticsNames()) out += `| \`${n}\` | ${cell(MEMORY_SEMANTICS[n].description)} |\n`;
  return out;
}

/** The generated sections of docs/experiments.md by marker name. */
export const GENERATED_SECTIONS: Readonly<Record<string, () => string>> = {
  units: unitsMarkdown,
  limits: limitsMarkdown,
  fields: fieldsMarkdown,
  options: optionsMarkdown,
  presets: presetsMarkdown,
  'memory-semantics': memorySemanticsMarkdown,
};

const sectionRe = (name: string) =>
  new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`);

/** `doc` with every generated section rewritten; throws if a section's markers are missing. */
export function updateGeneratedSections(doc: string): string {
  let out = doc;
  for (const [name, make] of Object.entries(GENERATED_SECTIONS)) {
    const re = sectionRe(name);
    if (!re.test(out))
      throw new Error(`markers <!-- generated:${name} --> … <!-- /generated:${name} --> not found`);
    const body = make().trimEnd();
    out = out.replace(re, (_m, open: string, close: string) => `${open}\n\n${body}\n\n${close}`);
  }
  return out;
}

/** The generated sections of `doc` as written there, by marker name. */
export function generatedSections(doc: string): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(GENERATED_SECTIONS).map((n) => [n, sectionRe(n).exec(doc)?.[0]]));
}

/**
 * The text the document must have: its generated sections rewritten, then formatted with the
 * project's prettier settings (prettier, a dev dependency, is loaded only here).
 */
export async function experimentsDocText(doc: string, path: string = EXPERIMENTS_DOC_PATH): Promise<string> {
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(updateGeneratedSections(doc), { ...config, filepath: path });
}
