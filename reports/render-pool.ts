/**
 * The report's render pool: chart files (PNG, SVG, PDF), overview.png, and each run's series CSV
 * and page script are written by reports/render-worker.ts tasks in `threads` render processes
 * (reports/render-child.ts; processes, not piscina threads, because node-canvas crashes the program
 * when a worker thread that loaded it ends), so rendering uses every core the user gave `--threads`. Everything that decides what a
 * file is called or holds is done here, on the caller's thread, in the report's order (file stems
 * made unique in the order charts are queued), so the files are the same whatever the thread count.
 *
 * Under the test runner (TypeScript sources, no compiled worker file) the tasks run on this thread,
 * one at a time: same function, same files.
 *
 * Memory: a `run` task holds that run's series until a render process has it, so at most one per
 * process is in flight and the next run is read only when one is done (sim/experiment/estimate.ts
 * counts the reader's one run; this adds at most `threads` more while they are sent).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import type { ChartSpec } from './chart-spec.js';
import { CHART_FORMATS, type ChartFormat } from './png.js';
import type { RenderReply, RenderRequest } from './render-child.js';
import renderTask, { type RenderTask } from './render-worker.js';

export interface RenderPoolOptions {
  threads: number;
  /** Called as each task is queued and as each finishes, with the tasks finished and queued so far. */
  onProgress?: (done: number, queued: number) => void;
}

export class RenderPool {
  private readonly pool: ProcessPool | undefined;
  private readonly used = new Set<string>(['overview']);
  private readonly pending = new Set<Promise<void>>();
  private readonly runTasks = new Set<Promise<void>>();
  private failure: unknown;
  /** Set by close: tasks not yet started on this thread are dropped (the directory is discarded). */
  private stopped = false;
  private queued = 0;
  private done = 0;
  /** Paths written so far, relative to the report directory (in completion order). */
  readonly written: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly opts: RenderPoolOptions,
  ) {
    const child = fileURLToPath(new URL('./render-child.js', import.meta.url));
    this.pool = opts.threads > 1 && existsSync(child) ? new ProcessPool(child, opts.threads) : undefined;
  }

  /**
   * Queues `specs` to be written as charts/<id>.<format> (ids made unique ignoring case, in the
   * order queued). Vectors (SVG, PDF) are for the figures of a paper: every format by default.
   */
  charts(specs: readonly ChartSpec[], formats: readonly ChartFormat[] = CHART_FORMATS): void {
    for (const spec of specs) {
      let stem = spec.id;
      for (let i = 2; this.used.has(stem.toLowerCase()); i++) stem = `${spec.id}-${i}`;
      this.used.add(stem.toLowerCase());
      // One task per chart: charts differ much in cost, so small tasks keep the threads evenly busy.
      this.submit({ kind: 'charts', dir: this.dir, charts: [{ spec, stem, formats }] });
    }
  }

  /** Queues charts/overview.png. */
  overview(results: Pick<ResultsFile, 'experiment'>, metrics: ChartSpec[], comparison: ChartSpec[]): void {
    this.submit({ kind: 'overview', dir: this.dir, experiment: results.experiment, metrics, comparison });
  }

  /**
   * Reads a run (`read`, called once a slot is free) and queues its series CSV and (with
   * `detailPath`) its page script. At most one `run` task per render process is in flight (one in
   * all on this thread), and the next run is read only when one of them is done, so the series held
   * here at once are those of at most `threads` + 1 runs, however fast the reader.
   */
  async run(
    read: () => RunResult,
    paths: (run: RunResult) => { csvPath: string; detailPath?: string } | undefined,
    stems: Map<string, string>,
  ): Promise<RunResult> {
    const slots = this.pool ? Math.max(1, this.opts.threads) : 1;
    while (this.runTasks.size >= slots) await Promise.race(this.runTasks);
    const run = read();
    const where = paths(run);
    if (where === undefined) return run;
    const p = this.submit({ kind: 'run', dir: this.dir, run, ...where, stems });
    this.runTasks.add(p);
    void p.finally(() => this.runTasks.delete(p));
    return run;
  }

  /** Waits for every queued task; throws the first task's error. Then the pool is closed. */
  async finish(): Promise<void> {
    try {
      while (this.pending.size > 0) await Promise.all(this.pending);
      if (this.failure !== undefined) throw this.failure;
    } finally {
      await this.pool?.destroy();
    }
  }

  /** Stops: queued tasks are dropped (an error elsewhere ends the report). */
  async close(): Promise<void> {
    this.stopped = true;
    await this.pool?.destroy();
  }

  private submit(task: RenderTask): Promise<void> {
    this.opts.onProgress?.(this.done, ++this.queued);
    const run = this.pool
      ? this.pool.run(task)
      : // On this thread: after the tasks before it, as a pool of one would.
        Promise.all(this.pending).then(() => (this.stopped ? [] : renderTask(task)));
    const p = run.then(
      (paths) => {
        this.written.push(...paths);
        this.opts.onProgress?.(++this.done, this.queued);
      },
      (e: unknown) => {
        this.failure ??= e;
      },
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }
}

