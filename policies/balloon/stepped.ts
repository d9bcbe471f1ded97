/**
 * A balloon policy with state, written as DESIGN.md §3.2's pure step
 * `decide(observation, state) → { state, targetPages }`, and the instance that keeps the state
 * between the host's calls. The step never changes the state it is given; the instance only
 * swaps in the one the step returned.
 */
import type { BalloonDecision, BalloonObservation, BalloonPolicy } from './types.js';

/** The instance, with its state (as of the last decision) open to its tests. */
export interface SteppedPolicy<S> extends BalloonPolicy {
  readonly state: S;
  gauge(k: number, guest: number): number;
}

/**
 * An instance starting from `initial` that asks `step` every `periodNs`. `gauges[k]` reads gauge
 * k of a guest from a state (the declaration's gauges, in the same order).
 */
export function steppedPolicy<S>(
  periodNs: number,
  initial: S,
  step: (observation: BalloonObservation, state: S) => BalloonDecision<S>,
  gauges: readonly ((state: S, guest: number) => number)[] = [],
): SteppedPolicy<S> {
  let state = initial;
  return {
    periodNs,
    get state() {
      return state;
    },
    decide: (observation) => {
      const d = step(observation, state);
      state = d.state;
      return d.targetPages;
    },
    gauge: (k, guest) => gauges[k]!(state, guest),
  };
}
