/**
 * File-system errors in words, for messages people read: "the file system is read-only (EROFS)"
 * instead of "Error: EROFS: read-only file system, mkdir '…'" and a stack trace. The one place
 * that maps errno codes to words, used wherever vmisim reads its input (experiment files, their
 * includes, results.json) or writes its output (the output folder, the run cache).
 *
 * The code stays in the message, in parentheses, so a user can still search for it.
 */
import { statSync } from 'node:fs';
import { dirname, relative } from 'node:path';

const WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'a file would be larger than the file system allows',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'something of that name is already there',
  ENOTEMPTY: 'a folder that had to be empty is not',
  ENAMETOOLONG: 'a file name or the path is too long',
  ELOOP: 'too many symbolic links (a loop?)',
  EMFILE: 'this process has too many files open',
  ENFILE: 'the system has too many files open',
  EIO: 'an input/output error (a failing disk or a lost network file system?)',
  EBUSY: 'it is in use (a mount point?)',
  EXDEV: 'it is on another file system',
  EMLINK: 'too many links',
  ESTALE: 'a stale network file handle',
  ENODEV: 'no such device',
  ENXIO: 'no such device',
  ETXTBSY: 'the file is busy',
  EINVAL: 'the file system refused the name or the operation',
};

/** The errno code of a Node.js system error (`EACCES`, `ENOSPC`…), or undefined for any other error. */
export function fsErrorCode(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, syscall } = e as NodeJS.ErrnoException;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string'
    ? code
    : undefined;
}

/**
 * The cause of a system error in words with its code, or undefined if `e` is not one. With `path`
 * (the path that was being used), ENOTDIR names the part of it that is not a folder:
 * "afile is a file, not a folder (ENOTDIR)".
 */
export function fsProblem(e: unknown, path?: string): string | undefined {
  const code = fsErrorCode(e);
  if (code === undefined) return undefined;
  if (code === 'ENOTDIR' && path !== undefined) {
    const culprit = notAFolder(path);
    if (culprit !== undefined) return `${culprit} (ENOTDIR)`;
  }
  // Unknown codes keep Node's own short text: "EXYZ: some words, open '…'" → "some words".
  const words = WORDS[code] ?? /^E[A-Z0-9]+: ([^,]+)/.exec((e as Error).message)?.[1] ?? 'error';
  return `${words} (${code})`;
}

/** fsProblem's words for a system error, the message of any other error. */
export function describeError(e: unknown, path?: string): string {
  return fsProblem(e, path) ?? (e instanceof Error ? e.message : String(e));
}

/** "afile is a file, not a folder": the nearest existing ancestor of `path` (or itself) that is not a folder. */
function notAFolder(path: string): string | undefined {
  for (let p = path; p !== dirname(p); p = dirname(p)) {
    let isDir: boolean, isFile: boolean;
    try {
      const st = statSync(p);
      [isDir, isFile] = [st.isDirectory(), st.isFile()];
    } catch {
      continue; // missing, or itself below a file: look further up
    }
    if (isDir) return undefined;
    const shown = relative(process.cwd(), p) || p;
    return isFile ? `${shown} is a file, not a folder` : `${shown} is not a folder`;
  }
  return undefined;
}

/**
 * Why an input file (an experiment, an include, a preset, a trace) could not be read, in the
 * words input messages use: "no such file", "is a folder, not a file", "permission denied (EACCES)".
 */
export function whyUnreadable(e: unknown, path: string): string {
  const code = fsErrorCode(e);
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return describeError(e, path);
}
