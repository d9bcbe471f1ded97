// The "Lost ticks: catch-up" row of docs/validation.md (sim/validation/scenarios/lost-ticks.ts) can
// fail, clause by clause. Mutant 1: catch-up with speedup 0 in the 2:1 run — the backlog is kept
// but never delivered faster than nominal, so the ticker's clock falls behind by the half of the
// run it spent waiting instead of ending near true time. Mutant 2: a give-up that is never
// reached (1 h) in the run that ships a 2 s give-up — the backlog is never dropped.
import { describe, expect, it } from 'vitest';
import { lostTicksCatchUp } from '../../sim/validation/scenarios/lost-ticks.js';
import { expectMutantFails, inAlternative, scenarioRuns } from '../helpers/validation.js';
import type { RunSpec } from '../../sim/spec/run-spec.js';

const withTimerOptions =
  (options: Record<string, unknown>) =>
  (s: RunSpec): RunSpec => ({
    ...s,
    host: { ...s.host, timer: { ...s.host.timer, options: { ...s.host.timer.options, ...options } } },
  });

describe('validation row: lost ticks under catch-up', () => {
  const shipped = scenarioRuns(lostTicksCatchUp);

  it('mutant — speedup 0 at 2:1: the clock no longer ends near true time, the row fails', () => {
    const mutant = scenarioRuns(lostTicksCatchUp, {
      mutate: inAlternative('catch-up-2to1', withTimerOptions({ speedup: 0 })),
    });
    const v = expectMutantFails(lostTicksCatchUp, shipped, mutant);
    expect(v.measured).toMatch(/^2:1: 50\.0 % of a pCPU, 50\.0 % of ticks delivered/);
  });

  it('mutant — a give-up never reached: no backlog is dropped, the row fails', () => {
    const mutant = scenarioRuns(lostTicksCatchUp, {
      mutate: inAlternative('catch-up-4to1-give-up-2s', withTimerOptions({ giveUpAfter: 3600e9 })),
    });
    const v = expectMutantFails(lostTicksCatchUp, shipped, mutant);
    expect(v.measured).toMatch(/with a 2 s give-up at 4:1: 0 give-ups, 0\.0 % lost/);
  });
});
