// The lmbench row of docs/validation.md (sim/validation/scenarios/lmbench-processes.ts) can fail,
// by two mutants of the page-table path it depends on:
//  - the guests do no page-table work (every process rate 0): no MMU call is made, so none is
//    priced, the interfaces cost what bare metal costs on these loops, and every Xen ratio falls
//    to about 1, under the tolerance's lower bound;
//  - the page-table prices that are assumptions set to 0 (pteUpdateCycles, ptwrEmulateCycles):
//    what is left of Xen's fork is its traps and hypercalls, about a third of the cycles, and the
//    fork ratio falls under 1.40.
// Also the tolerance's arithmetic, by hand, from the published figures.
import { describe, expect, it } from 'vitest';
import {
  LMBENCH_US,
  latencyRatio,
  lmbenchProcesses,
  withinTolerance,
} from '../../sim/validation/scenarios/lmbench-processes.js';
import type { RunSpec } from '../../sim/spec/run-spec.js';
import { expectMutantFails, scenarioRuns, withoutPageTableWork } from '../helpers/validation.js';

const noPageTableWork = (spec: RunSpec): RunSpec => ({
  ...spec,
  guests: spec.guests.map(withoutPageTableWork),
});

const freePageTableEntries = (spec: RunSpec): RunSpec => ({
  ...spec,
  host: { ...spec.host, costs: { ...spec.host.costs, pteUpdateCycles: 0, ptwrEmulateCycles: 0 } },
});

describe('validation row: lmbench fork, exec and context switch, Xen against native', () => {
  const shipped = scenarioRuns(lmbenchProcesses);

  it('the tolerance: Xen overhead within a factor of two of the published one', () => {
    // fork 198/110 = 1.8: overhead 0.8, so 1.4 to 2.6; exec 768/530: 0.449, so 1.2245 to 1.898.
    expect(withinTolerance(1.41, 1.8)).toBe(true);
    expect(withinTolerance(1.39, 1.8)).toBe(false);
    expect(withinTolerance(2.59, 1.8)).toBe(true);
    expect(withinTolerance(2.61, 1.8)).toBe(false);
    const exec = LMBENCH_US.exec.xen / LMBENCH_US.exec.native;
    expect(withinTolerance(1.23, exec)).toBe(true);
    expect(withinTolerance(1.22, exec)).toBe(false);
    expect(withinTolerance(1.89, exec)).toBe(true);
    expect(withinTolerance(1.91, exec)).toBe(false);
  });

  it('on bare metal each loop runs at the published native latency (no interface time at all)', () => {
    for (const r of shipped.filter((x) => x.alternative === 'native'))
      expect(r.summary!.metrics.interface_mmu_Mcycles).toBe(0);
    // Xen's MMU work is what slows it: its page-table cycles are > 0.
    for (const r of shipped.filter((x) => x.alternative === 'xen'))
      expect(r.summary!.metrics.interface_mmu_Mcycles).toBeGreaterThan(0);
  });

  it('passes as shipped and fails when the guests do no page-table work', () => {
    const mutant = scenarioRuns(lmbenchProcesses, { mutate: noPageTableWork });
    for (const r of mutant)
      expect(r.summary!.metrics.interface_mmu_Mcycles, `${r.alternative} has no MMU cost`).toBe(0);
    expectMutantFails(lmbenchProcesses, shipped, mutant);
    expect(latencyRatio(mutant, 'xen', 'fork')).toBeLessThan(1.05);
  });

  it('fails when the page-table entry prices (validation, ptwr emulation) are 0', () => {
    const mutant = scenarioRuns(lmbenchProcesses, { mutate: freePageTableEntries });
    expectMutantFails(lmbenchProcesses, shipped, mutant);
    expect(latencyRatio(mutant, 'xen', 'fork')).toBeLessThan(1.4);
  });
});
