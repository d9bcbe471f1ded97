// The figure catalog (sim/results/catalog/) drives every output: the run metrics a summary holds
// and results.json declares, the series columns the statistics sample, the CSV headers and
// docs/results.md all list the catalog's rows in the catalog's order, and every column that has a
// unit names it.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { assembleResults } from '../../sim/runner/assemble.js';
import { GUEST_SERIES } from '../../sim/results/catalog/guest-series.js';
import { GUEST_SUMMARY_COLUMNS } from '../../sim/results/catalog/guest-columns.js';
import { HOST_SERIES } from '../../sim/results/catalog/host-series.js';
import { METRICS, RUN_METRICS } from '../../sim/results/catalog/run-metrics.js';
import { resultsDocMarkdown } from '../../sim/results/catalog/docs.js';
import { metricColumnNames, sanitizeUnit } from '../../sim/results/column-names.js';
import { guestSummaryCsv, summaryCsv } from '../../reports/tables.js';
import { experiment } from '../helpers/experiment.js';
import { runSpecs } from '../../sim/experiment/load.js';

const YAML = `name: t
duration: 4s
warmup: 1s
host: { pcpus: 2, memory: 2GiB, balloon: { policy: esx } }
guests:
  - { name: 'g-{i}', count: 2, vcpus: 2, memory: 768MiB, workload: { type: on-off, dutyCycle: 0.8, on: 1s, off: 1s, resident: 300MiB, wake: io } }
`;
const exp = experiment(YAML);
const run = simulate(runSpecs(exp)[0]!);
const results = assembleResults(exp, [run], 't.yaml');
const header = (csv: string) => csv.split('\n')[0]!.split(',');

/**
 * The end of a column name that says its unit: a rate `x/s` ends in `per_s`, any other unit in its
 * last word (`CPU s` → `s`, `MiB`, `%` → `pct`, `µs` → `us`); '' for units a name cannot carry
 * (plain counts, `×`). Compared without letter case (`cpu_pcpus` for `pCPUs`).
 */
function unitEnding(unit: string): string {
  const u = sanitizeUnit(unit).toLowerCase();
  const per = u.lastIndexOf('per_');
  return per >= 0 ? u.slice(per) : (u.split('_').pop() ?? '');
}
const carriesUnit = (name: string, unit: string) =>
  unitEnding(unit) === '' || name.toLowerCase().endsWith(`_${unitEnding(unit)}`);

/** True iff every string of `ids` occurs in `text`, each after the one before. */
function inOrder(text: string, ids: readonly string[]): boolean {
  let at = -1;
  for (const id of ids) {
    const next = text.indexOf(id, at + 1);
    if (next <= at) return false;
    at = next;
  }
  return true;
}

