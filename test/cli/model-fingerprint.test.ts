// The model code's fingerprint, which keys the run cache with the version (sim/runner/model-fingerprint.ts):
// it changes with any file of the model and with nothing else, and `vmisim run` stores it in each
// cache entry, so a run of other model code is recomputed instead of reused.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { modelFingerprint } from '../../sim/runner/model-fingerprint.js';
import { CLI, scratch, vmisim } from '../helpers/cli.js';

function tree(files: Record<string, string>): string {
  const root = scratch();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const MODEL = {
  'sim/host/cpu.js': 'export const a = 1;\n',
  'policies/cpu/credit.js': 'export const b = 2;\n',
  'workloads/web.js': 'export const c = 3;\n',
};

describe('modelFingerprint', () => {
  it('changes with any byte, file or name of the model code, and with nothing outside it', () => {
    const base = modelFingerprint(tree(MODEL));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    // The same files written in another order: the same fingerprint.
    const reversed = Object.fromEntries(Object.entries(MODEL).reverse());
    expect(modelFingerprint(tree(reversed))).toBe(base);
    // Outside the model: reports, tests, type declarations.
    expect(
      modelFingerprint(
        tree({ ...MODEL, 'reports/html.js': 'x', 'test/a.test.js': 'y', 'sim/host/cpu.d.ts': 'z' }),
      ),
    ).toBe(base);
    // One byte of one file, one more file, a file renamed: each a different fingerprint.
    const changed: Record<string, string>[] = [
      { ...MODEL, 'sim/host/cpu.js': 'export const a = 2;\n' },
      { ...MODEL, 'workloads/db.js': '' },
      {
        'sim/host/cpu2.js': MODEL['sim/host/cpu.js'],
        'policies/cpu/credit.js': MODEL['policies/cpu/credit.js'],
        'workloads/web.js': MODEL['workloads/web.js'],
      },
    ];
    const prints = changed.map((files) => modelFingerprint(tree(files)));
    for (const f of prints) expect(f).not.toBe(base);
    expect(new Set(prints).size).toBe(3);
  });

  it('is stored by vmisim run in every cache entry, with the version', () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'e.yaml'),
      'name: e\nduration: 2s\nseeds: 1\nhost: { pcpus: 1, memory: 1GiB }\nguests:\n  - { name: g, memory: 256MiB, workload: { type: constant, dutyCycle: 0.5, burst: 1ms, resident: 64MiB } }\n',
    );
    const r = vmisim(['run', 'e.yaml', '--out', 'out', '--threads', '1', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const cache = join(dir, '.out.runs');
    const [entry] = readdirSync(cache);
    const { vmisimVersion } = JSON.parse(readFileSync(join(cache, entry!), 'utf8')) as {
      vmisimVersion: string;
    };
    // The compiled code the command ran: dist/ beside the CLI.
    const dist = join(dirname(CLI), '..', '..');
    expect(vmisimVersion).toMatch(/^\S+ model [0-9a-f]{16}$/);
    expect(vmisimVersion.endsWith(modelFingerprint(dist).slice(0, 16))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
