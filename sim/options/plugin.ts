/**
 * What every extension point shares: a plugin has a name, a one-line description and a zod
 * schema for its options (with defaults, units and per-field descriptions). Validation, the
 * published schema and `vmisim list` all come from that one declaration.
 *
 * Option schemas are zod objects whose fields use the unit helpers in sim/options/fields.ts,
 * so a plugin's options arrive already in integer ns / bytes. A plugin's option type is the
 * schema's output (`z.output<typeof options>`), never written by hand.
 *
 * Every extension point (CPU scheduler, balloon policy, timer delivery, workload) is a factory:
 * its declaration's `create(options, context)` makes an instance that holds its options and its
 * own state. Registries are `const` maps keyed by name, checked with `satisfies`. A run carries
 * only a PluginChoice (a name and options, plain data that crosses workers); `bindPlugin` turns
 * it back into instances, in this one place.
 */
import type { z } from 'zod';

/** The common part of every plugin declaration. */
export interface PluginDecl<O> {
  /** Registry key, as written in experiment files (kebab-case). */
  readonly name: string;
  /** One line shown by `vmisim list` and in error messages. */
  readonly description: string;
  /** Schema of the options object (everything beside the selector key). */
  readonly options: z.ZodType<O>;
}

/** An extension point's declaration: a plugin that makes instances `I` in a context `C`. */
export interface PluginFactory<O, C, I> extends PluginDecl<O> {
  /** A new instance (one per run, or per guest for workloads) with these options. */
  create(options: O, context: C): I;
}

/** A plugin chosen in an experiment, with its validated options: plain data that crosses workers. */
export interface PluginChoice {
  readonly name: string;
  readonly options: Record<string, unknown>;
}

/** A PluginChoice bound to its declaration: it makes instances with the chosen options. */
export interface BoundPlugin<D, C, I> {
  readonly decl: D;
  create(context: C): I;
}

/**
 * The plugin `choice` names in `registry`, bound to the chosen options. This is the one place
 * where options carried as plain data meet their plugin's type again, and it is sound: they are
 * the output of that same declaration's schema, parsed when the experiment was loaded
 * (pluginSelector in sim/options/fields.ts). (The registry's entries are seen with options of
 * type `unknown`, which `create`'s method signature accepts.) A name the registry does not hold
 * — loading rules it out — throws.
 */
export function bindPlugin<C, I, D extends PluginFactory<unknown, C, I>>(
  registry: Readonly<Record<string, D>>,
  kind: string,
  choice: PluginChoice,
): BoundPlugin<D, C, I> {
  const decl = pluginNamed(registry, choice.name);
  if (decl === undefined) throw new Error(`unknown ${kind} '${choice.name}'`);
  return { decl, create: (context) => decl.create(choice.options, context) };
}

/** The declaration registered as `name` (own keys only: never `toString` and the like). */
export function pluginNamed<D>(registry: Readonly<Record<string, D>>, name: string): D | undefined {
  return Object.hasOwn(registry, name) ? registry[name] : undefined;
}

/** The context of a plugin whose instances need nothing but their options. */
export type NoContext = Readonly<Record<string, never>>;
