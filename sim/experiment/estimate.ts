/**
 * How much memory an experiment will need, estimated before it starts, so that a run too large
 * for this machine is refused with a suggestion rather than left to swap or be killed.
 *
 * What grows with the experiment is the time series: every run keeps
 *   rows × columns,  rows = duration / sampleInterval,  columns = host series + series per guest × guests,
 * values — as a Float64Array while it runs (8 bytes each), then as plain numbers in its result
 * and as JSON text when results.json is written. All finished runs are held until the results are
 * assembled, so the whole is about
 *   runs × rows × columns × BYTES_PER_KEPT_VALUE  +  threads × (rows × columns × 8 + guests × PER_GUEST_BYTES).
 * BYTES_PER_KEPT_VALUE = 40: an 8-byte double in an array, plus its JSON text — 6.3 bytes per value
 * in the quickstart's results.json, twice that while it is a UTF-16 string in memory — with about
 * double slack. PER_GUEST_BYTES (1 MiB of model state and histograms per guest being simulated):
 * bench/huge-host.yaml, 1,000 guests, peaked at 484 MiB of RSS in all (npm run bench), so about
 * 0.45 MiB per guest — doubled for slack. The refusal threshold leaves a wide margin on top.
 */
import type { Experiment } from './load.js';
import { formatBytes } from './units.js';
import { HOST_SERIES, SERIES_PER_GUEST } from '../host/stats.js';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';

const BYTES_PER_KEPT_VALUE = 40;
const PER_GUEST_BYTES = 1024 ** 2;
/** Refuse above this share of the machine's memory. */
export const MAX_SHARE_OF_RAM = 0.8;

export interface MemoryEstimate {
  bytes: number;
  runs: number;
  rows: number;
  columns: number;
}

export function estimateMemory(exp: Experiment, threads: number): MemoryEstimate {
  const runs = exp.alternatives.length * exp.seeds.length;
  const rows = Math.floor(exp.durationNs / exp.sampleIntervalNs);
  const guests = Math.max(0, ...exp.alternatives.map((a) => a.guests.length));
  // Each guest also gets a column per figure its balloon policy reports (BalloonPolicy.gauges).
  const perGuest = Math.max(
    0,
    ...exp.alternatives.map(
      (a) =>
        a.guests.length * (SERIES_PER_GUEST + (BALLOON_POLICIES[a.host.balloon.name]?.gauges?.length ?? 0)),
    ),
  );
  const columns = HOST_SERIES + perGuest;
  const bytes =
    runs * rows * columns * BYTES_PER_KEPT_VALUE +
    Math.min(threads, runs) * (rows * columns * 8 + guests * PER_GUEST_BYTES);
  return { bytes, runs, rows, columns };
}

/** A sentence saying why the experiment cannot run on a machine with `totalBytes`, or undefined. */
export function memoryProblem(exp: Experiment, threads: number, totalBytes: number): string | undefined {
  const e = estimateMemory(exp, threads);
  if (e.bytes <= MAX_SHARE_OF_RAM * totalBytes) return undefined;
  return (
    `this experiment would need about ${formatBytes(e.bytes)} of memory (${e.runs} runs × ${e.rows} samples × ${e.columns} series), ` +
    `more than ${Math.round(MAX_SHARE_OF_RAM * 100)} % of this machine's ${formatBytes(totalBytes)}; ` +
    'use a longer sampleInterval, fewer seeds or alternatives, or split the sweep'
  );
}
