/**
 * Progress of `vmisim run` on stderr. On a terminal: one cli-progress bar with runs done / total,
 * failures, simulated-time throughput and ETA, then one for the report's rendering (charts and run
 * files). Elsewhere (a pipe, a CI log): one plain line per finished run, which greps and diffs
 * well, and a line when the report's rendering starts and ends. `--quiet`: nothing.
 *
 * The text of the bar line is a pure function of the numbers (formatProgressLine), so it is
 * tested without a terminal; cli-progress only redraws it.
 */
import { SingleBar } from 'cli-progress';
import type { RunResult } from '../results/types.js';

export interface ProgressState {
  /** Finished runs, reused ones included. */
  done: number;
  total: number;
  /** Of `done`, runs taken from the run cache. */
  reused: number;
  failed: number;
  /** Simulated seconds computed by this invocation (all threads together; reused runs excluded). */
  simulatedS: number;
  /** Wall seconds since computing began. */
  wallS: number;
  /** Simulated seconds still to compute. */
  remainingSimS: number;
}

/** Simulated seconds per wall second, or undefined before there is anything to measure. */
export function throughput(simulatedS: number, wallS: number): number | undefined {
  return simulatedS > 0 && wallS > 0 ? simulatedS / wallS : undefined;
}

/** Seconds left at the current throughput; 0 when nothing is left, undefined when unknown. */
export function etaSeconds(p: ProgressState): number | undefined {
  if (p.remainingSimS <= 0 || p.done >= p.total) return 0;
  const rate = throughput(p.simulatedS, p.wallS);
  return rate === undefined ? undefined : p.remainingSimS / rate;
}

/** `--` (unknown), `42s`, `3m05s`, `2h07m`. */
export function formatDuration(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '--';
  const t = Math.max(0, Math.round(s));
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  const m = Math.floor(t / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A rate, short: `0.52`, `8.31`, `42.0`, `315`, `12.4k`, `3.1M`. */
export function formatRate(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '--';
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (x >= 100) return `${Math.round(x)}`;
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** The bar itself: `width` cells, filled in proportion to done / total. */
export function formatBar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : 0;
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** e.g. `█████░░░░░░░░░░░░░░░ 3/12 runs (1 reused) | 0 failed | 41.7 sim-s/s | ETA 2m10s` */
export function formatProgressLine(p: ProgressState, barWidth = 20): string {
  const reused = p.reused > 0 ? ` (${p.reused} reused)` : '';
  return (
    `${formatBar(p.done, p.total, barWidth)} ${p.done}/${p.total} runs${reused}` +
    ` | ${p.failed} failed | ${formatRate(throughput(p.simulatedS, p.wallS))} sim-s/s` +
    ` | ETA ${formatDuration(etaSeconds(p))}`
  );
}

/** The plain line of one finished run, e.g. `[3/12] static/seed-2 ok (1.42 s)`. */
export function formatRunLine(done: number, total: number, r: RunResult, wallS: number): string {
  return `[${done}/${total}] ${r.runId} ${r.status}${r.error ? `: ${r.error}` : ''} (${wallS.toFixed(2)} s)`;
}

export type ProgressMode = 'bar' | 'lines' | 'quiet';

export interface ProgressOptions {
  mode: ProgressMode;
  total: number;
  /** Runs taken from the cache, counted as done from the start. */
  reused: number;
  /** Simulated seconds of one run (the experiment's duration). */
  runSimS: number;
  stream: NodeJS.WriteStream;
}

export interface ProgressReporter {
  /** A computed run finished (reused runs are counted at creation). */
  runDone(r: RunResult, wallS: number): void;
  /** Stops redrawing (idempotent); on a terminal, then prints the failed runs' errors. */
  stop(): void;
}

export function createProgress(o: ProgressOptions): ProgressReporter {
  const t0 = process.hrtime.bigint();
  const state: ProgressState = {
    done: o.reused,
    total: o.total,
    reused: o.reused,
    failed: 0,
    simulatedS: 0,
    wallS: 0,
    remainingSimS: (o.total - o.reused) * o.runSimS,
  };
  const now = () => {
    state.wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    return state;
  };

  if (o.mode === 'quiet') return { runDone() {}, stop() {} };

  if (o.mode === 'lines') {
    return {
      runDone(r, wallS) {
        state.done++;
        o.stream.write(`${formatRunLine(state.done, state.total, r, wallS)}\n`);
      },
      stop() {},
    };
  }

  // Terminal. cli-progress redraws on its own timer, so elapsed-time-based numbers (throughput,
  // ETA) stay current between finished runs. gracefulExit is off: its SIGINT/SIGTERM handlers
  // would swallow SIGTERM, and the run command stops the bar itself on Ctrl-C.
  const bar = new SingleBar({
    stream: o.stream,
    format: () => formatProgressLine(now()),
    hideCursor: true,
    gracefulExit: false,
    fps: 4,
  });
  const failures: string[] = [];
  let stopped = false;
  bar.start(o.total, o.reused);
  return {
    runDone(r, wallS) {
      state.done++;
      state.remainingSimS = Math.max(0, state.remainingSimS - o.runSimS);
      if (r.status === 'failed') {
        state.failed++;
        failures.push(formatRunLine(state.done, state.total, r, wallS));
      } else {
        state.simulatedS += o.runSimS;
      }
      bar.update(state.done);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
      for (const f of failures) o.stream.write(`${f}\n`);
    },
  };
}

/** e.g. `report ██████████░░░░░░░░░░ 41/82 charts and run files | 3s` */
export function formatRenderLine(done: number, queued: number, wallS: number, barWidth = 20): string {
  return `report ${formatBar(done, queued, barWidth)} ${done}/${queued} charts and run files | ${formatDuration(wallS)}`;
}

export interface RenderProgress {
  /** The render pool finished `done` of the `queued` tasks so far (reports/write-report.ts onProgress). */
  update(done: number, queued: number): void;
  /** The report is written (idempotent): the bar stops; a plain line says how long it took. */
  stop(): void;
}

/**
 * Progress of writing the report, after the runs: on a terminal a second bar (charts and run files
 * rendered / queued; the count queued grows while the runs are read), elsewhere one line when it
 * starts and one when it ends, `--quiet` nothing.
 */
export function createRenderProgress(o: {
  mode: ProgressMode;
  threads: number;
  stream: NodeJS.WriteStream;
}): RenderProgress {
  const t0 = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - t0) / 1e9;
  if (o.mode === 'quiet') return { update() {}, stop() {} };
  let last = { done: 0, queued: 0 };
  let stopped = false;
  if (o.mode === 'lines') {
    o.stream.write(
      `report: rendering charts and run files on ${o.threads} thread${o.threads === 1 ? '' : 's'}\n`,
    );
    return {
      update(done, queued) {
        last = { done, queued };
      },
      stop() {
        if (stopped) return;
        stopped = true;
        o.stream.write(`report: ${last.done} charts and run files in ${since().toFixed(1)} s\n`);
      },
    };
  }
  const bar = new SingleBar({
    stream: o.stream,
    format: () => formatRenderLine(last.done, last.queued, since()),
    hideCursor: true,
    gracefulExit: false,
    fps: 4,
  });
  bar.start(1, 0);
  return {
    update(done, queued) {
      last = { done, queued };
      bar.setTotal(queued);
      bar.update(done);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
