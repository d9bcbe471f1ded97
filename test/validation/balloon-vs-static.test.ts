// The "Ballooning against a statically smaller guest" row of docs/validation.md (sim/validation/
// scenarios/balloon-vs-static.ts) can fail. Two mutants:
//  - the balloon never inflates (the `none` policy, and the guest built with all its memory): the
//    512 MiB guest keeps all its memory and stops swapping, so it does clearly more work;
//  - the kernel's structures are not sized with memory (no mem_map or boot hashes in either
//    guest): the ballooned guest at 256 MiB is then the static guest, with no overhead, and the row
//    must fail on the published sign and range.
import { describe, expect, it } from 'vitest';
import { guestMean } from '../../sim/validation/scenario.js';
import { balloonVsStatic } from '../../sim/validation/scenarios/balloon-vs-static.js';
import type { RunSpec } from '../../sim/spec/run-spec.js';
import {
  expectMutantFails,
  inAlternative,
  noBalloon,
  scenarioRuns,
  withGuest,
} from '../helpers/validation.js';

const builtWhole = withGuest('g', (g) => ({ ...g, balloon: { ...g.balloon, startBytes: g.memoryBytes } }));
const noBootStructures = (spec: RunSpec): RunSpec =>
  withGuest('g', (g) => ({ ...g, lowmem: { ...g.lowmem, bootStructuresBytes: 0 } }))(spec);

describe('validation row: ballooning against a statically smaller guest', () => {
  const shipped = scenarioRuns(balloonVsStatic);
  const work = (runs: typeof shipped, alt: string) => guestMean(runs, alt, (g) => g.workDoneCpuS, 'g');

  it('mutant — the balloon never inflates: the row fails', () => {
    const mutant = scenarioRuns(balloonVsStatic, {
      mutate: inAlternative('ballooned-512', (s) => builtWhole(noBalloon(s))),
    });
    expectMutantFails(balloonVsStatic, shipped, mutant);
    expect(work(mutant, 'ballooned-512') / work(mutant, 'static-256')).toBeGreaterThan(1.02);
  });

  it('mutant — kernel structures not sized with memory: no overhead, the row fails', () => {
    const mutant = scenarioRuns(balloonVsStatic, { mutate: noBootStructures });
    expectMutantFails(balloonVsStatic, shipped, mutant);
    // The two guests are then the same guest: equal work to the CPU-microsecond.
    expect(work(mutant, 'ballooned-512')).toBeCloseTo(work(mutant, 'static-256'), 3);
  });
});
