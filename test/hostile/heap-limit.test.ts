// Under a small JavaScript heap (node --max-old-space-size=64), `vmisim run` of an experiment just
// under the memory guard completes, and one just over it — or with a run too large for a worker
// thread — is refused before any run starts (exit 2, one sentence naming the heap limit and how to
// raise it); `vmisim report` of a results.json too large to parse is refused too. Never a V8 abort
// ("FATAL ERROR: Reached heap limit", exit 134).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateMemory, memoryProblem } from '../../sim/experiment/estimate.js';
import { loadExperimentText } from '../../sim/experiment/load.js';
import { serializeResults } from '../../reports/results-json.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';
import { CLI, scratch, type CliResult } from '../helpers/cli.js';

const SMALL_HEAP = '--max-old-space-size=64';

/** `vmisim ...args` in a Node whose heap is SMALL_HEAP. */
function smallHeapVmisim(args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [SMALL_HEAP, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The heap limit V8 gives under SMALL_HEAP (the old space asked for plus its young generation). */
const heapLimitBytes = Number(
  spawnSync(process.execPath, [SMALL_HEAP, '-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], {
    encoding: 'utf8',
  }).stdout,
);
const limits = { totalBytes: totalmem(), heapLimitBytes };

/**
 * One idle guest sampled every 100 ms for `minutes`, ten seeds: long runs whose series are what
 * weighs, more than one so that holding every finished run's series (not one at a time) would show.
 */
const longRun = (minutes: number) => `name: long
duration: ${minutes}m
sampleInterval: 100ms
seeds: 10
host: { pcpus: 1, memory: 2GiB }
guests:
  - { name: g, memory: 512MiB, workload: { type: idle } }
`;
const fits = (yaml: string) => memoryProblem(loadExperimentText('t.yaml', yaml), 2, limits) === undefined;

/** The longest run, in whole minutes, that the guard lets through under SMALL_HEAP. */
function longestAdmitted(): number {
  let m = 1;
  while (fits(longRun(m + 1))) m++;
  return m;
}

const never = (r: CliResult) => {
  expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory|Reached heap limit/);
  expect(r.code).not.toBe(134);
};

describe('a small JavaScript heap', () => {
  expect(heapLimitBytes).toBeGreaterThan(64 * 1024 ** 2);
  expect(heapLimitBytes).toBeLessThan(256 * 1024 ** 2);
  const minutes = longestAdmitted();

  it('runs an experiment just under the guard to the end', () => {
    const exp = loadExperimentText('t.yaml', longRun(minutes));
    // Just under: most of the heap is what the guard counts on.
    expect(estimateMemory(exp, 2).mainHeapBytes).toBeGreaterThan(0.85 * heapLimitBytes);
    const dir = scratch();
    writeFileSync(join(dir, 'under.yaml'), longRun(minutes));
    const r = smallHeapVmisim(['run', 'under.yaml', '--out', 'out/under', '--threads', '2'], dir);
    never(r);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'out', 'under', 'report.html'))).toBe(true);
    expect(readdirSync(join(dir, 'out', 'under', 'series'))).toHaveLength(10);
  }, 600_000);

  it('refuses one just over it before any run starts, saying what it needs and how to raise the limit', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'over.yaml'), longRun(minutes + 1));
    const r = smallHeapVmisim(['run', 'over.yaml', '--out', 'out/over', '--threads', '2'], dir);
    never(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^vmisim: over\.yaml: this experiment's results would need about [\d.]+MiB of the main process's JavaScript heap \(10 runs × \d+ samples × 23 series, 1 guests\), more than its limit of [\d.]+MiB; raise it with NODE_OPTIONS=--max-old-space-size=\d+ \(MiB\), or use a longer sampleInterval or fewer guests\n$/,
    );
    // Nothing started: no output, no run cache.
    expect(readdirSync(dir)).toEqual(['over.yaml']);
  });

  it('refuses a run too large for a worker thread before it starts', () => {
    const dir = scratch();
    const many = `name: many
duration: 10s
host: { pcpus: 8, memory: 1024GiB }
guests:
  - { name: 'g-{i}', count: 800, memory: 1GiB, workload: { type: idle } }
`;
    expect(estimateMemory(loadExperimentText('t.yaml', many), 1).workerHeapBytes).toBeGreaterThan(
      heapLimitBytes,
    );
    writeFileSync(join(dir, 'many.yaml'), many);
    const r = smallHeapVmisim(['run', 'many.yaml', '--out', 'out/many'], dir);
    never(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^vmisim: many\.yaml: one run would need about [\d.]+MiB of JavaScript heap in its worker thread \(800 guests, 10 samples × \d+ series\), more than the heap limit of [\d.]+MiB; raise it with NODE_OPTIONS=--max-old-space-size=\d+ \(MiB\)/,
    );
    expect(readdirSync(dir)).toEqual(['many.yaml']);
  });

  it('refuses to render a results.json too large to parse, leaving the directory as it was', () => {
    const dir = join(scratch(), 'big');
    mkdirSync(dir);
    // Four runs of 40,000 samples: a results.json of tens of MiB, valid in every byte.
    writeFileSync(join(dir, 'results.json'), serializeResults(makeFixtureResults({ samples: 40_000 })));
    const r = smallHeapVmisim(['report', 'big'], join(dir, '..'));
    never(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^vmisim: big\/results\.json: results\.json is [\d.]+MiB: rendering its report would need about [\d.]+MiB of JavaScript heap, more than this process's limit of [\d.]+MiB; raise it with NODE_OPTIONS=--max-old-space-size=\d+ \(MiB\)\n$/,
    );
    expect(readdirSync(dir)).toEqual(['results.json']);
  });
});
