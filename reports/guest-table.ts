/**
 * A per-guest table with grouped columns, one per alternative (the first open), means over the
 * alternative's successful seeds — the shape of the report's "CPU, steal and guest clocks" and
 * "Memory" sections. Rendered from results only; every value escaped.
 */
import type { GuestSummary, ResultsFile, RunResult } from '../sim/results/types.js';
import { escapeHtml as e } from './escape.js';
import { alternativeOrder, formatNumber } from './aggregate.js';

export interface Column {
  head: string;
  title: string;
  value: (g: GuestSummary) => number;
}

export interface Group {
  head: string;
  columns: Column[];
}

function mean(xs: number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The text column after the guest's name (e.g. its clock kind). */
export interface LabelColumn {
  head: string;
  value: (g: GuestSummary) => string;
}

/** A text column at the end, computed from all of a guest's successful runs (e.g. their means). */
export interface TrailingColumn {
  head: string;
  title: string;
  value: (runs: GuestSummary[]) => string;
}

function altTable(
  runs: RunResult[],
  guests: string[],
  groups: Group[],
  label: LabelColumn,
  trailing: TrailingColumn | undefined,
): string {
  const rows = guests.map((name) => {
    const gs = runs.flatMap((r) => r.summary?.guests.filter((g) => g.name === name) ?? []);
    if (gs.length === 0) return '';
    const cells = groups
      .flatMap((grp) =>
        grp.columns.map(
          (c, i) =>
            `<td class="num${i === 0 ? ' group-start' : ''}">${e(formatNumber(mean(gs.map(c.value))))}</td>`,
        ),
      )
      .join('');
    const tail = trailing === undefined ? '' : `<td class="text group-start">${e(trailing.value(gs))}</td>`;
    return `<tr><td class="name">${e(name)}</td><td>${e(label.value(gs[0]!))}</td>${cells}${tail}</tr>`;
  });
  const groupHead = groups
    .map((g) => `<th class="group-start" colspan="${g.columns.length}">${e(g.head)}</th>`)
    .join('');
  const head = groups
    .flatMap((g) =>
      g.columns.map(
        (c, i) => `<th${i === 0 ? ' class="group-start"' : ''} title="${e(c.title)}">${e(c.head)}</th>`,
      ),
    )
    .join('');
  const tailHead =
    trailing === undefined
      ? ''
      : `<th rowspan="2" class="group-start" title="${e(trailing.title)}">${e(trailing.head)}</th>`;
  return `<div class="scroll"><table class="data grouped"><thead><tr><th rowspan="2">Guest</th><th rowspan="2">${e(label.head)}</th>${groupHead}${tailHead}</tr><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * One `<details>` per alternative with its per-guest table. `groups` may depend on the runs (e.g.
 * counters only some schedulers keep); `label` is the second column.
 */
export function perGuestBlocks(
  r: ResultsFile,
  groups: (runs: RunResult[]) => Group[],
  label: LabelColumn,
  trailing?: TrailingColumn,
): string {
  const guests = r.experiment.guests.map((g) => g.name);
  return alternativeOrder(r)
    .map((a, i) => {
      const runs = r.runs.filter((x) => x.alternative === a && x.status === 'ok');
      if (runs.length === 0) return '';
      return `<details${i === 0 ? ' open' : ''}><summary>${e(a)} <span class="note">(${runs.length} seed${runs.length === 1 ? '' : 's'})</span></summary>${altTable(runs, guests, groups(runs), label, trailing)}</details>`;
    })
    .join('');
}
