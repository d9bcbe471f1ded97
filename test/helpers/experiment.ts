// Builds experiments from inline YAML for tests, through the same loader users go through.
import { loadExperimentText, runSpecs, type Experiment } from '../../sim/experiment/load.js';
import type { RunSpec } from '../../sim/spec/run-spec.js';
import { InputError } from '../../sim/options/input-error.js';
import { expect } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { assembleResults } from '../../sim/runner/assemble.js';
import type { ResultsFile } from '../../sim/results/types.js';

/** A small valid experiment with two compare alternatives, `none` and `esx`, to append fields to. */
export const TWO_ALTERNATIVES_YAML = `name: t
duration: 10s
host: { pcpus: 2, memory: 2GiB }
guests:
  - { name: g, memory: 256MiB, workload: { type: idle } }
compare:
  none: {}
  esx: { host.balloon: { policy: esx } }
`;

export function experiment(yaml: string): Experiment {
  return loadExperimentText('test.yaml', yaml);
}

/** The first RunSpec of an inline experiment. */
export function spec(yaml: string): RunSpec {
  return runSpecs(experiment(yaml))[0]!;
}

/** The message of the InputError that loading `yaml` (as t.yaml) throws; fails if it loads. */
export function refusal(yaml: string): string {
  try {
    loadExperimentText('t.yaml', yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('loaded, but should have been refused');
}

/** Every run of an inline experiment, simulated here, as the results.json `vmisim run` would write. */
export function resultsOf(yaml: string): ResultsFile {
  const exp = experiment(yaml);
  return assembleResults(
    exp,
    runSpecs(exp).map((s) => simulate(s)),
    'test.yaml',
  );
}
