// The run cache on its own: what it reuses, what it ignores (corrupt, other version, unchecked
// when checks are asked for, failed runs), and that pruning keeps only the given runs.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specHash, type RunSpec } from '../../sim/experiment/run-spec.js';
import type { RunResult } from '../../sim/results/types.js';
import { openRunCache, runCacheDir } from '../../sim/runner/run-cache.js';
import { scratch } from '../helpers/cli.js';

// Only the fields the cache looks at; a real RunSpec hashes the same way.
const spec = (seed: number) =>
  ({ experiment: 'e', alternative: 'a', seed, durationNs: 1e9 }) as unknown as RunSpec;
const result = (seed: number, status: 'ok' | 'failed' = 'ok'): RunResult => ({
  runId: `a/seed-${seed}`,
  alternative: 'a',
  seed,
  specHash: specHash(spec(seed)),
  status,
  ...(status === 'ok'
    ? { summary: { metrics: { x: 1.5 }, guests: [], eventsProcessed: 3 } }
    : { error: 'boom' }),
});

describe('run cache', () => {
  it('stores ok runs beside the output and reuses them only when everything matches', () => {
    const out = join(scratch(), 'out', 'exp');
    expect(runCacheDir(out)).toBe(join(out, '..', '.exp.runs'));
    const c = openRunCache(out, { vmisimVersion: '1.0.0', checkInvariants: false });
    expect(c.store(spec(1), result(1), 0.5)).toEqual(result(1));
    c.store(spec(2), result(2, 'failed'), 0.1); // not cached: a re-run retries it
    expect(readdirSync(c.dir)).toEqual([`${specHash(spec(1))}.json`]);
    expect(c.lookup(spec(1))).toEqual({ result: result(1), wallS: 0.5 });
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
    const out = join(scratch(), 'exp');
    const c = openRunCache(out, { vmisimVersion: '1', checkInvariants: false });
    c.store(spec(1), result(1), 1);
    const path = join(c.dir, `${specHash(spec(1))}.json`);
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

  it('prune keeps only the given runs', () => {
    const out = join(scratch(), 'exp');
    const c = openRunCache(out, { vmisimVersion: '1', checkInvariants: false });
    for (const s of [1, 2, 3]) c.store(spec(s), result(s), 1);
    c.prune(new Set([specHash(spec(2))]));
    expect(readdirSync(c.dir)).toEqual([`${specHash(spec(2))}.json`]);
  });
});
