// Simulator: event order and the clock, scheduling errors, runUntil's boundary, stop(), the
// after-event hook, the description of the event a run failed in, and independence of two
// simulators in one process.
import { describe, expect, it } from 'vitest';
import { NS_PER_MS, Simulator } from '../../sim/kernel/index.js';

describe('Simulator event loop', () => {
  it('runs events in (time, priority, insertion) order with nowNs at each event time', () => {
    const sim = new Simulator({ seed: 1 });
    const seen: string[] = [];
    const kind = sim.registerHandler((target, arg) => seen.push(`${sim.nowNs}:${target}:${arg}`));
    sim.schedule(30, kind, 1);
    sim.schedule(10, kind, 2, 0.5);
    sim.schedule(20, kind, 3, 0, 1);
    sim.schedule(20, kind, 4, 0, 0);
    sim.schedule(20, kind, 5, 0, 0);
    sim.runUntil(100);
    expect(seen).toEqual(['10:2:0.5', '20:4:0', '20:5:0', '20:3:0', '30:1:0']);
    expect(sim.eventsProcessed).toBe(5);
    expect(sim.pendingEvents).toBe(0);
  });

  it('dispatches each kind to its own handler', () => {
    const sim = new Simulator({ seed: 1 });
    const log: string[] = [];
    const a = sim.registerHandler((t) => log.push(`a${t}`));
    const b = sim.registerHandler((t) => log.push(`b${t}`));
    expect([a, b]).toEqual([0, 1]);
    sim.scheduleIn(2, b, 1);
    sim.scheduleIn(1, a, 2);
    sim.runUntil(5);
    expect(log).toEqual(['a2', 'b1']);
  });

  it('runs events scheduled by handlers, including at the current time', () => {
    const sim = new Simulator({ seed: 1 });
    const times: number[] = [];
    const kind = sim.registerHandler((n) => {
      times.push(sim.nowNs);
      if (n > 0) sim.scheduleIn(n % 2 === 0 ? 0 : 5, kind, n - 1);
    });
    sim.schedule(1, kind, 4);
    sim.runUntil(1000);
    expect(times).toEqual([1, 1, 6, 6, 11]);
  });

  it('rejects events in the past, bad times and unknown kinds with clear errors', () => {
    const sim = new Simulator({ seed: 1 });
    const kind = sim.registerHandler(() => {});
    sim.runUntil(100);
    expect(() => sim.schedule(99, kind, 0)).toThrow(/in the past: at 99 ns, but now is 100 ns/);
    expect(() => sim.schedule(100.5, kind, 0)).toThrow(/non-integer 100.5/);
    expect(() => sim.schedule(2 ** 53, kind, 0)).toThrow(/beyond 2\^53 ns/);
    expect(() => sim.scheduleIn(-1, kind, 0)).toThrow(/event delay must be a non-negative safe integer/);
    expect(() => sim.scheduleIn(Number.MAX_SAFE_INTEGER, kind, 0)).toThrow(/passes 2\^53 ns/);
    expect(() => sim.schedule(200, kind + 1, 0)).toThrow(/unknown event kind 1: registered kinds are 0..0/);
    expect(() => sim.scheduleIn(1, -1, 0)).toThrow(/unknown event kind -1/);
    expect(sim.pendingEvents).toBe(0);
    expect(() => sim.schedule(100, kind, 0)).not.toThrow();
  });

  it('cancels through the simulator; cancelled events do not run or count', () => {
    const sim = new Simulator({ seed: 1 });
    const ran: number[] = [];
    const kind = sim.registerHandler((t) => ran.push(t));
    const h1 = sim.scheduleIn(10, kind, 1);
    sim.scheduleIn(20, kind, 2);
    expect(sim.isPending(h1)).toBe(true);
    expect(sim.cancel(h1)).toBe(true);
    expect(sim.isPending(h1)).toBe(false);
    sim.runUntil(100);
    expect(ran).toEqual([2]);
    expect(sim.eventsProcessed).toBe(1);
    expect(sim.cancel(h1)).toBe(false);
  });
});

