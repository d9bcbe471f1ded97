/**
 * Reading the files an experiment names — the experiment itself, its `include:` files, workload
 * preset and include files, trace CSVs — without trusting them: only regular files are read (a
 * device such as /dev/zero, a fifo or a folder is refused before it is opened, so nothing blocks
 * or reads forever), and at most `maxBytes` + 1 bytes are read, so a file that grows while it is
 * read is still refused rather than held whole in memory.
 *
 * The limits are far above any real input and low enough to bound the parser's time and memory:
 *   MAX_YAML_BYTES = 512 KiB, for an experiment and the YAML files it reads together (so that
 *     includes cannot multiply it). The largest experiment in experiments/ and bench/ is 3.3 KB, a
 *     generated file listing 2,000 guests one by one about 250 KB. The YAML parser is the cost: a
 *     512 KiB list of one-character values (the worst case, ~260,000 values) takes ~3 s and ~250 MB
 *     to parse on a 2-core machine, a 1 MiB one twice that, a 50 MB one gigabytes.
 *   MAX_TRACE_FILE_BYTES = 64 MiB. A trace row (`86400,150.5,512.25,64`) is 20–30 bytes, so this
 *     holds over two million rows — a month at one-second resolution; public VM traces (Azure,
 *     Alibaba, Bitbrains) sample every 30 s to 5 min, a month of which is under 100,000 rows. Parsed,
 *     a row costs ~100 bytes, so the largest trace holds ~250 MB while the experiment is loaded.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { whyUnreadable } from './fs-problem.js';
import { formatBytes } from './units.js';

/**
 * Most bytes an experiment file and the YAML files it reads (`include:` files, workload presets
 * and workload include files) may hold together.
 */
export const MAX_YAML_BYTES = 512 * 1024;
/** Largest trace CSV (workloads/trace.ts). */
export const MAX_TRACE_FILE_BYTES = 64 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; why: string };

/** What `st` is, for a file that is not a regular one. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'is a folder, not a file';
  if (st.isFIFO()) return 'is a fifo (named pipe), not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a regular file';
  return 'is not a regular file';
}

/**
 * The text of `path` (UTF-8) if it is a regular file of at most `maxBytes`; otherwise why not,
 * as a phrase that follows the file's name ("is a folder, not a file", "no such file", "is 2MiB,
 * more than `limit`"). `limit` names the limit in words (default: "the N an input file may have").
 */
export function readInputFile(path: string, maxBytes: number, limit?: string): ReadResult {
  const tooBig = (size: string) =>
    `is ${size}, more than ${limit ?? `the ${formatBytes(maxBytes)} such a file may have`}`;
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    return { ok: false, why: whyUnreadable(e, path) };
  }
  if (!st.isFile()) return { ok: false, why: kindOf(st) };
  if (st.size > maxBytes) return { ok: false, why: tooBig(formatBytes(st.size)) };
  let fd: number;
  try {
    // O_NONBLOCK: should the path have become a fifo since the stat, opening it does not wait for
    // a writer (the fstat below then refuses it). It changes nothing for a regular file.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { ok: false, why: whyUnreadable(e, path) };
  }
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) return { ok: false, why: kindOf(fst) };
    // Sized by the stat, grown (up to the limit and one byte more) if the file grew since.
    let buf = Buffer.alloc(Math.min(maxBytes, fst.size) + 1);
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        if (got > maxBytes) return { ok: false, why: tooBig(`over ${formatBytes(maxBytes)}`) };
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, 2 * buf.length));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) return { ok: true, text: buf.toString('utf8', 0, got) };
      got += n;
    }
  } catch (e) {
    return { ok: false, why: whyUnreadable(e, path) };
  } finally {
    closeSync(fd);
  }
}
