// Runs the built `vmisim` command (npm test builds first) as a user would, in a scratch folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/sim/cli/main.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `vmisim args` in `cwd`; `env` adds variables to this process's environment. */
export function vmisim(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'vmisim-test-'));
}

/** A `vmisim` started in the background, for tests that signal it while it runs. */
export interface RunningCli {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves once stderr matches `re` at least `count` times; rejects if the process ends first. */
  waitForStderr(re: RegExp, count?: number): Promise<void>;
  /** Resolves with the exit code (null if killed by a signal) and the whole stderr. */
  exited: Promise<CliResult>;
  /**
   * Ctrl-C as a terminal sends it: SIGINT to every process of the command's group (the command and
   * the processes it started). Only for a command started with `{ group: true }`.
   */
  interrupt(): void;
}

export function startVmisim(args: string[], cwd: string, opts: { group?: boolean } = {}): RunningCli {
  // detached: a process group of its own, so interrupt() reaches its children and not this test.
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group === true,
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<CliResult>((res) =>
    child.on('close', (code) => res({ code, stdout: out, stderr: err })),
  );
  const matches = (re: RegExp) =>
    err.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))?.length ?? 0;
  return {
    child,
    stderr: () => err,
    waitForStderr(re, count = 1) {
      return new Promise<void>((res, rej) => {
        const check = () => {
          if (matches(re) < count) return;
          child.stderr!.off('data', check);
          res();
        };
        child.stderr!.on('data', check);
        void exited.then(() => rej(new Error(`vmisim exited before ${count} × ${re}:\n${err}`)));
        check();
      });
    },
    exited,
    interrupt() {
      if (opts.group !== true) throw new Error('interrupt() needs startVmisim(…, { group: true })');
      process.kill(-child.pid!, 'SIGINT');
    },
  };
}
