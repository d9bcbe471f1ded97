// The "ESX working-set estimate: fast rise, slow decay" row of docs/validation.md (sim/validation/
// scenarios/esx-working-set.ts) can fail. The estimate is the max of a fast and a slow EWMA of the
// sampled active fraction (policies/balloon/esx.ts); each mutant leaves one average only, by giving
// both the other's gain with `--set` (the file sets neither). Swapping the two gains would not be a
// mutant: the max of the two averages is the same whichever is called fast.
//  - Fast only (alphaSlow = alphaFast = 0.5): the estimate decays as fast as it rises, so the slow
//    decay after the drop must be gone.
//  - Slow only (alphaFast = alphaSlow = 0.1): it rises as slowly as it decays, so the fast rise
//    must be gone.
// The check's predictions use the policy's default gains (the published mechanism), not the
// mutant's, so the row must then fail.
import { describe, expect, it } from 'vitest';
import { esxWorkingSet } from '../../sim/validation/scenarios/esx-working-set.js';
import { expectMutantFails, scenarioRuns } from '../helpers/validation.js';

const shipped = scenarioRuns(esxWorkingSet);

/** The three percentages the row reports after `what` ("after the rise", "after the drop"). */
function percents(measured: string, what: string): number[] {
  const m = new RegExp(`${what} (-?\\d+)/(-?\\d+)/(-?\\d+) %`).exec(measured);
  expect(m, measured).not.toBeNull();
  return m!.slice(1).map(Number);
}

describe('validation row: ESX working-set estimate', () => {
  it('mutant — the fast average only: the row fails (no slow decay)', () => {
    const mutant = scenarioRuns(esxWorkingSet, { set: ['host.balloon.alphaSlow=0.5'] });
    const v = expectMutantFails(esxWorkingSet, shipped, mutant);
    // Six periods after the drop nothing is left (the fast average's 2 %, against the slow's 47 %).
    expect(percents(v.measured, 'after the drop')[2]).toBeLessThan(20);
  });

  it('mutant — the slow average only: the row fails (no fast rise)', () => {
    const mutant = scenarioRuns(esxWorkingSet, { set: ['host.balloon.alphaFast=0.1'] });
    const v = expectMutantFails(esxWorkingSet, shipped, mutant);
    // One period after the rise the estimate has covered the slow average's share (≤ 19 %), not
    // the fast one's (≥ 50 %).
    expect(percents(v.measured, 'after the rise')[0]).toBeLessThan(30);
  });
});
