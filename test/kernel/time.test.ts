// Simulated-time helpers: unit constants, the integer-ns assertion and times written for people.
import { describe, expect, it } from 'vitest';
import {
  MAX_TIME_NS,
  NS_PER_H,
  NS_PER_MIN,
  NS_PER_MS,
  NS_PER_S,
  NS_PER_US,
  assertTimeNs,
  formatSimTime,
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

describe('formatSimTime', () => {
  it('writes seconds to the millisecond, minutes and hours from a minute on, and the exact ns', () => {
    expect(formatSimTime(0)).toBe('0.000 s (0 ns)');
    expect(formatSimTime(12_345_000_000)).toBe('12.345 s (12345000000 ns)');
    // 1 h 2 min 5.5 s = 3600 + 120 + 5.5 = 3725.5 s.
    expect(formatSimTime(3_725_500_000_000)).toBe('1 h 2 min 5.500 s (3725500000000 ns)');
    expect(formatSimTime(60 * NS_PER_S)).toBe('1 min 0.000 s (60000000000 ns)');
    expect(formatSimTime(NS_PER_H + 1)).toBe('1 h 0 min 0.000 s (3600000000001 ns)');
  });
});
