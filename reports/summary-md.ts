/**
 * summary.md: the report's comparison table in Markdown, for a README, a pull request or a paper's
 * notes — per metric (with unit and which direction is better), each alternative's mean ± 95 %
 * confidence half-width over its successful seeds, the best marked in bold where the intervals
 * separate, and the same one-line verdict as the HTML report.
 */
import type { ResultsFile } from '../sim/results/types.js';
import { compareAlternatives, formatNumber, verdictText } from './aggregate.js';

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
  const head = ['Metric', 'Better', ...alts.map((a) => mdCell(a)), 'Verdict'];
  const lines = [
    `# ${mdCell(r.experiment.name)}`,
    '',
    `${t.alternatives.map((a) => `${mdCell(a.alternative)}: ${a.ok} of ${a.runs} runs ok`).join('; ')}. ` +
      'Means over seeds ± the half-width of their 95 % confidence interval (Student t); the best is in bold only where its interval is clear of every other.',
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i >= 2 && i < head.length - 1 ? '---:' : '---')).join(' | ')} |`,
  ];
  for (const m of t.metrics) {
    const best = m.verdict.kind === 'clear' ? m.verdict.best : undefined;
    const cells = m.stats.map(({ alternative, stats }) => {
      const v = Number.isFinite(stats.ci95Half)
        ? `${formatNumber(stats.mean)} ± ${formatNumber(stats.ci95Half)}`
        : formatNumber(stats.mean);
      return alternative === best ? `**${v}**` : v;
    });
    const better = m.metric.better === 'neither' ? '—' : m.metric.better;
    lines.push(
      `| ${mdCell(m.metric.label)} (${mdCell(m.metric.unit)}) | ${better} | ${cells.join(' | ')} | ${mdCell(verdictText(m))} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
