/**
 * The aggregations: what the simulator keeps or skips only to go faster — lazily settled timers,
 * running sums, sets and counts that spare a walk — each with a switch. All on is the normal run;
 * all off is the reference, which does every step the plain way (an event per timer tick, a sum
 * over every guest at each read, a walk over every pCPU). Results must be identical either way,
 * event counts apart; test/model/aggregations-on-off.test.ts runs random experiments
 * both ways (DESIGN.md §4: "with a test that lazy and eager accounting give identical results").
 *
 * Adding one: a line below; the model reads `aggregations.<name>` (RunOptions.aggregations in
 * sim/host/run.ts passes them to the host) and does the plain thing when it is false.
 */
export const AGGREGATIONS = {
  lazyTimers:
    'timer interrupts settled lazily when a vCPU changes state (off: an event at every tick, Host.tickEagerly)',
  runningSums:
    'host frames in use and host swap-outs kept as running sums (off: summed over every guest at each read, sim/host/memory.ts)',
  stealSets:
    'the credit scheduler steals only from pCPUs whose queue head could be stolen, and says how many vCPUs wait (off: it walks every peer, policies/cpu/credit.ts)',
  idleCount:
    'the dispatcher counts idle pCPUs with nothing pending and stops offering work when none is left (off: it visits every pCPU, sim/host/cpu.ts)',
} as const;

export type AggregationName = keyof typeof AGGREGATIONS;
export type Aggregations = Readonly<Record<AggregationName, boolean>>;

const NAMES = Object.keys(AGGREGATIONS) as AggregationName[];

/** Every aggregation on (`true`) or off (`false`). */
export function allAggregations(on: boolean): Aggregations {
  return Object.fromEntries(NAMES.map((n) => [n, on])) as Record<AggregationName, boolean>;
}

/** Every aggregation on but those `overrides` turns off (or on). */
export function aggregationsWith(overrides: Partial<Aggregations> = {}): Aggregations {
  return { ...allAggregations(true), ...overrides };
}
