/**
 * The huge-host benchmark's measuring process: run-all.ts starts it as a separate Node process so
 * that the peak RSS it reports belongs to this one simulation alone (not to the PHOLD runs and
 * the dense host that run-all does in its own process first).
 *
 * Usage: node dist/bench/huge-host-child.js [FILE]   (default bench/huge-host.yaml)
 * Loads the file, simulates its first run on this thread without invariant checks (as the dense
 * host row does), and prints one line of JSON on stdout (HugeHostMeasurement). Wall time covers
 * simulate() only: loading and expanding the YAML is not the simulator's speed.
 */
import { loadExperimentFile, runSpecs } from '../sim/experiment/load.js';
import { simulate } from '../sim/host/run.js';

/** What the child prints; run-all.ts parses it. */
export interface HugeHostMeasurement {
  /** Wall seconds spent in simulate(). */
  wallS: number;
  /** Simulated seconds of the run. */
  simS: number;
  /** Peak resident set of this process, MiB (resourceUsage().maxRSS is in KiB). */
  maxRssMiB: number;
  guests: number;
  eventsProcessed: number;
  status: 'ok' | 'failed';
  /** Host-level summary metrics of the run, to judge that it did something meaningful. */
  metrics: Record<string, number>;
  error?: string;
}

const file = process.argv[2] ?? 'bench/huge-host.yaml';
const spec = runSpecs(loadExperimentFile(file))[0]!;
const t0 = process.hrtime.bigint();
const result = simulate(spec, { checkInvariants: false });
const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
const out: HugeHostMeasurement = {
  wallS,
  simS: spec.durationNs / 1e9,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
  guests: spec.guests.length,
  eventsProcessed: result.summary?.eventsProcessed ?? 0,
  status: result.status,
  metrics: result.summary?.metrics ?? {},
  ...(result.error !== undefined ? { error: result.error } : {}),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
