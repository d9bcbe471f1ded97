import hdr from 'hdr-histogram-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedHistogram } from '../../sim/kernel/chunked-histogram.js';
import { newLatencyHistogram } from '../../sim/kernel/latency-histogram.js';

const HIGHEST_NS = 3_600_000_000_000;

/** hdr-histogram-js's plain 32-bit layout with the same range: the reference for every query. */
function plain() {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_NS,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Values spread over the whole range on a log scale, as latencies are (1 ns to 1 h). */
const latencyNs = fc
  .double({ min: 0, max: Math.log2(HIGHEST_NS), noNaN: true })
  .map((e) => Math.floor(2 ** e));

function summary(h: ReturnType<typeof plain>) {
  return {
    count: h.totalCount,
    max: h.maxValue,
    min: h.minNonZeroValue,
    percentiles: [0, 1, 25, 50, 90, 95, 99, 99.9, 100].map((p) => h.getValueAtPercentile(p)),
  };
}

/** Values the shortcut of ChunkedHistogram.indexOf must place exactly: both sides of every power of two up to 2^33. */
const nearPowerOfTwo = fc
  .tuple(fc.integer({ min: 0, max: 33 }), fc.integer({ min: -2, max: 2 }))
  .map(([k, d]) => Math.max(0, 2 ** k + d));

/** Every value the library's path takes instead: beyond 1 h (the range widens), fractional, zero. */
const unusual = fc.oneof(
  fc.double({ min: HIGHEST_NS, max: 100 * HIGHEST_NS, noNaN: true }).map(Math.floor),
  fc.double({ min: 0, max: 1e7, noNaN: true }),
  fc.constant(0),
);

/** Everything a histogram holds: each count, its range, its extremes and its total. */
function state(h: hdr.JsHistogram) {
  const counts: [number, number][] = [];
  for (let i = 0; i < h.countsArrayLength; i++)
    if (h.getCountAtIndex(i) !== 0) counts.push([i, h.getCountAtIndex(i)]);
  return {
    counts,
    length: h.countsArrayLength,
    highest: h.highestTrackableValue,
    ...summary(h),
  };
}

describe('ChunkedHistogram', () => {
  it('records each value as hdr-histogram-js’s own recordValue does (index, min, max, total)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(latencyNs, nearPowerOfTwo, unusual), { maxLength: 200 }), (values) => {
        const a = newLatencyHistogram();
        const b = plain() as hdr.JsHistogram;
        for (const v of values) {
          if (a.indexOf(v) >= 0) expect(a.indexOf(v)).toBe(b.countsArrayIndex(v));
          a.recordValue(v);
          b.recordValue(v);
        }
        expect(state(a)).toEqual(state(b));
      }),
      { numRuns: 300 },
    );
  });

  it('finds the library’s index at both sides of every power of two below 2^32', () => {
    const h = newLatencyHistogram();
    for (let k = 0; k < 32; k++)
      for (const v of [2 ** k - 1, 2 ** k, 2 ** k + 1])
        if (v >= 1 && v < 2 ** 32) expect([v, h.indexOf(v)]).toEqual([v, h.countsArrayIndex(v)]);
    expect(h.indexOf(2 ** 32)).toBe(-1);
    expect(h.indexOf(0)).toBe(-1);
    expect(h.indexOf(1.5)).toBe(-1);
  });

  it('answers every query as the plain 32-bit layout does, across resets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(latencyNs, { maxLength: 300 }), { minLength: 1, maxLength: 4 }),
        (rounds) => {
          const a = newLatencyHistogram();
          const b = plain();
          for (const values of rounds) {
            for (const v of values) {
              a.recordValue(v);
              b.recordValue(v);
            }
            expect(summary(a)).toEqual(summary(b));
            a.reset();
            b.reset();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('allocates only the chunks it records into', () => {
    const h = new ChunkedHistogram(1, HIGHEST_NS, 3);
    const empty = h.estimatedFootprintInBytes;
    h.recordValue(1);
    h.recordValue(2);
    expect(h.estimatedFootprintInBytes - empty).toBe(1024);
    h.recordValue(1_000_000);
    expect(h.estimatedFootprintInBytes - empty).toBe(2048);
    // The plain layout holds every count of the range up front: about 33,800 of 4 bytes.
    expect(plain().estimatedFootprintInBytes).toBeGreaterThan(25 * h.estimatedFootprintInBytes);
  });

  it('widens its range for a longer value, as the plain layout built by hdr.build does', () => {
    const a = newLatencyHistogram();
    const b = plain();
    for (const v of [5, 3 * HIGHEST_NS, 40 * HIGHEST_NS, 7]) {
      a.recordValue(v);
      b.recordValue(v);
    }
    expect(summary(a)).toEqual(summary(b));
  });
});
