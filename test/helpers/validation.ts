// Runs a validation scenario's own experiment for the mutant tests of test/validation/: as shipped,
// with `--set` overrides (the user's way of changing the conditions), or with each run's spec
// changed by a function where an alternative sets the path itself (a --set cannot beat it).
// A run whose spec a test file has already simulated is not simulated again: a spec's content
// hash names its result (the run cache, sim/runner/run-cache.ts, relies on the same), so the
// shipped runs a file asks for twice, and the alternatives a mutant leaves as shipped, are reused.
import { expect } from 'vitest';
import { readExperimentFile, runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { specHash, type GuestSpec, type RunSpec } from '../../sim/spec/run-spec.js';
import type { RunResult } from '../../sim/results/types.js';
import type { Scenario } from '../../sim/validation/scenario.js';

/** Results by spec hash, for the test file `simulatedFor` (test files may share this module). */
const simulated = new Map<string, RunResult>();
let simulatedFor: string | undefined;

/** `spec` simulated without per-event invariant checks, or its result if this file already has it. */
export function simulateOnce(spec: RunSpec): RunResult {
  // Kept per file, so that a worker running many files does not hold all their runs.
  const file = expect.getState().testPath;
  if (file !== simulatedFor) {
    simulated.clear();
    simulatedFor = file;
  }
  const hash = specHash(spec);
  let r = simulated.get(hash);
  if (r === undefined) {
    r = simulate(spec, { checkInvariants: false });
    simulated.set(hash, r);
  }
  return r;
}

/** The runs of `s`'s experiment with the `--set` flags `set`, each spec passed through `mutate`. */
export function scenarioRuns(
  s: Scenario,
  opts: { set?: string[]; mutate?: (spec: RunSpec) => RunSpec } = {},
): RunResult[] {
  const out = readExperimentFile(s.experiment, { set: opts.set ?? [] });
  expect(out.problems.map((p) => p.message)).toEqual([]);
  const mutate = opts.mutate ?? ((x: RunSpec) => x);
  const runs = runSpecs(out.experiment!).map((spec) => simulateOnce(mutate(spec)));
  expect(runs.every((r) => r.status === 'ok')).toBe(true);
  return runs;
}

/** `f` applied to the specs of alternative `alt` only; the others run as shipped. */
export const inAlternative =
  (alt: string, f: (spec: RunSpec) => RunSpec) =>
  (spec: RunSpec): RunSpec =>
    spec.alternative === alt ? f(spec) : spec;

/** The spec with the host's balloon policy replaced by `none` (no balloon driver is ever asked to move). */
export const noBalloon = (spec: RunSpec): RunSpec => ({
  ...spec,
  host: { ...spec.host, balloon: { name: 'none', options: {} } },
});

/** The spec with guest `name` changed by `f`. */
export const withGuest =
  (name: string, f: (g: GuestSpec) => GuestSpec) =>
  (spec: RunSpec): RunSpec => ({
    ...spec,
    guests: spec.guests.map((g) => (g.name === name ? f(g) : g)),
  });

/** Every page-table rate of a workload's `processes` option at 0: its guest makes no MMU call. */
export const NO_PROCESSES = {
  forksPerCpuS: 0,
  execsPerCpuS: 0,
  exitsPerCpuS: 0,
  contextSwitchesPerCpuS: 0,
  demandFaultsPerCpuS: 0,
  cowFaultsPerCpuS: 0,
  munmapsPerCpuS: 0,
};

/** The guest with its workload doing no page-table work (NO_PROCESSES). */
export const withoutPageTableWork = (g: GuestSpec): GuestSpec => ({
  ...g,
  workload: { ...g.workload, options: { ...g.workload.options, processes: NO_PROCESSES } },
});

/** Asserts the row passes on `shipped` and fails on `mutant`; returns the mutant's verdict. */
export function expectMutantFails(s: Scenario, shipped: RunResult[], mutant: RunResult[]) {
  const ok = s.check(shipped);
  expect(ok.pass, ok.measured).toBe(true);
  const broken = s.check(mutant);
  expect(broken.pass, broken.measured).toBe(false);
  return broken;
}
