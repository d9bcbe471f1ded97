/** Workloads by name, as written under `guests[].workload.type`. */
import type { PluginChoice } from '../sim/options/plugin.js';
import { bindWorkload, type ChosenWorkload, type WorkloadRegistry } from './choice.js';
import { constantWorkload } from './constant.js';
import { idleWorkload } from './idle.js';
import { onOffWorkload } from './on-off.js';
import { memhogWorkload } from './memhog.js';
import { leakWorkload } from './leak.js';
import { phasesWorkload } from './phases.js';
import { diurnalWorkload } from './diurnal.js';
import { kernelBuildWorkload } from './kernel-build.js';
import { traceWorkload } from './trace.js';
import { webWorkload } from './web.js';
import { databaseWorkload } from './database.js';

/** Everything a phase of `phases` may run (all but `phases` itself). */
const BASE_WORKLOADS = {
  constant: constantWorkload,
  idle: idleWorkload,
  'on-off': onOffWorkload,
  memhog: memhogWorkload,
  leak: leakWorkload,
  diurnal: diurnalWorkload,
  'kernel-build': kernelBuildWorkload,
  trace: traceWorkload,
  web: webWorkload,
  database: databaseWorkload,
} as const satisfies WorkloadRegistry;

export const WORKLOADS = {
  ...BASE_WORKLOADS,
  phases: phasesWorkload(BASE_WORKLOADS),
} as const satisfies WorkloadRegistry;

/** The workload a guest chose, bound to its declaration. */
export function chooseWorkload(choice: PluginChoice): ChosenWorkload {
  return bindWorkload(WORKLOADS, choice);
}
