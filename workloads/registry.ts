/** Workloads by name, as written under `guests[].workload.type`. */
import type { WorkloadDecl } from './types.js';
import { constantWorkload } from './constant.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own option type
export const WORKLOADS: Readonly<Record<string, WorkloadDecl<any>>> = {
  constant: constantWorkload,
};
