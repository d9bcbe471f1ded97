import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedHistogram } from '../../sim/kernel/chunked-histogram.js';
import { newLatencyHistogram } from '../../sim/kernel/latency-histogram.js';
import {
  HIGHEST_NS,
  anyLatencyNs,
  histogramState,
  histogramSummary,
  latencyNs,
  plainHistogram,
} from '../helpers/histogram.js';

describe('ChunkedHistogram', () => {
  it('records each value as hdr-histogram-js’s own recordValue does (index, min, max, total)', () => {
    fc.assert(
      fc.property(fc.array(anyLatencyNs, { maxLength: 200 }), (values) => {
        const a = newLatencyHistogram();
        const b = plainHistogram();
        for (const v of values) {
          if (a.indexOf(v) >= 0) expect(a.indexOf(v)).toBe(b.countsArrayIndex(v));
          a.recordValue(v);
          b.recordValue(v);
        }
        expect(histogramState(a)).toEqual(histogramState(b));
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

  it('finds every percentile the library’s own scan finds, skipping chunks never written', () => {
    const percentile = fc.oneof(
      fc.double({ min: 0, max: 120, noNaN: true }),
      fc.constantFrom(0, 1e-9, 50, 99.999, 100),
    );
    fc.assert(
      fc.property(
        fc.array(anyLatencyNs, { maxLength: 100 }),
        fc.array(anyLatencyNs, { maxLength: 100 }),
        fc.array(percentile, { minLength: 1, maxLength: 10 }),
        (before, values, ps) => {
          const a = newLatencyHistogram();
          const b = plainHistogram();
          // Values recorded before a reset leave zeroed chunks behind: scanned, not skipped.
          for (const v of before) a.recordValue(v);
          a.reset();
          for (const v of values) {
            a.recordValue(v);
            b.recordValue(v);
          }
          for (const p of ps) expect([p, a.getValueAtPercentile(p)]).toEqual([p, b.getValueAtPercentile(p)]);
        },
      ),
      { numRuns: 300 },
    );
    // 7 % of 100 is 7.000000000000001 in floating point: the library rounds it down to the 7th value.
    const a = newLatencyHistogram();
    for (let v = 1; v <= 100; v++) a.recordValue(v);
    expect(a.getValueAtPercentile(7)).toBe(7);
  });

  it('answers every query as the plain 32-bit layout does, across resets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(latencyNs, { maxLength: 300 }), { minLength: 1, maxLength: 4 }),
        (rounds) => {
          const a = newLatencyHistogram();
          const b = plainHistogram();
          for (const values of rounds) {
            for (const v of values) {
              a.recordValue(v);
              b.recordValue(v);
            }
            expect(histogramSummary(a)).toEqual(histogramSummary(b));
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
    expect(plainHistogram().estimatedFootprintInBytes).toBeGreaterThan(25 * h.estimatedFootprintInBytes);
  });

  it('widens its range for a longer value, as the plain layout built by hdr.build does', () => {
    const a = newLatencyHistogram();
    const b = plainHistogram();
    for (const v of [5, 3 * HIGHEST_NS, 40 * HIGHEST_NS, 7]) {
      a.recordValue(v);
      b.recordValue(v);
    }
    expect(histogramSummary(a)).toEqual(histogramSummary(b));
  });
});
