// summary.md (reports/summary-md.ts): the comparison table in Markdown — one row per metric with
// mean ± 95 % half-width per alternative with its verdict against the baseline, bold only for an
// outright winner, names escaped.
import { describe, expect, it } from 'vitest';
import { mdCell, summaryMarkdown } from '../../reports/summary-md.js';
import { compareAlternatives, formatNumber, isWinner, versusBaseline } from '../../reports/aggregate.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';
import { allCsvFiles } from '../../reports/tables.js';

describe('summary.md', () => {
  it('has one row per metric with the same numbers as the comparison, bold only for an outright winner', () => {
    const r = makeFixtureResults({ alternatives: ['a', 'b'] });
    const md = summaryMarkdown(r);
    const t = compareAlternatives(r);
    const rows = md
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Metric') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(t.metrics.length);
    t.metrics.forEach((m, i) => {
      const cells = rows[i]!.split(' | ');
      const a = m.stats[0]!.stats;
      const shown = cells[2]!.replace(/\*\*/g, '');
      expect(shown).toBe(
        Number.isFinite(a.ci95Half)
          ? `${formatNumber(a.mean)} ± ${formatNumber(a.ci95Half)}`
          : formatNumber(a.mean),
      );
      const bold = rows[i]!.includes('**');
      expect(bold).toBe(m.stats.some((x) => isWinner(m, x.alternative)));
      // The second alternative's cell carries its verdict against the baseline (the first).
      const vs = versusBaseline(m, m.stats[1]!.alternative);
      if (vs !== undefined && vs !== 'baseline') expect(cells[3]).toMatch(new RegExp(`\\(${vs.verdict}\\)$`));
    });
    expect(allCsvFiles(r).get('summary.md')).toBe(md);
  });

  it('escapes what would break a table or start markup', () => {
    expect(mdCell('a|b')).toBe('a\\|b');
    expect(mdCell('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)\\>');
    expect(mdCell('*x* _y_ `z`')).toBe('\\*x\\* \\_y\\_ \\`z\\`');
    const md = summaryMarkdown(makeFixtureResults());
    expect(md).not.toMatch(/<script>/);
  });
});
