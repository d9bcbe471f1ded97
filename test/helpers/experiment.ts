// Builds experiments from inline YAML for tests, through the same loader users go through.
import { loadExperimentText, runSpecs, type Experiment } from '../../sim/experiment/load.js';
import type { RunSpec } from '../../sim/experiment/run-spec.js';

export function experiment(yaml: string): Experiment {
  return loadExperimentText('test.yaml', yaml);
}

/** The first RunSpec of an inline experiment. */
export function spec(yaml: string): RunSpec {
  return runSpecs(experiment(yaml))[0]!;
}
