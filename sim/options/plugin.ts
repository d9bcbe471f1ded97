/**
 * What every extension point shares: a plugin has a name, a one-line description and a zod
 * schema for its options (with defaults, units and per-field descriptions). Validation, the
 * published schema and `vmisim list` all come from that one declaration.
 *
 * Option schemas are zod objects whose fields use the unit helpers in sim/options/fields.ts,
 * so a plugin's options arrive already in integer ns / bytes.
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

/** A plugin chosen in an experiment, with its validated options: plain data that crosses workers. */
export interface PluginChoice {
  readonly name: string;
  readonly options: Record<string, unknown>;
}
