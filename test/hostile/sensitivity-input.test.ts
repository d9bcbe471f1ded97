// Bad input to `vmisim sensitivity` and to an experiment's `sensitivity:` field: one located
// message each (file:line:column and field, or the flag), exit 2, nothing written.
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';

const BASE = `name: tiny
duration: 1s
host: { pcpus: 1, memory: 2GiB }
guests:
  - name: g
    memory: 512MiB
    workload: { type: idle }
`;

function refused(yaml: string, args: string[]): { stderr: string; dir: string } {
  const dir = scratch();
  writeFileSync(join(dir, 'exp.yaml'), yaml);
  const r = vmisim(['sensitivity', 'exp.yaml', '-o', 'out', ...args], dir);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(existsSync(join(dir, 'out'))).toBe(false);
  return { stderr: r.stderr, dir };
}

describe('vmisim sensitivity refuses bad input', () => {
  it('an unknown constant in --constants, with the closest known one', () => {
    const { stderr } = refused(BASE, ['--constants', 'exitCycles,hypercallCycle']);
    expect(stderr).toMatch(/--constants .*found 'hypercallCycle'; did you mean 'hypercallCycles'\?/);
  });

  it('--threads 0', () => {
    expect(refused(BASE, ['--threads', '0']).stderr).toMatch(
      /--threads expects a whole number ≥ 1, found '0'/,
    );
  });

  it('an unknown constant in the file, at its line and column', () => {
    const { stderr } = refused(`${BASE}sensitivity:\n  constants: [exitCycles, pageCycle]\n`, []);
    expect(stderr).toMatch(
      /exp\.yaml:9:3: sensitivity: constants\[1\]: expected one of exitCycles, .* found "pageCycle" \(did you mean "pageCycles"\?\)/,
    );
  });

  it('a sensitivity: that is neither a boolean nor { constants }', () => {
    expect(refused(`${BASE}sensitivity: 3\n`, []).stderr).toMatch(
      /exp\.yaml:8:14: sensitivity: expected true, false or \{ constants: \[exitCycles, .*\] \}, found 3/,
    );
    expect(refused(`${BASE}sensitivity: { constants: [] }\n`, []).stderr).toMatch(
      /exp\.yaml:8:27: sensitivity\.constants: name at least one constant/,
    );
    expect(refused(`${BASE}sensitivity: { constant: [exitCycles] }\n`, []).stderr).toMatch(
      /exp\.yaml:8:\d+: sensitivity: unknown key "constant"/,
    );
  });

  it('vmisim run refuses the same field the same way', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'exp.yaml'), `${BASE}sensitivity: yes-please\n`);
    const r = vmisim(['run', 'exp.yaml', '-o', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exp\.yaml:8:14: sensitivity: expected true, false or/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
