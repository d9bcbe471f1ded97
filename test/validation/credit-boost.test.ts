// The "Xen credit scheduler: BOOST" row of docs/validation.md (sim/validation/scenarios/
// credit-boost.ts) can fail. The mutant turns boost off in the `credit-boost` alternative only (the
// scheduler's own `boost: false` option, csched_vcpu_wake never promoting to BOOST): that is the
// one mechanism the row credits for the I/O guest's prompt wake-ups, and everything else (credit,
// tick, slice, the workload) is left as shipped. The row must then fail: no boosts, and a woken
// vCPU behind an UNDER hog waits for its slice.
import { describe, expect, it } from 'vitest';
import { creditBoost } from '../../sim/validation/scenarios/credit-boost.js';
import { expectMutantFails, inAlternative, scenarioRuns } from '../helpers/validation.js';

describe('validation row: Xen credit BOOST', () => {
  it('mutant — boost off in the credit run: the row fails', () => {
    const mutant = scenarioRuns(creditBoost, {
      mutate: inAlternative('credit-boost', (s) => ({
        ...s,
        host: {
          ...s.host,
          scheduler: { ...s.host.scheduler, options: { ...s.host.scheduler.options, boost: false } },
        },
      })),
    });
    const v = expectMutantFails(creditBoost, scenarioRuns(creditBoost), mutant);
    expect(v.measured).toMatch(/ 0 boosts \(0 with boost off\)/);
  });
});
