// Makes plugin instances for unit tests the way a run does: options as an experiment would write
// them, parsed by the plugin's own schema (defaults filled in, units converted), then `create`.
import type { PluginFactory } from '../../sim/options/plugin.js';
import { pluginNamed } from '../../sim/options/plugin.js';

/** A registry's declarations seen with options of type `unknown`, for suites run over all of them. */
export function declarations<D>(registry: Readonly<Record<string, D>>): [string, D][] {
  return Object.entries(registry);
}

/** An instance of plugin `name` of `registry`, with `raw` options parsed by its schema. */
export function instance<C, I>(
  registry: Readonly<Record<string, PluginFactory<unknown, C, I>>>,
  name: string,
  raw: unknown,
  context: C,
): I {
  const decl = pluginNamed(registry, name);
  if (decl === undefined) throw new Error(`no plugin '${name}' in this registry`);
  return decl.create(decl.options.parse(raw), context);
}
