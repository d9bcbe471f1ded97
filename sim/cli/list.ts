/**
 * `vmisim list`: every registered plugin with its description and options, generated from the
 * plugins' own declarations (zod schemas with descriptions and defaults).
 */
import { z } from 'zod';
import { CPU_SCHEDULERS } from '../../policies/cpu/registry.js';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';
import { WORKLOADS } from '../../workloads/registry.js';
import type { PluginDecl } from '../plugin.js';

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
      if (json.default !== undefined) def = ` (default ${String(json.default)})`;
      out += `      ${opt}: ${desc}${def}\n`;
    }
  }
  return `${out}\n`;
}

export function listPlugins(): string {
  return (
    section('CPU schedulers', 'host.scheduler.policy', CPU_SCHEDULERS) +
    section('Timer delivery policies', 'host.timer.delivery', TIMER_DELIVERY) +
    section('Balloon policies', 'host.balloon.policy', BALLOON_POLICIES) +
    section('Workloads', 'guests[].workload.type', WORKLOADS)
  );
}
