// reports/swept-points.ts: the grid of compare × sweep read from results.json's header (and, for
// files written before the header had it, from the alternatives' names), and the verdicts it
// groups: alternatives are ranked only against those at their own swept point.
import { describe, expect, it } from 'vitest';
import { verdictText } from '../../reports/aggregate.js';
import {
  alternativeAt,
  factorValuesOf,
  gridFromNames,
  gridOf,
  sweptPoints,
} from '../../reports/swept-points.js';
import type { ResultsFile, SweepHeader } from '../../sim/results/types.js';
import { comparisonOf, resultsWith } from '../fixtures/one-metric-results.js';

/** A compare key with a slash in it, crossed with host.pcpus [4, 1]: names no parser can split. */
const slashed: SweepHeader = {
  factors: [{ path: 'host.pcpus', values: [4, 1] }],
  alternatives: [
    { name: 'a/b/host.pcpus=4', compare: 'a/b', factors: { 'host.pcpus': 4 } },
    { name: 'a/b/host.pcpus=1', compare: 'a/b', factors: { 'host.pcpus': 1 } },
    { name: 'c/host.pcpus=4', compare: 'c', factors: { 'host.pcpus': 4 } },
    { name: 'c/host.pcpus=1', compare: 'c', factors: { 'host.pcpus': 1 } },
  ],
};

const header = (sweep: SweepHeader | undefined, names: string[]): Pick<ResultsFile, 'experiment'> =>
  resultsWith(Object.fromEntries(names.map((n) => [n, [1]])), {}, sweep);

describe('swept points from the header', () => {
  it('groups alternatives by their factor values, points in file order', () => {
    const grid = gridOf(
      header(
        slashed,
        slashed.alternatives.map((a) => a.name),
      ),
    );
    expect(grid.compares).toEqual(['a/b', 'c']);
    expect(sweptPoints(grid)).toEqual([
      {
        point: 'host.pcpus=4',
        factors: { 'host.pcpus': 4 },
        alternatives: ['a/b/host.pcpus=4', 'c/host.pcpus=4'],
      },
      {
        point: 'host.pcpus=1',
        factors: { 'host.pcpus': 1 },
        alternatives: ['a/b/host.pcpus=1', 'c/host.pcpus=1'],
      },
    ]);
    expect(factorValuesOf(grid, 'a/b/host.pcpus=1')).toEqual({ 'host.pcpus': 1 });
    expect(factorValuesOf(grid, 'unknown')).toEqual({});
    expect(alternativeAt(grid, 'c', { 'host.pcpus': 1 })).toBe('c/host.pcpus=1');
    expect(alternativeAt(grid, 'c', { 'host.pcpus': 2 })).toBeUndefined();
  });

  it('ranks a compare key with a slash only within its point (the names alone cannot say)', () => {
    // At 4 pCPUs both do ~100 CPU s, at 1 pCPU ~25: across points, the 4-pCPU runs would "win".
    // Within each point c is ahead by 2 on every seed (paired), so c wins at both: 2 / 100 = 2.0 %
    // at 4 pCPUs, 2 / 25 = 8.0 % at 1 (margins 1 % of a/b's mean: 1 and 0.25).
    const values = {
      'a/b/host.pcpus=4': [100, 102, 98],
      'a/b/host.pcpus=1': [25, 26, 24],
      'c/host.pcpus=4': [102, 104, 100],
      'c/host.pcpus=1': [27, 28, 26],
    };
    const c = comparisonOf(values, {}, slashed);
    expect(verdictText(c)).toBe(
      'host.pcpus=4: c best (2.0 % higher than a/b, the next best); host.pcpus=1: c best (8.0 % higher than a/b, the next best)',
    );
    // Read from the names, the same file is one group with a winner across loads.
    expect(verdictText(comparisonOf(values))).toBe(
      'c/host.pcpus=4 best (2.0 % higher than a/b/host.pcpus=4, the next best)',
    );
  });

  it('without a sweep, one point of every alternative', () => {
    const grid = gridOf(
      header({ factors: [], alternatives: [{ name: 'x=1', compare: 'x=1', factors: {} }] }, ['x=1']),
    );
    expect(sweptPoints(grid)).toEqual([{ point: '', factors: {}, alternatives: ['x=1'] }]);
  });
});

