/**
 * PHOLD benchmark of the event kernel: the standard synthetic workload for discrete-event
 * engines, so the figure can be compared with other engines (see DESIGN.md section 4).
 *
 * N logical processes (LPs) start with M events each; every processed event schedules one new
 * event for a uniformly random LP at now + lookahead + Exp(mean 1) time units. The population of
 * pending events therefore stays constant and the run measures kernel overhead: queue push/pop,
 * dispatch and random draws. 1 time unit = 1 ms of simulated time.
 *
 * Randomness comes from two run streams named by purpose ('phold:dest', 'phold:delay'), as a
 * sequential model would draw it. `rngPerLp` instead gives every LP its own stream (the
 * optimistic-PDES convention); the draws are the same work, but touching 1000 generator objects
 * in random order costs extra cache misses (~15-20% here), which is model state, not kernel cost.
 */

import { pathToFileURL } from 'node:url';
import { bareHeapPholdEventsPerS } from './bare-heap-reference.js';
import { NS_PER_MS, Simulator, type RandomStream } from '../sim/kernel/index.js';

/** Options of one PHOLD run; every field has the standard default. */
export interface PholdOptions {
  /** Logical processes (default 1000). */
  lps?: number;
  /** Initial events per LP (default 10). */
  eventsPerLp?: number;
  /** Run until at least this many events were processed (default 4,000,000). */
  minEvents?: number;
  /** Lookahead in time units (default 0.1). */
  lookahead?: number;
  /** Mean of the exponential increment in time units (default 1). */
  meanDelay?: number;
  /** Run seed (default 1). */
  seed?: number;
  /**
   * Discarded warm-up runs before the timed one (default 3). Several short runs, not one long
   * one: each run makes a new handler closure, and V8 settles its call feedback and deopts only
   * after seeing a few, which would otherwise cost the timed run ~30% in lower tiers.
   */
  warmupRuns?: number;
  /** Events per warm-up run (default 300,000). */
  warmupEvents?: number;
  /** One random stream per LP instead of one per purpose (default false). */
  rngPerLp?: boolean;
}

/** Result of a PHOLD run: events processed, wall seconds, and their ratio. */
export interface PholdResult {
  events: number;
  wallS: number;
  eventsPerS: number;
}

type Config = Required<PholdOptions>;

const NS_PER_UNIT = NS_PER_MS;

/** Runs PHOLD (after a warm-up run) and returns the timed run's throughput. */
export function runPhold(opts: PholdOptions = {}): PholdResult {
  const cfg: Config = {
    lps: 1000,
    eventsPerLp: 10,
    minEvents: 4_000_000,
    lookahead: 0.1,
    meanDelay: 1,
    seed: 1,
    warmupRuns: 3,
    warmupEvents: 300_000,
    rngPerLp: false,
    ...opts,
  };
  for (let i = 1; i <= cfg.warmupRuns; i++)
    runOnce({ ...cfg, minEvents: cfg.warmupEvents, seed: cfg.seed + i });
  const start = process.hrtime.bigint();
  const events = runOnce(cfg);
  const wallS = Number(process.hrtime.bigint() - start) / 1e9;
  return { events, wallS, eventsPerS: events / wallS };
}

function runOnce(cfg: Config): number {
  const { lps, eventsPerLp } = cfg;
  const sim = new Simulator({ seed: cfg.seed, initialQueueCapacity: lps * eventsPerLp });
  const lookaheadNs = Math.round(cfg.lookahead * NS_PER_UNIT);
  const meanDelayNs = cfg.meanDelay * NS_PER_UNIT;
  const delayOf = (rng: RandomStream) => lookaheadNs + Math.round(rng.exponential(meanDelayNs));

  let kind: number;
  if (cfg.rngPerLp) {
    const streams: RandomStream[] = [];
    for (let lp = 0; lp < lps; lp++) streams.push(sim.rng.stream(`phold:lp-${lp}`));
    kind = sim.registerHandler((lp) => {
      const rng = streams[lp] as RandomStream;
      sim.scheduleIn(delayOf(rng), kind, rng.nextInt(0, lps - 1));
    });
    for (let lp = 0; lp < lps; lp++) {
      for (let i = 0; i < eventsPerLp; i++) sim.scheduleIn(delayOf(streams[lp] as RandomStream), kind, lp);
    }
  } else {
    const dest = sim.rng.stream('phold:dest');
    const delay = sim.rng.stream('phold:delay');
    kind = sim.registerHandler(() => {
      sim.scheduleIn(delayOf(delay), kind, dest.nextInt(0, lps - 1));
    });
    for (let lp = 0; lp < lps; lp++) {
      for (let i = 0; i < eventsPerLp; i++) sim.scheduleIn(delayOf(delay), kind, lp);
    }
  }
  // Advance in slices of simulated time, as a model driver would, until enough events ran.
  const sliceNs = 10 * NS_PER_UNIT;
  while (sim.eventsProcessed < cfg.minEvents) sim.runUntil(sim.nowNs + sliceNs);
  return sim.eventsProcessed;
}

function main(): void {
  const r = runPhold();
  console.log(
    `PHOLD 1000 LPs x 10 events: ${r.events} events in ${r.wallS.toFixed(3)} s wall = ` +
      `${(r.eventsPerS / 1e6).toFixed(2)} M events/s (target >= 5 M events/s)`,
  );
  const bare = bareHeapPholdEventsPerS();
  console.log(
    `reference: bare typed-array heap + Math.random, same PHOLD: ${(bare / 1e6).toFixed(2)} M events/s ` +
      `(kernel at ${((100 * r.eventsPerS) / bare).toFixed(0)} % of it)`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
