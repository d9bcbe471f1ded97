/**
 * Simulated time: integer nanoseconds held in a JavaScript number.
 *
 * A double represents every integer exactly up to 2^53, so integer-ns time stays exact (no
 * rounding drift when intervals are summed) for about 104 days of simulated time. Everything in
 * the kernel asserts that bound instead of silently losing precision past it.
 */

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;
export const NS_PER_MIN = 60 * NS_PER_S;
export const NS_PER_H = 60 * NS_PER_MIN;

/**
 * Exclusive upper bound of simulated time: valid times t satisfy 0 <= t < MAX_TIME_NS, i.e. t is a
 * non-negative safe integer (Number.MAX_SAFE_INTEGER = 2^53 - 1). 2^53 ns is about 104.2 days.
 */
export const MAX_TIME_NS = 2 ** 53;

/**
 * The latest time an event can be set for. A wait computed past it (a host swap device with a
 * backlog of years, a sleep of months) ends here instead: the same for any run, since a run must
 * end before it, and the waiter's accounting stays in exact integers.
 */
export const LAST_TIME_NS = MAX_TIME_NS - 1;

/** True iff `x` is a valid simulated time: a non-negative safe integer number of nanoseconds. */
export function isTimeNs(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Throws an Error naming `what` unless `x` is a non-negative safe integer (a valid time or
 * duration in ns). Use at the edges where times enter the simulation.
 */
export function assertTimeNs(x: unknown, what: string): asserts x is number {
  if (!isTimeNs(x)) throw new Error(describeBadTime(x, what));
}

/** Builds the message for a rejected time; kept separate so hot paths only pay for it on failure. */
export function describeBadTime(x: unknown, what: string): string {
  let found: string;
  if (typeof x !== 'number') found = `a ${typeof x}`;
  else if (Number.isNaN(x)) found = 'NaN';
  else if (x < 0) found = `negative value ${x}`;
  else if (Number.isFinite(x) && !Number.isInteger(x))
    found = `non-integer ${x} (times are integer nanoseconds)`;
  else found = `${x}, beyond 2^53 ns (~104 days) where integer ns stop being exact`;
  return `${what} must be a non-negative safe integer number of nanoseconds, got ${found}`;
}

/**
 * A simulated time for people, exact to the nanosecond: seconds with three decimals, minutes and
 * hours from a minute on, then the integer ns, e.g. `12.345 s (12345000000 ns)`,
 * `1 h 2 min 5.500 s (3725500000000 ns)`.
 */
export function formatSimTime(ns: number): string {
  const h = Math.floor(ns / NS_PER_H);
  const min = Math.floor((ns - h * NS_PER_H) / NS_PER_MIN);
  const s = (ns - h * NS_PER_H - min * NS_PER_MIN) / NS_PER_S;
  const parts = [
    ...(h > 0 ? [`${h} h`] : []),
    ...(h > 0 || min > 0 ? [`${min} min`] : []),
    `${s.toFixed(3)} s`,
  ];
  return `${parts.join(' ')} (${ns} ns)`;
}
