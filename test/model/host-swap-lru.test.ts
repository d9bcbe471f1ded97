// A Linux (KVM) host swaps a guest's coldest pages first: what its touches cost (lruHostMiss,
// sim/host/memory.ts), worked by hand, against the random choice of an ESX host.
import { describe, expect, it } from 'vitest';
import { lruHostMiss, type GuestFrames } from '../../sim/host/memory.js';

const guest: GuestFrames = {
  name: 'g',
  totalPages: 1000,
  balloonPages: 0,
  reservedPages: 100,
  anonPages: 600,
  freePages: 100,
  anonDemandPages: 600,
  accessLocality: () => ({ hotFraction: 0.2, hotShare: 0.9 }),
};

describe('LRU host swap', () => {
  it('takes the pages the guest does not access first: no faults while they last', () => {
    // resident 1000, anon 600: 400 pages (kernel, cache, free) go before any anonymous page.
    expect(lruHostMiss(400, 1000, guest)).toBe(0);
  });

  it('then the coldest anonymous pages: 500 swapped cost 0.1 × 100 / 480 of the accesses', () => {
    // e = 500 − 400 = 100 anonymous pages; hot 120, cold 480; miss(600, 500) − miss(600, 600).
    expect(lruHostMiss(500, 1000, guest)).toBeCloseTo((0.1 * 100) / 480, 12);
    // A random choice would cost 500 / 1000 of the accesses: 24 times more.
    expect(lruHostMiss(500, 1000, guest)).toBeLessThan(0.5 / 20);
  });

  it('all anonymous pages swapped: every access misses', () => {
    expect(lruHostMiss(1000, 1000, guest)).toBeCloseTo(1, 12);
  });
});
