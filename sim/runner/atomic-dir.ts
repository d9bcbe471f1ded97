/**
 * Writes a whole output directory or nothing: files go into a sibling temporary directory that
 * replaces the target by rename only once everything is written. On any failure (or Ctrl-C,
 * through `cleanup`) the temporary directory is removed and the previous output stays intact.
 */
import { mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicDir {
  /** Where to write. */
  readonly tmp: string;
  /** Moves `tmp` into place, replacing any previous output. */
  commit(): void;
  /** Removes `tmp` (safe to call more than once, and after commit). */
  cleanup(): void;
}

export function openAtomicDir(target: string): AtomicDir {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(target)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  let done = false;
  return {
    tmp,
    commit() {
      const old = join(parent, `.${basename(target)}.old-${process.pid}`);
      if (existsSync(target)) renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
      done = true;
    },
    cleanup() {
      if (!done) rmSync(tmp, { recursive: true, force: true });
    },
  };
}
