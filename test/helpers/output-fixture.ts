// A small finished vmisim output to start hostile tests from: `vmisim run e.yaml` once, in a
// scratch folder holding e.yaml, out/e (the output) and out/.e.runs (its run cache); each test
// works on its own copy, so reruns reuse the cached run and stay quick.
import { expect } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from './cli.js';
import { tree } from './tree.js';

export const SMALL_EXPERIMENT = `name: e
duration: 2s
seeds: 1
host: { pcpus: 1, memory: 1GiB }
guests:
  - { name: g, memory: 256MiB, workload: { type: constant, dutyCycle: 0.3, resident: 50MiB } }
`;

/** Runs the small experiment into `<scratch>/out/e`; returns the scratch folder. */
export function makeOutputFixture(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'e.yaml'), SMALL_EXPERIMENT);
  const r = vmisim(['run', 'e.yaml', '--quiet', '--threads', '1'], dir);
  if (r.code !== 0) throw new Error(`the fixture run failed (exit ${r.code}): ${r.stderr}`);
  return dir;
}

/** A fresh copy of a fixture folder (e.yaml, out/e, out/.e.runs) to change at will. */
export function copyFixture(fixture: string): string {
  const dir = scratch();
  cpSync(fixture, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/**
 * Runs vmisim with `args` in `dir` and checks that it fails with exit `code`, printing exactly
 * `vmisim: <line>` (one line, no stack trace), and that nothing in `dir` changed.
 */
export function expectFailsLeavingAll(dir: string, args: string[], code: number, line: string): void {
  const before = tree(dir);
  const r = vmisim(args, dir);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: `vmisim: ${line}\n` });
  expect(tree(dir)).toEqual(before);
}