describe('files written before the header: the grid read from the names', () => {
  it('types values that read as numbers or booleans, keeps other text', () => {
    const g = gridFromNames([
      'p/k=12,f=true,s=01',
      'p/k=1.5,f=false,s=x',
      'q/k=12,f=true,s=01',
      'q/k=1.5,f=false,s=x',
    ]);
    expect(g.factors).toEqual([
      { path: 'k', values: [12, 1.5] },
      { path: 'f', values: [true, false] },
      { path: 's', values: ['01', 'x'] },
    ]);
    expect(g.alternatives[2]).toEqual({
      name: 'q/k=12,f=true,s=01',
      compare: 'q',
      factors: { k: 12, f: true, s: '01' },
    });
  });

  it('a sweep alone has no compare names; names that are not a whole grid are no sweep', () => {
    expect(gridFromNames(['k=1', 'k=2']).alternatives).toEqual([
      { name: 'k=1', factors: { k: 1 } },
      { name: 'k=2', factors: { k: 2 } },
    ]);
    expect(gridFromNames(['a/k=1', 'b/k=2'])).toEqual({
      factors: [],
      alternatives: [
        { name: 'a/k=1', factors: {} },
        { name: 'b/k=2', factors: {} },
      ],
    });
  });

  it('gridOf falls back to the names only when the header has no sweep field', () => {
    const names = ['a/k=1', 'a/k=2', 'b/k=1', 'b/k=2'];
    expect(sweptPoints(gridOf(header(undefined, names))).map((p) => p.point)).toEqual(['k=1', 'k=2']);
    // A header that says "no sweep" is believed, whatever the names look like.
    const none: SweepHeader = {
      factors: [],
      alternatives: names.map((name) => ({ name, compare: name, factors: {} })),
    };
    expect(sweptPoints(gridOf(header(none, names))).map((p) => p.point)).toEqual(['']);
  });
});

describe('a sweep without compare over what is chosen (a policy, the interface)', () => {
  /** Sweep-only alternatives named `k=v,…` as the loader names them, every combination. */
  const sweepOnly = (factors: { path: string; values: (string | number)[] }[]): SweepHeader => {
    const points = factors.reduce<Record<string, string | number>[]>(
      (acc, f) => acc.flatMap((c) => f.values.map((v) => ({ ...c, [f.path]: v }))),
      [{}],
    );
    const name = (p: Record<string, string | number>) =>
      Object.entries(p)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
    return { factors, alternatives: points.map((p) => ({ name: name(p), factors: p })) };
  };

  it('ranks the policies against each other at each point of the load factors', () => {
    const h = sweepOnly([
      { path: 'host.pcpus', values: [2, 4] },
      { path: 'host.scheduler.policy', values: ['credit', 'rr'] },
    ]);
    const points = sweptPoints(
      gridOf(
        header(
          h,
          h.alternatives.map((a) => a.name),
        ),
      ),
    );
    expect(points.map((p) => [p.point, p.alternatives])).toEqual([
      [
        'host.pcpus=2',
        ['host.pcpus=2,host.scheduler.policy=credit', 'host.pcpus=2,host.scheduler.policy=rr'],
      ],
      [
        'host.pcpus=4',
        ['host.pcpus=4,host.scheduler.policy=credit', 'host.pcpus=4,host.scheduler.policy=rr'],
      ],
    ]);
  });

  it('gives verdicts where every swept factor is a choice (each alternative used to be its own point)', () => {
    const h = sweepOnly([
      { path: 'host.balloon.policy', values: ['none', 'esx'] },
      { path: 'host.abi', values: ['vmi', 'xen'] },
    ]);
    expect(
      sweptPoints(
        gridOf(
          header(
            h,
            h.alternatives.map((a) => a.name),
          ),
        ),
      ),
    ).toHaveLength(1);
    // Work done, higher is better, three paired seeds: esx/xen is 10 above every other alternative
    // on every seed (paired differences 10, 10, 10: sd 0, so p = 0 after Holm), the others equal.
    const names = h.alternatives.map((a) => a.name);
    const values = Object.fromEntries(
      names.map((n) => [n, n === 'host.balloon.policy=esx,host.abi=xen' ? [20, 21, 22] : [10, 11, 12]]),
    );
    const c = comparisonOf(values, {}, h);
    expect(verdictText(c)).toContain('host.balloon.policy=esx,host.abi=xen best');
  });

  it('keeps a policy factor as a point when the file compares alternatives itself', () => {
    expect(
      sweptPoints(
        gridOf(
          header(
            slashed,
            slashed.alternatives.map((a) => a.name),
          ),
        ),
      ),
    ).toHaveLength(2);
  });
});