describe('the figure catalog', () => {
  it('gives a run summary exactly its run metrics, in catalog order', () => {
    // The on-off guests measure nothing of themselves: the workload measures do not apply.
    const applies = RUN_METRICS.filter((m) => m.window.kind !== 'workload');
    expect(applies.length).toBeLessThan(RUN_METRICS.length);
    expect(Object.keys(run.summary!.metrics)).toEqual(applies.map((m) => m.id));
    expect(results.metrics.map((m) => m.id)).toEqual(RUN_METRICS.map((m) => m.id));
    expect(results.metrics).toEqual(METRICS);
    for (const v of Object.values(run.summary!.metrics)) expect(Number.isFinite(v)).toBe(true);
  });

  it('names summary.csv’s metric columns after the metrics and their units, in catalog order', () => {
    const cols = header(summaryCsv(results));
    const names = metricColumnNames(METRICS);
    expect(cols).toEqual(['run_id', 'alternative', 'seed', 'status', ...names, 'error']);
    RUN_METRICS.forEach((m, i) => {
      expect(carriesUnit(names[i]!, m.unit), `${names[i]} (${m.unit})`).toBe(true);
    });
  });

  it('samples the host columns, then each guest’s, then its balloon gauges, in catalog order', () => {
    const s = run.series!;
    const gauges = s.columns.length - HOST_SERIES.length - 2 * GUEST_SERIES.length;
    // ESX reports its working-set estimate per guest.
    expect(gauges).toBeGreaterThan(0);
    const perGuest = GUEST_SERIES.length + gauges / 2;
    const names = s.columns.map((c) => c.name);
    expect(names.slice(0, HOST_SERIES.length)).toEqual(HOST_SERIES.map((f) => f.quantity));
    ['g-1', 'g-2'].forEach((g, i) => {
      const from = HOST_SERIES.length + i * perGuest;
      expect(names.slice(from, from + GUEST_SERIES.length)).toEqual(
        GUEST_SERIES.map((f) => `${g}_${f.quantity}`),
      );
      expect(s.columns.slice(from + GUEST_SERIES.length, from + perGuest).every((c) => c.guest === g)).toBe(
        true,
      );
    });
    // Every sample has a value in every column: 4 s at the default interval.
    for (const v of s.values) expect(v.length).toBe(s.timeS.length);
    expect(s.timeS.length).toBeGreaterThan(0);
  });

  it('puts each series figure’s unit in its column name and on the column', () => {
    for (const f of [...HOST_SERIES, ...GUEST_SERIES]) {
      expect(carriesUnit(f.quantity, f.unit), `${f.quantity} (${f.unit})`).toBe(true);
      const col = run.series!.columns.find((c) => c.quantity === f.quantity)!;
      expect(col.unit).toBe(f.unit);
      expect(col.description).toBe(f.description);
    }
  });

  it('gives guest-summary.csv the catalog’s columns, in order, each naming its unit', () => {
    const cols = header(guestSummaryCsv(results));
    expect(cols.slice(0, 4)).toEqual(['run_id', 'alternative', 'seed', 'guest']);
    expect(cols.slice(4, 4 + GUEST_SUMMARY_COLUMNS.length)).toEqual(
      GUEST_SUMMARY_COLUMNS.map((c) => c.column),
    );
    for (const c of GUEST_SUMMARY_COLUMNS)
      expect(carriesUnit(c.column, c.unit), `${c.column} (${c.unit})`).toBe(true);
    // What follows is per call name and per workload metric.
    expect(cols.slice(4 + GUEST_SUMMARY_COLUMNS.length).every((c) => /^(calls|workload)_/.test(c))).toBe(
      true,
    );
  });

  it('marks exactly the columns that read words as text (the tidy table has a row for every other)', () => {
    for (const g of run.summary!.guests)
      for (const c of GUEST_SUMMARY_COLUMNS)
        expect(typeof c.read(g), c.column).toBe(c.text === true ? 'string' : 'number');
  });

  it('documents every row in catalog order', () => {
    const doc = resultsDocMarkdown();
    const metrics = doc.slice(doc.indexOf('## Run metrics'), doc.indexOf('## Time series'));
    const host = doc.slice(doc.indexOf('### Host'), doc.indexOf('### Each guest'));
    const guest = doc.slice(doc.indexOf('### Each guest'), doc.indexOf('## guest-summary.csv'));
    const columns = doc.slice(doc.indexOf('## guest-summary.csv'));
    const code = (s: string) => `\`${s}\``;
    expect(
      inOrder(
        metrics,
        RUN_METRICS.map((m) => code(m.id)),
      ),
    ).toBe(true);
    expect(inOrder(metrics, metricColumnNames(METRICS).map(code))).toBe(true);
    expect(
      inOrder(
        host,
        HOST_SERIES.map((f) => code(f.quantity)),
      ),
    ).toBe(true);
    expect(
      inOrder(
        guest,
        GUEST_SERIES.map((f) => code(f.quantity)),
      ),
    ).toBe(true);
    expect(
      inOrder(
        columns,
        GUEST_SUMMARY_COLUMNS.map((c) => code(c.column)),
      ),
    ).toBe(true);
  });
});
