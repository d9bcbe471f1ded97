// The "Lost ticks: merge" row of docs/validation.md (sim/validation/scenarios/lost-ticks.ts) can
// fail. The mutant runs the merge alternatives under discard: the gap's ticks are then dropped
// rather than folded into one delivered tick, nothing is merged, the clock lags as far as under
// discard, and the row must fail.
import { describe, expect, it } from 'vitest';
import { lostTicksMerge } from '../../sim/validation/scenarios/lost-ticks.js';
import { expectMutantFails, scenarioRuns } from '../helpers/validation.js';
import type { RunSpec } from '../../sim/spec/run-spec.js';

const discardInsteadOfMerge = (s: RunSpec): RunSpec =>
  s.alternative.startsWith('merge-')
    ? { ...s, host: { ...s.host, timer: { name: 'discard', options: {} } } }
    : s;

describe('validation row: lost ticks under merge', () => {
  it('mutant — discard in the merge runs: nothing is merged, the row fails', () => {
    const mutant = scenarioRuns(lostTicksMerge, { mutate: discardInsteadOfMerge });
    const v = expectMutantFails(lostTicksMerge, scenarioRuns(lostTicksMerge), mutant);
    expect(v.measured).toMatch(
      /^2:1: 50\.0 % of a pCPU, 50\.0 % of ticks delivered, 0\.0 % merged, 50\.0 % lost/,
    );
  });
});
