/** results.json bytes: deterministic, declared key order, lossless, validated. */
import { describe, expect, it } from 'vitest';
import { serializeResults } from '../../reports/results-json.js';
import type { ResultsFile } from '../../sim/results/types.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';

/** Rebuilds every object with its keys in reverse insertion order (same data, different key order). */
function reverseKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reverseKeys) as T;
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .reverse()
        .map(([k, x]) => [k, reverseKeys(x)]),
    ) as T;
  }
  return v;
}

describe('serializeResults', () => {
  it('gives identical bytes for identical input, whatever the key insertion order', () => {
    const a = serializeResults(makeFixtureResults({ withFailedRun: true }));
    const b = serializeResults(makeFixtureResults({ withFailedRun: true }));
    const c = serializeResults(reverseKeys(makeFixtureResults({ withFailedRun: true })));
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('writes keys in declared order and metrics in MetricDef order', () => {
    const text = serializeResults(reverseKeys(makeFixtureResults()));
    const top = Object.keys(JSON.parse(text) as object);
    expect(top).toEqual(['formatVersion', 'vmisimVersion', 'experiment', 'metrics', 'runs']);
    const r = JSON.parse(text) as ResultsFile;
    expect(Object.keys(r.runs[0]!)).toEqual([
      'runId',
      'alternative',
      'seed',
      'specHash',
      'status',
      'summary',
      'series',
    ]);
    expect(Object.keys(r.runs[0]!.summary!.metrics)).toEqual(r.metrics.map((m) => m.id));
    expect(Object.keys(r.runs[0]!.summary!.guests[0]!.interfaceCalls)).toEqual([
      'Set,"Odd"',
      'SetAlarm',
      'UpdatePTE',
    ]);
  });

  it('is lossless: parsing the bytes gives back the input', () => {
    const r = makeFixtureResults({ withFailedRun: true });
    expect(JSON.parse(serializeResults(r))).toEqual(r);
  });

  it('keeps each series column on one line (readable diffs, no line per sample)', () => {
    const r = makeFixtureResults();
    const lines = serializeResults(r).split('\n');
    expect(lines.filter((l) => /^\s*-?\d[\d.e+-]*,?$/.test(l))).toEqual([]);
    expect(lines.some((l) => l.trim().startsWith('"timeS": [0,5,10,'))).toBe(true);
  });

  it('prints numbers as JavaScript does and contains no wall-clock time', () => {
    const r = makeFixtureResults();
    r.runs[0]!.summary!.metrics.steal_mean = 0.1 + 0.2;
    r.runs[0]!.summary!.metrics.work_done = 1e21;
    const text = serializeResults(r);
    expect(text).toContain('"steal_mean": 0.30000000000000004');
    expect(text).toContain('"work_done": 1e+21');
    expect(text).not.toMatch(/20\d\d-\d\d-\d\dT/);
  });

  it('refuses invalid input instead of writing it (e.g. NaN, which JSON would turn into null)', () => {
    const r = makeFixtureResults();
    r.runs[0]!.series!.values[0]![3] = NaN;
    expect(() => serializeResults(r)).toThrowError(/runs\[0\]\.series\.values\[0\]\[3\]/);
  });
});
