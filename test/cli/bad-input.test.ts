// Bad input, one test per class: exit code 2, one message naming file:line:column, the field,
// what was expected and what was found (with a suggestion for misspellings), and no output left.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';

const GOOD = `name: bad
duration: 10s
seeds: 1
host:
  pcpus: 2
  memory: 4GiB
  balloon: { policy: none }
guests:
  - name: web-{i}
    count: 2
    memory: 1GiB
    workload: { type: constant, dutyCycle: 0.5, resident: 200MiB }
compare:
  none: {}
  static: { host.balloon.policy: static }
`;

/** Writes GOOD with one substitution, runs it, and checks the common contract of a bad input. */
function runBad(from: string, to: string): { line: string; dir: string } {
  expect(GOOD).toContain(from);
  const dir = scratch();
  const file = join(dir, 'exp.yaml');
  writeFileSync(file, GOOD.replace(from, to));
  const r = vmisim(['run', 'exp.yaml', '--out', 'out/bad', '--threads', '1'], dir);
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(existsSync(join(dir, 'out', 'bad'))).toBe(false);
  expect(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).toEqual([]);
  return { line: lines[0]!, dir };
}

describe('bad experiment files', () => {
  it('YAML syntax error: line and column of the error', () => {
    const { line } = runBad('  pcpus: 2', '  pcpus: [2');
    expect(line).toMatch(/^vmisim: exp\.yaml:\d+:\d+: YAML syntax error: /);
  });

  it('unknown key: the key, the valid keys and the closest one', () => {
    const { line } = runBad('    memory: 1GiB', '    memroy: 1GiB');
    expect(line).toBe(
      "vmisim: exp.yaml:11:5: guests[0].memroy: unknown key 'memroy'; expected one of name, count, vcpus, memory, pae, kernel, cpu, balloon, workload; did you mean 'memory'?",
    );
  });

  it('missing unit: a bare number for a size', () => {
    const { line } = runBad('  memory: 4GiB', '  memory: 2');
    expect(line).toBe(
      'vmisim: exp.yaml:6:11: host.memory: a size needs a unit (e.g. 2GiB, 512MiB, 1GB), found 2',
    );
  });

  it('bad unit: an unknown duration unit', () => {
    const { line } = runBad('duration: 10s', 'duration: 10 parsecs');
    expect(line).toMatch(
      /^vmisim: exp\.yaml:2:11: duration: unknown duration unit 'parsecs' in '10 parsecs'; expected one of ns, us, µs, ms, s, m, h, d$/,
    );
  });

  it('negative count', () => {
    const { line } = runBad('    count: 2', '    count: -3');
    expect(line).toBe('vmisim: exp.yaml:10:12: guests[0].count: count must be at least 1, found -3');
  });

  it('unknown policy name, in an alternative: located in the compare block, with a suggestion', () => {
    const { line } = runBad('host.balloon.policy: static', 'host.balloon.policy: statik');
    expect(line).toBe(
      "vmisim: exp.yaml:15:34: compare.static: host.balloon.policy: unknown balloon policy 'statik'; expected one of none, static, esx, mom, auto-balloon, xen-selfballoon, squeezed, hyperv, meb; did you mean 'static'?",
    );
  });

  it('unknown policy name in the host block', () => {
    const { line } = runBad('balloon: { policy: none }', 'balloon: { policy: nein }');
    expect(line).toMatch(
      /^vmisim: exp\.yaml:7:22: host\.balloon\.policy: unknown balloon policy 'nein'; expected one of none, static/,
    );
  });

  it('every problem in a file at once, in file order, each with its place', () => {
    const dir = scratch();
    const text = GOOD.replace('    memory: 1GiB', '    memroy: 1GiB')
      .replace('duration: 10s', 'duration: 10 parsecs')
      .replace('balloon: { policy: none }', 'balloon: { policy: nein }')
      .replace('host.balloon.policy: static', 'host.balloon.policy: statik');
    writeFileSync(join(dir, 'exp.yaml'), text);
    const r = vmisim(['run', 'exp.yaml', '--out', 'out/bad'], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    // The misspelt memroy does not also report guests[0].memory as missing; the alternative's
    // own bad override is reported too, beside the base file's problems.
    expect(lines).toEqual([
      'vmisim: 4 problems:',
      expect.stringMatching(/^ {2}exp\.yaml:2:11: duration: unknown duration unit 'parsecs'/),
      expect.stringMatching(/^ {2}exp\.yaml:7:22: host\.balloon\.policy: unknown balloon policy 'nein'/),
      expect.stringMatching(
        /^ {2}exp\.yaml:11:5: guests\[0\]\.memroy: unknown key 'memroy'.*did you mean 'memory'\?$/,
      ),
      expect.stringMatching(
        /^ {2}exp\.yaml:15:34: compare\.static: host\.balloon\.policy: unknown balloon policy 'statik'/,
      ),
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('limits: i386 memory, vCPUs per guest, pCPUs, the duration range', () => {
    expect(runBad('    memory: 1GiB', '    memory: 5GiB').line).toMatch(
      /^vmisim: exp\.yaml:11:13: guests\[0\]\.memory: an i386 guest without PAE addresses at most 4GiB \(set pae: true for up to 64GiB\)/,
    );
    expect(runBad('    count: 2', '    count: 2\n    vcpus: 33').line).toMatch(
      /^vmisim: exp\.yaml:11:12: guests\[0\]\.vcpus: Too big: expected number to be <=32, found 33$/,
    );
    expect(runBad('  pcpus: 2', '  pcpus: 0').line).toMatch(
      /^vmisim: exp\.yaml:5:10: host\.pcpus: Too small: expected number to be >=1, found 0$/,
    );
    expect(runBad('duration: 10s', 'duration: 200d').line).toMatch(
      /^vmisim: exp\.yaml:2:11: duration: 200d is too large \(must stay below 2\^53 ns\)/,
    );
  });

  it('an experiment whose results would not fit in this machine’s memory is refused before it starts', () => {
    // 30 days sampled every millisecond, 1000 seeds: far beyond any machine.
    const { line } = runBad('duration: 10s\nseeds: 1', 'duration: 30d\nsampleInterval: 1ms\nseeds: 1000');
    expect(line).toMatch(
      /^vmisim: exp\.yaml: this experiment would need about [\d.]+TiB of memory \(2000 runs × 2592000000 samples × \d+ series\), more than 80 % of this machine's [\d.]+GiB; use a longer sampleInterval/,
    );
  });

  it('a missing file', () => {
    const dir = scratch();
    const r = vmisim(['run', 'nope.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('vmisim: nope.yaml: cannot read experiment: no such file');
  });
});

describe('bad command-line flags', () => {
  it('--threads must be a positive whole number', () => {
    const dir = scratch();
    const r = vmisim(['run', '--threads', 'many'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads expects a whole number ≥ 1, found 'many'/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('an unknown flag', () => {
    const dir = scratch();
    const r = vmisim(['run', '--thread', '2'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--thread'/);
  });
});
