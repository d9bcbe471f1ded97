// A run's result without the one figure an aggregation changes (the events processed), for tests
// that compare a run with an aggregation on and off (lazy timers, the look-ahead of vCPU steps).
import { expect } from 'vitest';
import type { RunResult } from '../../sim/results/types.js';

/** The summary but its event count, and the series; the run must have succeeded. */
export function comparable(r: RunResult): unknown {
  expect(r.status, r.error).toBe('ok');
  const { eventsProcessed: _events, ...summary } = r.summary!;
  return { summary, series: r.series };
}
