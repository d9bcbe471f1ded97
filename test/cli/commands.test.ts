// The commands besides `run`: `validate` (every example passes; a bad file lists every problem,
// exit 2), `report` (re-renders from results.json: identical summary.csv bytes; a directory
// without results is bad input), `schema` (prints the published JSON Schema), `list <kind>`.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, scratch, vmisim } from '../helpers/cli.js';

const TINY = `name: tiny
duration: 3s
seeds: 2
host: { pcpus: 1, memory: 2GiB }
guests:
  - { name: 'g-{i}', count: 2, memory: 512MiB, workload: { type: constant, dutyCycle: 0.3, resident: 100MiB } }
compare:
  a: {}
  b: { host.pcpus: 2 }
`;

describe('vmisim validate', () => {
  it('passes every example experiment', () => {
    const files = [
      ...readdirSync(join(REPO, 'experiments'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `experiments/${f}`),
      ...readdirSync(join(REPO, 'experiments/validation')).map((f) => `experiments/validation/${f}`),
    ];
    const r = vmisim(['validate', ...files], REPO);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
    expect(r.stdout).toMatch(/^ok experiments\/quickstart\.yaml: 2 alternatives × 3 seeds = 6 runs$/m);
  });

  it('reports every problem of a bad file and exits 2, still saying which files are good', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'good.yaml'), TINY);
    writeFileSync(
      join(dir, 'bad.yaml'),
      TINY.replace('duration: 3s', 'duration: 3').replace('pcpus: 1', 'pcpus: 0'),
    );
    const r = vmisim(['validate', 'good.yaml', 'bad.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ok good\.yaml: 2 alternatives × 2 seeds = 4 runs$/m);
    expect(r.stdout).toMatch(
      /vmisim: 2 problems:\n {2}bad\.yaml:2:11: duration: .*\n {2}bad\.yaml:4:16: host\.pcpus: Too small/,
    );
  });
});

describe('vmisim report', () => {
  it('renders an output directory again with byte-identical tables', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'tiny.yaml'), TINY);
    expect(vmisim(['run', 'tiny.yaml', '--threads', '1', '--quiet'], dir).code).toBe(0);
    const out = join(dir, 'out', 'tiny');
    const before = ['summary.csv', 'summary.md', 'results.json', 'guest-summary.csv'].map((f) =>
      readFileSync(join(out, f), 'utf8'),
    );
    const html = statSync(join(out, 'report.html')).mtimeMs;
    const r = vmisim(['report', 'out/tiny'], dir);
    expect(r.code).toBe(0);
    expect(statSync(join(out, 'report.html')).mtimeMs).toBeGreaterThanOrEqual(html);
    const after = ['summary.csv', 'summary.md', 'results.json', 'guest-summary.csv'].map((f) =>
      readFileSync(join(out, f), 'utf8'),
    );
    expect(after).toEqual(before);
    expect(readdirSync(out)).toContain('timings.json');
  });

  it('refuses a directory without results, leaving it as it was', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'note.txt'), 'mine');
    const r = vmisim(['report', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^vmisim: results\.json: no results\.json in \. \(is it the output directory of a vmisim run\?\)/,
    );
    expect(readdirSync(dir)).toEqual(['note.txt']);
  });
});

describe('vmisim schema and list', () => {
  it('prints the published JSON Schema', () => {
    const r = vmisim(['schema'], REPO);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(REPO, 'vmisim.schema.json'), 'utf8')));
  });

  it('lists one kind: interfaces with their cost presets, or every policy', () => {
    const i = vmisim(['list', 'interfaces'], REPO);
    expect(i.stdout).toMatch(/^ {2}vmi — /m);
    expect(i.stdout).toMatch(/^ {2}p4-2006 — vmiCallCycles 50, exitCycles 3000, hypercallCycles 1000/m);
    const p = vmisim(['list', 'policies'], REPO);
    expect(p.stdout).toMatch(/CPU schedulers/);
    expect(p.stdout).toMatch(/Balloon policies/);
    expect(p.stdout).not.toMatch(/Workloads/);
  });
});
