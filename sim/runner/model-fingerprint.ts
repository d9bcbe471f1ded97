/**
 * A fingerprint of the code that decides a run's results, for the run cache (sim/runner/run-cache.ts):
 * a run computed by other model code is recomputed, not reused, even when the version in
 * package.json has not changed (a checkout moved on, a local edit). Reports are not part of it: a
 * cached run is a RunResult, and the report is drawn again from it every time.
 *
 * sha256 over the files under sim/, policies/ and workloads/ of the running code (the compiled
 * JavaScript in dist/, or the TypeScript sources under the test runner), each as its path relative
 * to the code root, a NUL, its length, a NUL and its bytes, in path order. Computed from the files,
 * not from git, so it works in a copy without history and sees uncommitted edits.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders, relative to the code root, whose code decides what a run computes. */
export const MODEL_CODE_ROOTS = ['sim', 'policies', 'workloads'] as const;
const CODE_FILE = /\.(js|ts)$/;
const NOT_CODE = /\.d\.ts$/;

/** The code root this module runs from: dist/ when compiled, the repository under the test runner. */
export function codeRoot(): string {
  return fileURLToPath(new URL('../..', import.meta.url));
}

/** Hex sha256 of the model code under `root` (see the header). */
export function modelFingerprint(root: string = codeRoot()): string {
  const files: string[] = [];
  for (const top of MODEL_CODE_ROOTS) {
    let entries;
    try {
      entries = readdirSync(join(root, top), { recursive: true, withFileTypes: true });
    } catch {
      continue; // a root without this folder contributes nothing
    }
    for (const e of entries)
      if (e.isFile() && CODE_FILE.test(e.name) && !NOT_CODE.test(e.name))
        files.push(relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const h = createHash('sha256');
  for (const f of files) {
    const bytes = readFileSync(join(root, f));
    h.update(`${f}\0${bytes.length}\0`, 'utf8');
    h.update(bytes);
  }
  return h.digest('hex');
}

/**
 * The version run caches and stores record (sim/runner/run-cache.ts): the package's version and the
 * model code's fingerprint, so a run of other code is recomputed whatever package.json says.
 */
export function runCodeVersion(version: string): string {
  return `${version} model ${modelFingerprint().slice(0, 16)}`;
}
