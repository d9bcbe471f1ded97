// Determinism end to end: the same experiment gives byte-identical results.json whether run twice,
// on 1 or 2 worker threads, or taken from the run cache; a different seed gives different results.
// The whole report too (charts in PNG, SVG and PDF, runs/*.js), rendered on one thread or two.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';

const EXP = (seeds: string) => `name: det
duration: 30s
seeds: ${seeds}
host: { pcpus: 2, memory: 3GiB }
guests:
  - name: web-{i}
    count: 3
    memory: 1GiB
    workload: { type: constant, dutyCycle: 0.7, burst: 2ms, resident: 300MiB }
compare:
  none: { host.balloon.policy: none }
  static: { host.balloon: { policy: static, fraction: 0.3 } }
`;

function run(dir: string, out: string, threads: number): Buffer {
  const r = vmisim(['run', 'exp.yaml', '--out', out, '--threads', String(threads), '--quiet'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return readFileSync(join(dir, out, 'results.json'));
}

describe('determinism', () => {
  it('same experiment: identical bytes across repeats and thread counts', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'exp.yaml'), EXP('2'));
    const a = run(dir, 'a', 1);
    const b = run(dir, 'b', 1);
    const c = run(dir, 'c', 2);
    expect(a.length).toBeGreaterThan(1000);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    // Every file of the output but the wall-clock timings, byte for byte.
    const files = (out: string) =>
      readdirSync(join(dir, out), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name !== 'timings.json')
        .map((e) => join(e.parentPath, e.name).slice(join(dir, out).length + 1))
        .sort();
    expect(files('c')).toEqual(files('a'));
    for (const ext of ['.png', '.svg', '.pdf', '.js'])
      expect(
        files('a').some((f) => f.endsWith(ext)),
        ext,
      ).toBe(true);
    for (const f of files('a'))
      expect(readFileSync(join(dir, 'c', f)).equals(readFileSync(join(dir, 'a', f))), f).toBe(true);
    // Again into `a`: every run now comes from its run cache, still the same bytes.
    const again = run(dir, 'a', 2);
    expect(again.equals(a)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'a', 'timings.json'), 'utf8'))).toMatchObject({
      reused: 4,
      computed: 0,
    });
    const parsed = JSON.parse(a.toString()) as { runs: { runId: string; status: string }[] };
    expect(parsed.runs.map((r) => `${r.runId} ${r.status}`)).toEqual([
      'none/seed-1 ok',
      'none/seed-2 ok',
      'static/seed-1 ok',
      'static/seed-2 ok',
    ]);
  });

  it('a different seed gives different results', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'exp.yaml'), EXP('[1]'));
    const one = JSON.parse(run(dir, 'a', 1).toString()) as { runs: { summary: unknown }[] };
    writeFileSync(join(dir, 'exp.yaml'), EXP('[2]'));
    const two = JSON.parse(run(dir, 'b', 1).toString()) as { runs: { summary: unknown }[] };
    expect(JSON.stringify(two.runs[0]!.summary)).not.toBe(JSON.stringify(one.runs[0]!.summary));
  });
});
