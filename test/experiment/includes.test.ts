// Top-level `include:` (sim/experiment/includes.ts): shared pieces merged under the experiment,
// nested includes, problems reported in the file that wrote them, cycles and missing files.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadExperimentFile } from '../../sim/experiment/load.js';
import { deepMerge } from '../../sim/experiment/includes.js';
import { scratch } from '../helpers/cli.js';

function files(entries: Record<string, string>): string {
  const dir = scratch();
  for (const [name, text] of Object.entries(entries)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const GUESTS = 'guests:\n  - { name: web, memory: 1GiB, workload: { type: idle } }\n';

describe('include', () => {
  it('merges mappings key by key, replaces everything else', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
      e: 2,
    });
  });

  it('builds an experiment from shared files, nested, the experiment’s own fields winning', () => {
    const dir = files({
      'parts/host.yaml': 'include: cpu.yaml\nhost: { memory: 8GiB, balloon: { policy: esx } }\n',
      'parts/cpu.yaml': 'host: { pcpus: 8, scheduler: { policy: credit } }\n',
      'parts/guests.yaml': GUESTS,
      'exp.yaml':
        'include: [parts/host.yaml, parts/guests.yaml]\nname: t\nduration: 5s\nhost: { pcpus: 2 }\n',
    });
    const e = loadExperimentFile(join(dir, 'exp.yaml'));
    const h = e.alternatives[0]!.host;
    expect(h.pcpus).toBe(2);
    expect(h.memoryBytes).toBe(8 * 1024 ** 3);
    expect(h.scheduler.name).toBe('credit');
    expect(h.balloon.name).toBe('esx');
    expect(e.alternatives[0]!.guests.map((g) => g.name)).toEqual(['web']);
  });

  it('reports a problem in the included file that wrote it, at its line and column', () => {
    const dir = files({
      'host.yaml': 'host:\n  pcpus: 2\n  memory: 2\n',
      'exp.yaml': `include: host.yaml\nname: t\nduration: 5s\n${GUESTS}`,
    });
    const host = relative(process.cwd(), join(dir, 'host.yaml'));
    expect(() => loadExperimentFile(join(dir, 'exp.yaml'))).toThrow(
      `${host}:3:11: host.memory: a size needs a unit (e.g. 2GiB, 512MiB, 1GB), found 2`,
    );
  });

  it('rejects a cycle, naming the chain, and a missing file, at the include', () => {
    const dir = files({
      'a.yaml': 'include: b.yaml\n',
      'b.yaml': 'include: [a.yaml]\n',
      'exp.yaml': `include: a.yaml\nname: t\nduration: 5s\nhost: { pcpus: 1, memory: 1GiB }\n${GUESTS}`,
    });
    expect(() => loadExperimentFile(join(dir, 'exp.yaml'))).toThrow(
      /b\.yaml:1:11: include: include cycle: .*exp\.yaml → .*a\.yaml → .*b\.yaml → .*a\.yaml/,
    );
    const lone = files({ 'exp.yaml': `include: [nope.yaml]\nname: t\n` });
    expect(() => loadExperimentFile(join(lone, 'exp.yaml'))).toThrow(
      /exp\.yaml:1:11: include: cannot read nope\.yaml: no such file/,
    );
  });
});
