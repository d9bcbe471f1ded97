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
