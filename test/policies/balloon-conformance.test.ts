// The conformance suite every balloon policy must pass (DESIGN.md §5): on random but consistent
// observations it never targets a guest below its floor or above its maximum, it is
// deterministic, it does not touch the observation, and — if it says it reacts to host pressure —
// it leaves every guest alone when the host has memory to spare. Then each policy runs a whole
// overcommitted simulation with every invariant checked after every event: every guest page in
// exactly one state, and the host never handing out more frames than it has.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import type {
  BalloonGuestView,
  BalloonObservation,
  BalloonPolicyDecl,
} from '../../policies/balloon/types.js';
import { declarations } from '../helpers/plugins.js';
import { guestView, MIB, observation } from '../helpers/balloon-obs.js';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

/** A consistent guest: its parts add up to its memory; min ≤ memory. */
const arbGuest = (i: number): fc.Arbitrary<BalloonGuestView> =>
  fc
    .record({
      memMiB: fc.integer({ min: 128, max: 4096 }),
      balloonFrac: fc.double({ min: 0, max: 0.6, noNaN: true }),
      anonFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      cacheFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      swappedMiB: fc.integer({ min: 0, max: 512 }),
      touched: fc.integer({ min: 0, max: 100 }),
      periods: fc.integer({ min: 0, max: 20 }),
      hot: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map((r) => {
      const memoryPages = r.memMiB * MIB;
      const reservedPages = Math.min(64 * MIB, memoryPages / 4);
      const minPages = reservedPages + 16 * MIB;
      const balloonPages = Math.floor((memoryPages - minPages) * r.balloonFrac);
      const room = memoryPages - reservedPages - balloonPages;
      const anonPages = Math.floor(room * r.anonFrac);
      const cachePages = Math.floor((room - anonPages) * r.cacheFrac);
      const step = Math.ceil(memoryPages / 32);
      return guestView({
        name: `g${i}`,
        memoryPages,
        minPages,
        balloonPages,
        reservedPages,
        anonPages,
        cachePages,
        swappedPages: r.swappedMiB * MIB,
        committedPages: reservedPages + anonPages + r.swappedMiB * MIB,
        swapOut: r.swappedMiB * MIB,
        samples: Array.from({ length: Math.min(16, r.periods) }, () => ({
          sampled: 100,
          touched: r.touched,
        })),
        currentSample: { sampled: 100, touched: r.touched },
        mrc: Array.from({ length: 33 }, (_, k) =>
          Math.max(0, 1 - (k * step) / (memoryPages * (0.2 + r.hot))),
        ),
        mrcStepPages: step,
        accessesPerS: 1000,
      });
    });

const arbObservation: fc.Arbitrary<BalloonObservation> = fc
  .integer({ min: 1, max: 5 })
  .chain((n) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: n }, (_, i) => arbGuest(i))),
      fc.double({ min: 0.2, max: 2, noNaN: true }),
      fc.integer({ min: 0, max: 1000 }),
    ),
  )
  .map(([guests, hostScale, t]) => {
    const demand = guests.reduce((a, g) => a + g.memoryPages, 0);
    const hostTotalPages = Math.ceil(demand * hostScale);
    const used = guests.reduce((a, g) => a + g.memoryPages - g.balloonPages, 0);
    const free = Math.max(0, hostTotalPages - used);
    const phi = free / hostTotalPages;
    return observation({
      nowNs: t * 1e9,
      guests,
      hostTotalPages,
      hostFreePages: free,
      hostSwappedPages: Math.max(0, used - hostTotalPages),
      hostState: phi >= 0.06 ? 'high' : phi >= 0.04 ? 'soft' : phi >= 0.01 ? 'hard' : 'low',
    });
  });

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

describe.each(declarations<BalloonPolicyDecl<unknown>>(BALLOON_POLICIES))(
  'balloon policy %s',
  (name, policy) => {
    const opts = policy.options.parse({});
    const make = (guests: number) => policy.create(opts, { guests });

    it('targets every guest within [0, memory − floor], as whole numbers of pages', () => {
      fc.assert(
        fc.property(arbObservation, fc.integer({ min: 1, max: 4 }), (obs, rounds) => {
          const p = make(obs.guests.length);
          for (let r = 0; r < rounds; r++) {
            const targetPages = p.decide(deepFreeze(obs));
            expect(targetPages).toHaveLength(obs.guests.length);
            targetPages.forEach((t, i) => {
              const g = obs.guests[i]!;
              expect(Number.isInteger(t), `${name} target ${t}`).toBe(true);
              expect(t).toBeGreaterThanOrEqual(0);
              expect(t).toBeLessThanOrEqual(g.memoryPages - g.minPages);
            });
          }
        }),
        { numRuns: 150 },
      );
    });

    it('is deterministic: the same observations in the same order give the same decisions', () => {
      fc.assert(
        fc.property(arbObservation, fc.integer({ min: 1, max: 3 }), (obs, rounds) => {
          const a = make(obs.guests.length);
          const b = make(obs.guests.length);
          for (let r = 0; r < rounds; r++) expect(b.decide(obs)).toEqual(a.decide(obs));
        }),
        { numRuns: 100 },
      );
    });

    it(`${policy.pressureDriven ? 'leaves every guest unballooned' : 'balloons (as it declares) even'} when the host has memory to spare`, () => {
      fc.assert(
        fc.property(fc.tuple(arbGuest(0), arbGuest(1), arbGuest(2)), (gs) => {
          // Nothing ballooned, nothing swapped, guests comfortable, a host with twice their memory.
          const guests = gs.map((g) =>
            guestView({
              ...g,
              balloonPages: 0,
              targetPages: 0,
              swappedPages: 0,
              swapOut: 0,
              freePages: undefined,
              cachePages: 0,
              anonPages: Math.floor(g.memoryPages / 4),
              committedPages: g.reservedPages + Math.floor(g.memoryPages / 4),
            }),
          );
          const total = guests.reduce((a, g) => a + g.memoryPages, 0) * 2;
          const obs = observation({
            guests,
            hostTotalPages: total,
            hostFreePages: total / 2,
            hostState: 'high',
          });
          const p = make(guests.length);
          for (let r = 0; r < 3; r++) {
            const targetPages = p.decide(obs);
            // Pressure-driven policies leave everyone alone; the others (fixed sizes, guest-driven
            // targets) say they do not, and must indeed balloon someone.
            if (policy.pressureDriven) expect(targetPages).toEqual(guests.map(() => 0));
            else expect(Math.max(...targetPages)).toBeGreaterThan(0);
          }
        }),
        { numRuns: 50 },
      );
    });

    it('runs an overcommitted host with every page and frame accounted after every event', () => {
      const r = simulate(
        spec(`
name: t
duration: 40s
host: { pcpus: 2, memory: 1GiB, balloon: { policy: ${name} } }
guests:
  - { name: idle, memory: 512MiB, workload: { type: constant, dutyCycle: 0.02, resident: 64MiB } }
  - { name: busy, memory: 512MiB, workload: { type: constant, dutyCycle: 0.8, resident: 400MiB } }
  - { name: mid, vcpus: 2, memory: 512MiB, workload: { type: constant, dutyCycle: 0.3, resident: 200MiB } }
`),
        { checkInvariants: true },
      );
      expect(r.status).toBe('ok');
      expect(r.summary!.guests).toHaveLength(3);
    });
  },
);
