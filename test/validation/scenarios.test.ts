// The validation scenarios (sim/validation/scenarios.ts), run here exactly as `npm run validate`
// runs them — every alternative and seed of each experiment — so every check must pass, and
// docs/validation.md must be the page those very runs produce (it is generated, never edited).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { loadExperimentFile, runSpecs } from '../../sim/experiment/load.js';
import { vmisimVersion } from '../../sim/runner/assemble.js';
import { SCENARIOS } from '../../sim/validation/scenarios.js';
import { validationFileText } from '../../sim/validation/page.js';
import { simulateOnce } from '../helpers/validation.js';

// Invariants off: these are full-length experiments; the model tests check invariants. Rows that
// share an experiment (the lost-tick rows) share its runs: the same specs give the same results.
const rows = SCENARIOS.map((s) => {
  const runs = runSpecs(loadExperimentFile(s.experiment)).map(simulateOnce);
  return { s, v: s.check(runs) };
});

describe('validation scenarios', () => {
  for (const { s, v } of rows) {
    it(`${s.id}: ${s.title} reproduces the published shape`, () => {
      expect(v.pass, v.measured).toBe(true);
    });
  }

  it('docs/validation.md is the page these runs produce, linking each row to its experiment', async () => {
    const page = await validationFileText(rows, vmisimVersion());
    expect(readFileSync('docs/validation.md', 'utf8')).toBe(page);
    for (const { s } of rows) expect(page).toContain(`](../${s.experiment})`);
  });

  it('the page lists each row in the part of its kind: published behaviour, then model identities', async () => {
    const page = await validationFileText(rows, vmisimVersion());
    const identities = page.indexOf('## Model identities');
    const notes = page.indexOf('## Notes');
    expect(page.indexOf('## Published behaviour')).toBeGreaterThan(0);
    expect(identities).toBeGreaterThan(page.indexOf('## Published behaviour'));
    for (const { s } of rows) {
      // By title and link: several rows may share one experiment.
      const at = page.indexOf(`[${s.title}](../${s.experiment})`);
      if (s.kind === 'identity') expect(at > identities && at < notes, s.id).toBe(true);
      else expect(at > 0 && at < identities, s.id).toBe(true);
    }
    // The identity rows are the conservation and call-count checks, and slew's delivered share
    // (its rate is our assumption, so the row checks the model's own arithmetic).
    expect(rows.filter(({ s }) => s.kind === 'identity').map(({ s }) => s.id)).toEqual([
      'interface-comparison',
      'vmi-xen-steal',
      'lost-ticks-slew',
    ]);
  });

  it('every published-behaviour row has a mutant test beside it (test/validation/<id>.test.ts)', () => {
    for (const { s } of rows.filter(({ s }) => s.kind === 'published')) {
      const file = `test/validation/${s.id}.test.ts`;
      expect(existsSync(file), file).toBe(true);
      const text = readFileSync(file, 'utf8');
      // A mutant test asserts the row's verdict is a fail, directly or through the helper.
      expect(text, file).toMatch(/mutant/);
      expect(text, file).toMatch(/expectMutantFails\(|\.pass, \w+\.measured\)\.toBe\(false\)/);
    }
  });
});
