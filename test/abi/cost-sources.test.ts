// Every number of every cost preset (sim/abi/costs.ts) carries a label saying where it comes from
// (sim/abi/cost-sources.ts): a new field or preset without one fails here, and a sourced number
// that leaves the range its source allows fails too.
import { describe, expect, it } from 'vitest';
import { COST_PRESETS } from '../../sim/abi/costs.js';
import { COST_SOURCES } from '../../sim/abi/cost-sources.js';

const presets = Object.entries(COST_PRESETS) as [keyof typeof COST_PRESETS, Record<string, number>][];

describe('cost model labels', () => {
  it('label every field of every preset, and no field that is not in the preset', () => {
    expect(Object.keys(COST_SOURCES).sort()).toEqual(Object.keys(COST_PRESETS).sort());
    for (const [name, values] of presets) {
      const labels = COST_SOURCES[name] as Record<string, { source: string }>;
      expect(Object.keys(labels).sort(), name).toEqual(Object.keys(values).sort());
      for (const [k, l] of Object.entries(labels))
        expect(l.source.length, `${name}.${k}`).toBeGreaterThan(20);
    }
  });

  it('zero labels exactly the zero preset, whose numbers are all 0', () => {
    for (const [name, values] of presets)
      for (const [k, v] of Object.entries(values)) {
        const kind = (COST_SOURCES[name] as Record<string, { kind: string }>)[k]!.kind;
        expect(kind === 'zero', `${name}.${k}`).toBe(name === 'zero');
        if (kind === 'zero') expect(v, `${name}.${k}`).toBe(0);
      }
  });

  it('a sourced number lies in the range its source allows; only sourced numbers have one', () => {
    let sourced = 0;
    for (const [name, values] of presets)
      for (const [k, v] of Object.entries(values)) {
        const l = (COST_SOURCES[name] as Record<string, { kind: string; range?: readonly [number, number] }>)[
          k
        ]!;
        if (l.kind !== 'sourced') {
          expect(l.range, `${name}.${k}`).toBeUndefined();
          continue;
        }
        sourced++;
        const [lo, hi] = l.range!;
        expect(v, `${name}.${k}`).toBeGreaterThanOrEqual(lo);
        expect(v, `${name}.${k}`).toBeLessThanOrEqual(hi);
      }
    // p4-2006 and modern: the exit and the hypercall.
    expect(sourced).toBe(4);
  });

  it('the VMI exit price is flagged as the assumption that decides the comparison, in both presets', () => {
    for (const name of ['p4-2006', 'modern'] as const)
      expect(COST_SOURCES[name].exitCycles.source).toMatch(/upper bound/);
    expect(COST_SOURCES['p4-2006'].exitCycles.source).toMatch(/ASSUMPTION that decides/);
  });
});
