// YAML the parser accepts but that would crash the loader or blow up after it: alias bombs
// ("billion laughs"), aliases to no anchor or to their own container, too many aliases, nesting
// deeper than anything real, and keys written twice in a huge mapping. Each is refused at its
// line and column (sim/experiment/yaml-source.ts); the bombs also under a 64 MiB heap.
import { describe, expect, it } from 'vitest';
import { refusal } from '../helpers/experiment.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadExperimentText } from '../../sim/experiment/load.js';
import { MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_VALUES } from '../../sim/experiment/yaml-source.js';
import { folderWith, refusedRun, refusedValidate } from './bounded.js';

const GOOD = `name: t
duration: 5s
host: { pcpus: 1, memory: 2GiB }
guests:
  - { name: g, memory: 512MiB, workload: { type: idle } }
`;

/** Ten lists of ten aliases to the level below, `levels` deep: 10^levels values once expanded. */
function laughs(levels: number): string {
  let y = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= levels; i++)
    y += `l${i}: &l${i} [${Array(10)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  return y;
}

describe('alias bombs', () => {
  it('billion laughs: refused at the alias that crosses the limit, in a small heap', () => {
    const dir = folderWith({ 'bomb.yaml': `${GOOD}${laughs(9)}` });
    // Values counted by hand, keys included: GOOD holds 22; l0 12 (key, list, 10 scalars), l1 112,
    // l2 1,112, l3 11,112 — 12,370 so far. l4's key and list make 12,372, and each *l3 stands for
    // 11,111 more: 12,372 + 8 × 11,111 > 100,000, so the 8th *l3 of line 10, at column
    // 10 + 7 × 5 = 45 ("l4: &l4 [" then "*l3, " each), is the one refused.
    const first =
      'vmisim: bomb.yaml:10:45: alias *l3 stands for 11111 values; with it the experiment would hold more than 100000';
    expect(refusedValidate(dir, 'bomb.yaml').startsWith(first)).toBe(true);
    expect(refusedRun(dir, 'bomb.yaml').startsWith(first)).toBe(true);
  });

  it('nested mappings of aliases, used where the schema would walk them: refused the same way', () => {
    let y = 'x0: &x0 { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 }\n';
    for (let i = 1; i <= 7; i++)
      y += `x${i}: &x${i} { ${'abcdefgh'
        .split('')
        .map((k) => `${k}: *x${i - 1}`)
        .join(', ')} }\n`;
    const dir = folderWith({
      'bomb.yaml': `${y}name: t\nduration: 5s\nhost: { pcpus: 1, memory: 2GiB }\nguests:\n  - { name: g, memory: 512MiB, workload: *x7 }\n`,
    });
    expect(refusedValidate(dir, 'bomb.yaml')).toMatch(
      /^vmisim: bomb\.yaml:\d+:\d+: alias \*x\d stands for \d+ values/,
    );
  });

  it('a bomb in an included file is refused in that file', () => {
    const dir = folderWith({ 'inc.yaml': laughs(9), 'exp.yaml': `include: inc.yaml\n${GOOD}` });
    // The experiment holds 24 values (GOOD and its include line), then as above: line 5 of inc.yaml.
    expect(refusedValidate(dir, 'exp.yaml')).toMatch(
      /^vmisim: inc\.yaml:5:45: alias \*l3 stands for 11111 values/,
    );
  });

  it('aliases that stay small are fine, and each stands for its anchor', () => {
    const e = loadExperimentText(
      't.yaml',
      `name: t\nduration: 5s\nhost: { pcpus: 1, memory: 4GiB }\nguests:\n  - { name: a, memory: 512MiB, workload: &w { type: idle, tick: 2s } }\n  - { name: b, memory: 512MiB, workload: *w }\n`,
    );
    const [a, b] = e.alternatives[0]!.guests;
    expect(b!.workload).toEqual(a!.workload);
    expect((a!.workload.options as { tick: number }).tick).toBe(2e9);
  });
});

describe('aliases the loader cannot resolve', () => {
  it('an alias to no anchor before it: at the alias', () => {
    expect(refusal('name: t\nduration: *nope\n')).toBe(
      't.yaml:2:11: alias *nope refers to no anchor &nope before it (the rest of the experiment is checked once this is fixed)',
    );
    // Defined after it does not count (YAML resolves an alias to the anchor before it).
    expect(refusal(`duration: *d\n${GOOD.replace('duration: 5s', 'other: &d 5s')}`)).toMatch(
      /^t\.yaml:1:11: alias \*d refers to no anchor &d before it/,
    );
  });

  it('an alias to the value that contains it (a cycle): at the alias', () => {
    expect(refusal(`${GOOD}extra: &loop [1, [2, *loop]]\n`)).toMatch(
      /^t\.yaml:6:22: alias \*loop refers to the value that contains it/,
    );
  });

  it(`more than ${MAX_YAML_ALIASES} aliases: at the first one past the limit`, () => {
    const many = Array(MAX_YAML_ALIASES + 1)
      .fill('*one')
      .join(', ');
    expect(refusal(`${GOOD}one: &one 1\nlist: [${many}]\n`)).toMatch(
      new RegExp(
        `^t\\.yaml:7:${8 + 6 * MAX_YAML_ALIASES}: more than ${MAX_YAML_ALIASES} aliases in one file`,
      ),
    );
  });
});

describe('nesting and size', () => {
  it(`flow nesting deeper than ${MAX_YAML_DEPTH}: at the bracket that goes past it, before parsing`, () => {
    const dir = folderWith({ 'deep.yaml': `${GOOD}x: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n` });
    // "x: " then brackets: the 65th opens at column 3 + 65 on line 6.
    expect(refusedValidate(dir, 'deep.yaml')).toMatch(
      new RegExp(`^vmisim: deep\\.yaml:6:${3 + MAX_YAML_DEPTH + 1}: nested more than ${MAX_YAML_DEPTH} deep`),
    );
  });

  it('block lists nested on one line, and block mappings indented too deep for the parser', () => {
    const dir = folderWith({
      'dashes.yaml': `${GOOD}x: ${'- '.repeat(100_000)}y\n`,
      'indent.yaml': `${GOOD}x:\n${Array.from({ length: 900 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}\n`,
    });
    expect(refusedValidate(dir, 'dashes.yaml')).toMatch(
      /^vmisim: dashes\.yaml:6:\d+: nested more than 64 deep/,
    );
    // The parser recurses per level: 900 levels overflow its stack, which it reports as an error.
    expect(refusedValidate(dir, 'indent.yaml')).toMatch(
      /^vmisim: indent\.yaml:\d+:\d+: nested (too deeply|more than 64)/,
    );
  });

  it(`more than ${MAX_YAML_VALUES} values: at the value past the limit, before parsing`, () => {
    const dir = folderWith({ 'wide.yaml': `${GOOD}x: [${Array(150_000).fill('1').join(',')}]\n` });
    // The base holds 20 values before x's list; the list's own bracket is one more.
    expect(refusedValidate(dir, 'wide.yaml')).toMatch(
      /^vmisim: wide\.yaml:6:\d+: more than 100000 values in the experiment and the YAML files it reads/,
    );
  });

  it('a key written twice in a mapping of 40,000 keys: at the second one, with the first line', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1`).join('\n');
    expect(refusal(`${GOOD}extra:\n${keys}\n  k7: 2\n`)).toBe(
      `t.yaml:${6 + 40_000 + 1}:3: duplicate key 'k7' in this mapping (first at line ${6 + 1 + 7}) (the rest of the experiment is checked once this is fixed)`,
    );
  });
});

describe('the message of a refused file', () => {
  it('is written to the file the problem is in, and says nothing else was checked', () => {
    const dir = folderWith({ 'exp.yaml': GOOD.replace('duration: 5s', 'duration: *x') });
    writeFileSync(join(dir, 'other.yaml'), GOOD);
    const out = refusedValidate(dir, 'exp.yaml');
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/the rest of the experiment is checked once this is fixed/);
  });
});