/**
 * `size` forked processes running `entry` (reports/render-child.ts), each given one task at a time
 * in the order queued. A process that dies fails its task and every later one (the report is then
 * discarded by its caller); the message says so.
 */
class ProcessPool {
  private readonly idle: ChildProcess[] = [];
  private readonly queue: { task: RenderTask; resolve: (p: string[]) => void; reject: (e: Error) => void }[] =
    [];
  private readonly running = new Map<ChildProcess, { id: number; reject: (e: Error) => void }>();
  private readonly waiting = new Map<
    number,
    { resolve: (p: string[]) => void; reject: (e: Error) => void }
  >();
  private dead: Error | undefined;
  private nextId = 0;

  constructor(entry: string, size: number) {
    for (let i = 0; i < size; i++) {
      // 'advanced': structured clone, so Maps and typed arrays cross as they are.
      const child = fork(entry, [], {
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (m: RenderReply) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        this.running.delete(child);
        this.idle.push(child);
        // The same error as on this thread: message, and code/path/syscall for file-system errors.
        if ('error' in m) w?.reject(Object.assign(new Error(m.error.message), m.error));
        else w?.resolve(m.paths);
        this.next();
      });
      child.on('exit', (code, signal) => {
        const r = this.running.get(child);
        this.running.delete(child);
        if (this.closing) return;
        this.dead ??= new Error(
          `a chart-rendering process ended (${signal ?? `exit ${code}`}): out of memory or a crash in the canvas library`,
        );
        r?.reject(this.dead);
        for (const q of this.queue.splice(0)) q.reject(this.dead);
      });
      this.idle.push(child);
    }
  }

  private closing = false;

  run(task: RenderTask): Promise<string[]> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.closing) return Promise.reject(new Error('rendering stopped'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const child = this.idle.pop()!;
      const q = this.queue.shift()!;
      const id = this.nextId++;
      // Only the callbacks: the task (a run's series) is dropped here once it is sent.
      this.waiting.set(id, { resolve: q.resolve, reject: q.reject });
      this.running.set(child, { id, reject: q.reject });
      child.send({ id, task: q.task } satisfies RenderRequest);
    }
  }

  /**
   * Ends every process (they exit when their channel closes) and waits for them; tasks queued or
   * running fail (the report was stopped, or has failed already).
   */
  destroy(): Promise<void> {
    // Every caller waits for the processes to end: one still writing a file into a folder the
    // caller is about to discard would put the file back.
    this.ended ??= this.end();
    return this.ended;
  }

  private ended: Promise<void> | undefined;

  private async end(): Promise<void> {
    this.closing = true;
    const stopped = new Error('rendering stopped');
    for (const q of this.queue.splice(0)) q.reject(stopped);
    for (const w of this.waiting.values()) w.reject(stopped);
    this.waiting.clear();
    const children = [...this.idle, ...this.running.keys()];
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            if (c.connected) c.disconnect();
            else c.kill();
          }),
      ),
    );
  }
}
