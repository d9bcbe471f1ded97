// The run cache on its own: what it reuses, what it ignores (corrupt, other version, unchecked
// when checks are asked for, failed runs, results altered since written), that a run's series is
// read back from its entry, and that pruning keeps only the given runs.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specHash, type RunSpec } from '../../sim/spec/run-spec.js';
import type { RunResult } from '../../sim/results/types.js';
import { openRunCache, openRunStore, runCacheDir } from '../../sim/runner/run-cache.js';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { scratch } from '../helpers/cli.js';

// Only the fields the cache looks at; a real RunSpec hashes the same way.
const spec = (seed: number) =>
  ({ experiment: 'e', alternative: 'a', seed, durationNs: 1e9 }) as unknown as RunSpec;
const series = {
  sampleIntervalNs: 1e9,
  timeS: [1, 2],
  columns: [{ name: 'host_free_MiB', quantity: 'free_MiB', unit: 'MiB', description: 'free' }],
  values: [[10, 20]],
};
const result = (seed: number, status: 'ok' | 'failed' = 'ok'): RunResult => ({
  runId: `a/seed-${seed}`,
  alternative: 'a',
  seed,
  specHash: specHash(spec(seed)),
  status,
  ...(status === 'ok'
    ? { summary: { metrics: { x: 1.5 }, guests: [], eventsProcessed: 3 }, series }
    : { error: 'boom' }),
});
const lean = (seed: number, status: 'ok' | 'failed' = 'ok'): RunResult => {
  const { series: _, ...rest } = result(seed, status);
  return rest;
};

/** A cache (version '1') in a scratch folder holding run 1, and the path of its entry. */
function storedOne() {
  const out = join(scratch(), 'exp');
  const c = openRunCache(out, { vmisimVersion: '1', checkInvariants: false });
  c.store(spec(1), result(1), 1);
  return { out, c, path: join(c.dir, `${specHash(spec(1))}.json`) };
}

describe('run cache', () => {
  it('stores ok runs beside the output and reuses them only when everything matches', () => {
    const out = join(scratch(), 'out', 'exp');
    expect(runCacheDir(out)).toBe(join(out, '..', '.exp.runs'));
    const c = openRunCache(out, { vmisimVersion: '1.0.0', checkInvariants: false });
    // The summary in memory, the series read back from the entry.
    const stored = c.store(spec(1), result(1), 0.5);
    expect([stored.result, stored.hasSeries, stored.readSeries()]).toEqual([lean(1), true, series]);
    const failed = c.store(spec(2), result(2, 'failed'), 0.1); // not cached: a re-run retries it
    expect([failed.result, failed.hasSeries, failed.readSeries()]).toEqual([
      lean(2, 'failed'),
      false,
      undefined,
    ]);
    expect(readdirSync(c.dir)).toEqual([`${specHash(spec(1))}.json`]);
    const hit = c.lookup(spec(1))!;
    expect([hit.run.result, hit.run.hasSeries, hit.run.readSeries(), hit.wallS]).toEqual([
      lean(1),
      true,
      series,
      0.5,
    ]);
    expect(c.lookup(spec(2))).toBeUndefined();
    expect(c.ignored).toBe(0);

    expect(
      openRunCache(out, { vmisimVersion: '1.0.1', checkInvariants: false }).lookup(spec(1)),
    ).toBeUndefined();
    // Asked to check invariants: an unchecked run does not count.
    expect(
      openRunCache(out, { vmisimVersion: '1.0.0', checkInvariants: true }).lookup(spec(1)),
    ).toBeUndefined();
  });

  it('ignores unreadable entries instead of failing', () => {
    const { out, path } = storedOne();
    const good = readFileSync(path, 'utf8');
    const bad = [
      good.slice(0, good.length / 2),
      'null',
      '42',
      '',
      good.replace('"eventsProcessed":3', '"eventsProcessed":"3"'),
    ];
    for (const text of bad) {
      writeFileSync(path, text);
      const fresh = openRunCache(out, { vmisimVersion: '1', checkInvariants: false });
      expect(fresh.lookup(spec(1)), text).toBeUndefined();
      expect(fresh.ignored).toBe(1);
    }
  });

  it('recomputes, with a warning, a result altered since it was written (valid JSON, right hash and version)', () => {
    const { out, path } = storedOne();
    const good = readFileSync(path, 'utf8');
    const edits = [
      good.replace('"x":1.5', '"x":2.5'), // a summary figure
      good.replace('"values":[[10,20]]', '"values":[[10,21]]'), // a sample of the series
    ];
    for (const text of edits) {
      expect(text).not.toBe(good);
      writeFileSync(path, text);
      const warnings: string[] = [];
      const fresh = openRunCache(out, {
        vmisimVersion: '1',
        checkInvariants: false,
        warn: (s) => warnings.push(s),
      });
      expect(fresh.lookup(spec(1))).toBeUndefined();
      expect([fresh.ignored, fresh.altered]).toEqual([1, 1]);
      expect(warnings).toEqual([
        'run a/seed-1: cached result does not match its digest (edited or damaged); recomputing',
      ]);
    }
    // Layout is not content: the same numbers reformatted are reused.
    writeFileSync(path, JSON.stringify(JSON.parse(good), null, 2));
    const relaid = openRunCache(out, { vmisimVersion: '1', checkInvariants: false });
    expect(relaid.lookup(spec(1))?.run.result).toEqual(lean(1));
    expect(relaid.ignored).toBe(0);
  });

  it('refuses to read back a series whose entry changed after it was found', () => {
    const { c, path } = storedOne();
    const hit = c.lookup(spec(1))!;
    writeFileSync(path, readFileSync(path, 'utf8').replace('"values":[[10,20]]', '"values":[[10,21]]'));
    expect(() => hit.run.readSeries()).toThrow(/the cached run a\/seed-1 changed or disappeared/);
  });

  it('prune keeps only the given runs', () => {
    const out = join(scratch(), 'exp');
    const c = openRunCache(out, { vmisimVersion: '1', checkInvariants: false });
    for (const s of [1, 2, 3]) c.store(spec(s), result(s), 1);
    c.prune(new Set([specHash(spec(2))]));
    expect(readdirSync(c.dir)).toEqual([`${specHash(spec(2))}.json`]);
  });
});

describe('a run store shared by machines', () => {
  it('is the cache format in the named folder, written under names unique per machine', () => {
    const dir = join(scratch(), 'store');
    const opts = { vmisimVersion: 'v', checkInvariants: false };
    const writer = openRunStore(dir, opts);
    writer.store(spec(1), result(1), 0.5);
    expect(readdirSync(dir)).toEqual([`${specHash(spec(1))}.json`]);
    // Another process (another node) opening the same folder reads the entry.
    expect(openRunStore(dir, opts).lookup(spec(1))?.run.result.runId).toBe('a/seed-1');
  });

  it("removes only this machine's temporary files of dead processes, never another machine's", () => {
    const dir = scratch();
    const dead = spawnSync('true').pid!;
    const hash = specHash(spec(1));
    const here = `.${hash}.json.tmp-${dead}@${hostname()}`;
    const there = `.${hash}.json.tmp-${dead}@another-node`;
    for (const f of [here, there]) writeFileSync(join(dir, f), '{"partial');
    openRunStore(dir, { vmisimVersion: 'v', checkInvariants: false });
    // The other node's process with that pid may be alive and about to rename its file.
    expect(readdirSync(dir)).toEqual([there]);
  });
});