describe('Simulator.runUntil', () => {
  it('runs events at exactly endNs, not after, and leaves nowNs = endNs', () => {
    const sim = new Simulator({ seed: 1 });
    const ran: number[] = [];
    const kind = sim.registerHandler((t) => ran.push(t));
    sim.schedule(NS_PER_MS, kind, 1);
    sim.schedule(NS_PER_MS + 1, kind, 2);
    sim.runUntil(NS_PER_MS);
    expect(ran).toEqual([1]);
    expect(sim.nowNs).toBe(NS_PER_MS);
    sim.runUntil(5 * NS_PER_MS);
    expect(ran).toEqual([1, 2]);
    expect(sim.nowNs).toBe(5 * NS_PER_MS);
  });

  it('advances the clock even when no event is pending', () => {
    const sim = new Simulator({ seed: 1 });
    sim.runUntil(42);
    expect(sim.nowNs).toBe(42);
    sim.runUntil(42);
    expect(sim.nowNs).toBe(42);
  });

  it('rejects an end before now or not an integer', () => {
    const sim = new Simulator({ seed: 1 });
    sim.runUntil(10);
    expect(() => sim.runUntil(9)).toThrow(/runUntil end must be an integer ns time >= now \(10\)/);
    expect(() => sim.runUntil(10.5)).toThrow(/runUntil end/);
  });

  it('refuses to be re-entered from a handler', () => {
    const sim = new Simulator({ seed: 1 });
    const kind = sim.registerHandler(() => sim.runUntil(100));
    sim.schedule(1, kind, 0);
    expect(() => sim.runUntil(10)).toThrow(/inside an event handler/);
  });

  it('stop() ends the run after the current event; nowNs stays at that event', () => {
    const sim = new Simulator({ seed: 1 });
    const ran: number[] = [];
    const kind = sim.registerHandler((t) => {
      ran.push(t);
      if (t === 2) sim.stop();
    });
    for (let t = 1; t <= 4; t++) sim.schedule(t * 10, kind, t);
    sim.runUntil(1000);
    expect(ran).toEqual([1, 2]);
    expect(sim.nowNs).toBe(20);
    expect(sim.pendingEvents).toBe(2);
    sim.runUntil(1000);
    expect(ran).toEqual([1, 2, 3, 4]);
    expect(sim.nowNs).toBe(1000);
  });

  it('stop() outside a run has no effect on the next run', () => {
    const sim = new Simulator({ seed: 1 });
    const ran: number[] = [];
    const kind = sim.registerHandler((t) => ran.push(t));
    sim.schedule(1, kind, 1);
    sim.schedule(2, kind, 2);
    sim.stop();
    sim.runUntil(10);
    expect(ran).toEqual([1, 2]);
  });

  it('calls the after-event hook after every event until removed, and propagates its errors', () => {
    const sim = new Simulator({ seed: 1 });
    const log: string[] = [];
    const kind = sim.registerHandler((t) => log.push(`event${t}`));
    sim.setAfterEvent(() => log.push(`check@${sim.nowNs}`));
    sim.schedule(1, kind, 1);
    sim.schedule(2, kind, 2);
    sim.runUntil(2);
    expect(log).toEqual(['event1', 'check@1', 'event2', 'check@2']);
    sim.setAfterEvent(undefined);
    sim.schedule(3, kind, 3);
    sim.runUntil(3);
    expect(log.at(-1)).toBe('event3');

    sim.setAfterEvent(() => {
      throw new Error('invariant broken');
    });
    sim.schedule(4, kind, 4);
    expect(() => sim.runUntil(10)).toThrow('invariant broken');
    expect(sim.nowNs).toBe(4);
  });
});

describe('Simulator.failedEvent', () => {
  it('describes the event whose handler or after-event check threw, by its kind’s describer', () => {
    const sim = new Simulator({ seed: 1 });
    const ok = sim.registerHandler(
      () => {},
      (t) => `quiet event ${t}`,
    );
    const bad = sim.registerHandler(
      (t) => {
        if (t === 7) throw new Error('boom');
      },
      (t, a) => `loud event ${t} (${a})`,
    );
    sim.schedule(10, ok, 1);
    sim.schedule(20, bad, 7, 3);
    expect(sim.failedEvent()).toBeUndefined();
    expect(() => sim.runUntil(100)).toThrow('boom');
    expect(sim.nowNs).toBe(20);
    expect(sim.failedEvent()).toBe('loud event 7 (3)');

    const checked = new Simulator({ seed: 1 });
    const k = checked.registerHandler(
      () => {},
      (t) => `event ${t}`,
    );
    checked.schedule(5, k, 1);
    checked.schedule(6, k, 2);
    checked.setAfterEvent(() => {
      if (checked.nowNs === 6) throw new Error('check failed');
    });
    expect(() => checked.runUntil(10)).toThrow('check failed');
    expect(checked.failedEvent()).toBe('event 2');
  });

  it('is undefined for a kind registered without a describer', () => {
    const sim = new Simulator({ seed: 1 });
    const k = sim.registerHandler(() => {
      throw new Error('x');
    });
    sim.schedule(1, k, 0);
    expect(() => sim.runUntil(2)).toThrow('x');
    expect(sim.failedEvent()).toBeUndefined();
  });
});

describe('Simulator independence and determinism', () => {
  function trace(seed: number): string[] {
    const sim = new Simulator({ seed });
    const out: string[] = [];
    const rng = sim.rng.stream('model');
    const kind = sim.registerHandler((target) => {
      out.push(`${sim.nowNs}:${target}`);
      sim.scheduleIn(rng.nextInt(0, 1000), kind, rng.nextInt(0, 9));
    });
    for (let i = 0; i < 10; i++) sim.scheduleIn(rng.nextInt(0, 1000), kind, i);
    sim.runUntil(50_000);
    return out;
  }

  it('same seed gives the same trace; a different seed a different one', () => {
    const a = trace(5);
    expect(a.length).toBeGreaterThan(100);
    expect(trace(5)).toEqual(a);
    expect(trace(6)).not.toEqual(a);
  });

  it('two simulators in one process do not share clocks, queues, handlers or streams', () => {
    const s1 = new Simulator({ seed: 9 });
    const s2 = new Simulator({ seed: 9 });
    const k1 = s1.registerHandler(() => {});
    s1.schedule(5, k1, 0);
    s1.runUntil(100);
    expect(s2.nowNs).toBe(0);
    expect(s2.pendingEvents).toBe(0);
    expect(() => s2.schedule(1, k1, 0)).toThrow(/unknown event kind/);
    expect(s1.rng.stream('x')).not.toBe(s2.rng.stream('x'));
    expect(s1.rng.stream('x').nextFloat()).toBe(s2.rng.stream('x').nextFloat());
    expect(s1.trace).not.toBe(s2.trace);
  });

  it('passes its trace map type through to the bus', () => {
    type Events = { tick: { n: number } };
    const sim = new Simulator<Events>({ seed: 1 });
    const got: number[] = [];
    sim.trace.on('tick', (ev) => got.push(ev.n));
    sim.trace.emit('tick', { n: 3 });
    // @ts-expect-error payload must match the declared event type
    sim.trace.emit('tick', { n: 'three' });
    expect(got).toEqual([3, 'three']);
  });
});
