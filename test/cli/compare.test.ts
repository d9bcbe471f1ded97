/**
 * `vmisim compare DIR_A DIR_B`: B − A per alternative in both and per metric, paired on the seeds
 * when both folders come from the same experiment file with the same seeds, Welch otherwise,
 * Holm-corrected per metric across the alternatives. The expected figures are worked by hand in
 * the comments (Student t with 2 degrees of freedom has the closed-form CDF
 * F(t) = 1/2 + t / (2 √(2 + t²)), and t(0.975, 2) = 4.302653).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csv.js';
import { resultsWith } from '../fixtures/one-metric-results.js';
import type { ResultsFile } from '../../sim/results/types.js';

/** A folder holding `results` as its results.json. */
function folder(root: string, name: string, results: ResultsFile): string {
  mkdirSync(join(root, name));
  writeFileSync(join(root, name, 'results.json'), JSON.stringify(results));
  return name;
}

/** The CSV's rows as objects by column name. */
function csvObjects(path: string): Record<string, string>[] {
  const [head, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  return rows.map((r) => Object.fromEntries(head!.map((c, i) => [c, r[i]!])));
}

const A = { x: [10, 12, 14], y: [5, 5.1, 5.2], onlyA: [1, 2, 3] };
const B = { x: [11, 14, 15], y: [6, 6.2, 6.3], onlyB: [1, 2, 3] };

describe('vmisim compare', () => {
  it('pairs the seeds of the same experiment and Holm-corrects across the alternatives', () => {
    const dir = scratch();
    folder(dir, 'a', resultsWith(A));
    folder(dir, 'b', resultsWith(B));
    const r = vmisim(['compare', 'a', 'b', '--out', 'c.csv'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Test: paired t test on the seeds');
    expect(r.stdout).toContain('Only in A (not compared): onlyA');
    expect(r.stdout).toContain('Only in B (not compared): onlyB');
    const rows = csvObjects(join(dir, 'c.csv'));
    expect(rows.map((row) => row.alternative)).toEqual(['x', 'y']);
    const [x, y] = rows as [Record<string, string>, Record<string, string>];
    // x: differences 1, 2, 1 → mean 4/3, sd √(1/3), se 1/3, df 2; half-width 4.302653/3 = 1.434218;
    // t = 4, p = 2 (1 − F(4)) = 1 − 4/√18 = 0.057191.
    expect(x.test).toBe('paired');
    expect(Number(x.mean_a)).toBe(12);
    expect(Number(x.mean_b)).toBeCloseTo(40 / 3, 12);
    expect(Number(x.diff)).toBeCloseTo(4 / 3, 12);
    expect(Number(x.diff_ci95_lo)).toBeCloseTo(4 / 3 - 1.434218, 5);
    expect(Number(x.diff_ci95_hi)).toBeCloseTo(4 / 3 + 1.434218, 5);
    expect(Number(x.p)).toBeCloseTo(0.057191, 5);
    // y: differences 1, 1.1, 1.1 → mean 1.0667, se 0.033333, t = 32, p = 1 − 32/√1026 = 0.000975.
    expect(Number(y.p)).toBeCloseTo(0.000975, 6);
    // Holm over {0.000975, 0.057191}: the smaller × 2, the larger × 1 (and never below the smaller).
    expect(Number(y.p_holm)).toBeCloseTo(0.00195, 5);
    expect(Number(x.p_holm)).toBeCloseTo(0.057191, 5);
    // Higher is better: y rose significantly; x did not (and 4/3 is well outside x's 1 % margin).
    expect(y.verdict).toBe('better');
    expect(x.verdict).toBe('inconclusive');
    expect(Number(x.margin)).toBeCloseTo(0.12, 12);
  });

  it('uses Welch when the experiment files differ, and says so', () => {
    const dir = scratch();
    folder(dir, 'a', resultsWith(A));
    const other = resultsWith(B);
    other.experiment.fileHash = 'ab'.repeat(32);
    folder(dir, 'b', other);
    const r = vmisim(['compare', 'a', 'b', '--out', 'c.csv'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Test: Welch’s t test: the two come from different experiment files');
    const x = csvObjects(join(dir, 'c.csv'))[0]!;
    // A: mean 12, variance 4; B: mean 13.333, variance 4.3333. se² = 4/3 + 4.3333/3 = 2.7778;
    // df = 2.7778² / ((4/3)²/2 + (4.3333/3)²/2) = 7.7160 / 1.9321 = 3.9936.
    expect(x.test).toBe('welch');
    expect(Number(x.diff)).toBeCloseTo(4 / 3, 12);
    expect(Number(x.df)).toBeCloseTo(3.9936, 3);
  });

  it('replaces an earlier --out file whole', () => {
    const dir = scratch();
    folder(dir, 'a', resultsWith(A));
    folder(dir, 'b', resultsWith(B));
    writeFileSync(join(dir, 'c.csv'), 'old contents that are longer than the new ones\n'.repeat(100));
    expect(vmisim(['compare', 'a', 'b', '--out', 'c.csv'], dir).code).toBe(0);
    const text = readFileSync(join(dir, 'c.csv'), 'utf8');
    expect(text.startsWith('metric,unit,better,alternative,')).toBe(true);
    expect(text).not.toContain('old contents');
  });
});
