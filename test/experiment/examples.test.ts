// Every example experiment in experiments/ loads, and each of its alternatives runs (shortened to
// 5 simulated seconds, first seed) with the model invariants checked: the examples the README
// and the issues point users to cannot rot.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadExperimentFile, runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { WORKLOADS } from '../../workloads/registry.js';

const files = readdirSync('experiments')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('example experiments', () => {
  it('are all here', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'guest-clocks.yaml',
        'interface-comparison.yaml',
        'quickstart.yaml',
        'steal-time.yaml',
      ]),
    );
  });

  it('use every workload generator, directly, through a preset or as a phase', () => {
    const used = new Set<string>();
    for (const f of files) {
      for (const alt of loadExperimentFile(`experiments/${f}`).alternatives) {
        for (const g of alt.guests) {
          used.add(g.workload.name);
          const phases = (g.workload.options as { phases?: { name: string }[] }).phases ?? [];
          for (const p of phases) used.add(p.name);
        }
      }
    }
    expect([...used].sort()).toEqual(Object.keys(WORKLOADS).sort());
  });

  for (const f of files) {
    it(`${f}: loads, and every alternative runs`, () => {
      const exp = loadExperimentFile(`experiments/${f}`);
      const specs = runSpecs(exp).filter((s) => s.seed === exp.seeds[0]);
      expect(specs.map((s) => s.alternative)).toEqual(exp.alternatives.map((a) => a.name));
      for (const s of specs) {
        const r = simulate({ ...s, durationNs: 5e9, sampleIntervalNs: 1e9 }, { checkInvariants: true });
        expect(r.status).toBe('ok');
        expect(r.summary!.guests.length).toBe(s.guests.length);
      }
    });
  }
});
