/** CPU schedulers by name, as written under `host.scheduler.policy`. */
import type { BoundPlugin, PluginChoice } from '../../sim/options/plugin.js';
import { bindPlugin } from '../../sim/options/plugin.js';
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

export function chooseScheduler(choice: PluginChoice): ChosenScheduler {
  return bindPlugin(CPU_SCHEDULERS, 'CPU scheduler', choice);
}
