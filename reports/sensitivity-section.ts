/**
 * The sensitivity section (./sensitivity.ts) as files: sensitivity.json, sensitivity.csv (one row
 * per verdict × constant), a tornado chart per verdict that some constant moves
 * (charts/sensitivity-<metric>[-<n>].png) and sensitivity.html, a page that shows them; and the
 * section report.html carries when the experiment asks for it (`sensitivity:` in its file), which
 * names the deciding constants, shows the tornado charts (as data: images, the only images the
 * report's content policy allows) and links the page.
 *
 * Tornado chart: one horizontal bar per constant from the verdict's baseline margin to its margin at
 * the low end (one colour) and at the high end (another), largest swing on top. Every bar starts at
 * the baseline margin, so the bars' common edge is the baseline line; the axis's 0 is where the two
 * alternatives' means are equal, so a bar across it reverses the difference. A constant that flips
 * the verdict is marked "⚑ flips" in its label, one that makes it not significant "n.s.".
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatNumber } from './aggregate.js';
import { color, type BarChartConfig, type ChartSpec } from './chart-spec.js';
import { toCsv, type CsvValue } from './csv.js';
import { escapeHtml as e } from './escape.js';
import { safeFileStem } from './names.js';
import { renderChart } from './png.js';
import {
  decidingConstants,
  ENDS,
  type ConstantInfo,
  type Outcome,
  type SensitivityFile,
  type VerdictSensitivity,
} from './sensitivity.js';

/** Shifts smaller than this (pp) are drawn and listed as "does not move it". */
const MOVE_EPS_PP = 1e-9;

