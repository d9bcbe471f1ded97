// The assumed constants' ranges applied to runs (sim/experiment/assumed-constants.ts): the stated
// ends at the reference value, the same ratios elsewhere, nothing where a run does not use one.
import { describe, expect, it } from 'vitest';
import { ASSUMED_CONSTANTS, variedSpec } from '../../sim/experiment/assumed-constants.js';
import { loadExperimentText, runSpecs } from '../../sim/experiment/load.js';
import { specHash } from '../../sim/spec/run-spec.js';

const spec = (costs: string, workload = '{ type: idle }') =>
  runSpecs(
    loadExperimentText(
      't.yaml',
      `name: t\nduration: 1s\nhost: { pcpus: 1, memory: 2GiB, costs: ${costs} }\nguests:\n  - name: g\n    memory: 512MiB\n    workload: ${workload}\n`,
    ),
  )[0]!;

const named = (id: string) => ASSUMED_CONSTANTS.find((c) => c.id === id)!;

describe('assumed constants', () => {
  it('vary a p4-2006 run to the stated ends exactly', () => {
    const s = spec('p4-2006');
    const exit = named('exitCycles');
    expect(variedSpec(s, exit, 'low').host.costs.exitCycles).toBe(1000);
    expect(variedSpec(s, exit, 'high').host.costs.exitCycles).toBe(4000);
    // Only that field changes, and the run it came from is left as it was.
    expect({ ...variedSpec(s, exit, 'low').host.costs, exitCycles: 3000 }).toEqual(s.host.costs);
    expect(s.host.costs.exitCycles).toBe(3000);
    expect(variedSpec(s, named('copyCyclesPerByte'), 'low').host.costs.copyCyclesPerByte).toBe(0.5);
    // 12.7 ms × 2 and ÷ 2, integer ns.
    expect(variedSpec(s, named('requestLatency'), 'high').host.storage.requestLatencyNs).toBe(25_400_000);
    expect(variedSpec(s, named('requestLatency'), 'low').host.storage.requestLatencyNs).toBe(6_350_000);
  });

  it('vary another preset by the same ratios', () => {
    // modern: exit 1,400 → × 1/3 and × 4/3.
    const s = spec('modern');
    expect(variedSpec(s, named('exitCycles'), 'low').host.costs.exitCycles).toBeCloseTo(1400 / 3, 9);
    expect(variedSpec(s, named('exitCycles'), 'high').host.costs.exitCycles).toBeCloseTo(5600 / 3, 9);
  });

  it('leave a run alone where the constant is 0', () => {
    const s = spec('zero');
    for (const c of ASSUMED_CONSTANTS.filter((c) => c.path.startsWith('host.costs')))
      expect(variedSpec(s, c, 'high')).toBe(s);
  });

  it("scale every workload's page-access rate, inside phases too", () => {
    const s = spec(
      'p4-2006',
      '{ type: phases, phases: [{ for: 1s, type: idle, pageAccessesPerS: 300 }, { for: 1s, type: idle }] }',
    );
    const c = named('pageAccessesPerS');
    expect(c.valuesIn(s)).toEqual([300, 2000]);
    const high = variedSpec(s, c, 'high');
    expect(c.valuesIn(high)).toEqual([600, 4000]);
    expect(specHash(high)).not.toBe(specHash(s));
  });
});
