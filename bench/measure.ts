/**
 * One run of an experiment file on this thread, timed: what the dense-host row of `npm run bench`
 * measures in process, and what bench/profile.ts prints (or hands to run-all.ts as JSON from a
 * process of its own, for the huge host's peak RSS). Wall time covers simulate() only: loading
 * and expanding the YAML is not the simulator's speed.
 */
import { loadExperimentFile, runSpecs } from '../sim/experiment/load.js';
import { simulate } from '../sim/host/run.js';

export interface RunMeasurement {
  /** Wall seconds spent in simulate(). */
  wallS: number;
  /** Simulated seconds of the run. */
  simS: number;
  /** Peak resident set of this process so far, MiB (resourceUsage().maxRSS is in KiB). */
  maxRssMiB: number;
  guests: number;
  eventsProcessed: number;
  status: 'ok' | 'failed';
  /** Host-level summary metrics of the run, to judge that it did something meaningful. */
  metrics: Record<string, number>;
  error?: string;
}

export interface MeasureOptions {
  /** Simulate this long instead of the file's duration, ns. */
  durationNs?: number;
  /** An event per timer interrupt instead of lazy accounting (RunOptions.eagerTimers). */
  eagerTimers?: boolean;
}

/** Runs the first alternative and seed of `file`, without invariant checks. */
export function measureRun(file: string, opts: MeasureOptions = {}): RunMeasurement {
  const spec = runSpecs(loadExperimentFile(file))[0]!;
  if (opts.durationNs !== undefined) spec.durationNs = opts.durationNs;
  const t0 = process.hrtime.bigint();
  const r = simulate(spec, { checkInvariants: false, eagerTimers: opts.eagerTimers === true });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    wallS,
    simS: spec.durationNs / 1e9,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    guests: spec.guests.length,
    eventsProcessed: r.summary?.eventsProcessed ?? 0,
    status: r.status,
    metrics: r.summary?.metrics ?? {},
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}