const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${formatNumber(Math.abs(x))} %`;

function values(c: ConstantInfo, end: 'baseline' | 'low' | 'high'): string {
  const v = c.values[end];
  return v.length === 0 ? '–' : v.map(formatNumber).join('/');
}

/** "xen vs vmi" (with the point when swept). */
function pairName(v: VerdictSensitivity): string {
  return `${v.alternative} vs ${v.baseline}${v.point === '' ? '' : ` at ${v.point}`}`;
}

export function sensitivityCsv(s: SensitivityFile): string {
  const rows: CsvValue[][] = [
    [
      'metric',
      'point',
      'baseline',
      'alternative',
      'verdict',
      'winner',
      'margin_pct',
      'constant',
      'path',
      'low_value',
      'high_value',
      'low_verdict',
      'low_margin_pct',
      'low_flips',
      'low_not_significant',
      'high_verdict',
      'high_margin_pct',
      'high_flips',
      'high_not_significant',
      'swing_pp',
    ],
  ];
  const byId = new Map(s.constants.map((c) => [c.id, c]));
  for (const v of s.verdicts)
    for (const c of v.constants) {
      const info = byId.get(c.constant)!;
      const end = (o: Outcome | undefined): CsvValue[] =>
        o === undefined
          ? ['', '', '', '']
          : [o.verdict, o.marginPct, String(o.flips), String(o.notSignificant)];
      rows.push([
        v.metric,
        v.point,
        v.baseline,
        v.alternative,
        v.verdict,
        v.winner,
        v.marginPct,
        c.constant,
        info.path,
        info.values.low.join('/'),
        info.values.high.join('/'),
        ...end(c.low),
        ...end(c.high),
        c.swingPp,
      ]);
    }
  return toCsv(rows);
}

function moves(v: VerdictSensitivity): boolean {
  return v.constants.some((c) => ENDS.some((end) => Math.abs(c[end]?.shiftPp ?? 0) > MOVE_EPS_PP));
}

/** The verdicts that get a chart: decided (better or worse) and moved by some constant. */
export function chartedVerdicts(s: SensitivityFile): VerdictSensitivity[] {
  return s.verdicts.filter((v) => (v.verdict === 'better' || v.verdict === 'worse') && moves(v));
}

function mark(c: VerdictSensitivity['constants'][number]): string {
  if (ENDS.every((end) => Math.abs(c[end]?.shiftPp ?? 0) <= MOVE_EPS_PP)) return ' (no effect)';
  const flips = ENDS.filter((end) => c[end]?.flips);
  if (flips.length > 0) return ` ⚑ flips (${flips.join(', ')})`;
  const ns = ENDS.filter((end) => c[end]?.notSignificant);
  return ns.length > 0 ? ` n.s. (${ns.join(', ')})` : '';
}

/** The tornado chart of one verdict (header). */
export function tornadoChart(s: SensitivityFile, v: VerdictSensitivity, id: string): ChartSpec {
  const byId = new Map(s.constants.map((c) => [c.id, c]));
  const used = v.constants.filter((c) => c.low !== undefined || c.high !== undefined);
  const base = v.marginPct ?? 0;
  const labels = used.map((c) => {
    const info = byId.get(c.constant)!;
    return `${c.constant} ${values(info, 'low')} … ${values(info, 'high')}${mark(c)}`;
  });
  const bar = (end: 'low' | 'high') => used.map((c): [number, number] => [base, c[end]?.marginPct ?? base]);
  const colours = (end: 'low' | 'high', i: number) =>
    used.map((c) => (c[end]?.flips ? '#CC0000' : c[end]?.notSignificant ? '#999999' : `${color(i)}CC`));
  const title = `${v.label}: ${pairName(v)}`;
  // The baseline line: a line dataset at x = baseline margin through every category (chart.js mixes
  // a line into a bar chart; the bar config's types do not say so, hence the cast).
  const baselineLine = {
    type: 'line',
    label: 'baseline',
    data: labels.map((y) => ({ x: base, y })),
    borderColor: '#222222',
    borderWidth: 2,
    borderDash: [6, 4],
    pointRadius: 0,
  } as unknown as BarChartConfig['data']['datasets'][number];
  const config: BarChartConfig = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        ...ENDS.map((end, i) => ({
          label: `constant at its ${end} end`,
          data: bar(end),
          backgroundColor: colours(end, i),
          borderColor: color(i),
          borderWidth: 1,
          barPercentage: 0.9,
          categoryPercentage: 0.8,
        })),
        baselineLine,
      ],
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { right: 24 } },
      plugins: {
        title: { display: true, text: title },
        subtitle: {
          display: true,
          text: [
            `baseline: ${v.alternative} ${v.verdict} than ${v.baseline}, margin ${pct(v.marginPct)} (dashed line; bars start there)`,
            'blue: the constant at its low end, orange: at its high end; red: the verdict flips, grey: no longer significant',
          ],
          padding: { bottom: 12 },
        },
        legend: { display: false },
      },
      scales: {
        x: {
          ticks: { maxRotation: 0 },
          title: {
            display: true,
            text: `(${v.alternative} − ${v.baseline}) / ${v.baseline}, % (${v.better} is better)`,
          },
        },
        y: { ticks: { autoSkip: false }, title: { display: true, text: 'Assumed constant (low … high)' } },
      },
    },
  };
  return { id, title, config };
}

/** Chart ids, unique per verdict: sensitivity-<metric>, with -<alternative>-<point> when a metric has several. */
function chartIds(verdicts: readonly VerdictSensitivity[]): string[] {
  const count = new Map<string, number>();
  for (const v of verdicts) count.set(v.metric, (count.get(v.metric) ?? 0) + 1);
  return verdicts.map((v, i) =>
    count.get(v.metric) === 1
      ? `sensitivity-${safeFileStem(v.metric)}`
      : `sensitivity-${safeFileStem(v.metric)}-${i}`,
  );
}

function outcomeCell(o: Outcome | undefined): string {
  if (o === undefined) return '<td>unused</td>';
  const note = o.flips ? ' <strong>flips</strong>' : o.notSignificant ? ' <em>not significant</em>' : '';
  return `<td>${e(pct(o.marginPct))} (${e(o.verdict)})${note}</td>`;
}

/** The tables and charts of the section (chart images at `charts/<id>.png` beside the page). */
function sectionBody(s: SensitivityFile, ids: ReadonlyMap<VerdictSensitivity, string>): string {
  const consts = s.constants
    .map(
      (c) =>
        `<tr><td>${e(c.id)}</td><td><code>${e(c.path)}</code></td><td>${e(values(c, 'baseline'))}</td><td>${e(values(c, 'low'))}</td><td>${e(values(c, 'high'))}</td><td>${e(c.unit)}</td><td>${e(c.reason)}</td></tr>`,
    )
    .join('\n');
  const still = s.verdicts.filter((v) => !moves(v));
  const verdicts = s.verdicts
    .filter(moves)
    .map((v) => {
      const rows = v.constants
        .map(
          (c) =>
            `<tr><td>${e(c.constant)}</td>${outcomeCell(c.low)}${outcomeCell(c.high)}<td>${e(formatNumber(c.swingPp))} pp</td></tr>`,
        )
        .join('\n');
      const id = ids.get(v);
      const img =
        id === undefined ? '' : `<p><img src="charts/${e(id)}.png" alt="${e(v.label)}" width="900"></p>`;
      return `<h3>${e(v.label)} (${e(v.unit)}): ${e(pairName(v))}</h3>
