/**
 * A workload chosen in an experiment (a PluginChoice: its name and options, plain data), bound to
 * its declaration in a registry: `check`, `load` and `create` call the declaration's own with the
 * chosen options. Built on bindPlugin (sim/options/plugin.ts), the one place where a choice's
 * options meet their plugin's type again. Used by the loader, the run, and `phases` for its
 * phases.
 */
import type { BoundPlugin, PluginChoice } from '../sim/options/plugin.js';
import { bindPlugin } from '../sim/options/plugin.js';
import type { WorkloadContext, WorkloadDecl, WorkloadInstance, WorkloadLoadContext } from './types.js';

/** Workload declarations by name, each with its own option type. */
export type WorkloadRegistry = Readonly<Record<string, WorkloadDecl<Record<string, unknown>>>>;

export interface ChosenWorkload extends BoundPlugin<
  WorkloadDecl<Record<string, unknown>>,
  WorkloadContext,
  WorkloadInstance
> {
  /** The declaration's check of the chosen options against the guest (undefined: fine). */
  check(ctx: Omit<WorkloadContext, 'vcpuRng'>): { field: string; problem: string } | undefined;
  /** The choice with the options the declaration's `load` returns (itself if it has none). */
  load(ctx: WorkloadLoadContext): PluginChoice;
}

/** The workload `choice` names in `registry`; an unknown name (loading rules it out) throws. */
export function bindWorkload(registry: WorkloadRegistry, choice: PluginChoice): ChosenWorkload {
  const bound = bindPlugin<WorkloadContext, WorkloadInstance, WorkloadDecl<Record<string, unknown>>>(
    registry,
    'workload',
    choice,
  );
  const { decl } = bound;
  return {
    decl,
    create: bound.create,
    check: (ctx) => decl.check?.(choice.options, ctx),
    load: (ctx) =>
      decl.load === undefined ? choice : { name: choice.name, options: decl.load(choice.options, ctx) },
  };
}
