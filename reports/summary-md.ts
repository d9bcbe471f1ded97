/**
 * summary.md: the report's comparison table in Markdown, for a README, a pull request or a paper's
 * notes — per metric (with unit and which direction is better), each alternative's mean ± 95 %
 * confidence half-width over its successful seeds with its verdict against the baseline, an outright
 * winner in bold (./comparison.ts), and the same one-line verdict as the HTML report.
 */
import type { ResultsFile } from '../sim/results/types.js';
import { compareAlternatives, formatNumber, isWinner, verdictText, versusBaseline } from './aggregate.js';
import { METHOD_TEXT } from './comparison.js';
import { memorySemanticsText } from './host-semantics.js';

/** Escapes what would break a Markdown table cell or start markup. */
export function mdCell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[*_`<>[\]]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}

export function summaryMarkdown(r: ResultsFile): string {
  const t = compareAlternatives(r);
  const alts = t.alternatives.map((a) => a.alternative);
  const semantics = memorySemanticsText(r);
  const head = ['Metric', 'Better', ...alts.map((a) => mdCell(a)), 'Verdict'];
  const lines = [
    `# ${mdCell(r.experiment.name)}`,
    '',
    ...(r.experiment.description === undefined ? [] : [mdCell(r.experiment.description), '']),
    `${t.alternatives.map((a) => `${mdCell(a.alternative)}: ${a.ok} of ${a.runs} runs ok`).join('; ')}. ` +
      'Means over seeds ± the half-width of their 95 % confidence interval (Student t); in brackets, the verdict against the baseline; in bold, an outright winner. ' +
      METHOD_TEXT,
    '',
    ...(semantics === undefined ? [] : [`Host memory semantics: ${mdCell(semantics)}.`, '']),
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i >= 2 && i < head.length - 1 ? '---:' : '---')).join(' | ')} |`,
  ];
  for (const m of t.metrics) {
    const cells = m.stats.map(({ alternative, stats }) => {
      const v = Number.isFinite(stats.ci95Half)
        ? `${formatNumber(stats.mean)} ± ${formatNumber(stats.ci95Half)}`
        : formatNumber(stats.mean);
      const vs = versusBaseline(m, alternative);
      const word = vs === undefined || vs === 'baseline' ? '' : ` (${vs.verdict})`;
      return isWinner(m, alternative) ? `**${v}**${word}` : `${v}${word}`;
    });
    const better = m.metric.better === 'neither' ? '—' : m.metric.better;
    lines.push(
      `| ${mdCell(m.metric.label)} (${mdCell(m.metric.unit)}) | ${better} | ${cells.join(' | ')} | ${mdCell(verdictText(m))} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