<p>Baseline: ${e(v.verdict)}, margin ${e(pct(v.marginPct))}; winner ${e(v.winner ?? 'none')}. Deciding constants: ${e(decidingConstants(v).join('; ') || 'none within their ranges')}.</p>
${img}
<table><thead><tr><th>Constant</th><th>At low</th><th>At high</th><th>Swing</th></tr></thead><tbody>
${rows}
</tbody></table>`;
    })
    .join('\n');
  return `<p>Each assumed constant at the low and at the high end of its range, the others at their baseline; margin: (alternative − baseline) / |baseline| of the means over seeds. <em>flips</em>: the alternative's verdict reverses or the winner changes; <em>not significant</em>: a better or worse verdict becomes inconclusive or equivalent.</p>
<table><thead><tr><th>Constant</th><th>Path</th><th>Value</th><th>Low</th><th>High</th><th>Unit</th><th>Why this range</th></tr></thead><tbody>
${consts}
</tbody></table>
${verdicts}
<p>Verdicts no constant moves: ${e(still.map((v) => `${v.label} (${pairName(v)}: ${v.verdict})`).join('; ') || 'none')}.</p>`;
}

const PAGE_CSS =
  'body{font-family:sans-serif;max-width:1100px;margin:1em auto;padding:0 1em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}img{max-width:100%}';

/**
 * Writes sensitivity.json, sensitivity.csv, sensitivity.html and charts/sensitivity-*.png into
 * `dir` (which exists; the caller makes the directory atomic).
 */
export function writeSensitivityFiles(s: SensitivityFile, dir: string): void {
  const charted = chartedVerdicts(s);
  const ids = new Map(charted.map((v, i) => [v, chartIds(charted)[i]!]));
  mkdirSync(join(dir, 'charts'), { recursive: true });
  for (const [v, id] of ids)
    writeFileSync(join(dir, 'charts', `${id}.png`), renderChart(tornadoChart(s, v, id)));
  writeFileSync(join(dir, 'sensitivity.json'), `${JSON.stringify(s, null, 2)}\n`);
  writeFileSync(join(dir, 'sensitivity.csv'), sensitivityCsv(s));
  const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">
<title>${e(s.experiment)} — sensitivity to assumed constants</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>${e(s.experiment)}: sensitivity to assumed constants</h1>
${sectionBody(s, ids)}
</body>
</html>
`;
  writeFileSync(join(dir, 'sensitivity.html'), page);
}

/**
 * The section report.html carries (inserted before its `</main>`): per verdict, the constants that
 * decide it and its tornado chart, and a link to sensitivity.html. `charts` are the verdicts'
 * rendered PNGs (chartedVerdicts order), embedded as data: URIs: the report's content policy allows
 * images only in that form.
 */
export function reportSectionHtml(
  s: SensitivityFile,
  charts: ReadonlyMap<VerdictSensitivity, Buffer>,
): string {
  const items = s.verdicts
    .filter((v) => v.verdict === 'better' || v.verdict === 'worse')
    .map((v) => {
      const png = charts.get(v);
      const img =
        png === undefined
          ? ''
          : `<br><img src="data:image/png;base64,${png.toString('base64')}" alt="${e(`Tornado chart: ${v.label}, ${pairName(v)}, margin at each constant's low and high end`)}" style="max-width:100%">`;
      return `<li>${e(v.label)}: ${e(pairName(v))} ${e(v.verdict)} (${e(pct(v.marginPct))}); deciding: ${e(decidingConstants(v).join('; ') || 'none')}; largest swing: ${e(v.constants[0] === undefined ? '–' : `${v.constants[0].constant} ${formatNumber(v.constants[0].swingPp)} pp`)}${img}</li>`;
    })
    .join('\n');
  return `<section id="sensitivity"><h2>Sensitivity to assumed constants</h2>
<p>Which assumed constant, at either end of its stated range, would flip each verdict or make it not significant. Every figure: <a href="sensitivity.html">sensitivity.html</a> (sensitivity.csv, sensitivity.json).</p>
<ul>
${items}
</ul>
</section>
`;
}

/**
 * Adds the sensitivity files to a written report in `dir` and its section to report.html, before
 * the page's `</main>` (text, images and a link: it needs nothing of the page's script).
 */
export function addSensitivityToReport(s: SensitivityFile, dir: string): void {
  writeSensitivityFiles(s, dir);
  const charted = chartedVerdicts(s);
  const ids = chartIds(charted);
  const charts = new Map(charted.map((v, i) => [v, readFileSync(join(dir, 'charts', `${ids[i]!}.png`))]));
  const page = join(dir, 'report.html');
  const html = readFileSync(page, 'utf8');
  const at = html.lastIndexOf('</main>');
  if (at < 0) throw new Error(`${page} has no </main> to put the sensitivity section before`);
  writeFileSync(page, `${html.slice(0, at)}${reportSectionHtml(s, charts)}${html.slice(at)}`);
}
