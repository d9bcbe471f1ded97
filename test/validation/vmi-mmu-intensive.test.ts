// The "VMI helps MMU-intensive work most" row of docs/validation.md (sim/validation/scenarios/
// vmi-mmu-intensive.ts) can fail: the mutant takes the page-table work out of the kernel build (its
// process activity set to zero, which prices every MMU call at 0), and the row's check must then
// fail — what is left of VMI's advantage on the build is its timer and I/O calls, under the 1 %
// the row asks for.
import { describe, expect, it } from 'vitest';
import { vmiMmuIntensive } from '../../sim/validation/scenarios/vmi-mmu-intensive.js';
import { expectMutantFails, scenarioRuns, withGuest, withoutPageTableWork } from '../helpers/validation.js';

describe('validation row: VMI helps MMU-intensive work most', () => {
  it('passes as shipped and fails when the build does no page-table work', () => {
    const shipped = scenarioRuns(vmiMmuIntensive);
    const mutant = scenarioRuns(vmiMmuIntensive, {
      mutate: withGuest('build', withoutPageTableWork),
    });
    for (const r of mutant)
      expect(r.summary!.metrics.interface_mmu_Mcycles, `${r.alternative} has no MMU cost`).toBe(0);
    expectMutantFails(vmiMmuIntensive, shipped, mutant);
  });
});
