/**
 * Worker entry: runs one whole RunSpec and returns its RunResult. Only plain data crosses the
 * thread boundary; policies and workloads are constructed here from their names.
 */
import { simulate } from '../host/run.js';
import type { RunSpec } from '../experiment/run-spec.js';
import type { RunResult } from '../results/types.js';

export interface RunTask {
  spec: RunSpec;
  checkInvariants: boolean;
}

/** A finished run and the wall time it took inside the worker (kept out of the results). */
export interface TaskOutput {
  result: RunResult;
  wallS: number;
}

export default function runTask(task: RunTask): TaskOutput {
  const t0 = process.hrtime.bigint();
  const result = simulate(task.spec, { checkInvariants: task.checkInvariants });
  return { result, wallS: Number(process.hrtime.bigint() - t0) / 1e9 };
}
