// timeSync: ntp as ntpd disciplines a clock (sim/guest/timekeeping.ts syncRound; reference
// time-cpu-abi.md §4.4): an offset within the 128 ms step threshold is slewed over the next poll
// interval at no more than the kernel's 500 ppm (MAXFREQ), one beyond it is stepped. Worked by hand
// on a tick-counting guest at HZ 1000 (1 jiffy = 1 ms) whose jiffies are set directly, so the only
// correction is the daemon's; polls 64 s apart (ntpd's minpoll 6).
import { describe, expect, it } from 'vitest';
import type { ParavirtOps } from '../../sim/abi/types.js';
import { TICK_COUNTING_CLOCK } from '../../sim/abi/native/native-interface.js';
import { GuestTimekeeping, NTP_MAX_SLEW, NTP_STEP_THRESHOLD_NS } from '../../sim/guest/timekeeping.js';

const S = 1e9;
const MS = 1e6;
const POLL_NS = 64 * S;

/** A tick-counting guest whose clock reads `behindNs` less than true time at `atNs`. */
function guestBehind(behindNs: number, atNs: number): GuestTimekeeping {
  // A tick-counting clock asks nothing of its interface; no call may be made.
  const ops = new Proxy({}, { get: () => () => expect.unreachable('no interface call') });
  const g = new GuestTimekeeping(TICK_COUNTING_CLOCK, 1000, 1, ops as ParavirtOps, 'ntp');
  g.jiffies = (atNs - behindNs) / MS;
  return g;
}

/** Moves the guest's ticks on by `ns` of true time (it loses no more). */
const tick = (g: GuestTimekeeping, ns: number) => (g.jiffies += ns / MS);

describe('timeSync: ntp', () => {
  it('the documented limits are ntpd’s: 500 ppm, 128 ms', () => {
    expect(NTP_MAX_SLEW).toBe(500e-6);
    expect(NTP_STEP_THRESHOLD_NS).toBe(128 * MS);
  });

  it('slews a 10 ms offset away over one poll interval (156.25 ppm, under the limit)', () => {
    const g = guestBehind(10 * MS, 10 * S);
    expect(g.syncRound(10 * S, POLL_NS).errorNs).toBeCloseTo(10 * MS, 3);
    // Halfway: 32 s × 10 ms / 64 s = 5 ms corrected, 5 ms left.
    tick(g, 32 * S);
    expect(g.errorNs(42 * S)).toBeCloseTo(5 * MS, 0);
    tick(g, 32 * S);
    expect(g.errorNs(74 * S)).toBeCloseTo(0, 0);
    expect(g.steps).toBe(0);
  });

  it('slews a 50 ms offset at 500 ppm, not the 781 ppm that would clear it in one interval', () => {
    const g = guestBehind(50 * MS, 10 * S);
    g.syncRound(10 * S, POLL_NS);
    // 64 s × 500 ppm = 32 ms corrected: 18 ms left at the next poll, which slews the rest
    // (18 ms / 64 s = 281.25 ppm).
    tick(g, 64 * S);
    expect(g.errorNs(74 * S)).toBeCloseTo(18 * MS, 0);
    expect(g.syncRound(74 * S, POLL_NS).errorNs).toBeCloseTo(18 * MS, 0);
    tick(g, 64 * S);
    expect(g.errorNs(138 * S)).toBeCloseTo(0, 0);
    expect(g.steps).toBe(0);
  });

  it('slews a guest that is ahead backwards, at most 500 ppm', () => {
    const g = guestBehind(-50 * MS, 10 * S);
    g.syncRound(10 * S, POLL_NS);
    tick(g, 64 * S);
    // −50 ms + 32 ms corrected = −18 ms (still ahead).
    expect(g.errorNs(74 * S)).toBeCloseTo(-18 * MS, 0);
  });

  it('steps an offset beyond 128 ms at once, and only then', () => {
    const within = guestBehind(127 * MS, 10 * S);
    within.syncRound(10 * S, POLL_NS);
    expect(within.steps).toBe(0);
    expect(within.errorNs(10 * S)).toBeCloseTo(127 * MS, 0);
    const beyond = guestBehind(129 * MS, 10 * S);
    beyond.syncRound(10 * S, POLL_NS);
    expect(beyond.steps).toBe(1);
    expect(beyond.errorNs(10 * S)).toBeCloseTo(0, 0);
    // And it stays on time afterwards (no slew left over).
    tick(beyond, 64 * S);
    expect(beyond.errorNs(74 * S)).toBeCloseTo(0, 0);
  });
});
