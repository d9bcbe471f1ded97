/**
 * Writes a whole output folder or nothing, and never loses a file that is not vmisim's.
 *
 * The new output is written into `new/` inside a private work folder beside the target,
 * `.<name>.tmp-<pid>-<random>/`, created exclusively (so it can never be something of the
 * user's). The commit then, in this order:
 *   1. checks again that the target is absent, empty or a vmisim output (sim/runner/output-owner.ts);
 *   2. moves every entry of the target that vmisim does not own into `new/` (renames, so a file of
 *      any size moves at once and stays the same file);
 *   3. renames the target to `old/` in the work folder and `new/` to the target;
 *   4. removes what vmisim owns in `old/` and the work folder.
 * A reader sees the old output or the new one, never half of one. If any step fails, `settle` puts
 * everything back (the previous output and the user's entries in it) and the failure is thrown as
 * one sentence (an OutputError, exit 3). A work folder left by a process killed outright
 * (SIGKILL, a power cut) is settled the same way by the next vmisim that writes this output.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fsProblem } from '../options/fs-problem.js';
import { vmisimVersion } from './assemble.js';
import { OutputError, EXIT_OUTPUT_FAILED } from './output-error.js';
import {
  foreignEntries,
  inspectOutput,
  isOwnedName,
  isVmisimOutput,
  OUTPUT_MARKER,
  outputMarkerText,
  removeOwned,
} from './output-owner.js';

export interface AtomicDir {
  /**
   * Runs `fill` with the folder to write the new output into. A file-system error becomes an
   * OutputError (exit 3) naming the output and the cause.
   */
  write(fill: (dir: string) => Promise<void> | void): Promise<void>;
  /** Puts the new output in place, carrying over what is not vmisim's in the previous one. */
  commit(): void;
  /** Drops the new output if not committed, putting anything moved back (safe to call more than once). */
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

const shownPath = (p: string) => relative(process.cwd(), p) || '.';

/**
 * Refuses, before anything runs, an output location vmisim must not write (exit 2) or cannot
 * reach (exit 3). `openAtomicDir` checks again; this lets a command fail before it starts work.
 */
export function checkOutputDir(target: string): void {
  try {
    inspectOutput(realTarget(target), shownPath(target));
  } catch (e) {
    throw asOutputError(e, target, false);
  }
}

/** The path to write: a symbolic link to a folder stands for that folder. */
function realTarget(target: string): string {
  try {
    return realpathSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return target;
    throw e;
  }
}

/**
 * A file-system error while writing `target`, as one sentence (with `doing`, the step that
 * failed when the cause alone would not say where to look); any other error as it is.
 */
function asOutputError(e: unknown, target: string, hadOutput: boolean, doing?: string): unknown {
  const problem = fsProblem(e, target);
  if (problem === undefined) return e;
  const step = doing === undefined ? '' : `${doing}: `;
  const after = hadOutput ? '; the previous output is untouched' : '';
  return new OutputError(
    `cannot write the output to ${shownPath(target)}: ${step}${problem}${after}`,
    EXIT_OUTPUT_FAILED,
  );
}

/** Opens output folder `userTarget` for writing (see the header); throws OutputError for people. */
export function openAtomicDir(userTarget: string): AtomicDir {
  let target = userTarget;
  let hadOutput = false;
  let work: string | undefined;
  try {
    target = realTarget(userTarget);
    const parent = dirname(target);
    mkdirSync(parent, { recursive: true });
    settleStale(parent, basename(target), target);
    hadOutput = inspectOutput(target, shownPath(userTarget)) === 'ours';
    work = mkdtempSync(join(parent, `.${basename(target)}.tmp-${process.pid}-`));
    mkdirSync(join(work, 'new'));
    writeFileSync(join(work, 'new', OUTPUT_MARKER), outputMarkerText(vmisimVersion()));
  } catch (e) {
    if (work !== undefined) settle(work, target);
    throw asOutputError(e, userTarget, hadOutput);
  }
  return atomicDir(userTarget, target, work, hadOutput);
}

