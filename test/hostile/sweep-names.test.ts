// Hostile compare names and swept values from an experiment file become file names of the report
// (reports/names.ts) that stay inside the report's folders, are clean and distinct (also ignoring
// case), and read as factor values wherever the names allow it.
import { describe, expect, it } from 'vitest';
import { resultsOf } from '../helpers/experiment.js';
import { allCsvFiles } from '../../reports/tables.js';
import { runChartPrefix } from '../../reports/charts.js';
import { reportFileStems } from '../../reports/names.js';

const CLEAN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

describe('hostile names in a sweep', () => {
  it('give clean, distinct file names for series and charts', () => {
    const results = resultsOf(`name: evil
duration: 2s
host: { pcpus: 1, memory: 2GiB }
guests:
  - { name: web, memory: 512MiB, workload: { type: idle } }
compare:
  '../up': {}
  'Same': {}
  'same': {}
  ok: {}
sweep:
  description: ['a/b', 'x__y', 'fine']
`);
    const series = [...allCsvFiles(results).keys()]
      .filter((k) => k.startsWith('series/'))
      .map((k) => k.slice('series/'.length));
    expect(series).toHaveLength(12);
    for (const f of series) expect(f).toMatch(CLEAN);
    expect(new Set(series.map((f) => f.toLowerCase())).size).toBe(12);
    // Clean parts read as they are; a name with a slash, `..` or the separator `__` in a part is
    // hashed whole; two stems equal ignoring case each get a hash.
    expect(series).toContain('ok__description-fine__seed-1.csv');
    expect(series.filter((f) => /^ok_description_a_b-[0-9a-f]{8}__seed-1\.csv$/.test(f))).toHaveLength(1);
    expect(series.filter((f) => /^ok_description_x__y-[0-9a-f]{8}__seed-1\.csv$/.test(f))).toHaveLength(1);
    expect(series.filter((f) => /^up_description_fine-[0-9a-f]{8}__seed-1\.csv$/.test(f))).toHaveLength(1);
    expect(series.filter((f) => /^Same__description-fine-[0-9a-f]{8}__seed-1\.csv$/.test(f))).toHaveLength(1);
    expect(series.filter((f) => /^same__description-fine-[0-9a-f]{8}__seed-1\.csv$/.test(f))).toHaveLength(1);
    const stems = reportFileStems(results);
    const prefixes = results.runs.map((run) => runChartPrefix(stems, run));
    for (const p of prefixes) expect(p).toMatch(CLEAN);
    expect(new Set(prefixes.map((p) => p.toLowerCase())).size).toBe(12);
  });
});
