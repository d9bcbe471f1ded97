/**
 * `vmisim compare DIR_A DIR_B [--out FILE]`: compares two output folders (each holding a
 * results.json) — every alternative in both, every metric — and prints a table per metric: mean A,
 * mean B, B − A with its 95 % interval, the test, the Holm-adjusted p-value and the verdict
 * (reports/compare-folders.ts states the method). `--out FILE` also writes the table as CSV,
 * atomically (a temporary file renamed into place).
 *
 * A missing folder, a folder without a valid results.json, or two with no alternative or no metric
 * in common is bad input: one message, exit 2, nothing written. A FILE that cannot be written is
 * exit 3.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../options/input-error.js';
import { fsProblem } from '../options/fs-problem.js';
import type { ResultsFile } from '../results/types.js';
import { EXIT_OUTPUT_FAILED, OutputError } from '../runner/output-error.js';
import { writeAtomic } from '../runner/run-cache.js';
import { formatNumber } from '../../reports/aggregate.js';
import { FAMILY_ALPHA } from '../../reports/comparison.js';
import {
  compareFolders,
  compareFoldersCsv,
  type FolderComparison,
  type FolderComparisonRow,
} from '../../reports/compare-folders.js';
import { readResultsFolder } from './read-results.js';

function readFolder(dir: string): ResultsFile {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info === undefined) throw new InputError({ file: dir }, undefined, 'no such folder');
  if (!info.isDirectory())
    throw new InputError({ file: dir }, undefined, 'not a folder (give the output folder of a vmisim run)');
  return readResultsFolder(dir);
}

/** Left-aligned columns, two spaces apart, numbers right-aligned. */
function textTable(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  return rows
    .map(
      (r) =>
        '  ' +
        r
          .map((cell, c) => {
            const pad = ' '.repeat(widths[c]! - [...cell].length);
            return right.has(c) ? pad + cell : cell + pad;
          })
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

const num = (x: number | undefined) => (x === undefined ? '–' : formatNumber(x));
const signed = (x: number) => (x > 0 ? `+${formatNumber(x)}` : formatNumber(x));
const pText = (p: number | undefined) => (p === undefined ? '–' : p < 0.001 ? '<0.001' : p.toFixed(3));

function rowCells(r: FolderComparisonRow): string[] {
  const d = r.diff;
  return [
    r.alternative,
    `${num(r.meanA)} (n=${r.nA})`,
    `${num(r.meanB)} (n=${r.nB})`,
    d === undefined ? '–' : signed(d.mean),
    d === undefined ? '–' : `${formatNumber(d.lo)} … ${formatNumber(d.hi)}`,
    d?.method ?? '–',
    pText(r.pHolm),
    r.verdict,
  ];
}

const describe = (label: string, dir: string, r: ResultsFile) =>
  `${label}: ${dir} — experiment ${JSON.stringify(r.experiment.name)}, seeds ${r.experiment.seeds.join(', ')}, ${r.experiment.alternatives.length} alternatives`;

/** The comparison as text for a terminal. */
export function compareText(
  c: FolderComparison,
  dirA: string,
  a: ResultsFile,
  dirB: string,
  b: ResultsFile,
): string {
  const better = (m: FolderComparisonRow['metric']) =>
    m.better === 'neither' ? 'no better direction' : `${m.better} is better`;
  const blocks = c.metrics.map((m) => {
    const rows = c.rows.filter((r) => r.metric.id === m.id);
    const head = ['alternative', 'mean A', 'mean B', 'B − A', '95 % interval', 'test', 'p (Holm)', 'B vs A'];
    return `${m.id} (${m.unit}, ${better(m)})\n${textTable([head, ...rows.map(rowCells)], new Set([1, 2, 3, 6]))}`;
  });
  const notes = [
    c.onlyA.length > 0 ? `Only in A (not compared): ${c.onlyA.join(', ')}` : '',
    c.onlyB.length > 0 ? `Only in B (not compared): ${c.onlyB.join(', ')}` : '',
    c.metricsNotCompared.length > 0
      ? `Metrics not in both with the same unit (not compared): ${c.metricsNotCompared.join(', ')}`
      : '',
  ].filter((s) => s !== '');
  return [
    describe('A', dirA, a),
    describe('B', dirB, b),
    `Test: ${c.pairingReason}.`,
    `Per metric, p-values are Holm-corrected across the ${c.alternatives.length} alternatives compared (family-wise α = ${FAMILY_ALPHA}); ` +
      'B is equivalent to A when B − A is shown to lie within the report’s margin (max(1 % of A’s mean, a floor per unit), or A’s margins:).',
    '',
    blocks.join('\n\n'),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
  ].join('\n');
}

export function compareCommand(
  dirA: string,
  dirB: string,
  flags: { out?: string },
  print: (s: string) => void,
): number {
  const a = readFolder(dirA);
  const b = readFolder(dirB);
  const c = compareFolders(a, b);
  if (c.alternatives.length === 0)
    throw new InputError(
      { file: dirB },
      undefined,
      `no alternative of ${dirA} (${a.experiment.alternatives.join(', ')}) is in it (${b.experiment.alternatives.join(', ')}); alternatives are matched by name`,
    );
  if (c.metrics.length === 0)
    throw new InputError({ file: dirB }, undefined, `no metric of ${dirA} is in it with the same unit`);
  if (flags.out !== undefined) {
    try {
      writeAtomic(resolve(flags.out), compareFoldersCsv(c));
    } catch (e) {
      throw new OutputError(
        `cannot write ${flags.out}: ${fsProblem(e, flags.out) ?? String(e)}`,
        EXIT_OUTPUT_FAILED,
      );
    }
  }
  print(compareText(c, dirA, a, dirB, b));
  return 0;
}
