// The "Ballooning versus host swapping (kernel compile)" row of docs/validation.md
// (sim/validation/scenarios/balloon-vs-host-swap.ts) can fail. The mutant gives the host a disk
// that costs nothing (no positioning time, a bandwidth no run can use up): a host-swapped page the
// guest touches comes back at once, so host swapping no longer degrades the compile — the
// mechanism the row credits — and the row must then fail.
import { describe, expect, it } from 'vitest';
import { guestMean } from '../../sim/validation/scenario.js';
import { balloonVsHostSwap } from '../../sim/validation/scenarios/balloon-vs-host-swap.js';
import { expectMutantFails, scenarioRuns } from '../helpers/validation.js';

describe('validation row: ballooning versus host swapping', () => {
  it('mutant — a disk that costs nothing: host swapping stops hurting, the row fails', () => {
    const shipped = scenarioRuns(balloonVsHostSwap);
    const mutant = scenarioRuns(balloonVsHostSwap, {
      set: ['host.storage.requestLatency=0s', 'host.storage.bandwidthPerS=1000TB'],
    });
    expectMutantFails(balloonVsHostSwap, shipped, mutant);
    const slow = (runs: typeof shipped, alt: string) => guestMean(runs, alt, (g) => g.slowdown);
    expect(slow(shipped, 'host-swap-128')).toBeGreaterThan(2);
    expect(slow(mutant, 'host-swap-128')).toBeLessThan(1.05);
  });
});
