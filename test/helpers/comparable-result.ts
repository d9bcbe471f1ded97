// What two runs of one spec that differ only in how the simulator gets there (lazy or eager
// timers, aggregations on or off) must agree on: everything but the events processed.
import { expect } from 'vitest';
import type { RunResult } from '../../sim/results/types.js';

/** The result without the one figure that may differ, events processed; the run must be ok. */
export function comparable(r: RunResult): unknown {
  expect(r.status, r.error).toBe('ok');
  const { eventsProcessed: _events, ...summary } = r.summary!;
  return { summary, series: r.series };
}
