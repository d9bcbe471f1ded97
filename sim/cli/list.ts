/**
 * `vmisim list [kind]`: every registered plugin with its description and options, generated from
 * the plugins' own declarations (zod schemas with descriptions and defaults) — the same ones that
 * validate experiment files — and the workload presets of experiments/workloads. `vmisim list
 * metrics` prints what a report measures, from the figure catalog (reports/tidy.ts tidyMetrics);
 * `vmisim list constants` the assumed constants `vmisim sensitivity` varies, with their ranges.
 */
import { z } from 'zod';
import { CPU_SCHEDULERS } from '../../policies/cpu/registry.js';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';
import { WORKLOADS } from '../../workloads/registry.js';
import type { PluginDecl } from '../options/plugin.js';
import { listPresets } from '../experiment/presets.js';
import { COST_PRESETS, DEFAULT_COST_PRESET } from '../abi/costs.js';
import { FALLBACK_INTERFACE, INTERFACES } from '../abi/registry.js';
import { AUTO_MEMORY_SEMANTICS, MEMORY_SEMANTICS, memorySemanticsNames } from '../spec/memory-semantics.js';
import { tidyMetrics, type TidyMetric } from '../../reports/tidy.js';
import { ASSUMED_CONSTANTS } from '../experiment/assumed-constants.js';

function section(
  title: string,
  key: string,
  registry: Readonly<Record<string, PluginDecl<unknown>>>,
): string {
  let out = `${title} (${key}):\n`;
  for (const [name, decl] of Object.entries(registry)) {
    out += `  ${name} — ${decl.description}\n`;
    const shape = (decl.options as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
    for (const [opt, schema] of Object.entries(shape)) {
      const desc = schema.description ?? '';
      let def = '';
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { default?: unknown };
      // Descriptions that already explain their default (with its source) say it once.
      if (json.default !== undefined && !/\bdefault\b/.test(desc)) def = ` (default ${String(json.default)})`;
      out += `      ${opt}: ${desc}${def}\n`;
    }
  }
  return `${out}\n`;
}

function presetSection(): string {
  let out = 'Workload presets (guests[].workload.preset; keys beside it override the preset):\n';
  for (const p of listPresets()) {
    const { type, ...options } = p.workload;
    const opts = Object.entries(options)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
    out += `  ${p.name} — ${p.description}\n      ${String(type)}${opts === '' ? '' : ` { ${opts} }`}\n`;
  }
  return `${out}\n`;
}

/** The paravirtual interfaces, the host memory semantics each implies, and the cost presets that price their transitions. */
function interfaceSection(): string {
  let out = 'Interfaces (host.abi):\n';
  for (const d of Object.values(INTERFACES)) out += `  ${d.name} — ${d.description}\n`;
  out += `  (${FALLBACK_INTERFACE.name} — ${FALLBACK_INTERFACE.description})\n\n`;
  out += `Host memory semantics (host.memorySemantics; default ${AUTO_MEMORY_SEMANTICS}: ${Object.values(
    INTERFACES,
  )
    .map((d) => `${d.name} → ${d.memorySemantics}`)
    .join(', ')}):\n`;
  for (const n of memorySemanticsNames()) out += `  ${n} — ${MEMORY_SEMANTICS[n].description}\n`;
  out += '\n';
  out += `Cost presets (host.costs, cycles per transition; default ${DEFAULT_COST_PRESET}):\n`;
  for (const [name, c] of Object.entries(COST_PRESETS)) {
    const fields = Object.entries(c)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out += `  ${name} — ${fields}\n`;
  }
  return `${out}\n`;
}

/** Every metric of a report (the tidy table's `metric` column): id, unit, better direction, meaning. */
function metricsSection(): string {
  const all = tidyMetrics();
  const width = Math.max(...all.map((m) => m.id.length));
  const unitWidth = Math.max(...all.map((m) => m.unit.length));
  const line = (m: TidyMetric) =>
    `  ${m.id.padEnd(width)}  ${m.unit.padEnd(unitWidth)}  ${(m.better === 'neither' ? '—' : m.better).padEnd(6)}  ${m.description}\n`;
  const head = `  ${'id'.padEnd(width)}  ${'unit'.padEnd(unitWidth)}  better  meaning\n`;
  return (
    'Metrics, host-wide (one value per run: summary.csv, tidy.csv with guest empty):\n' +
    head +
    all
      .filter((m) => !m.guest)
      .map(line)
      .join('') +
    '\nMetrics per guest (guest-summary.csv, tidy.csv with the guest named):\n' +
    head +
    all
      .filter((m) => m.guest)
      .map(line)
      .join('') +
    '\nEvery output file and column: docs/outputs.md.\n'
  );
}

/** The assumed constants `vmisim sensitivity` varies (sim/experiment/assumed-constants.ts). */
function constantsSection(): string {
  let out =
    "Assumed constants (vmisim sensitivity; an experiment's sensitivity: { constants: [...] }): range at the reference value, applied to a run's own value as the same ratios\n";
  for (const c of ASSUMED_CONSTANTS)
    out += `  ${c.id} (${c.path}) — ${c.reference} ${c.unit} (${c.referenceOf}): low ${c.low}, high ${c.high}; ${c.reason}\n`;
  return `${out}\n`;
}

const schedulers = () => section('CPU schedulers', 'host.scheduler.policy', CPU_SCHEDULERS);
const timers = () => section('Timer delivery policies', 'host.timer.delivery', TIMER_DELIVERY);
const balloons = () => section('Balloon policies', 'host.balloon.policy', BALLOON_POLICIES);

/** What `vmisim list <kind>` can show; `vmisim list` shows every kind once, in this order. */
export const LIST_KINDS = {
  schedulers,
  timers,
  balloons,
  workloads: () => section('Workloads', 'guests[].workload.type', WORKLOADS) + presetSection(),
  interfaces: interfaceSection,
  /** Every policy: scheduling, timer delivery and ballooning. */
  policies: () => schedulers() + timers() + balloons(),
  /** What a report measures; not part of the plain `vmisim list`, which lists what an experiment can use. */
  metrics: metricsSection,
  /** What `vmisim sensitivity` varies; not part of the plain `vmisim list` either. */
  constants: constantsSection,
} as const;

export type ListKind = keyof typeof LIST_KINDS;

/** Every plugin of `kind`, or of every kind. */
export function listPlugins(kind?: ListKind): string {
  if (kind !== undefined) return LIST_KINDS[kind]();
  const k = LIST_KINDS;
  return k.schedulers() + k.timers() + k.balloons() + k.workloads() + k.interfaces();
}
