/**
 * The report's "By swept factor" section: the metric-versus-factor charts (./sweep-charts.ts) and,
 * with two or more swept factors, a table by factor per ranked metric: rows are the values of the
 * first factor, columns those of the second, and each cell says who wins there and by how much
 * (the comparison's verdict at that point, ./aggregate.ts), with every compare alternative's mean
 * beneath. The winner comes first because "which policy where" is what a researcher reads such a
 * table for; the means beneath let them judge the size of the lead without another table. Without
 * compare alternatives there is nothing to rank and a cell is the mean ± its 95 % CI half-width.
 * With three or more factors the page says so and shows one table per combination of the others.
 */
import type { FactorValue, ResultsFile } from '../sim/results/types.js';
import {
  compareAlternatives,
  formatNumber,
  type ComparisonTable,
  type MetricComparison,
} from './aggregate.js';
import { escapeHtml as e } from './escape.js';
import { combinations } from './swept-points.js';
import {
  alternativeOnLineAt,
  axesPointLabel,
  lineNameOf,
  panelText,
  shortVerdict,
  sweepChartsLeftOut,
  sweepLayout,
  sweepMetrics,
  type SweepLayout,
} from './sweep-charts.js';

/** One cell of a table by factor, as data (what the HTML shows; the tests read it). */
export interface FactorCell {
  /** The verdict at the point in a few words ("★ credit (12.0 % lower than ps)"); '' unranked. */
  verdict: string;
  /** The outright winner's line (compare name, or the choices' values), if any. */
  winner: string | undefined;
  /** Per line (compare alternative, or '' alone): its mean and 95 % CI half-width, NaN without data. */
  means: { line: string; mean: number; ci95Half: number; n: number }[];
}

/** A table by factor: `cells[row][column]`, rows the first factor's values, columns the second's. */
export interface FactorTable {
  /** The values of the factors past the second that this table holds fixed ({} with two). */
  fixed: Record<string, FactorValue>;
  rows: { path: string; values: FactorValue[] };
  columns: { path: string; values: FactorValue[] };
  cells: FactorCell[][];
}

function cellAt(m: MetricComparison, layout: SweepLayout, factors: Record<string, FactorValue>): FactorCell {
  const alts = layout.lines.map((line) => alternativeOnLineAt(layout, line, factors));
  const means = layout.lines.map((line, i) => {
    const s = m.stats.find((x) => x.alternative === alts[i])?.stats;
    return { line, mean: s?.mean ?? NaN, ci95Half: s?.ci95Half ?? NaN, n: s?.n ?? 0 };
  });
  const label = axesPointLabel(layout, factors);
  const p = m.verdict.kind === 'compared' ? m.verdict.points.find((x) => x.point === label) : undefined;
  const at = p?.winner === undefined ? -1 : alts.indexOf(p.winner);
  const verdict = p === undefined ? '' : shortVerdict(m, p, (x) => lineNameOf(layout, x));
  return { verdict, winner: layout.lines[at], means };
}

/** The tables by factor of metric `m` (see the header); [] with fewer than two axes. */
export function factorTables(m: MetricComparison, layout: SweepLayout): FactorTable[] {
  const [first, second, ...rest] = layout.axes;
  if (first === undefined || second === undefined) return [];
  const rows = { path: first.path, values: layout.x.values };
  return combinations(rest).map((fixed) => ({
    fixed,
    rows,
    columns: second,
    cells: rows.values.map((rv) =>
      second.values.map((cv) => cellAt(m, layout, { ...fixed, [first.path]: rv, [second.path]: cv })),
    ),
  }));
}

function cellHtml(c: FactorCell, m: MetricComparison, ranked: boolean): string {
  const best = m.metric.better === 'higher' ? Math.max : Math.min;
  const top = best(...c.means.map((x) => x.mean).filter(Number.isFinite));
  const means = c.means
    .map((x) => {
      const v = e(formatNumber(x.mean));
      const ci = Number.isFinite(x.ci95Half)
        ? ` <span class="ci">± ${e(formatNumber(x.ci95Half))}</span>`
        : '';
      const text = x.line === '' ? `${v}${ci}` : `${e(x.line)} ${x.mean === top ? `<b>${v}</b>` : v}`;
      return `<span class="mean">${text}</span>`;
    })
    .join(' · ');
  if (!ranked) return `<td class="num">${means}</td>`;
  const verdict = c.verdict || 'no verdict';
  return `<td class="${c.winner !== undefined ? 'win' : ''}"><div class="verdict">${e(verdict)}</div><div class="means">${means}</div></td>`;
}

