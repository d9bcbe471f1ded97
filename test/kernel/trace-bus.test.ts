// Trace bus: typed events delivered synchronously in subscription order, unsubscribe, has().
import { describe, expect, it } from 'vitest';
import { TraceBus } from '../../sim/kernel/index.js';

interface Events {
  ping: { n: number };
  pong: { s: string };
}

describe('TraceBus', () => {
  it('delivers to listeners of the type, in subscription order', () => {
    const bus = new TraceBus<Events>();
    const log: string[] = [];
    bus.on('ping', (ev) => log.push(`a${ev.n}`));
    bus.on('pong', (ev) => log.push(`p${ev.s}`));
    bus.on('ping', (ev) => log.push(`b${ev.n}`));
    bus.on('ping', (ev) => log.push(`c${ev.n}`));
    bus.emit('ping', { n: 1 });
    bus.emit('pong', { s: 'x' });
    expect(log).toEqual(['a1', 'b1', 'c1', 'px']);
  });

  it('unsubscribes exactly one subscription, idempotently', () => {
    const bus = new TraceBus<Events>();
    const log: string[] = [];
    const fn = (ev: { n: number }) => log.push(`f${ev.n}`);
    const offFirst = bus.on('ping', fn);
    bus.on('ping', (ev) => log.push(`g${ev.n}`));
    bus.on('ping', fn);
    offFirst();
    offFirst();
    bus.emit('ping', { n: 2 });
    expect(log).toEqual(['g2', 'f2']);
  });

  it('has() tells whether anyone listens to a type', () => {
    const bus = new TraceBus<Events>();
    expect(bus.has('ping')).toBe(false);
    const off1 = bus.on('ping', () => {});
    const off2 = bus.on('ping', () => {});
    expect(bus.has('ping')).toBe(true);
    expect(bus.has('pong')).toBe(false);
    off1();
    expect(bus.has('ping')).toBe(true);
    off2();
    expect(bus.has('ping')).toBe(false);
  });

  it('applies (un)subscriptions made during an emit from the next emit on', () => {
    const bus = new TraceBus<Events>();
    const log: string[] = [];
    let offB: () => void = () => {};
    bus.on('ping', (ev) => {
      log.push(`a${ev.n}`);
      if (ev.n === 1) {
        offB();
        bus.on('ping', (e) => log.push(`late${e.n}`));
      }
    });
    offB = bus.on('ping', (ev) => log.push(`b${ev.n}`));
    bus.emit('ping', { n: 1 });
    bus.emit('ping', { n: 2 });
    expect(log).toEqual(['a1', 'b1', 'a2', 'late2']);
  });

  it('propagates a listener exception to the emitter', () => {
    const bus = new TraceBus<Events>();
    bus.on('pong', () => {
      throw new Error('listener failed');
    });
    expect(() => bus.emit('pong', { s: '' })).toThrow('listener failed');
  });

  it('emitting a type nobody listens to is a no-op', () => {
    const bus = new TraceBus<Events>();
    expect(() => bus.emit('pong', { s: 'unheard' })).not.toThrow();
  });

  it('is typed by its event map', () => {
    const bus = new TraceBus<Events>();
    // @ts-expect-error unknown event type
    bus.on('nope', () => {});
    // @ts-expect-error wrong payload for the type
    bus.emit('ping', { s: 'x' });
    expect(bus.has('ping')).toBe(false);
  });
});
