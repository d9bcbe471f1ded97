// A run-cache entry whose numbers were edited by hand — still valid JSON, with the right spec hash
// and versions — is not reused: the run warns, recomputes it, and ships the numbers the model
// gives (results.json byte for byte as without the edit).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';

const EXP = `name: t
duration: 3s
seeds: 3
host: { pcpus: 2, memory: 3GiB }
guests:
  - name: web-{i}
    count: 2
    memory: 1GiB
    workload: { type: constant, dutyCycle: 0.6, burst: 2ms, resident: 300MiB }
`;

interface Entry {
  result: { runId: string; summary: { metrics: Record<string, number> }; series: { values: number[][] } };
}

describe('a tampered run-cache entry', () => {
  it('is recomputed with a warning, and results.json is what the model gives', () => {
    const dir = scratch();
    writeFileSync(join(dir, 't.yaml'), EXP);
    const args = ['run', 't.yaml', '--out', 'out/t', '--threads', '1'];
    const first = vmisim(args, dir);
    expect(first.code, first.stderr).toBe(0);
    const results = () => readFileSync(join(dir, 'out', 't', 'results.json'), 'utf8');
    const untampered = results();

    // Edit one summary figure and one sample of one entry, as a hand edit would.
    const cache = join(dir, 'out', '.t.runs');
    const path = join(cache, readdirSync(cache).sort()[0]!);
    const entry = JSON.parse(readFileSync(path, 'utf8')) as Entry;
    const { runId, summary, series } = entry.result;
    const metric = Object.keys(summary.metrics)[0]!;
    summary.metrics[metric] = summary.metrics[metric]! + 1000;
    series.values[0]![0] = series.values[0]![0]! + 1;
    writeFileSync(path, JSON.stringify(entry));
    expect(untampered).not.toContain(`"${metric}": ${summary.metrics[metric]}`);

    const again = vmisim(args, dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(
      `warning: run ${runId}: cached result does not match its digest (edited or damaged); recomputing\n`,
    );
    expect(again.stderr).toContain(
      'reused 2 of 3 runs from out/.t.runs; 1 altered (digest mismatch) recomputed\n',
    );
    const timings = JSON.parse(readFileSync(join(dir, 'out', 't', 'timings.json'), 'utf8')) as {
      reused: number;
      computed: number;
    };
    expect([timings.reused, timings.computed]).toEqual([2, 1]);
    expect(results()).toBe(untampered);
    // The entry was written again from the recomputed run: the next run reuses all three.
    const third = vmisim(args, dir);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain('reused 3 of 3 runs from out/.t.runs\n');
    expect(results()).toBe(untampered);
  }, 120_000);
});
