// `vmisim compare` on input that is not two comparable result folders: one line, exit 2 (3 when
// --out cannot be written), no stack trace, and nothing written or changed.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';
import { tree } from '../helpers/tree.js';
import { expectFailsLeavingAll } from '../helpers/output-fixture.js';
import { resultsWith } from '../fixtures/one-metric-results.js';
import type { ResultsFile } from '../../sim/results/types.js';

function withFolders(folders: Record<string, ResultsFile | string>): string {
  const dir = scratch();
  for (const [name, content] of Object.entries(folders)) {
    mkdirSync(join(dir, name));
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    writeFileSync(join(dir, name, 'results.json'), text);
  }
  return dir;
}

const ok = resultsWith({ x: [1, 2, 3] });

describe('vmisim compare refuses', () => {
  it('a folder that does not exist', () => {
    const dir = withFolders({ a: ok });
    expectFailsLeavingAll(dir, ['compare', 'a', 'nope', '--out', 'c.csv'], 2, 'nope: no such folder');
  });

  it('a file given as a folder', () => {
    const dir = withFolders({ a: ok });
    writeFileSync(join(dir, 'f'), 'x');
    expectFailsLeavingAll(
      dir,
      ['compare', 'f', 'a'],
      2,
      'f: not a folder (give the output folder of a vmisim run)',
    );
  });

  it('a folder without results.json', () => {
    const dir = withFolders({ a: ok });
    mkdirSync(join(dir, 'empty'));
    expectFailsLeavingAll(
      dir,
      ['compare', 'a', 'empty', '--out', 'c.csv'],
      2,
      'empty/results.json: no results.json in empty (is it the output directory of a vmisim run?)',
    );
  });

  it('a results.json that is not JSON', () => {
    const dir = withFolders({ a: ok, bad: '{' });
    const before = tree(dir);
    const r = vmisim(['compare', 'bad', 'a'], dir);
    expect(r.code).toBe(2);
    // The parser's own words vary with the Node version; the line names the file and the problem.
    expect(r.stderr).toMatch(/^vmisim: bad\/results\.json: results\.json is not valid JSON: [^\n]+\n$/);
    expect(tree(dir)).toEqual(before);
  });

  it('two folders with no alternative in common', () => {
    const dir = withFolders({ a: ok, b: resultsWith({ y: [1, 2, 3] }) });
    expectFailsLeavingAll(
      dir,
      ['compare', 'a', 'b', '--out', 'c.csv'],
      2,
      'b: no alternative of a (x) is in it (y); alternatives are matched by name',
    );
  });

  it('an --out that cannot be written (exit 3)', () => {
    const dir = withFolders({ a: ok, b: ok });
    writeFileSync(join(dir, 'f'), 'x');
    expectFailsLeavingAll(
      dir,
      ['compare', 'a', 'b', '--out', 'f/c.csv'],
      3,
      'cannot write f/c.csv: f is a file, not a folder (ENOTDIR)',
    );
  });
});
