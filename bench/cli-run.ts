/**
 * Runs the vmisim CLI (dist/sim/cli/main.js) as a child process and times it, for the benchmarks
 * that measure what a user of `vmisim run` / `vmisim report` sees: the worker pool, the writing
 * of the output directory. A child process, not a call in this one, so that the pool starts as it
 * does for a user and this process's heap (PHOLD, the dense host) is not in the way.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, beside this file's compiled copy in dist/bench/. */
export const CLI = fileURLToPath(new URL('../sim/cli/main.js', import.meta.url));

export interface CliTiming {
  /**
   * `vmisim run` only: wall seconds from spawning the process to the progress line of its last
   * run (`[n/n] …`), i.e. start-up, pool and simulation, without the results and report that
   * are written after it. The CLI has no flag to skip the report, and its own timings.json
   * includes the report, so the progress lines (one per finished run when stderr is not a
   * terminal) are the clock. undefined for other commands.
   */
  runsDoneWallS: number | undefined;
  /** Wall seconds from spawn to exit. */
  totalWallS: number;
}

/**
 * Runs `node CLI ...args` from `cwd`, resolving with its timings once it exits with status 0;
 * rejects with its stderr otherwise.
 */
export function timeCli(args: string[], cwd: string): Promise<CliTiming> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - t0) / 1e9;
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let pending = '';
    let runsDoneWallS: number | undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // `[16/16] alt/seed-8 ok (1.42 s)`: the last run finished (see sim/cli/progress.ts).
        const m = /^\[(\d+)\/(\d+)\] /.exec(line);
        if (m !== null && m[1] === m[2]) runsDoneWallS = since();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const totalWallS = since();
      if (code === 0) resolve({ runsDoneWallS, totalWallS });
      else reject(new Error(`vmisim ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}
