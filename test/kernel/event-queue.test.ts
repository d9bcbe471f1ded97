// Event queue: (time, priority, insertion) order, and the `entity` tie order (time, priority, kind,
// target, arg, insertion); cancellation by handle, growth, and random operation sequences checked
// against a plain sorted-array reference.
import { describe, expect, it } from 'vitest';
import { EventQueue, NO_EVENT, RunRng } from '../../sim/kernel/index.js';

interface Popped {
  timeNs: number;
  priority: number;
  kind: number;
  target: number;
  arg: number;
}

function drain(q: EventQueue): Popped[] {
  const out: Popped[] = [];
  while (q.pop())
    out.push({ timeNs: q.timeNs, priority: q.priority, kind: q.kind, target: q.target, arg: q.arg });
  return out;
}

describe('EventQueue ordering', () => {
  it('pops by ascending time', () => {
    const q = new EventQueue();
    for (const t of [50, 10, 40, 20, 30]) q.push(t, 0, 0, t, 0);
    expect(drain(q).map((e) => e.timeNs)).toEqual([10, 20, 30, 40, 50]);
  });

  it('breaks equal times by priority, then by insertion order', () => {
    const q = new EventQueue();
    q.push(100, 1, 0, 0, 0);
    q.push(100, 0, 0, 1, 0);
    q.push(100, 1, 0, 2, 0);
    q.push(100, -5, 0, 3, 0);
    q.push(100, 0, 0, 4, 0);
    q.push(99, 7, 0, 5, 0);
    expect(drain(q).map((e) => e.target)).toEqual([5, 3, 1, 4, 0, 2]);
  });

  it('round-trips every field of the record', () => {
    const q = new EventQueue();
    q.push(7, -3, 12, -99, 2.5);
    expect(q.pop()).toBe(true);
    expect([q.timeNs, q.priority, q.kind, q.target, q.arg]).toEqual([7, -3, 12, -99, 2.5]);
    expect(q.pop()).toBe(false);
    // A failed pop leaves the last event's fields in place.
    expect(q.target).toBe(-99);
  });

  it('matches a sorted reference for many random pushes with frequent ties', () => {
    const rng = new RunRng(7).stream('queue-order');
    const q = new EventQueue(16);
    const ref: Popped[] = [];
    for (let i = 0; i < 5000; i++) {
      // Few distinct times and priorities, so the tie-breaks are exercised constantly.
      const e = { timeNs: rng.nextInt(0, 200), priority: rng.nextInt(-2, 2), kind: 1, target: i, arg: i / 2 };
      q.push(e.timeNs, e.priority, e.kind, e.target, e.arg);
      ref.push(e);
    }
    // Array.prototype.sort is stable, so equal (time, priority) keep insertion order.
    ref.sort((a, b) => a.timeNs - b.timeNs || a.priority - b.priority);
    expect(q.size).toBe(5000);
    expect(drain(q)).toEqual(ref);
  });

  it('matches the reference under interleaved push, pop and cancel', () => {
    const rng = new RunRng(11).stream('queue-mixed');
    const q = new EventQueue(4);
    // Reference: pending events in push order; the first by (time, priority, seq) pops next.
    let pending: { timeNs: number; priority: number; seq: number; handle: number }[] = [];
    let seq = 0;
    let now = 0;
    for (let step = 0; step < 20000; step++) {
      const op = rng.nextFloat();
      if (op < 0.5) {
        const timeNs = now + rng.nextInt(0, 50);
        const priority = rng.nextInt(-1, 1);
        const handle = q.push(timeNs, priority, 0, seq, 0);
        pending.push({ timeNs, priority, seq, handle });
        seq++;
      } else if (op < 0.65 && pending.length > 0) {
        const victim = pending[rng.nextInt(0, pending.length - 1)]!;
        expect(q.cancel(victim.handle)).toBe(true);
        expect(q.cancel(victim.handle)).toBe(false);
        pending = pending.filter((p) => p !== victim);
      } else {
        const expected = [...pending].sort(
          (a, b) => a.timeNs - b.timeNs || a.priority - b.priority || a.seq - b.seq,
        )[0];
        expect(q.pop()).toBe(expected !== undefined);
        if (expected !== undefined) {
          expect([q.timeNs, q.target]).toEqual([expected.timeNs, expected.seq]);
          now = q.timeNs;
          pending = pending.filter((p) => p !== expected);
        }
      }
      expect(q.size).toBe(pending.length);
    }
  });
});

