// The "A Xen PV host never host-swaps" row of docs/validation.md (sim/validation/scenarios/
// xen-no-host-swap.ts) can fail: the mutant forces the ESX host's lazy backing and host swap (how
// every Xen host behaved before host memory semantics existed) onto the same experiment with
// `--set host.memorySemantics=esx`, and the row's check must then fail, the host swapping.
import { describe, expect, it } from 'vitest';
import { readExperimentFile, runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { xenNoHostSwap } from '../../sim/validation/scenarios/xen-no-host-swap.js';
import type { CommandLineOverrides } from '../../sim/experiment/cli-overrides.js';

function runs(cli: CommandLineOverrides) {
  const out = readExperimentFile(xenNoHostSwap.experiment, cli);
  expect(out.problems.map((p) => p.message)).toEqual([]);
  return runSpecs(out.experiment!).map((s) => simulate(s, { checkInvariants: false }));
}

describe('validation row: a Xen PV host never host-swaps', () => {
  it('as shipped (xen-pv): the row passes', () => {
    const v = xenNoHostSwap.check(runs({ set: [] }));
    expect(v.pass, v.measured).toBe(true);
  });

  it('mutant — ESX semantics forced onto the Xen run: the row fails, the host swaps', () => {
    const r = runs({ set: ['host.memorySemantics=esx'] });
    expect(r.every((x) => x.status === 'ok')).toBe(true);
    expect(r.some((x) => x.summary!.metrics.host_swap_out_pages! > 0)).toBe(true);
    const v = xenNoHostSwap.check(r);
    expect(v.pass, v.measured).toBe(false);
  });
});
