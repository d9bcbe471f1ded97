/**
 * The run cache that lets `vmisim run` resume: every finished run's RunResult is written, as soon
 * as it finishes, to `<parent>/.<name>.runs/<specHash>.json` beside the output directory
 * `<parent>/<name>`. An interrupted run (Ctrl-C, crash, reboot) therefore loses no finished run,
 * and re-running the same command reuses every run whose entry still matches instead of
 * recomputing it. The cache is also where the report reads each run's time series back from, one
 * run at a time, so the main process never holds every series at once (sim/results/source.ts).
 *
 * An entry is reused only when its spec hash, the vmisim version (with the fingerprint of the model
 * code, sim/runner/model-fingerprint.ts, as `vmisim run` gives it), the results format version and
 * the cache format all match, it holds a successful run of that spec, and its result still has the
 * sha256 digest stored beside it; anything else — unreadable, truncated, from another version — is
 * ignored and recomputed, never an error. A result whose digest does not match (a number edited by
 * hand, a damaged disk block that left valid JSON) is recomputed with a warning: shipping it would
 * put numbers no run produced into results.json. The digest catches edits and damage, not a
 * forger, who can recompute it.
 * Failed runs are not cached, so a re-run retries them (a failure may come from the machine, such
 * as a worker running out of memory, rather than from the model).
 *
 * Every file is written to a temporary name, flushed to disk, then renamed, so the folder never
 * holds a half-written entry under a real name, whenever the process stops. The cache reads,
 * writes and removes only names of its own shape (`<64 hex digits>.json`, `.<64 hex>.json.tmp-<pid>`),
 * so anything else in a folder of that name is left alone. A cache that cannot be written (full
 * disk, read-only) costs only the ability to resume: `store` throws and the caller warns.
 */