describe('EventQueue entity tie order', () => {
  it('breaks equal times by priority, then kind, target and arg, then insertion order', () => {
    const q = new EventQueue(1024, 'entity');
    q.push(100, 1, 0, 0, 0); // a
    q.push(100, 0, 2, 1, 0); // b
    q.push(100, 0, 1, 9, 0); // c
    q.push(100, 0, 1, 3, 5); // d
    q.push(100, 0, 1, 3, 4); // e
    q.push(100, 0, 1, 3, 4); // f: same as e, so after it
    q.push(99, 7, 9, 9, 9); // g: earlier time first, whatever its numbers
    const order = drain(q).map((e) => [e.kind, e.target, e.arg, e.priority]);
    expect(order).toEqual([
      [9, 9, 9, 7],
      [1, 3, 4, 0],
      [1, 3, 4, 0],
      [1, 3, 5, 0],
      [1, 9, 0, 0],
      [2, 1, 0, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('pops simultaneous events in the same order whatever order they were pushed in', () => {
    const rng = new RunRng(5).stream('queue-entity');
    const events = Array.from({ length: 200 }, (_, i) => ({
      timeNs: rng.nextInt(0, 3),
      priority: rng.nextInt(0, 2),
      kind: rng.nextInt(0, 4),
      target: rng.nextInt(0, 9),
      arg: i,
    }));
    const popped = (list: typeof events) => {
      const q = new EventQueue(8, 'entity');
      for (const e of list) q.push(e.timeNs, e.priority, e.kind, e.target, e.arg);
      return drain(q);
    };
    const first = popped(events);
    const shuffled = [...events];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.nextInt(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    expect(popped(shuffled)).toEqual(first);
    expect(popped([...events].reverse())).toEqual(first);
    // The insertion order decides nothing here (every arg differs), unlike the default order.
    const q = new EventQueue(8);
    for (const e of [...events].reverse()) q.push(e.timeNs, e.priority, e.kind, e.target, e.arg);
    expect(drain(q)).not.toEqual(first);
  });

  it('matches a sorted reference under interleaved push, pop and cancel', () => {
    const rng = new RunRng(13).stream('queue-entity-mixed');
    const q = new EventQueue(4, 'entity');
    type Ref = {
      timeNs: number;
      priority: number;
      kind: number;
      target: number;
      seq: number;
      handle: number;
    };
    let pending: Ref[] = [];
    let seq = 0;
    let now = 0;
    const before = (a: Ref, b: Ref) =>
      a.timeNs - b.timeNs ||
      a.priority - b.priority ||
      a.kind - b.kind ||
      a.target - b.target ||
      a.seq - b.seq;
    for (let step = 0; step < 20000; step++) {
      const op = rng.nextFloat();
      if (op < 0.5) {
        const e = {
          timeNs: now + rng.nextInt(0, 20),
          priority: rng.nextInt(-1, 1),
          kind: rng.nextInt(0, 3),
          target: rng.nextInt(0, 5),
          seq,
          handle: 0,
        };
        // arg 0 for all: equal (kind, target) fall back to insertion order.
        e.handle = q.push(e.timeNs, e.priority, e.kind, e.target, 0);
        pending.push(e);
        seq++;
      } else if (op < 0.65 && pending.length > 0) {
        const victim = pending[rng.nextInt(0, pending.length - 1)]!;
        expect(q.cancel(victim.handle)).toBe(true);
        pending = pending.filter((p) => p !== victim);
      } else {
        const expected = [...pending].sort(before)[0];
        expect(q.pop()).toBe(expected !== undefined);
        if (expected !== undefined) {
          expect([q.timeNs, q.priority, q.kind, q.target]).toEqual([
            expected.timeNs,
            expected.priority,
            expected.kind,
            expected.target,
          ]);
          now = q.timeNs;
          pending = pending.filter((p) => p !== expected);
        }
      }
      expect(q.size).toBe(pending.length);
    }
  });
});

describe('EventQueue cancellation', () => {
  it('never delivers a cancelled event', () => {
    const q = new EventQueue();
    const handles = [10, 20, 30, 40].map((t) => q.push(t, 0, 0, t, 0));
    expect(q.cancel(handles[1]!)).toBe(true);
    expect(q.cancel(handles[3]!)).toBe(true);
    expect(q.size).toBe(2);
    expect(drain(q).map((e) => e.target)).toEqual([10, 30]);
  });

  it('skips a cancelled root when peeking', () => {
    const q = new EventQueue();
    const first = q.push(5, 0, 0, 0, 0);
    q.push(9, 0, 0, 1, 0);
    q.cancel(first);
    expect(q.peekTimeNs()).toBe(9);
  });

  it('returns false for popped, already cancelled and unknown handles', () => {
    const q = new EventQueue();
    const a = q.push(1, 0, 0, 0, 0);
    const b = q.push(2, 0, 0, 0, 0);
    q.pop();
    expect(q.isPending(a)).toBe(false);
    expect(q.cancel(a)).toBe(false);
    expect(q.isPending(b)).toBe(true);
    expect(q.cancel(b)).toBe(true);
    expect(q.cancel(b)).toBe(false);
    for (const bogus of [NO_EVENT, -1, 1.5, NaN, Infinity, 2 ** 53, 123_456_789])
      expect(q.cancel(bogus)).toBe(false);
    expect(q.size).toBe(0);
  });

  it('does not let a stale handle cancel the next event in a reused slot', () => {
    const q = new EventQueue(1);
    const old = q.push(10, 0, 0, 1, 0);
    q.pop();
    const fresh = q.push(20, 0, 0, 2, 0); // reuses the only slot
    expect(fresh).not.toBe(old);
    expect(q.cancel(old)).toBe(false);
    expect(q.isPending(fresh)).toBe(true);

    const cancelled = fresh;
    q.cancel(cancelled);
    expect(q.pop()).toBe(false); // drops the dead entry, freeing the slot
    const newest = q.push(30, 0, 0, 3, 0);
    expect(q.cancel(cancelled)).toBe(false);
    expect(drain(q).map((e) => e.target)).toEqual([3]);
    expect(q.isPending(newest)).toBe(false);
  });

  it('reclaims cancelled entries: repeated schedule-and-cancel does not grow the queue', () => {
    const q = new EventQueue(128);
    for (let i = 0; i < 10; i++) q.push(i, 0, 0, i, 0);
    for (let i = 0; i < 100_000; i++) q.cancel(q.push(1e12 + i, 0, 0, -1, 0));
    expect(q.size).toBe(10);
    expect(q.capacity).toBe(128);
    expect(drain(q).map((e) => e.target)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('clear() empties the queue and invalidates handles', () => {
    const q = new EventQueue();
    const h = q.push(1, 0, 0, 0, 0);
    q.cancel(q.push(2, 0, 0, 0, 0));
    q.clear();
    expect(q.size).toBe(0);
    expect(q.peekTimeNs()).toBe(Infinity);
    expect(q.cancel(h)).toBe(false);
  });
});

describe('EventQueue growth and validation', () => {
  it('grows beyond its initial capacity without losing or reordering events', () => {
    const q = new EventQueue(2);
    const n = 10_000;
    for (let i = 0; i < n; i++) q.push((i * 7919) % n, i % 3, i % 5, i, i * 0.25);
    expect(q.capacity).toBeGreaterThanOrEqual(n);
    const out = drain(q);
    expect(out.length).toBe(n);
    for (let i = 0; i < n; i++) {
      const e = out[i]!;
      expect(e.timeNs).toBe(i);
      expect([e.priority, e.kind, e.arg]).toEqual([e.target % 3, e.target % 5, e.target * 0.25]);
    }
  });

  it('rejects times that are not non-negative safe integers', () => {
    const q = new EventQueue();
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) {
      expect(() => q.push(bad, 0, 0, 0, 0)).toThrow(/event time must be a non-negative safe integer/);
    }
    expect(q.size).toBe(0);
  });

  it('rejects priority, kind or target outside int32', () => {
    const q = new EventQueue();
    expect(() => q.push(0, 2 ** 31, 0, 0, 0)).toThrow(/priority must be a 32-bit signed integer/);
    expect(() => q.push(0, 0, 0.5, 0, 0)).toThrow(/kind must be a 32-bit signed integer/);
    expect(() => q.push(0, 0, 0, -(2 ** 31) - 1, 0)).toThrow(/target must be a 32-bit signed integer/);
    expect(() => q.push(0, -(2 ** 31), 0, 2 ** 31 - 1, 0)).not.toThrow();
  });

  it('reports Infinity and refuses to pop when empty', () => {
    const q = new EventQueue();
    expect(q.peekTimeNs()).toBe(Infinity);
    expect(q.pop()).toBe(false);
    q.push(3, 0, 0, 0, 0);
    expect(q.popIfAtOrBefore(2)).toBe(false);
    expect(q.size).toBe(1);
    expect(q.popIfAtOrBefore(3)).toBe(true);
  });
});
