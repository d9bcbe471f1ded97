// The contract of a Kubernetes Indexed Job, run locally: N processes of `vmisim run --store DIR
// --shards N`, each given its JOB_COMPLETION_INDEX, fill a store; `vmisim merge` then writes an
// output byte for byte that of `vmisim run` on one machine (timings.json aside: wall times). A
// repeated shard computes nothing; a shard with an entry lost computes that run alone; a merge with
// a run missing lists it by index and hash and writes nothing.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, scratch, vmisim, type CliResult } from '../helpers/cli.js';
import { tree } from '../helpers/tree.js';
import { webExperiment } from '../helpers/web-experiment.js';

// Two alternatives × 3 seeds = 6 runs of well under a second each.
const EXP = webExperiment({
  name: 'idx',
  duration: '3s',
  seeds: 3,
  count: 2,
  dutyCycle: 0.6,
  compare: ['  rr: {}', '  credit: { host.scheduler: { policy: credit } }'],
});
const N = 3;
const ENTRY = /^[0-9a-f]{64}\.json$/;

/** `vmisim args` in the background with `env` added, so N shards run at once as pods would. */
function start(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('close', (code) => res({ code, stdout: out, stderr: err }));
  });
}

const withoutTimings = (t: Record<string, string>) =>
  Object.fromEntries(Object.entries(t).filter(([f]) => f !== 'timings.json'));

describe('N processes given JOB_COMPLETION_INDEX, then vmisim merge', () => {
  it('gives the bytes of a single-machine run; repeats compute only what is missing', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'idx.yaml'), EXP);
    const shardArgs = ['run', 'idx.yaml', '--store', 'store', '--shards', String(N), '--threads', '1'];
    const shards = await Promise.all(
      Array.from({ length: N }, (_, i) => start(shardArgs, dir, { JOB_COMPLETION_INDEX: String(i) })),
    );
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    // Every run computed once, by exactly one shard (6 runs of equal cost: 2 per shard).
    shards.forEach((s, i) =>
      expect(s.stderr).toContain(
        `shard ${i}/${N} (from JOB_COMPLETION_INDEX): 2 of 6 runs, 0 already in store, 2 to compute`,
      ),
    );
    expect(readdirSync(join(dir, 'store')).filter((f) => ENTRY.test(f))).toHaveLength(6);

    const merged = vmisim(
      ['merge', 'idx.yaml', '--store', 'store', '--out', 'merged', '--threads', '2'],
      dir,
    );
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toContain('reused 6 of 6 runs from store');
    const plain = vmisim(['run', 'idx.yaml', '--out', 'plain', '--threads', '2'], dir);
    expect(plain.code, plain.stderr).toBe(0);
    const plainTree = tree(join(dir, 'plain'));
    expect(Object.keys(plainTree)).toContain('results.json');
    expect(Object.keys(plainTree)).toContain('timings.json');
    expect(withoutTimings(tree(join(dir, 'merged')))).toEqual(withoutTimings(plainTree));

    // A repeated shard (a retried pod) computes nothing.
    const again = vmisim(shardArgs, dir, { JOB_COMPLETION_INDEX: '1' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('2 of 6 runs, 2 already in store, 0 to compute');

    // A lost entry: merge lists it (index, hash) and writes nothing; its shard recomputes it alone.
    const plan = JSON.parse(vmisim(['plan', 'idx.yaml', '--shards', String(N), '--json'], dir).stdout) as {
      runs: { index: number; hash: string; shard: number; runId: string }[];
    };
    const lost = plan.runs[4]!;
    rmSync(join(dir, 'store', `${lost.hash}.json`));
    const incomplete = vmisim(['merge', 'idx.yaml', '--store', 'store', '--out', 'merged2'], dir);
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toContain('1 of 6 runs are not in store');
    expect(incomplete.stderr).toContain(`  4\t${lost.hash}\t${lost.runId}\n`);
    expect(existsSync(join(dir, 'merged2'))).toBe(false);
    const redo = vmisim(shardArgs, dir, { JOB_COMPLETION_INDEX: String(lost.shard) });
    expect(redo.code, redo.stderr).toBe(0);
    expect(redo.stderr).toContain('2 of 6 runs, 1 already in store, 1 to compute');
    expect(redo.stderr).toContain(`${lost.runId} ok`);
    const remerged = vmisim(
      ['merge', 'idx.yaml', '--store', 'store', '--out', 'merged2', '--threads', '2'],
      dir,
    );
    expect(remerged.code, remerged.stderr).toBe(0);
    expect(withoutTimings(tree(join(dir, 'merged2')))).toEqual(withoutTimings(plainTree));
  });
});
