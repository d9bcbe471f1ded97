/**
 * Writes a whole output directory or nothing: files go into a sibling temporary directory that
 * replaces the target by rename only once everything is written. On any failure (or Ctrl-C,
 * through `cleanup`) the temporary directory is removed and the previous output stays intact.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicDir {
  /** Where to write. */
  readonly tmp: string;
  /** Moves `tmp` into place, replacing any previous output. */
  commit(): void;
  /** Removes `tmp` (safe to call more than once, and after commit). */
  cleanup(): void;
}

/** Whether a process with this id exists (EPERM: it does, but is someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function openAtomicDir(target: string): AtomicDir {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  // Temporary dirs of a process killed without a chance to clean up (SIGKILL, a closed terminal);
  // another vmisim still writing keeps its own.
  const prefix = `.${basename(target)}.tmp-`;
  for (const f of readdirSync(parent)) {
    const pid = f.startsWith(prefix) ? f.slice(prefix.length) : '';
    if (/^\d+$/.test(pid) && Number(pid) !== process.pid && !isAlive(Number(pid)))
      rmSync(join(parent, f), { recursive: true, force: true });
  }
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