function atomicDir(userTarget: string, target: string, work: string, hadOutput: boolean): AtomicDir {
  const fresh = join(work, 'new');
  const fail = (e: unknown, doing?: string) => asOutputError(e, userTarget, hadOutput, doing);
  let done = false;
  return {
    async write(fill) {
      try {
        await fill(fresh);
      } catch (e) {
        throw fail(e);
      }
    },
    commit() {
      // The process may stand in the target (`vmisim report .`): it follows to the new one.
      const here = currentDir();
      let mode: number | undefined;
      // The user's entry being moved: a folder the user may not write (mode 555) cannot change parent.
      let moving: string | undefined;
      try {
        if (inspectOutput(target, shownPath(userTarget)) !== 'absent') {
          for (const rel of foreignEntries(target)) {
            moving = rel;
            mkdirSync(dirname(join(fresh, rel)), { recursive: true });
            renameSync(join(target, rel), join(fresh, rel));
          }
          moving = undefined;
          mode = lstatSync(target).mode & 0o7777;
          renameSync(target, join(work, 'old'));
        }
        renameSync(fresh, target);
      } catch (e) {
        settle(work, target);
        const shown = `${shownPath(userTarget)}/${moving}`;
        throw fail(e, moving === undefined ? undefined : `${shown}, not vmisim's, cannot be moved into it`);
      }
      done = true;
      // The new output keeps the permissions the user gave the previous one (best effort; after
      // the rename, so a read-only mode cannot stop the work folder from being cleaned).
      if (mode !== undefined) tryTo(() => chmodSync(target, mode));
      if (here === target) tryTo(() => process.chdir(target));
      settle(work, target);
    },
    cleanup() {
      if (!done) settle(work, target);
      done = true;
    },
  };
}

function tryTo(f: () => void): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

function currentDir(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

function lexists(path: string): boolean {
  return tryTo(() => lstatSync(path));
}

/**
 * Puts the content of work folder `work` where it belongs, whatever step its commit reached:
 * the previous output back at `target` if the target is missing, every entry that is not
 * vmisim's (from `new/` or `old/`) into the target, then removes what vmisim owns and the work
 * folder. Best effort: whatever cannot be moved stays in the work folder, never deleted.
 */
function settle(work: string, target: string): void {
  const fresh = join(work, 'new');
  const old = join(work, 'old');
  if (lexists(old) && !lexists(target)) tryTo(() => renameSync(old, target));
  for (const from of [fresh, old]) {
    if (!lexists(from)) continue;
    let foreign: string[] = [];
    tryTo(() => (foreign = foreignEntries(from)));
    for (const rel of foreign) {
      const to = join(target, rel);
      if (isOwnedName(rel) || lexists(to)) continue;
      tryTo(() => {
        mkdirSync(dirname(to), { recursive: true });
        renameSync(join(from, rel), to);
      });
    }
    tryTo(() => removeOwned(from));
  }
  tryTo(() => rmdirSync(work));
}

/**
 * Settles the work folders of processes that no longer exist (killed outright, or a power cut),
 * for the output `<parent>/<name>`. A folder is taken for a work folder only if its name has the
 * exact shape and it holds nothing but `new/` (empty or with the marker) and `old/` (a vmisim
 * output). A temporary folder of vmisim 0.1 (`.<name>.tmp-<pid>`) loses only what vmisim owns.
 */
function settleStale(parent: string, name: string, target: string): void {
  const prefix = `.${name}.tmp-`;
  let names: string[] = [];
  tryTo(() => (names = readdirSync(parent)));
  for (const f of names) {
    if (!f.startsWith(prefix)) continue;
    const m = /^(\d+)(-[A-Za-z0-9]{6})?$/.exec(f.slice(prefix.length));
    if (m === null || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    const dir = join(parent, f);
    tryTo(() => {
      if (!lstatSync(dir).isDirectory()) return;
      if (m[2] === undefined) removeOwned(dir);
      else if (looksLikeWork(dir)) settle(dir, target);
    });
  }
}

function looksLikeWork(dir: string): boolean {
  return readdirSync(dir).every((f) => {
    const path = join(dir, f);
    if (!lstatSync(path).isDirectory()) return false;
    if (f === 'old') return isVmisimOutput(path);
    if (f === 'new') return readdirSync(path).length === 0 || isVmisimOutput(path);
    return false;
  });
}
