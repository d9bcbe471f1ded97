// The "Ballooning against a statically smaller guest" row of docs/validation.md (sim/validation/
// scenarios/balloon-vs-static.ts) can fail. The mutant runs the `ballooned-512` alternative with the
// `none` balloon policy: the balloon never inflates, so the 512 MiB guest keeps all its memory and
// its 240 MiB working set no longer has to fit in 256 MiB beside the kernel. The row's claim is that
// a balloon takes memory away as well as a smaller guest does; without it the larger guest stops
// swapping and does clearly more work, and the row must fail.
import { describe, expect, it } from 'vitest';
import { guestMean } from '../../sim/validation/scenario.js';
import { balloonVsStatic } from '../../sim/validation/scenarios/balloon-vs-static.js';
import { expectMutantFails, inAlternative, noBalloon, scenarioRuns } from '../helpers/validation.js';

describe('validation row: ballooning against a statically smaller guest', () => {
  it('mutant — the balloon never inflates: the row fails', () => {
    const mutant = scenarioRuns(balloonVsStatic, { mutate: inAlternative('ballooned-512', noBalloon) });
    expectMutantFails(balloonVsStatic, scenarioRuns(balloonVsStatic), mutant);
    // The unballooned guest does far more than a few percent more work: it no longer swaps.
    const work = (alt: string) => guestMean(mutant, alt, (g) => g.workDoneCpuS, 'g');
    expect(work('ballooned-512') / work('static-256')).toBeGreaterThan(1.5);
  });
});
