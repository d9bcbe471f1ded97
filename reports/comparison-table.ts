/**
 * The report's comparison table (report.html), in one of two layouts:
 * - few alternatives (up to WIDE_TABLE_ALTERNATIVES): a row per metric — metric, direction, verdict,
 *   then a cell per alternative; the metric column stays in view when the table scrolls sideways;
 * - many alternatives: a row per alternative and a column per metric, the metric's name, direction
 *   and verdict in a header that stays in view when the table scrolls down, the alternative's name
 *   in a first column that stays in view when it scrolls sideways. Sixteen alternatives as columns
 *   put each metric's values (and its verdict) screens apart; as rows, one metric's values stand in
 *   one column and are read down, as numbers are compared.
 * Cells are the same in both: mean ± 95 % CI half-width, n, a badge for the best, and the
 * difference from the baseline with its verdict.
 */
import {
  formatNumber,
  isWinner,
  verdictText,
  versusBaselineText,
  type ComparisonTable,
  type MetricComparison,
} from './aggregate.js';
import { METHOD_TEXT } from './comparison.js';
import { escapeHtml as e } from './escape.js';

/** More alternatives than this turn the table: alternatives as rows, metrics as columns. */
export const WIDE_TABLE_ALTERNATIVES = 6;

/** An alternative's name, escaped, that wraps after each setting of a generated name (`a=1,b=2`). */
const breakable = (name: string) => e(name).split(',').join(',<wbr>');

/** One alternative's cell of one metric. */
function cell(m: MetricComparison, i: number): string {
  const s = m.stats[i]!;
  const st = s.stats;
  if (st.n === 0) return '<td class="num missing">no data</td>';
  const v = m.verdict;
  const ci = Number.isFinite(st.ci95Half) ? ` <span class="ci">± ${e(formatNumber(st.ci95Half))}</span>` : '';
  const clear = isWinner(m, s.alternative);
  const inBest =
    !clear &&
    v.kind === 'compared' &&
    v.points.some((p) => p.winner === undefined && p.bestSet.includes(s.alternative));
  const mark = clear
    ? ' <span class="badge best" title="significantly better than every other alternative at its point, by more than the margin">★ best</span>'
    : inBest
      ? ' <span class="badge lead" title="not distinguishable from the best mean">among best</span>'
      : '';
  const vs = versusBaselineText(m, s.alternative);
  const vsNote = vs === '' ? '' : `<div class="vs">${e(vs)}</div>`;
  return `<td class="num${clear ? ' win' : ''}">${e(formatNumber(st.mean))}${ci} <small>n=${st.n}</small>${mark}${vsNote}</td>`;
}

const betterText = (m: MetricComparison) =>
  m.metric.better === 'neither' ? '—' : m.metric.better === 'higher' ? '↑ higher' : '↓ lower';

const verdictClass = (m: MetricComparison) =>
  m.verdict.kind === 'compared' && m.verdict.points.some((p) => p.winner !== undefined) ? 'clear' : 'unclear';

/** The metric's name, unit and description. */
const metricName = (m: MetricComparison) =>
  `<span class="metric">${e(m.metric.label)}</span> <small class="unit">${e(m.metric.unit)}</small><div class="desc">${e(m.metric.description)}</div>`;

/** A row per metric (few alternatives). */
function byMetric(table: ComparisonTable): string {
  // The verdict comes before the per-alternative cells: with many alternatives it would otherwise
  // scroll out of view, and it is the answer the table exists for.
  const head = table.alternatives.map((a) => `<th scope="col">${breakable(a.alternative)}</th>`).join('');
  const body = table.metrics
    .map((m) => {
      const cells = m.stats.map((_, i) => cell(m, i)).join('');
      return `<tr><th scope="row">${metricName(m)}</th><td class="better">${betterText(m)}</td><td class="verdict ${verdictClass(m)}">${e(verdictText(m))}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table class="data compare" id="comparison-table" data-layout="metrics-as-rows">
<thead><tr><th scope="col">Metric</th><th scope="col">Better</th><th scope="col">Verdict</th>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>`;
}

/** A row per alternative (many alternatives), in a box that scrolls both ways. */
function byAlternative(table: ComparisonTable): string {
  const head = table.metrics
    .map(
      (m) =>
        `<th scope="col">${metricName(m)}<div class="better">${betterText(m)}</div><div class="verdict ${verdictClass(m)}">${e(verdictText(m))}</div></th>`,
    )
    .join('');
  const body = table.alternatives
    .map(
      (a, i) =>
        `<tr><th scope="row" class="alt">${breakable(a.alternative)}</th>${table.metrics.map((m) => cell(m, i)).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll both"><table class="data compare wide" id="comparison-table" data-layout="alternatives-as-rows">
<thead><tr><th scope="col">Alternative</th>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>`;
}

/** The comparison table in the layout that reads best for its number of alternatives, with its note. */
export function comparisonTableHtml(table: ComparisonTable): string {
  if (table.metrics.length === 0) return '<p class="empty">The results declare no metrics.</p>';
  const wide = table.alternatives.length > WIDE_TABLE_ALTERNATIVES;
  const layout = wide
    ? `<p class="note">${table.alternatives.length} alternatives: a row each, a column per metric (its verdict under its name). The header and the alternative names stay in view while the table scrolls.</p>\n${byAlternative(table)}`
    : byMetric(table);
  return `${layout}
<p class="note">Cells: mean over successful seeds ± half-width of the 95 % confidence interval (Student t), n = seeds; Δ: difference from the baseline ± half-width of its 95 % interval, and its verdict.
${e(METHOD_TEXT)}</p>`;
}
