/**
 * Worker entry: runs one whole RunSpec and returns its RunResult. Only plain data crosses the
 * thread boundary; policies and workloads are constructed here from their names.
 */
import { simulate } from '../host/run.js';
import type { RunSpec } from '../spec/run-spec.js';
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
  // Test hook: this worker dies in the middle of its run (as after a native crash or an
  // out-of-memory kill) so a test can check that the pool records the run failed and replaces it.
  if (process.env.VMISIM_TEST_KILL_WORKER_SEED === String(task.spec.seed)) process.exit(3);
  // Test hook: `<seed>@<ns>` breaks a model invariant at that simulated time in that seed's runs,
  // so a test can check how a failed run is reported (sim/host/run.ts, breakInvariantAtNs).
  const [seed, atNs] = (process.env.VMISIM_TEST_BREAK_INVARIANT ?? '').split('@');
  const breakAt = seed === String(task.spec.seed) ? { breakInvariantAtNs: Number(atNs) } : {};
  const t0 = process.hrtime.bigint();
  const result = simulate(task.spec, { checkInvariants: task.checkInvariants, ...breakAt });
  return { result, wallS: Number(process.hrtime.bigint() - t0) / 1e9 };
}
