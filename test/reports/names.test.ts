// reports/names.ts: the file names of a sweep's alternatives carry their factor values
// (`series/credit__host.pcpus-4__seed-1.csv`), with a hash only where a name needs one.
import { describe, expect, it } from 'vitest';
import { reportFileStems, seriesCsvPath, uniqueFileStems } from '../../reports/names.js';
import { gridOf } from '../../reports/swept-points.js';
import type { SweepHeader } from '../../sim/results/types.js';
import { resultsWith } from '../fixtures/one-metric-results.js';

const CLEAN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function fileWith(sweep: SweepHeader | undefined, names = sweep!.alternatives.map((a) => a.name)) {
  return resultsWith(Object.fromEntries(names.map((n) => [n, [1, 2]])), {}, sweep);
}

describe('file names of swept alternatives', () => {
  const grid: SweepHeader = {
    factors: [
      { path: 'host.pcpus', values: [12, 4] },
      { path: 'host.memory', values: ['16GiB'] },
    ],
    alternatives: ['rr', 'credit'].flatMap((c) =>
      [12, 4].map((p) => ({
        name: `${c}/host.pcpus=${p},host.memory=16GiB`,
        compare: c,
        factors: { 'host.pcpus': p, 'host.memory': '16GiB' },
      })),
    ),
  };

  it('read compare name, then factor-value per factor; no hash', () => {
    const stems = reportFileStems(fileWith(grid));
    expect([...stems.values()]).toEqual([
      'rr__host.pcpus-12__host.memory-16GiB',
      'rr__host.pcpus-4__host.memory-16GiB',
      'credit__host.pcpus-12__host.memory-16GiB',
      'credit__host.pcpus-4__host.memory-16GiB',
    ]);
    expect(seriesCsvPath(stems, { alternative: 'credit/host.pcpus=4,host.memory=16GiB', seed: 1 })).toBe(
      'series/credit__host.pcpus-4__host.memory-16GiB__seed-1.csv',
    );
  });

  it('a sweep alone: the factors only; an old file without the header: the same, read from the names', () => {
    const alone = reportFileStems(fileWith(undefined, ['host.pcpus=12', 'host.pcpus=4']));
    expect([...alone.values()]).toEqual(['host.pcpus-12', 'host.pcpus-4']);
    const old = reportFileStems(
      fileWith(
        undefined,
        grid.alternatives.map((a) => a.name),
      ),
    );
    expect(old).toEqual(reportFileStems(fileWith(grid)));
  });

  it('a hostile compare name or value falls back to the hashed stem, still distinct and clean', () => {
    const evil: SweepHeader = {
      factors: [{ path: 'host.abi', values: ['../x', 'vmi'] }],
      alternatives: [
        { name: '<b>/host.abi=../x', compare: '<b>', factors: { 'host.abi': '../x' } },
        { name: '<b>/host.abi=vmi', compare: '<b>', factors: { 'host.abi': 'vmi' } },
        { name: 'ok/host.abi=../x', compare: 'ok', factors: { 'host.abi': '../x' } },
        { name: 'ok/host.abi=vmi', compare: 'ok', factors: { 'host.abi': 'vmi' } },
      ],
    };
    const stems = [...reportFileStems(fileWith(evil)).values()];
    expect(stems[3]).toBe('ok__host.abi-vmi');
    for (const s of stems.slice(0, 3)) expect(s).toMatch(/-[0-9a-f]{8}$/);
    for (const s of stems) expect(s).toMatch(CLEAN);
    expect(new Set(stems).size).toBe(4);
  });

  it('two stems that differ only in case both get a hash', () => {
    const h: SweepHeader = {
      factors: [{ path: 'k', values: [1] }],
      alternatives: [
        { name: 'A/k=1', compare: 'A', factors: { k: 1 } },
        { name: 'a/k=1', compare: 'a', factors: { k: 1 } },
        { name: 'b/k=1', compare: 'b', factors: { k: 1 } },
      ],
    };
    const names = h.alternatives.map((a) => a.name);
    const stems = uniqueFileStems(names, gridOf(fileWith(h), names));
    expect(stems.get('b/k=1')).toBe('b__k-1');
    expect(stems.get('A/k=1')).toMatch(/^A__k-1-[0-9a-f]{8}$/);
    expect(stems.get('a/k=1')).toMatch(/^a__k-1-[0-9a-f]{8}$/);
    expect(stems.get('A/k=1')!.toLowerCase()).not.toBe(stems.get('a/k=1')!.toLowerCase());
  });
});
