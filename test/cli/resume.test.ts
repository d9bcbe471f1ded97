// Resume after Ctrl-C: finished runs survive in the run cache beside the output (out/.<name>.runs),
// the previous output stays untouched, and re-running reuses them — giving the same results.json
// bytes as an uninterrupted run. Also --fresh, and cache files that are corrupt or outdated.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, scratch, startVmisim, vmisim } from '../helpers/cli.js';

// One alternative × N seeds, each well under a second of wall time: long enough that a Ctrl-C
// after the second run lands before the sixth, short enough for a test.
const EXP = (seeds: number, duration: string) => `name: resume
duration: ${duration}
seeds: ${seeds}
host: { pcpus: 2, memory: 3GiB }
guests:
  - name: web-{i}
    count: 3
    memory: 1GiB
    workload: { type: constant, dutyCycle: 0.7, burst: 2ms, resident: 300MiB }
`;

/** The plain line of one computed run (stderr is not a terminal here). */
const RUN_LINE = /^\[\d+\/\d+\] default\/seed-\d+ ok \(/gm;
const ENTRY = /^[0-9a-f]{64}\.json$/;

interface Timings {
  reused: number;
  computed: number;
  runs: { runId: string; wallS: number; reused?: true }[];
}

const timingsOf = (out: string) => JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8')) as Timings;
const runLines = (stderr: string) => stderr.match(RUN_LINE)?.length ?? 0;
const mtimes = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));