import { createHash } from 'node:crypto';
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
import { basename, dirname, join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { isAlive } from './atomic-dir.js';
import { InputError } from '../options/input-error.js';
import { runId, specHash, type RunSpec } from '../spec/run-spec.js';
import { RunResultSchema } from '../results/schema.js';
import { runInMemory, withoutSeries, type RunHandle } from '../results/source.js';
import { RESULTS_FORMAT_VERSION, type RunResult } from '../results/types.js';

/**
 * Bumped whenever the shape of a cache entry changes; older entries are then ignored.
 * 2: entries carry resultSha256.
 */
export const RUN_CACHE_FORMAT = 2;

/** One file of the cache. `result` comes last, so the entry can be written around its text. */
interface CacheEntry {
  cacheFormat: number;
  vmisimVersion: string;
  resultsFormatVersion: number;
  specHash: string;
  /** Whether the run was computed with --check-invariants (a checked run also serves unchecked). */
  checkedInvariants: boolean;
  /** Wall time of the original computation, for timings.json only (never in results.json). */
  wallS: number;
  /** sha256 (hex) of JSON.stringify(result): the result's content as the cache holds it. */
  resultSha256: string;
  result: RunResult;
}

/** A run found in the cache: its summary in memory, its series read back from the entry when asked. */
export interface CachedRun {
  run: RunHandle;
  wallS: number;
}

export interface RunCacheOptions {
  /** The code's version: an entry of any other is outdated (vmisim run adds the model's fingerprint). */
  vmisimVersion: string;
  /** Reuse only runs computed with invariant checks on (a run asked to be checked must be checked). */
  checkInvariants: boolean;
  /** Told, in a sentence, about each entry ignored because its result was altered. */
  warn?: (message: string) => void;
}

export interface RunCache {
  readonly dir: string;
  /** The cached run of `spec`, or undefined (none, unreadable, altered, or from another version). */
  lookup(spec: RunSpec): CachedRun | undefined;
  /** Entries found but not reusable (corrupt, other version, altered) since the cache was opened. */
  readonly ignored: number;
  /** Of those, entries whose result did not match its digest. */
  readonly altered: number;
  /**
   * Stores a finished run atomically (failed runs are not stored) and returns it as read back from
   * its JSON, so a computed run and a reused one are the same value in every output; its series is
   * read back from the entry when the report needs it. Throws when the entry cannot be written.
   */
  store(spec: RunSpec, result: RunResult, wallS: number): RunHandle;
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
/** `.<hash>.json.tmp-<pid>`, or `…-<pid>@<host>` in a store that several machines write. */
const TMP = /^\.[0-9a-f]{64}\.json\.tmp-(\d+)(?:@(.+))?$/;

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

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Writes `text` to `path` by way of a flushed temporary file and a rename. The temporary name ends
 * in `tag` (default: the pid), which must be unique among the writers of the folder.
 */
export function writeAtomic(path: string, text: string, tag = String(process.pid)): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${tag}`);
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

/** Why an entry cannot be reused: absent, not a current entry of this spec, or altered since written. */
type Verdict = { ok: true; entry: CacheEntry } | { ok: false; why: 'absent' | 'unusable' | 'altered' };

export function openRunCache(outDir: string, opts: RunCacheOptions): RunCache {
  return openRunCacheIn(runCacheDir(outDir), opts, undefined);
}

/**
 * A run store for sharded runs (`vmisim run --shard`, `vmisim merge`): the same entries, digests
 * and atomic writes as the run cache, in a folder the user names — typically on a file system every
 * node of a cluster mounts. Writers on several nodes never collide: each writes its own temporary
 * name (pid-suffixed) and renames it onto the entry's name, and two writers of one entry write the
 * same run. What a store must offer is the RunCache interface (lookup, store, prune); an object
 * store would implement it with a conditional put in place of the rename.
 */
export function openRunStore(dir: string, opts: RunCacheOptions): RunCache {
  return openRunCacheIn(resolve(dir), opts, hostname());
}

/** `host`: set for a store shared by machines, whose pids may collide and cannot be checked here. */
function openRunCacheIn(dir: string, opts: RunCacheOptions, host: string | undefined): RunCache {
  const tag = host === undefined ? String(process.pid) : `${process.pid}@${host}`;
  let ignored = 0;
  let altered = 0;
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
  const pathOf = (spec: RunSpec) => join(dir, `${specHash(spec)}.json`);
  // Temporary files of a process that was killed between write and rename: never whole entries.
  // Only this machine's: whether a process of another machine is alive cannot be told from here.
  for (const f of entries()) {
    const m = TMP.exec(f);
    if (m && m[2] === host && Number(m[1]) !== process.pid && !isAlive(Number(m[1])))
      removeQuietly(join(dir, f));
  }

  /**
   * Reads and checks the entry of `spec`: header, digest, then (with `checkShape`) the result's
   * shape, which the report checks anyway when it reads a series back.
   */
  const read = (spec: RunSpec, checkShape: boolean): Verdict => {
    const hash = specHash(spec);
    let text: string | undefined;
    try {
      text = readFileSync(pathOf(spec), 'utf8');
    } catch {
      return { ok: false, why: 'absent' };
    }
    let e: Partial<CacheEntry> | null;
    try {
      e = JSON.parse(text) as Partial<CacheEntry> | null;
    } catch {
      return { ok: false, why: 'unusable' };
    }
    text = undefined; // free to go before the digest's text is made: one run's text at a time
    if (e === null || typeof e !== 'object') return { ok: false, why: 'unusable' };
    const r = e.result;
    const current =
      e.cacheFormat === RUN_CACHE_FORMAT &&
      e.vmisimVersion === opts.vmisimVersion &&
      e.resultsFormatVersion === RESULTS_FORMAT_VERSION &&
      e.specHash === hash &&
      (e.checkedInvariants === true || !opts.checkInvariants) &&
      typeof e.wallS === 'number' &&
      typeof e.resultSha256 === 'string' &&
      r !== null &&
      typeof r === 'object';
    if (!current) return { ok: false, why: 'unusable' };
    // JSON.stringify of the parsed result gives back the text it was hashed from (numbers and
    // strings print one way), so only a change of content changes the digest, not of layout.
    if (sha256(JSON.stringify(r)) !== e.resultSha256) return { ok: false, why: 'altered' };
    const ok =
      r.status === 'ok' &&
      r.specHash === hash &&
      r.runId === runId(spec) &&
      // The whole shape, as results.json will check it: a damaged entry is recomputed, not fatal.
      (!checkShape || RunResultSchema.safeParse(r).success);
    return ok ? { ok: true, entry: e as CacheEntry } : { ok: false, why: 'unusable' };
  };

  /** A run whose series stays in its entry, read back (and checked again) when the report needs it. */
  const handle = (spec: RunSpec, result: RunResult, hasSeries: boolean): RunHandle => ({
    result,
    hasSeries,
    readSeries() {
      if (!hasSeries) return undefined;
      const v = read(spec, false);
      if (!v.ok)
        throw new InputError(
          { file: pathOf(spec) },
          undefined,
          `the cached run ${result.runId} changed or disappeared while vmisim was using it; run the same command again`,
        );
      return v.entry.result.series;
    },
  });

  return {
    dir,
    get ignored() {
      return ignored;
    },
    get altered() {
      return altered;
    },
    lookup(spec) {
      const v = read(spec, true);
      if (!v.ok) {
        if (v.why === 'absent') return undefined;
        ignored++;
        if (v.why === 'altered') {
          altered++;
          opts.warn?.(
            `run ${runId(spec)}: cached result does not match its digest (edited or damaged); recomputing`,
          );
        }
        return undefined;
      }
      const r = v.entry.result;
      return { run: handle(spec, withoutSeries(r), r.series !== undefined), wallS: v.entry.wallS };
    },
    store(spec, result, wallS) {
      const hash = specHash(spec);
      // Read back what a later resume would read (drops undefined keys and the like), so that
      // results assembled from computed and from reused runs cannot differ by a byte.
      // A failed run is not cached (a re-run retries it); the series it kept up to its failure
      // stays in memory for the report. Failures are rare, so the memory estimate leaves them out.
      if (result.status !== 'ok') return runInMemory(JSON.parse(JSON.stringify(result)) as RunResult);
      const lean = JSON.parse(JSON.stringify(withoutSeries(result))) as RunResult;
      const resultText = JSON.stringify(result);
      const header: Omit<CacheEntry, 'result'> = {
        cacheFormat: RUN_CACHE_FORMAT,
        vmisimVersion: opts.vmisimVersion,
        resultsFormatVersion: RESULTS_FORMAT_VERSION,
        specHash: hash,
        checkedInvariants: opts.checkInvariants,
        wallS,
        resultSha256: sha256(resultText),
      };
      // The entry is JSON.stringify({ ...header, result }), written around the result's text
      // instead of stringifying the result a second time.
      ensureDir();
      writeAtomic(
        join(dir, `${hash}.json`),
        `${JSON.stringify(header).slice(0, -1)},"result":${resultText}}`,
        tag,
      );
      return handle(spec, lean, result.series !== undefined);
    },
    prune(keep) {
      for (const f of entries()) {
        if (ENTRY.test(f) && !keep.has(f.slice(0, -'.json'.length))) removeQuietly(join(dir, f));
      }
    },
  };
}
