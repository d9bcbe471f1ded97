/** CPU schedulers by name, as written under `host.scheduler.policy`. */
import type { BoundPlugin, PluginChoice } from '../../sim/options/plugin.js';
import { bindPlugin, pluginNamed } from '../../sim/options/plugin.js';
import type { CpuScheduler, CpuSchedulerDecl, SchedTopology } from './types.js';
import { roundRobin } from './round-robin.js';
import { credit } from './credit.js';
import { credit2 } from './credit2.js';
import { proportionalShare } from './proportional-share.js';

export const CPU_SCHEDULERS = {
  'round-robin': roundRobin,
  credit,
  credit2,
  'proportional-share': proportionalShare,
} as const satisfies Readonly<Record<string, CpuSchedulerDecl<unknown>>>;

/** The scheduler a run chose, ready to be made for its topology. */
export type ChosenScheduler = BoundPlugin<CpuSchedulerDecl<unknown>, SchedTopology, CpuScheduler>;

/** Why the scheduler registered as `name` refuses a guest's cap, if it does (CpuSchedulerDecl). */
export function schedulerRefusesCap(name: string): string | undefined {
  const d: CpuSchedulerDecl<unknown> | undefined = pluginNamed(CPU_SCHEDULERS, name);
  return d?.refusesCap;
}

export function chooseScheduler(choice: PluginChoice): ChosenScheduler {
  return bindPlugin(CPU_SCHEDULERS, 'CPU scheduler', choice);
}
