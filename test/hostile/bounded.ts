// Runs the built `vmisim` as a user would, under a small JavaScript heap and a generous timeout:
// a hostile input must be refused within them — exit 2, one located message, no stack trace — so
// a refusal that needed unbounded memory would abort (exit 134) and one that hung would be killed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI, scratch, type CliResult } from '../helpers/cli.js';

/** Heap of the child, MiB: what the CLI itself needs (~20 MiB) with room, far below any blow-up. */
export const SMALL_HEAP_MIB = 64;

export function vmisimBounded(args: string[], cwd: string, heapMiB = SMALL_HEAP_MIB): CliResult {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch folder holding `files` (name → text). */
export function folderWith(files: Record<string, string>): string {
  const dir = scratch();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/**
 * `vmisim run FILE` in `dir` is refused: exit 2, messages on stderr only (each `vmisim: file:…`,
 * no stack trace), and no output folder. Returns stderr.
 */
export function refusedRun(dir: string, file: string): string {
  const r = vmisimBounded(['run', file, '--out', 'out/x', '--threads', '1'], dir);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^vmisim: /);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|FATAL/);
  expect(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).toEqual([]);
  return r.stderr;
}

/** `vmisim validate FILE` in `dir` is refused the same way. Returns what it printed. */
export function refusedValidate(dir: string, file: string, heapMiB = SMALL_HEAP_MIB): string {
  const r = vmisimBounded(['validate', file], dir, heapMiB);
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stdout).toMatch(/^vmisim: /);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at |internal error|FATAL/);
  return r.stdout;
}
