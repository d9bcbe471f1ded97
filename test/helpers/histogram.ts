// The reference for the simulator's latency histograms (sim/kernel/chunked-histogram.ts): the
// plain 32-bit layout of hdr-histogram-js over the same range, recording with the library's own
// code, and everything a histogram holds, to compare one with the other.
import fc from 'fast-check';
import hdr from 'hdr-histogram-js';

/** Largest latency newLatencyHistogram tracks before it widens its range: 1 h in ns. */
export const HIGHEST_NS = 3_600_000_000_000;

/** hdr-histogram-js's plain 32-bit layout with newLatencyHistogram's range (and autoResize, as hdr.build sets). */
export function plainHistogram(): hdr.JsHistogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_NS,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  }) as hdr.JsHistogram;
}

/** What every query of a histogram answers from: its total, extremes and percentiles. */
export function histogramSummary(h: hdr.JsHistogram) {
  return {
    count: h.totalCount,
    max: h.maxValue,
    min: h.minNonZeroValue,
    percentiles: [0, 1, 25, 50, 90, 95, 99, 99.9, 100].map((p) => h.getValueAtPercentile(p)),
  };
}

/** Everything a histogram holds: each non-zero count by index, its range, and its summary. */
export function histogramState(h: hdr.JsHistogram) {
  const counts: [number, number][] = [];
  for (let i = 0; i < h.countsArrayLength; i++)
    if (h.getCountAtIndex(i) !== 0) counts.push([i, h.getCountAtIndex(i)]);
  return { counts, length: h.countsArrayLength, highest: h.highestTrackableValue, ...histogramSummary(h) };
}

/** Values spread over the whole range on a log scale, as latencies are (1 ns to 1 h). */
export const latencyNs = fc
  .double({ min: 0, max: Math.log2(HIGHEST_NS), noNaN: true })
  .map((e) => Math.floor(2 ** e));

/** Values the shortcut of ChunkedHistogram.indexOf must place exactly: both sides of every power of two up to 2^33. */
export const nearPowerOfTwo = fc
  .tuple(fc.integer({ min: 0, max: 33 }), fc.integer({ min: -2, max: 2 }))
  .map(([k, d]) => Math.max(0, 2 ** k + d));

/** Every value the library's path takes instead: beyond 1 h (the range widens), fractional, zero. */
export const unusualNs = fc.oneof(
  fc.double({ min: HIGHEST_NS, max: 100 * HIGHEST_NS, noNaN: true }).map(Math.floor),
  fc.double({ min: 0, max: 1e7, noNaN: true }),
  fc.constant(0),
);

/** Any of the above. */
export const anyLatencyNs = fc.oneof(latencyNs, nearPowerOfTwo, unusualNs);
