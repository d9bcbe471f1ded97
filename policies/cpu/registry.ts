/** CPU schedulers by name, as written under `host.scheduler.policy`. */
import type { CpuScheduler } from './types.js';
import { roundRobin } from './round-robin.js';
import { credit } from './credit.js';
import { credit2 } from './credit2.js';
import { proportionalShare } from './proportional-share.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own option type
export const CPU_SCHEDULERS: Readonly<Record<string, CpuScheduler<any, any>>> = {
  'round-robin': roundRobin,
  credit,
  credit2,
  'proportional-share': proportionalShare,
};
