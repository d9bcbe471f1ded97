// Simulated-time helpers: unit constants and the integer-ns assertion.
import { describe, expect, it } from 'vitest';
import {
  MAX_TIME_NS,
  NS_PER_H,
  NS_PER_MIN,
  NS_PER_MS,
  NS_PER_S,
  NS_PER_US,
  assertTimeNs,
  isTimeNs,
} from '../../sim/kernel/index.js';

describe('time units', () => {
  it('has consistent constants', () => {
    expect(NS_PER_US).toBe(1e3);
    expect(NS_PER_MS).toBe(1e6);
    expect(NS_PER_S).toBe(1e9);
    expect(NS_PER_MIN).toBe(60e9);
    expect(NS_PER_H).toBe(3600e9);
    expect(MAX_TIME_NS).toBe(Number.MAX_SAFE_INTEGER + 1);
    // The documented horizon: 2^53 ns is a little over 104 days.
    expect(MAX_TIME_NS / (24 * NS_PER_H)).toBeCloseTo(104.25, 1);
  });
});

describe('assertTimeNs', () => {
  it('accepts non-negative safe integers', () => {
    for (const ok of [0, 1, NS_PER_H, Number.MAX_SAFE_INTEGER]) {
      expect(() => assertTimeNs(ok, 'x')).not.toThrow();
      expect(isTimeNs(ok)).toBe(true);
    }
  });

  it('rejects everything else with a message naming the value and the field', () => {
    const cases: [unknown, RegExp][] = [
      [-1, /sliceNs .* got negative value -1/],
      [1.5, /got non-integer 1.5/],
      [NaN, /got NaN/],
      [Infinity, /got Infinity, beyond 2\^53 ns/],
      [MAX_TIME_NS, /beyond 2\^53 ns/],
      ['5', /got a string/],
    ];
    for (const [bad, message] of cases) {
      expect(() => assertTimeNs(bad, 'sliceNs')).toThrow(message);
      expect(isTimeNs(bad)).toBe(false);
    }
  });
});
