/** Workloads by name, as written under `guests[].workload.type`. */
import type { WorkloadDecl } from './types.js';
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
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own option type
const BASE_WORKLOADS: Readonly<Record<string, WorkloadDecl<any>>> = {
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
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own option type
export const WORKLOADS: Readonly<Record<string, WorkloadDecl<any>>> = {
  ...BASE_WORKLOADS,
  phases: phasesWorkload(BASE_WORKLOADS),
};
