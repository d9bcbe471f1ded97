/**
 * `vmisim list [kind]`: every registered plugin with its description and options, generated from
 * the plugins' own declarations (zod schemas with descriptions and defaults) — the same ones that
 * validate experiment files — and the workload presets of experiments/workloads.
 */
import { z } from 'zod';
import { CPU_SCHEDULERS } from '../../policies/cpu/registry.js';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';
import { WORKLOADS } from '../../workloads/registry.js';
import type { PluginDecl } from '../plugin.js';
import { listPresets } from '../experiment/presets.js';

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

/** What `vmisim list <kind>` can show, in the order `vmisim list` shows everything. */
export const LIST_KINDS = {
  schedulers: () => section('CPU schedulers', 'host.scheduler.policy', CPU_SCHEDULERS),
  timers: () => section('Timer delivery policies', 'host.timer.delivery', TIMER_DELIVERY),
  balloons: () => section('Balloon policies', 'host.balloon.policy', BALLOON_POLICIES),
  workloads: () => section('Workloads', 'guests[].workload.type', WORKLOADS) + presetSection(),
} as const;

export type ListKind = keyof typeof LIST_KINDS;

/** Every plugin of `kind`, or of every kind. */
export function listPlugins(kind?: ListKind): string {
  if (kind !== undefined) return LIST_KINDS[kind]();
  return Object.values(LIST_KINDS)
    .map((f) => f())
    .join('');
}
