// Interface calls by guest and name: typed-array counters that hand out what per-guest maps
// updated call by call would hold, in each guest's order of first use.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALL_PATHS, CallTally, pathIndex } from '../../sim/host/call-tally.js';

/** The reference: one map of calls and one of cycles per guest, updated as chargeCall once did. */
function reference(guests: number, charges: readonly (readonly [number, string, number, number])[]) {
  const calls = Array.from({ length: guests }, () => new Map<string, number>());
  const cycles = Array.from({ length: guests }, () => new Map<string, number>());
  for (const [g, name, count, cyc] of charges) {
    calls[g]!.set(name, (calls[g]!.get(name) ?? 0) + count);
    cycles[g]!.set(name, (cycles[g]!.get(name) ?? 0) + cyc);
  }
  return { calls, cycles };
}

describe('CallTally', () => {
  it('holds, per guest, the same entries in the same order as maps updated per call', () => {
    const guests = 3;
    // More names than the initial 8 slots, so the arrays grow; zero counts keep their name.
    const charge = fc.tuple(
      fc.integer({ min: 0, max: guests - 1 }),
      fc.constantFrom(...Array.from({ length: 20 }, (_, i) => `call${i}`)),
      fc.integer({ min: 0, max: 1000 }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(charge, { maxLength: 200 }), (charges) => {
        const t = new CallTally();
        for (let g = 0; g < guests; g++) t.addGuest();
        for (const [g, name, count, cyc] of charges) t.add(g, name, count, cyc);
        const ref = reference(guests, charges);
        for (let g = 0; g < guests; g++) {
          expect([...t.callsOf(g)]).toEqual([...ref.calls[g]!]);
          expect([...t.cyclesOf(g)]).toEqual([...ref.cycles[g]!]);
          expect(t.totalCalls(g)).toBe([...ref.calls[g]!.values()].reduce((a, b) => a + b, 0));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('charges by id (ids asked for before any charge, in another order) as by name', () => {
    const t = new CallTally();
    t.addGuest();
    t.addGuest();
    const [b, a] = [t.id('b'), t.id('a')];
    t.addId(1, a, 2, 20);
    t.add(0, 'c', 1, 5);
    t.addId(0, b, 3, 30);
    t.add(0, 'a', 4, 40);
    t.addId(0, a, 1, 1);
    // Guest 0's order is that of its first charges: c, b, a; guest 1 charged only a.
    expect([...t.callsOf(0)]).toEqual([
      ['c', 1],
      ['b', 3],
      ['a', 5],
    ]);
    expect([...t.cyclesOf(1)]).toEqual([['a', 20]]);
    expect(t.totalCalls(0)).toBe(9);
  });

  it('lists a name charged zero times, as a map entry set to 0 would', () => {
    const t = new CallTally();
    t.addGuest();
    t.add(0, 'Halt', 0, 0);
    expect([...t.callsOf(0)]).toEqual([['Halt', 0]]);
  });

  it('keeps every guest’s names and totals while guests are added and ids outgrow their room', () => {
    // Guests are added between charges (17 to 40 of them, past the first 16 slots) and 40 names
    // push the ids past 8, 16 and 32: every value must stay with its guest through each re-layout.
    // The reference is per-guest maps and sums updated charge by charge, as Host.chargeCallId kept.
    const charge = fc.tuple(
      fc.nat(),
      fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `call${i}`)),
      fc.integer({ min: 0, max: 1000 }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
      fc.option(fc.constantFrom(...CALL_PATHS), { nil: undefined }),
      fc.boolean(),
    );
    fc.assert(
      fc.property(
        fc.array(charge, { minLength: 80, maxLength: 300 }),
        fc.integer({ min: 17, max: 40 }),
        (charges, guests) => {
          const t = new CallTally();
          t.addGuest();
          let added = 1;
          const calls = [new Map<string, number>()];
          const cycles = [0];
          const paths = [new Map<string, { calls: number; cycles: number; transitions: number }>()];
          for (const [k, name, count, cyc, path, withEffects] of charges) {
            if (added < guests && k % 2 === 0) {
              t.addGuest();
              calls.push(new Map());
              cycles.push(0);
              paths.push(new Map());
              added += 1;
            }
            const g = k % added;
            t.add(g, name, count, cyc);
            t.addTotals(g, withEffects ? pathIndex(path) : -1, count, cyc, withEffects, 2 * count, 0, 0, 0);
            calls[g]!.set(name, (calls[g]!.get(name) ?? 0) + count);
            cycles[g]! += cyc;
            if (withEffects && path !== undefined) {
              const r = paths[g]!.get(path) ?? { calls: 0, cycles: 0, transitions: 0 };
              paths[g]!.set(path, {
                calls: r.calls + count,
                cycles: r.cycles + cyc,
                transitions: r.transitions + 2 * count,
              });
            }
          }
          for (let g = 0; g < added; g++) {
            expect([...t.callsOf(g)]).toEqual([...calls[g]!]);
            expect(t.cycles(g)).toBe(cycles[g]);
            expect(t.totalCalls(g)).toBe([...calls[g]!.values()].reduce((a, b) => a + b, 0));
            expect([...t.paths(g)].map(([p, v]) => [p, v.calls, v.cycles, v.transitions])).toEqual(
              [...paths[g]!].map(([p, v]) => [p, v.calls, v.cycles, v.transitions]),
            );
            expect(t.pathCycles(g, 'mmu')).toBe(paths[g]!.get('mmu')?.cycles ?? 0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
