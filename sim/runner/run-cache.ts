/**
 * The run cache that lets `vmisim run` resume: every finished run's RunResult is written, as soon
 * as it finishes, to `<parent>/.<name>.runs/<specHash>.json` beside the output directory
 * `<parent>/<name>`. An interrupted run (Ctrl-C, crash, reboot) therefore loses no finished run,
 * and re-running the same command reuses every run whose entry still matches instead of
 * recomputing it.
 *
 * An entry is reused only when its spec hash, the vmisim version, the results format version and
 * the cache format all match, and it holds a successful run of that spec; anything else —
 * unreadable, truncated, from another version — is ignored and recomputed, never an error.
 * Failed runs are not cached, so a re-run retries them (a failure may come from the machine, such
 * as a worker running out of memory, rather than from the model).
 *
 * Every file is written to a temporary name, flushed to disk, then renamed, so the folder never
 * holds a half-written entry under a real name, whenever the process stops. The cache reads,
 * writes and removes only names of its own shape (`<64 hex digits>.json`, `.<64 hex>.json.tmp-<pid>`),
 * so anything else in a folder of that name is left alone. A cache that cannot be written (full
 * disk, read-only) costs only the ability to resume: `store` throws and the caller warns.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isAlive } from './atomic-dir.js';
import { specHash, type RunSpec } from '../experiment/run-spec.js';
import { runId } from '../host/run.js';
import { RunResultSchema } from '../results/schema.js';
import { RESULTS_FORMAT_VERSION, type RunResult } from '../results/types.js';

/** Bumped whenever the shape of a cache entry changes; older entries are then ignored. */
export const RUN_CACHE_FORMAT = 1;

/** One file of the cache. */
interface CacheEntry {
  cacheFormat: number;
  vmisimVersion: string;
  resultsFormatVersion: number;
  specHash: string;
  /** Whether the run was computed with --check-invariants (a checked run also serves unchecked). */
  checkedInvariants: boolean;
  /** Wall time of the original computation, for timings.json only (never in results.json). */
  wallS: number;
  result: RunResult;
}

/** A run found in the cache. */
export interface CachedRun {
  result: RunResult;
  wallS: number;
}

export interface RunCacheOptions {
  vmisimVersion: string;
  /** Reuse only runs computed with invariant checks on (a run asked to be checked must be checked). */
  checkInvariants: boolean;
}

export interface RunCache {
  readonly dir: string;
  /** The cached run of `spec`, or undefined (none, unreadable, or from another version). */
  lookup(spec: RunSpec): CachedRun | undefined;
  /** Entries found but not reusable (corrupt, other version) since the cache was opened. */
  readonly ignored: number;
  /**
   * Stores a finished run atomically (failed runs are not stored) and returns the result as read
   * back from its JSON, so a computed run and a reused one are the same value in every output.
   */
  store(spec: RunSpec, result: RunResult, wallS: number): RunResult;
  /**
   * Deletes every entry whose hash is not in `keep` (after a complete run: the cache mirrors the
   * output), as far as the file system lets it. Touches no file but its own entries.
   */
  prune(keep: ReadonlySet<string>): void;
}

/** The cache folder of an output directory: a hidden sibling, so it survives the output's replacement. */
export function runCacheDir(outDir: string): string {
  return join(dirname(outDir), `.${basename(outDir)}.runs`);
}

const ENTRY = /^[0-9a-f]{64}\.json$/;
const TMP = /^\.[0-9a-f]{64}\.json\.tmp-(\d+)$/;

/**
 * Removes a cache file if it can: on a read-only or otherwise unwritable cache folder a stale
 * file costs nothing (it is ignored or overwritten later), so it is no reason to fail.
 */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // kept
  }
}

/** Writes `text` to `path` by way of a flushed temporary file and a rename. */
function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  const fd = openSync(tmp, 'w');
  try {
    try {
      writeSync(fd, text);
      // Flush before the rename, so after a power loss the name points at whole contents or is absent.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    removeQuietly(tmp); // a full disk leaves no partial file behind
    throw e;
  }
}

export function openRunCache(outDir: string, opts: RunCacheOptions): RunCache {
  const dir = runCacheDir(outDir);
  let ignored = 0;
  let created = false;
  const ensureDir = () => {
    if (!created) mkdirSync(dir, { recursive: true });
    created = true;
  };
  const entries = (): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  // Temporary files of a process that was killed between write and rename: never whole entries.
  for (const f of entries()) {
    const m = TMP.exec(f);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) removeQuietly(join(dir, f));
  }

  return {
    dir,
    get ignored() {
      return ignored;
    },
    lookup(spec) {
      const hash = specHash(spec);
      let text: string;
      try {
        text = readFileSync(join(dir, `${hash}.json`), 'utf8');
      } catch {
        return undefined; // no entry
      }
      let e: Partial<CacheEntry> | null;
      try {
        e = JSON.parse(text) as Partial<CacheEntry> | null;
      } catch {
        ignored++;
        return undefined;
      }
      if (e === null || typeof e !== 'object') {
        ignored++;
        return undefined;
      }
      const r = e.result;
      const ok =
        e.cacheFormat === RUN_CACHE_FORMAT &&
        e.vmisimVersion === opts.vmisimVersion &&
        e.resultsFormatVersion === RESULTS_FORMAT_VERSION &&
        e.specHash === hash &&
        (e.checkedInvariants === true || !opts.checkInvariants) &&
        typeof e.wallS === 'number' &&
        r !== null &&
        typeof r === 'object' &&
        r.status === 'ok' &&
        r.specHash === hash &&
        r.runId === runId(spec) &&
        // The whole shape, as results.json will check it: a damaged entry is recomputed, not fatal.
        RunResultSchema.safeParse(r).success;
      if (!ok) {
        ignored++;
        return undefined;
      }
      return { result: r, wallS: e.wallS as number };
    },
    store(spec, result, wallS) {
      const hash = specHash(spec);
      const entry: CacheEntry = {
        cacheFormat: RUN_CACHE_FORMAT,
        vmisimVersion: opts.vmisimVersion,
        resultsFormatVersion: RESULTS_FORMAT_VERSION,
        specHash: hash,
        checkedInvariants: opts.checkInvariants,
        wallS,
        result,
      };
      const text = JSON.stringify(entry);
      // Read back what a later resume would read (drops undefined keys and the like), so that
      // results assembled from computed and from reused runs cannot differ by a byte.
      const stored = (JSON.parse(text) as CacheEntry).result;
      if (result.status !== 'ok') return stored;
      ensureDir();
      writeAtomic(join(dir, `${hash}.json`), text);
      return stored;
    },
    prune(keep) {
      for (const f of entries()) {
        if (ENTRY.test(f) && !keep.has(f.slice(0, -'.json'.length))) removeQuietly(join(dir, f));
      }
    },
  };
}