describe('vmisim run: resume', () => {
  it('Ctrl-C keeps finished runs and the old output; re-running reuses them, same bytes', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'exp.yaml'), EXP(6, '20s'));
    const out = join(dir, 'out');
    const cache = join(out, '.k.runs');
    // A previous output (of vmisim 0.1, without the marker), which the interrupted run must leave as it is.
    const previous = '{ "formatVersion": 1, "vmisimVersion": "0.1.0", "runs": [] }\n';
    mkdirSync(join(out, 'k'), { recursive: true });
    writeFileSync(join(out, 'k', 'results.json'), previous);

    const run = startVmisim(['run', 'exp.yaml', '--out', 'out/k', '--threads', '1'], dir);
    await run.waitForStderr(RUN_LINE, 2);
    run.child.kill('SIGINT');
    const killed = await run.exited;
    expect(killed.code, killed.stderr).toBe(130);
    const kept = Number(
      /interrupted: (\d+) of 6 finished runs kept in out\/\.k\.runs/.exec(killed.stderr)?.[1],
    );
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(6);
    expect(readdirSync(out).sort()).toEqual(['.k.runs', 'k']); // no temporary output directory
    expect(readdirSync(join(out, 'k'))).toEqual(['results.json']);
    expect(readFileSync(join(out, 'k', 'results.json'), 'utf8')).toBe(previous);
    const entries = readdirSync(cache);
    expect(entries).toHaveLength(kept);
    expect(entries.filter((f) => !ENTRY.test(f))).toEqual([]); // no half-written cache file
    const before = mtimes(cache);

    // The same command again: the kept runs are reused (not recomputed, not rewritten).
    const resumed = vmisim(['run', 'exp.yaml', '--out', 'out/k', '--threads', '1'], dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`reused ${kept} of 6 runs from out/.k.runs\n`);
    expect(runLines(resumed.stderr)).toBe(6 - kept);
    const t = timingsOf(join(out, 'k'));
    expect([t.reused, t.computed]).toEqual([kept, 6 - kept]);
    expect(t.runs.filter((r) => r.reused).length).toBe(kept);
    for (const [f, m] of Object.entries(before)) expect(statSync(join(cache, f)).mtimeMs, f).toBe(m);
    expect(readdirSync(cache)).toHaveLength(6); // kept after success, for the next re-run

    // Byte for byte what an uninterrupted run gives.
    const fresh = vmisim(['run', 'exp.yaml', '--out', 'out/f', '--threads', '1', '--fresh'], dir);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(runLines(fresh.stderr)).toBe(6);
    const a = readFileSync(join(out, 'k', 'results.json'));
    expect(a.length).toBeGreaterThan(1000);
    expect(a.equals(readFileSync(join(out, 'f', 'results.json')))).toBe(true);
  }, 180_000);

  it('Ctrl-C while the report is written (to the whole process group): every run kept, no output, no stray process', async () => {
    const dir = scratch();
    // Eight alternatives: the metric charts and the overview, drawn after the last run, take a
    // second or more on two render processes, so the Ctrl-C lands while they are drawn.
    writeFileSync(join(dir, 'exp.yaml'), `${EXP(1, '5s')}sweep:\n  host.pcpus: [1, 2, 3, 4, 5, 6, 7, 8]\n`);
    const run = startVmisim(['run', 'exp.yaml', '--out', 'out/k', '--threads', '2'], dir, { group: true });
    await run.waitForStderr(/^report: rendering/m);
    run.interrupt();
    const killed = await run.exited;
    expect(killed.code, killed.stderr).toBe(130);
    expect(killed.stderr).toContain('interrupted: 8 of 8 finished runs kept in out/.k.runs');
    // No stack trace from a render process answering a pool that has gone.
    expect(killed.stderr).not.toMatch(/EPIPE|Error:|at /);
    // The render processes ended before the temporary output was removed: nothing was put back.
    expect(readdirSync(join(dir, 'out'))).toEqual(['.k.runs']);
    // No process of the group is left (signal 0 to the group: ESRCH when it has none).
    expect(() => process.kill(-run.child.pid!, 0)).toThrow(/ESRCH/);
  });

  it('--fresh recomputes everything; corrupt or outdated cache files are recomputed', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'exp.yaml'), EXP(3, '5s'));
    const args = ['run', 'exp.yaml', '--out', 'out/c', '--threads', '2'];
    const results = () => readFileSync(join(dir, 'out', 'c', 'results.json'));
    const first = vmisim(args, dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('reused');
    expect(runLines(first.stderr)).toBe(3);
    const baseline = results();

    // Truncate one entry, and make another come from a different vmisim version.
    const cache = join(dir, 'out', '.c.runs');
    const [e1, e2] = readdirSync(cache).sort();
    const p1 = join(cache, e1!);
    writeFileSync(p1, readFileSync(p1, 'utf8').slice(0, 500));
    const p2 = join(cache, e2!);
    const other = JSON.parse(readFileSync(p2, 'utf8')) as { vmisimVersion: string };
    other.vmisimVersion = '0.0.0-other';
    writeFileSync(p2, JSON.stringify(other));
    // Leftovers of a process killed outright (SIGKILL): a pid that cannot exist, so they are stale.
    const deadTmp = join(dir, 'out', '.c.tmp-2147483646');
    mkdirSync(deadTmp);
    writeFileSync(join(cache, `.${e1!}.tmp-2147483646`), '{"cacheFor');
    const repaired = vmisim(args, dir);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stderr).toContain(
      'reused 1 of 3 runs from out/.c.runs; 2 unreadable or outdated ignored\n',
    );
    expect(runLines(repaired.stderr)).toBe(2);
    expect(results().equals(baseline)).toBe(true);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.c.runs', 'c']);
    expect(readdirSync(cache).filter((f) => !ENTRY.test(f))).toEqual([]);
    // Both entries were rewritten whole.
    for (const p of [p1, p2]) {
      expect((JSON.parse(readFileSync(p, 'utf8')) as { vmisimVersion: string }).vmisimVersion).not.toBe(
        '0.0.0-other',
      );
    }

    const fresh = vmisim([...args, '--fresh'], dir);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).not.toContain('reused');
    expect(runLines(fresh.stderr)).toBe(3);
    expect(timingsOf(join(dir, 'out', 'c')).computed).toBe(3);
    expect(results().equals(baseline)).toBe(true);
  }, 180_000);
});

describe('a worker that dies', () => {
  it('fails only its own run; a new worker runs the rest', () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'wk.yaml'),
      'name: wk\nduration: 2s\nseeds: 4\nhost: { pcpus: 1, memory: 2GiB }\nguests:\n  - { name: g, memory: 512MiB, workload: { type: constant, resident: 100MiB } }\n',
    );
    // One thread: without a replacement, seeds 3 and 4 would never run.
    const r = spawnSync(process.execPath, [CLI, 'run', 'wk.yaml', '--threads', '1'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, VMISIM_TEST_KILL_WORKER_SEED: '2' },
      timeout: 600_000,
    });
    expect(r.status).toBe(1);
    const res = JSON.parse(readFileSync(join(dir, 'out', 'wk', 'results.json'), 'utf8')) as {
      runs: { seed: number; status: string; error?: string }[];
    };
    expect(res.runs.map((x) => [x.seed, x.status])).toEqual([
      [1, 'ok'],
      [2, 'failed'],
      [3, 'ok'],
      [4, 'ok'],
    ]);
    expect(res.runs[1]!.error).toMatch(/^the worker thread running it died \(worker exited with code: 3\)/);
  });
});
