/**
 * Instants of a periodic clock started at time 0: tick k falls at k / hz seconds. Used wherever
 * something happens on a fixed grid of simulated time (a guest's jiffies, a host's timer ticks),
 * in exact integer ns.
 */

/** Number of instants k / hz seconds (k ≥ 1) in (0, tNs], exact for t < 2^53 ns and hz ≤ 10^5. */
export function ticksUpTo(tNs: number, hz: number): number {
  const s = Math.floor(tNs / 1e9);
  return s * hz + Math.floor(((tNs - s * 1e9) * hz) / 1e9);
}

/**
 * The integer ns at which tick k (instant k / hz s) falls due: the least t with
 * ticksUpTo(t, hz) ≥ k. Exact for the same range (r × 1e9 / hz is never within rounding of an
 * integer unless it is one, as hz ≤ 10^5).
 */
export function tickInstantNs(k: number, hz: number): number {
  const s = Math.floor(k / hz);
  return s * 1e9 + Math.ceil(((k - s * hz) * 1e9) / hz);
}
