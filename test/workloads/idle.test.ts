// `idle` (workloads/idle.ts): a fixed per-vCPU wake-up grid, work/tick CPU share, determinism,
// a whole run with invariants on, and option errors.
import { describe, expect, it } from 'vitest';
import { idleWorkload } from '../../workloads/idle.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { burstSequence, drive, exp, make } from './fake-ctx.js';

describe('idle workload', () => {
  it('wakes each vCPU on a fixed grid of period tick, for work each time', () => {
    const w = make(idleWorkload, {}, 1, 4);
    const phases = new Set<number>();
    for (let v = 0; v < 4; v++) {
      const run = drive(w, v, 100e9, true);
      // The boot burst runs at 0; after it, wake-ups are φ + k·1s for one φ per vCPU.
      const starts = run.busy.slice(1).map(([s]) => s);
      expect(starts.length).toBeGreaterThanOrEqual(99);
      const phi = starts[0]! % 1e9;
      for (const [i, s] of starts.entries()) expect(s).toBe(starts[0]! + i * 1e9);
      for (const [s, e] of run.busy.slice(0, -1)) expect(e - s).toBe(100e3);
      phases.add(phi);
    }
    // Grid offsets are drawn per vCPU, so vCPUs do not wake in lockstep.
    expect(phases.size).toBe(4);
  });

  it('uses work/tick of a CPU (100us every 1s = 0.01 %)', () => {
    const run = drive(make(idleWorkload, {}), 0, 1000e9);
    expect(run.busyNs / 1000e9).toBeCloseTo(1e-4, 6);
  });

  it('stays on its grid when a burst runs late (steal does not drift it)', () => {
    const w = make(idleWorkload, { tick: '10ms', work: '1ms' });
    const first = w.nextBurst(0, 0);
    const b1 = w.nextBurst(0, 1e6);
    const wake1 = 1e6 + b1.idleNs;
    // Finish 3.5 ms late: the next wake is still on the 10-ms grid.
    const b2 = w.nextBurst(0, wake1 + 1e6 + 3.5e6);
    expect((wake1 + 1e6 + 3.5e6 + b2.idleNs - wake1) % 10e6).toBe(0);
    expect(first.workNs).toBe(1e6);
  });

  it('is deterministic: same seed, same bursts; another seed, other offsets', () => {
    const a = burstSequence(make(idleWorkload, {}, 7, 2), 2, 50);
    const b = burstSequence(make(idleWorkload, {}, 7, 2), 2, 50);
    const c = burstSequence(make(idleWorkload, {}, 8, 2), 2, 50);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('runs in a whole experiment with invariants on, using < 1 % CPU', () => {
    const r = simulate(
      spec(exp(`  - { name: a, vcpus: 2, memory: 512MiB, workload: { type: idle } }`, '30s')),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    expect(g.workDoneCpuS).toBeGreaterThan(0);
    expect(g.workDoneCpuS / (2 * 30)).toBeLessThan(0.01);
    expect(g.runningNs / (2 * 30e9)).toBeLessThan(0.01);
    expect(g.anonMiB).toBeCloseTo(32, 0);
  });

  it('refuses work ≥ tick and a resident set that does not fit, naming the field', () => {
    const guest = (o: string) => exp(`  - { name: a, memory: 256MiB, workload: { type: idle, ${o} } }`);
    expect(() => experiment(guest('tick: 1ms, work: 1ms'))).toThrow(
      /workload\.work: work must be shorter than tick/,
    );
    expect(() => experiment(guest('tick: 0s'))).toThrow(/workload\.tick: tick must be longer than 0/);
    expect(() => experiment(guest('resident: 1GiB'))).toThrow(
      /workload\.resident: resident 1GiB does not fit/,
    );
  });
});
