// Bad shard input is refused before anything runs — exit 2, one message naming the flag or the
// environment variable and what was found, the store untouched: a malformed --shard, an index out
// of range, an index variable that is not a number, two index variables that disagree, a --shards
// that is not the array's size, shard flags without --store, a bad SLURM_CPUS_PER_TASK. And a store
// entry whose result does not match its digest is recomputed by its shard, never merged.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';
import { selectShard } from '../../sim/cli/shard-selection.js';
import { shardThreads } from '../../sim/cli/shard-command.js';
import { InputError } from '../../sim/options/input-error.js';
import { webExperiment } from '../helpers/web-experiment.js';

const EXP = webExperiment({ name: 'h', duration: '2s', seeds: 2 });

/** The message selectShard refuses with (or 'accepted: …'). */
function refusal(flags: { shard?: string; shards?: string }, env: NodeJS.ProcessEnv = {}): string {
  try {
    return `accepted: ${JSON.stringify(selectShard(flags, env))}`;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.message;
  }
}

describe('shard selection refuses bad input with a located message', () => {
  it.each([
    [{ shard: '3/3' }, {}, "--shard: shards are numbered 0 … 2, found 3 in '3/3'"],
    [{ shard: '1' }, {}, "--shard: expected I/N (shard I of N, counted from 0), found '1'"],
    [{ shard: 'a/2' }, {}, "--shard: expected a whole number ≥ 0, found 'a'"],
    [{ shard: '-1/2' }, {}, "--shard: expected a whole number ≥ 0, found '-1'"],
    [{ shard: '0/0' }, {}, "--shard: expected a whole number ≥ 1, found '0'"],
    [{ shard: '0/2', shards: '2' }, {}, '--shards: give either --shard I/N or --shards N, not both'],
    [
      { shards: '3' },
      { JOB_COMPLETION_INDEX: 'x' },
      "JOB_COMPLETION_INDEX: expected a whole number ≥ 0, found 'x'",
    ],
    [
      { shards: '3' },
      { JOB_COMPLETION_INDEX: '3' },
      'JOB_COMPLETION_INDEX: JOB_COMPLETION_INDEX=3, but shards are numbered 0 … 2 (N = 3); arrays must start at 0',
    ],
    [
      { shards: '3' },
      { SLURM_ARRAY_TASK_ID: '1', JOB_COMPLETION_INDEX: '2' },
      'JOB_COMPLETION_INDEX: SLURM_ARRAY_TASK_ID=1 but JOB_COMPLETION_INDEX=2: which shard is this?',
    ],
    [
      { shards: '3' },
      { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' },
      '--shards: --shards 3 but the job array has SLURM_ARRAY_TASK_COUNT=4 tasks',
    ],
    [
      {},
      { SLURM_ARRAY_TASK_ID: '1' },
      'SLURM_ARRAY_TASK_ID: SLURM_ARRAY_TASK_ID=1 gives the shard index, but not how many shards: pass --shards N',
    ],
    [
      { shards: '3' },
      {},
      '--shards: the shard index comes from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or --shard I/N, and none is set',
    ],
    [
      {},
      { AWS_BATCH_JOB_ARRAY_INDEX: '2', SLURM_ARRAY_TASK_COUNT: 'many' },
      "SLURM_ARRAY_TASK_COUNT: expected a whole number ≥ 1, found 'many'",
    ],
  ])('%j with %j', (flags, env, message) => {
    expect(refusal(flags, env)).toContain(message);
  });

  it('takes the flag over the environment, and the environment in its documented order', () => {
    expect(refusal({ shard: '2/5' }, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' })).toBe(
      'accepted: {"index":2,"count":5,"from":"--shard"}',
    );
    expect(
      refusal({}, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3', JOB_COMPLETION_INDEX: '1' }),
    ).toBe('accepted: {"index":1,"count":3,"from":"SLURM_ARRAY_TASK_ID"}');
    expect(refusal({ shards: '4' }, { AWS_BATCH_JOB_ARRAY_INDEX: '3' })).toBe(
      'accepted: {"index":3,"count":4,"from":"AWS_BATCH_JOB_ARRAY_INDEX"}',
    );
    expect(refusal({}, {})).toBe('accepted: undefined');
  });

  it('takes threads from SLURM_CPUS_PER_TASK unless --threads says otherwise, and refuses a bad one', () => {
    expect(shardThreads(undefined, { SLURM_CPUS_PER_TASK: '3' })).toBe(3);
    expect(shardThreads(2, { SLURM_CPUS_PER_TASK: '3' })).toBe(2);
    expect(() => shardThreads(undefined, { SLURM_CPUS_PER_TASK: '0' })).toThrow(
      "SLURM_CPUS_PER_TASK: expected a whole number ≥ 1, found '0'",
    );
  });
});

describe('vmisim run --store with bad shard input', () => {
  it.each([
    [
      ['--store', 'store', '--shard', '2/2'],
      {},
      "vmisim: --shard: shards are numbered 0 … 1, found 2 in '2/2'\n",
    ],
    [
      ['--store', 'store', '--shards', '2'],
      { JOB_COMPLETION_INDEX: 'one' },
      "vmisim: JOB_COMPLETION_INDEX: expected a whole number ≥ 0, found 'one'\n",
    ],
    [
      ['--store', 'store', '--shards', '2'],
      { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '3' },
      'vmisim: --shards: --shards 2 but the job array has SLURM_ARRAY_TASK_COUNT=3 tasks',
    ],
    [['--shard', '0/2'], {}, 'vmisim: --shard: needs --store DIR, the run store the shards share\n'],
    [['--store', 'store', '--out', 'o'], {}, 'vmisim: --out: not with --store'],
    [
      ['--store', 'store'],
      { SLURM_CPUS_PER_TASK: 'all' },
      "vmisim: SLURM_CPUS_PER_TASK: expected a whole number ≥ 1, found 'all'\n",
    ],
  ])('%j %j: exit 2, nothing stored', (flags, env, message) => {
    const dir = scratch();
    writeFileSync(join(dir, 'h.yaml'), EXP);
    const r = vmisim(['run', 'h.yaml', ...flags], dir, {
      SLURM_ARRAY_TASK_ID: '',
      JOB_COMPLETION_INDEX: '',
      AWS_BATCH_JOB_ARRAY_INDEX: '',
      SLURM_ARRAY_TASK_COUNT: '',
      SLURM_CPUS_PER_TASK: '',
      ...env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'store'))).toBe(false);
  });
});

describe('a store entry whose result does not match its digest', () => {
  it('is not merged, and its shard recomputes it', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'h.yaml'), EXP);
    const shard = ['run', 'h.yaml', '--store', 'store', '--shard', '0/1', '--threads', '1'];
    expect(vmisim(shard, dir).code).toBe(0);
    const plan = JSON.parse(vmisim(['plan', 'h.yaml', '--json'], dir).stdout) as {
      runs: { index: number; hash: string; runId: string }[];
    };
    const victim = plan.runs[1]!;
    const path = join(dir, 'store', `${victim.hash}.json`);
    const entry = JSON.parse(readFileSync(path, 'utf8')) as {
      result: { summary: { metrics: Record<string, number> } };
    };
    const metrics = entry.result.summary.metrics;
    const first = Object.keys(metrics)[0]!;
    metrics[first] = metrics[first]! + 1000;
    writeFileSync(path, JSON.stringify(entry));

    const merge = vmisim(['merge', 'h.yaml', '--store', 'store', '--out', 'out'], dir);
    expect(merge.code).toBe(1);
    expect(merge.stderr).toContain(`warning: run ${victim.runId}: cached result does not match its digest`);
    expect(merge.stderr).toContain(`  1\t${victim.hash}\t${victim.runId}\n`);
    expect(existsSync(join(dir, 'out'))).toBe(false);

    const again = vmisim(shard, dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('2 of 2 runs, 1 already in store, 1 to compute');
    expect(again.stderr).toContain(`${victim.runId} ok`);
    expect(vmisim(['merge', 'h.yaml', '--store', 'store', '--out', 'out'], dir).code).toBe(0);
  });
});
