// The conformance suite every timer-delivery policy must pass, run over every registered one with
// its default options. Every missed tick is accounted for exactly once:
// delivered + merged + dropped + kept = backlog, each a whole number ≥ 0, on its own and through
// the host's virtual timers (sim/host/vtimer.ts) over random runstate histories, where every tick
// that fell due is delivered, merged, dropped or still in the backlog. The policy is
// deterministic, and its catch-up rate and give-up threshold are usable numbers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';
import type { TimerDeliveryDecl } from '../../policies/time/types.js';
import { ticksUpTo, VirtualTimers } from '../../sim/host/vtimer.js';
import { BLOCKED, OFFLINE, RUNNABLE, RUNNING } from '../../sim/host/runstates.js';
import { declarations } from '../helpers/plugins.js';

const MS = 1_000_000;

const arbBacklog = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2 ** 40 }));

/** Runstate histories of one vCPU: each state held for 1 µs to 300 ms. */
const arbHistory = fc.array(
  fc.record({
    state: fc.constantFrom(RUNNING, RUNNABLE, BLOCKED, OFFLINE),
    ns: fc.integer({ min: 1000, max: 300 * MS }),
  }),
  { minLength: 1, maxLength: 30 },
);

describe.each(declarations<TimerDeliveryDecl<unknown>>(TIMER_DELIVERY))(
  'timer delivery %s',
  (_name, decl) => {
    const make = () => decl.create(decl.options.parse({}), {});

    it('accounts for a backlog on resume: delivered + merged + dropped + kept = backlog, whole and ≥ 0', () => {
      const policy = make();
      fc.assert(
        fc.property(arbBacklog, (backlog) => {
          const d = policy.onResume(backlog);
          for (const n of [d.deliverNow, d.merged, d.dropped, d.kept])
            expect(Number.isInteger(n) && n >= 0, `${JSON.stringify(d)} for ${backlog}`).toBe(true);
          expect(d.deliverNow + d.merged + d.dropped + d.kept).toBe(backlog);
        }),
        { numRuns: 300 },
      );
    });

    it('is deterministic: the same backlog gives the same decision, from any instance', () => {
      const a = make();
      const b = make();
      fc.assert(
        fc.property(fc.array(arbBacklog, { minLength: 1, maxLength: 10 }), (backlogs) => {
          for (const x of backlogs) expect(b.onResume(x)).toEqual(a.onResume(x));
        }),
      );
      expect([b.speedup, b.giveUpNs]).toEqual([a.speedup, a.giveUpNs]);
    });

    it('catches up at a finite rate ≥ 0 and gives up after a positive time (∞: never)', () => {
      const p = make();
      expect(Number.isFinite(p.speedup) && p.speedup >= 0).toBe(true);
      expect(p.giveUpNs).toBeGreaterThan(0);
    });

    it('through the host: every tick that fell due is delivered, merged, dropped or still in the backlog', () => {
      fc.assert(
        fc.property(arbHistory, fc.constantFrom(100, 250, 1000), (history, hz) => {
          const t = new VirtualTimers([{ mode: 'periodic', hz, streams: 1 }], make(), () => {});
          let now = 0;
          let state = OFFLINE;
          for (const h of history) {
            t.onRunstate(0, state, h.state, now);
            state = h.state;
            now += h.ns;
            t.settle(0, state, now);
            // A tick held by a halted vCPU (not yet run) is still pending, like the backlog.
            const held = t.holdsTick(0) ? 1 : 0;
            const accounted = t.delivered[0]! + t.merged[0]! + t.dropped[0]! + t.backlogTicks(0) + held;
            expect(accounted).toBe(ticksUpTo(now, hz));
          }
        }),
        { numRuns: 200 },
      );
    });
  },
);
