// `vmisim run` and `vmisim validate` with --set and --seeds, end to end: the flags change what
// runs, results.json's header and the report record them, runs made without them are not reused
// (and runs made with them are), and a bad flag is refused with one line per problem, exit 2,
// nothing written; validate of several files says which file a flag's problem is in.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';

const EXP = `name: ov
duration: 2s
seeds: 2
host: { pcpus: 1, memory: 2GiB }
guests:
  - { name: web, memory: 512MiB, workload: { type: constant, dutyCycle: 0.3, resident: 100MiB } }
`;

interface Results {
  experiment: {
    overrides?: string[];
    seeds: number[];
    host: { pcpus: number };
    guests: { memoryMiB: number }[];
  };
  runs: { runId: string; specHash: string }[];
}
interface Timings {
  reused: number;
  computed: number;
}

const results = (out: string) => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
const timings = (out: string) => JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8')) as Timings;

function setup(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'exp.yaml'), EXP);
  return dir;
}

describe('vmisim run --set / --seeds', () => {
  it('runs the changed experiment and records the flags in results.json and the report', () => {
    const dir = setup();
    const flags = ['--set', 'host.pcpus=2', '--set', 'guests.web.memory=768MiB', '--seeds', '3'];
    const r = vmisim(['run', 'exp.yaml', '--out', 'out', '--threads', '1', ...flags], dir);
    expect(r.stderr).toMatch(
      /ov: 3 runs \(1 alternatives × 3 seeds\) on 1 threads \(with --set host\.pcpus=2 --set guests\.web\.memory=768MiB --seeds 3\)/,
    );
    expect(r.code).toBe(0);
    const x = results(join(dir, 'out')).experiment;
    expect(x.overrides).toEqual(['--set host.pcpus=2', '--set guests.web.memory=768MiB', '--seeds 3']);
    expect([x.seeds, x.host.pcpus, x.guests[0]!.memoryMiB]).toEqual([[1, 2, 3], 2, 768]);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain(
      '<dt>Overridden on the command line</dt><dd><code>--set host.pcpus=2</code> <code>--set guests.web.memory=768MiB</code> <code>--seeds 3</code></dd>',
    );
    // Without flags, neither says anything of overrides (results.json as before the flags existed).
    expect(vmisim(['run', 'exp.yaml', '--out', 'plain', '--threads', '1', '-q'], dir).code).toBe(0);
    expect(Object.keys(results(join(dir, 'plain')).experiment)).not.toContain('overrides');
    expect(readFileSync(join(dir, 'plain', 'report.html'), 'utf8')).not.toContain('command line');
  });

  it('does not reuse runs made without a --set, and reuses those made with it', () => {
    const dir = setup();
    const run = (...flags: string[]) => {
      const r = vmisim(['run', 'exp.yaml', '--out', 'out', '--threads', '1', ...flags], dir);
      expect(r.code, r.stderr).toBe(0);
      return { ...timings(join(dir, 'out')), hashes: results(join(dir, 'out')).runs.map((x) => x.specHash) };
    };
    const plain = run();
    expect([plain.reused, plain.computed]).toEqual([0, 2]);
    const set = run('--set', 'host.pcpus=2');
    expect([set.reused, set.computed]).toEqual([0, 2]);
    expect(set.hashes.filter((h) => plain.hashes.includes(h))).toEqual([]);
    const again = run('--set', 'host.pcpus=2');
    expect([again.reused, again.computed, again.hashes]).toEqual([2, 0, set.hashes]);
    // --seeds picks which seeds run: seeds 1 and 2 are the runs already made, seed 3 is new.
    const more = run('--set', 'host.pcpus=2', '--seeds', '3');
    expect([more.reused, more.computed]).toEqual([2, 1]);
  });

  it('refuses bad flags: one line per problem, exit 2, nothing written', () => {
    const dir = setup();
    const r = vmisim(
      ['run', 'exp.yaml', '--out', 'out', '--set', 'host.pcpus=abc', '--set', 'host.pcpu=2', '--seeds', '0'],
      dir,
    );
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('vmisim: 3 problems:');
    expect(lines.slice(1).sort()).toEqual([
      '  --seeds 0: seeds: a seed count must be at least 1, found 0',
      expect.stringMatching(
        /^ {2}--set host\.pcpu=2: host\.pcpu: unknown key 'pcpu'; .*did you mean 'pcpus'\?$/,
      ),
      expect.stringMatching(/^ {2}--set host\.pcpus=abc: host\.pcpus: .*expected number.*, found abc$/),
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, '.out.runs'))).toBe(false);
  });
});

describe('vmisim validate --set / --seeds', () => {
  it('says what it checked, and refuses what run refuses with the same lines', () => {
    const dir = setup();
    const ok = vmisim(['validate', 'exp.yaml', '--set', 'host.pcpus=2', '--seeds', '3,7'], dir);
    expect([ok.code, ok.stdout]).toEqual([
      0,
      'ok exp.yaml (with --set host.pcpus=2 --seeds 3,7): 1 alternative × 2 seeds = 2 runs\n',
    ]);
    const bad = ['--set', 'guests.wbe.memory=1GiB'];
    const v = vmisim(['validate', 'exp.yaml', ...bad], dir);
    const r = vmisim(['run', 'exp.yaml', '--out', 'out', ...bad], dir);
    expect([v.code, r.code]).toEqual([2, 2]);
    expect(r.stderr).toBe(
      "vmisim: --set guests.wbe.memory=1GiB: no list entry 'wbe' in override path 'guests.wbe.memory'; did you mean 'web'? entries: web\n",
    );
    expect(v.stdout.startsWith(r.stderr)).toBe(true);
  });

  it("with several files, names the file a flag's problem was found in", () => {
    const dir = setup();
    writeFileSync(join(dir, 'other.yaml'), EXP.replace('name: web', 'name: www'));
    const v = vmisim(['validate', 'exp.yaml', 'other.yaml', '--set', 'guests.web.memory=1GiB'], dir);
    expect(v.code).toBe(2);
    expect(v.stdout.split('\n').slice(0, 2)).toEqual([
      'ok exp.yaml (with --set guests.web.memory=1GiB): 1 alternative × 2 seeds = 2 runs',
      "vmisim: other.yaml: --set guests.web.memory=1GiB: no list entry 'web' in override path 'guests.web.memory'; did you mean 'www'? entries: www",
    ]);
  });
});
