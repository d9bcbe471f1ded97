// Workload presets (sim/experiment/presets.ts): by name from experiments/workloads, by include
// relative to the experiment, keys beside them overriding the preset, and every mistake reported
// where it was made — in the experiment or in the preset file.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExperimentText, runSpecs } from '../../sim/experiment/load.js';
import { listPresets } from '../../sim/experiment/presets.js';
import { listPlugins } from '../../sim/cli/list.js';
import { WORKLOADS } from '../../workloads/registry.js';
import { scratch } from '../helpers/cli.js';

const exp = (workload: string) => `name: t
duration: 10s
host: { pcpus: 2, memory: 4GiB }
guests:
  - name: a
    memory: 1GiB
    workload: ${workload}
`;
const guestWorkload = (file: string, text: string) =>
  runSpecs(loadExperimentText(file, text))[0]!.guests[0]!.workload;

describe('workload presets', () => {
  it('uses a shipped preset by name, with keys beside it overriding the preset', () => {
    const w = guestWorkload('t.yaml', exp('{ preset: idle-desktop, resident: 128MiB }'));
    expect(w.name).toBe('idle');
    // The preset says tick 1s, resident 96MiB; the experiment overrides resident.
    expect(w.options).toMatchObject({ tick: 1e9, resident: 128 * 2 ** 20 });
  });

  it('includes a preset file named relative to the experiment file', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'mine'));
    writeFileSync(
      join(dir, 'mine', 'hog.yaml'),
      'description: A hog.\nworkload: { type: constant, dutyCycle: 1, resident: 200MiB }\n',
    );
    const w = guestWorkload(join(dir, 'exp.yaml'), exp('{ include: mine/hog.yaml }'));
    expect(w).toMatchObject({ name: 'constant', options: { dutyCycle: 1, resident: 200 * 2 ** 20 } });
  });

  it('reports an unknown preset at its line with the closest name', () => {
    expect(() => loadExperimentText('t.yaml', exp('{ preset: idle-destkop }'))).toThrow(
      /t\.yaml:7:25: guests\[0\]\.workload\.preset: no workload preset 'idle-destkop'; did you mean 'idle-desktop'\?/,
    );
    expect(() => loadExperimentText('t.yaml', exp('{ preset: idle-desktop, type: idle }'))).toThrow(
      /guests\[0\]\.workload\.type: give either type or preset/,
    );
    expect(() => loadExperimentText('t.yaml', exp('{ include: nowhere.yaml }'))).toThrow(
      /guests\[0\]\.workload\.include: no such file: nowhere\.yaml/,
    );
  });

  it('reports a mistake inside a preset file at its own file, line and column', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'bad.yaml'), 'description: Bad.\nworkload:\n  type: constant\n  dutyCycle: 2\n');
    expect(() => loadExperimentText(join(dir, 'exp.yaml'), exp('{ include: bad.yaml }'))).toThrow(
      `${join(dir, 'bad.yaml')}:4:14: workload.dutyCycle: Too big`,
    );
    writeFileSync(join(dir, 'typo.yaml'), 'description: Typo.\nworkload: { type: constnat }\n');
    expect(() => loadExperimentText(join(dir, 'exp.yaml'), exp('{ include: typo.yaml }'))).toThrow(
      /typo\.yaml:2:19: workload\.type: .*did you mean 'constant'\?/,
    );
  });

  it('ships only presets that validate, each shown by `vmisim list workloads`', () => {
    const presets = listPresets();
    expect(presets.length).toBeGreaterThanOrEqual(1);
    const listed = listPlugins('workloads');
    for (const p of presets) {
      expect(Object.keys(WORKLOADS)).toContain(p.workload.type);
      expect(listed).toContain(`  ${p.name} — ${p.description}`);
      // Each preset also loads as a guest's whole workload.
      expect(guestWorkload('t.yaml', exp(`{ preset: ${p.name} }`)).name).toBe(p.workload.type);
    }
    for (const name of Object.keys(WORKLOADS)) expect(listed).toContain(`  ${name} — `);
  });
});
