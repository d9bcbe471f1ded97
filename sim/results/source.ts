/**
 * An experiment's results with each run's time series read when needed instead of held together.
 * The series are nearly all of a results file (rows × columns numbers per run), so the report is
 * written from this: every run's summary in memory, and one run's series at a time read back from
 * where it is kept (the run cache on disk, sim/runner/run-cache.ts). The main process then needs
 * memory for one run's series, not for all of them (sim/experiment/estimate.ts counts exactly that).
 */
import type { ResultsFile, RunResult, RunSeries } from './types.js';

/** One run's results, its series read on demand. */
export interface RunHandle {
  /** The run without its series (`series` absent). */
  readonly result: RunResult;
  readonly hasSeries: boolean;
  /** The series, read now (the caller drops it when done); undefined when the run has none. */
  readSeries(): RunSeries | undefined;
}

/** What a report is written from. */
export interface ResultsSource {
  /** Everything of results.json but the series: `runs[i]` is run i without its series. */
  readonly results: ResultsFile;
  hasSeries(i: number): boolean;
  /** Run i's series, read now; undefined when it has none. */
  readSeries(i: number): RunSeries | undefined;
}

/** The run without its series (a shallow copy; the summary is shared). */
export function withoutSeries(run: RunResult): RunResult {
  const { series: _series, ...rest } = run;
  return rest;
}

/** A run whose series is already in memory. */
export function runInMemory(run: RunResult): RunHandle {
  const series = run.series;
  return { result: withoutSeries(run), hasSeries: series !== undefined, readSeries: () => series };
}

/** The source of results whose runs are handles, in run order. */
export function sourceFromRuns(header: Omit<ResultsFile, 'runs'>, runs: readonly RunHandle[]): ResultsSource {
  return {
    results: { ...header, runs: runs.map((r) => r.result) },
    hasSeries: (i) => runs[i]?.hasSeries ?? false,
    readSeries: (i) => runs[i]?.readSeries(),
  };
}

/** The source of results already wholly in memory (`vmisim report`, tests). */
export function sourceFromResults(r: ResultsFile): ResultsSource {
  return sourceFromRuns(r, r.runs.map(runInMemory));
}

/** Which run a slot of the results will hold, known before the run finishes. */
export type RunSlot = Pick<RunResult, 'alternative' | 'seed'>;

/**
 * Results whose runs finish over time: `vmisim run` writes the report while it simulates (each run's
 * files as it finishes, the comparison charts once every alternative's first run is in), and a
 * finished source is the special case where every run is already there.
 */
export interface PendingResults {
  /** Everything of results.json but the runs. */
  readonly header: Omit<ResultsFile, 'runs'>;
  /** The alternative and seed of each run, in run order. */
  readonly slots: readonly RunSlot[];
  /** Run i once it has finished; rejects when the runs stop before it does. */
  run(i: number): Promise<RunHandle>;
}

/** A finished source as pending results (every run already there). */
export function pendingFromSource(src: ResultsSource): PendingResults {
  const { runs, ...header } = src.results;
  const handles: RunHandle[] = runs.map((result, i) => ({
    result,
    hasSeries: src.hasSeries(i),
    readSeries: () => src.readSeries(i),
  }));
  return {
    header,
    slots: runs,
    run: (i) => {
      const h = handles[i];
      return h === undefined ? Promise.reject(new Error(`no run ${i}`)) : Promise.resolve(h);
    },
  };
}

/**
 * The pending results of an experiment being run: the runner calls `finish` as each run ends (in
 * any order) and `stop` when no more will (interrupted or failed), which rejects every wait for a
 * run that did not finish.
 */
export class RunArrivals implements PendingResults {
  private readonly handles: (RunHandle | undefined)[];
  private readonly waiting = new Map<
    number,
    { resolve: (h: RunHandle) => void; reject: (e: unknown) => void }[]
  >();
  private stopped: { reason: unknown } | undefined;

  constructor(
    readonly header: Omit<ResultsFile, 'runs'>,
    readonly slots: readonly RunSlot[],
  ) {
    this.handles = slots.map(() => undefined);
  }

  finish(i: number, handle: RunHandle): void {
    this.handles[i] = handle;
    for (const w of this.waiting.get(i) ?? []) w.resolve(handle);
    this.waiting.delete(i);
  }

  /** No more runs will finish: waits for the missing ones reject with `reason`. */
  stop(reason: unknown): void {
    this.stopped = { reason };
    for (const ws of this.waiting.values()) for (const w of ws) w.reject(reason);
    this.waiting.clear();
  }

  run(i: number): Promise<RunHandle> {
    const h = this.handles[i];
    if (h !== undefined) return Promise.resolve(h);
    if (i < 0 || i >= this.slots.length) return Promise.reject(new Error(`no run ${i}`));
    if (this.stopped !== undefined) return Promise.reject(this.stopped.reason);
    return new Promise((resolve, reject) => {
      this.waiting.set(i, [...(this.waiting.get(i) ?? []), { resolve, reject }]);
    });
  }
}
