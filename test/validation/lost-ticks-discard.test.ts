// The "Lost ticks: discard" row of docs/validation.md (sim/validation/scenarios/lost-ticks.ts) can
// fail. The mutant runs the discard alternatives under catch-up (its shipped options): missed
// ticks are then kept instead of thrown away, none is lost, and the row — which credits the
// ticker's lag to the ticks dropped — must fail.
import { describe, expect, it } from 'vitest';
import { lostTicksDiscard } from '../../sim/validation/scenarios/lost-ticks.js';
import { expectMutantFails, scenarioRuns } from '../helpers/validation.js';
import type { RunSpec } from '../../sim/spec/run-spec.js';

const catchUpInsteadOfDiscard = (s: RunSpec): RunSpec =>
  s.alternative.startsWith('discard-')
    ? { ...s, host: { ...s.host, timer: { name: 'catch-up', options: { giveUpAfter: 60e9, speedup: 1 } } } }
    : s;

describe('validation row: lost ticks under discard', () => {
  it('mutant — catch-up in the discard runs: nothing is lost, the row fails', () => {
    const mutant = scenarioRuns(lostTicksDiscard, { mutate: catchUpInsteadOfDiscard });
    const v = expectMutantFails(lostTicksDiscard, scenarioRuns(lostTicksDiscard), mutant);
    expect(v.measured).toMatch(
      /^2:1: 50\.0 % of a pCPU, 100\.0 % of ticks delivered, 0\.0 % merged, 0\.0 % lost/,
    );
  });
});