function tableHtml(t: FactorTable, m: MetricComparison, ranked: boolean): string {
  const caption = Object.keys(t.fixed).length > 0 ? `<caption>${e(panelText(t.fixed))}</caption>` : '';
  const head = t.columns.values
    .map((v) => `<th scope="col">${e(`${t.columns.path} = ${String(v)}`)}</th>`)
    .join('');
  const body = t.rows.values
    .map(
      (rv, i) =>
        `<tr><th scope="row">${e(`${t.rows.path} = ${String(rv)}`)}</th>${t.cells[i]!.map((c) => cellHtml(c, m, ranked)).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table class="data by-factor">${caption}<thead><tr><th></th>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

/** The section's tables by factor: one <details> per ranked metric (all metrics without compare). */
function tablesHtml(table: ComparisonTable, layout: SweepLayout): string {
  if (layout.axes.length < 2) return '';
  const ranked = layout.lines.length > 1;
  const metrics = sweepMetrics(table).filter((m) => !ranked || m.metric.better !== 'neither');
  const more = layout.axes.slice(2).map((f) => f.path);
  const note = ranked
    ? 'Each cell: the verdict at that point (★ = clearly best there, by how much over the next best), then each alternative’s mean over seeds (the best in bold).'
    : 'Each cell: the mean over seeds ± half-width of its 95 % CI (nothing is ranked: one alternative per point).';
  const fixed =
    more.length > 0
      ? ` The experiment sweeps ${layout.axes.length} factors${layout.lineFactors === undefined ? '' : ' besides the choices compared'}: rows and columns are the first two; there is one table per combination of ${more.map(e).join(', ')}.`
      : '';
  // Open: the first metric with a clear winner somewhere (the table worth reading first).
  const open = Math.max(
    0,
    metrics.findIndex((m) => m.verdict.kind === 'compared' && m.verdict.points.some((p) => p.winner)),
  );
  const blocks = metrics
    .map((m, i) => {
      const dir = m.metric.better === 'neither' ? '' : ` — ${m.metric.better} is better`;
      return `<details${i === open ? ' open' : ''}><summary>${e(m.metric.label)} <small>${e(m.metric.unit)}${e(dir)}</small></summary>
${factorTables(m, layout)
  .map((t) => tableHtml(t, m, ranked))
  .join('\n')}</details>`;
    })
    .join('\n');
  return `<h3>By ${e(layout.axes[0]!.path)} and ${e(layout.axes[1]!.path)}</h3>
<p class="note">${note}${fixed}</p>
${blocks}`;
}

/** What the lines of the section's charts are. */
function linesText(layout: SweepLayout): string {
  if (layout.lines.length < 2) return 'one line';
  if (layout.lineFactors === undefined) return 'one line per compare alternative';
  const choices = Object.keys(layout.lineFactors[0] ?? {});
  return `one line per ${choices.length > 1 ? 'combination of ' : 'value of '}${choices.map(e).join(', ')} (the choices compared at each point)`;
}

/** The section (empty without a sweep); its charts are drawn into #sweep-charts by the page script. */
export function sweepSection(r: ResultsFile, table: ComparisonTable = compareAlternatives(r)): string {
  const layout = sweepLayout(r);
  if (layout === undefined) return '';
  const factors = layout.axes;
  const panels =
    factors.length > 1
      ? ` One chart per metric and per ${factors.length > 2 ? 'combination of the values of ' : 'value of '}${factors
          .slice(1)
          .map((f) => e(f.path))
          .join(', ')} (small multiples), x = ${e(layout.x.path)}.`
      : '';
  const left = sweepChartsLeftOut(table);
  const leftOut = left.length > 0 ? ` Not drawn, the same at every point: ${left.map(e).join(', ')}.` : '';
  return `<section id="sweep"><h2>By swept factor</h2>
<p class="note">Each metric against ${e(layout.x.path)}: ${linesText(layout)}, the mean over seeds, with its 95 % confidence interval of the mean (Student t) shaded; ★ marks the alternative that is clearly best at that point. Alternatives are ranked only within a point, never across points.${panels}${leftOut}</p>
<div class="charts" id="sweep-charts"></div>
${tablesHtml(table, layout)}
</section>`;
}
