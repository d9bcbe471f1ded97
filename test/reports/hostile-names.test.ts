// A guest named like an HTML attack, written in an experiment file and run, renders as text in
// every part of the report: the page, summary.md and the CSV tables hold it as data, never markup.
import { describe, expect, it } from 'vitest';
import { loadExperimentText, runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { assembleResults } from '../../sim/runner/assemble.js';
import { renderHtml } from '../../reports/html.js';
import { allCsvFiles } from '../../reports/tables.js';

const NAME = '<img src=x onerror=alert(1)>';

describe('a hostile guest name from an experiment file', () => {
  it('is text everywhere in the report', () => {
    const exp = loadExperimentText(
      'evil.yaml',
      `name: evil
duration: 2s
host: { pcpus: 1, memory: 2GiB }
guests:
  - { name: '${NAME}', memory: 512MiB, workload: { type: idle } }
`,
    );
    const results = assembleResults(
      exp,
      runSpecs(exp).map((s) => simulate(s)),
      'evil.yaml',
    );
    expect(results.runs[0]!.summary!.guests[0]!.name).toBe(NAME);
    const html = renderHtml(results);
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    const files = allCsvFiles(results);
    expect(files.get('summary.md')).not.toContain('<img');
    // In CSV it is data: the guest column holds the name as written.
    expect(files.get('guest-summary.csv')).toContain(`,${NAME},`);
  });
});
