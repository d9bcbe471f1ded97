// A shard told to stop by SIGTERM — Slurm's --signal before the time limit, `scontrol requeue`,
// preemption, a Kubernetes pod's termination — takes no new run, keeps every finished run in the
// store, exits 143, and the same command then computes only the runs the store lacks. The signal is
// a real SIGTERM to the process, sent once its first run is stored.
import { describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, startVmisim, vmisim } from '../helpers/cli.js';
import { webExperiment } from '../helpers/web-experiment.js';

// 6 seeds on 1 thread, each run a second or more: the signal lands with runs left to do.
const EXP = webExperiment({ name: 'term', duration: '20s', seeds: 6, count: 3, dutyCycle: 0.7 });
const ENTRY = /^[0-9a-f]{64}\.json$/;

describe('vmisim run --store on SIGTERM', () => {
  it('stores its finished runs, exits 143, and the same command computes only the rest', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'term.yaml'), EXP);
    const args = ['run', 'term.yaml', '--store', 'store', '--shard', '0/1', '--threads', '1'];
    const shard = startVmisim(args, dir);
    await shard.waitForStderr(/, stored$/m);
    shard.child.kill('SIGTERM');
    const stopped = await shard.exited;
    expect(stopped.code, stopped.stderr).toBe(143);
    const m =
      /^SIGTERM: stopped; (\d) of 6 runs computed now are in store; the same command computes the (\d) others$/m.exec(
        stopped.stderr,
      );
    expect(m, stopped.stderr).not.toBeNull();
    const kept = Number(m![1]);
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(6);
    expect(Number(m![2])).toBe(6 - kept);
    // Every run it reported stored is a whole entry; no temporary file is left.
    expect(stopped.stderr.match(/, stored$/gm)).toHaveLength(kept);
    const files = readdirSync(join(dir, 'store'));
    expect(files.filter((f) => ENTRY.test(f))).toHaveLength(kept);
    expect(files.filter((f) => !ENTRY.test(f))).toEqual([]);

    const rest = vmisim(args, dir);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stderr).toContain(`6 of 6 runs, ${kept} already in store, ${6 - kept} to compute`);
    expect(rest.stderr.match(/, stored$/gm)).toHaveLength(6 - kept);
  });
});
