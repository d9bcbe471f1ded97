// The Xen runstate area (vcpu_runstate_info, reference/time-cpu-abi.md §2.5) as the host keeps it
// and as a Xen guest reads it: times sum to state_entry_time, steal = runnable + offline, and an
// interrupt delivered as a vCPU resumes sees the area already switched (Xen updates it in
// context_switch, before the vCPU runs). A VMI guest sees counters, never the area.
import { describe, expect, it } from 'vitest';
import { BLOCKED, OFFLINE, RUNNABLE, RUNNING, Runstates } from '../../sim/host/runstates.js';
import { accounts } from '../helpers/time-accounts.js';
import type { RunstateArea } from '../../sim/abi/types.js';

const sum = (a: RunstateArea) => a.timeNs.reduce((x, y) => x + y, 0);

describe('Runstates.area', () => {
  it('holds time up to the current state’s entry: the open interval is not in it', () => {
    const r = new Runstates(1);
    r.set(0, RUNNABLE, 0);
    r.set(0, RUNNING, 3_000);
    r.set(0, BLOCKED, 10_000);
    r.set(0, RUNNABLE, 15_000);
    r.set(0, OFFLINE, 16_000);
    const a = r.area(0);
    expect(a).toEqual({ state: OFFLINE, stateEntryNs: 16_000, timeNs: [7_000, 4_000, 5_000, 0] });
    expect(sum(a)).toBe(a.stateEntryNs);
    // The host's own steal at a later time includes the open offline interval; the area does not.
    expect(r.stealNs(0, 20_000)).toBe(4_000 + 4_000);
  });

  it('the observer runs after the change, so what it delivers reads the switched area', () => {
    const r = new Runstates(1);
    const seen: RunstateArea[] = [];
    r.observer = (v, from, to, nowNs) => {
      const a = r.area(v);
      expect([a.state, a.stateEntryNs]).toEqual([to, nowNs]);
      expect(from).not.toBe(to);
      seen.push(a);
    };
    r.set(0, RUNNABLE, 0);
    r.set(0, RUNNING, 2_500);
    // Resuming after 2.5 µs runnable: the steal is already in time[runnable].
    expect(seen[1]!.timeNs[RUNNABLE]).toBe(2_500);
    expect(sum(seen[1]!)).toBe(2_500);
  });
});

describe('a Xen guest reads its steal from the runstate area', () => {
  const { records } = accounts('xen', '10s');

  it('at every accounting: Σ time = state_entry_time ≤ now, steal = runnable + offline, none missed', () => {
    expect(records.length).toBeGreaterThan(1000);
    let resumes = 0;
    for (const r of records) {
      const a = r.clocks.runstate!;
      expect(sum(a)).toBe(a.stateEntryNs);
      expect(a.stateEntryNs).toBeLessThanOrEqual(r.atNs);
      expect(r.clocks.stolenNs).toBe(a.timeNs[RUNNABLE] + a.timeNs[OFFLINE]);
      // Never reads a stale area: whatever steal the host has accounted by now is in it.
      expect(r.clocks.stolenNs).toBe(r.trueStealNs);
      if (a.state === RUNNING && a.stateEntryNs === r.atNs) resumes++;
    }
    // Interrupts held while descheduled are delivered as the vCPU resumes, and see the switch.
    expect(resumes).toBeGreaterThan(100);
  });
});

describe('a VMI guest', () => {
  it('reads counters, not the runstate area', () => {
    const { records } = accounts('vmi', '10s');
    expect(records.length).toBeGreaterThan(1000);
    for (const r of records) {
      expect(r.clocks.runstate).toBeUndefined();
      expect(r.clocks.cycles!.real).toBe(r.clocks.cycles!.available + r.clocks.cycles!.stolen);
    }
  });
});
