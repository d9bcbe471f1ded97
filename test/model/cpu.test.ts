// CPU model over round-robin: conservation of time, fairness against hand-computed shares, and
// the runstate invariant checked after every event. Guests run over Xen, whose kernels end each
// timer sleep at the next jiffy (a VMI kernel ends sleeps of ≤ HZ/100 jiffies at its 100 Hz alarm,
// later still: test/model/vmi-short-sleeps.test.ts); where that changes a duty cycle, the expected
// work allows for the guest's timer delay.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

const base = (pcpus: number, guests: string, duration = '20s') => `
name: t
duration: ${duration}
seeds: 1
host: { pcpus: ${pcpus}, memory: 8GiB, abi: xen }
guests:
${guests}
`;

describe('round-robin CPU model', () => {
  it('a lone always-busy vCPU runs all the time and sees no steal', () => {
    const r = simulate(
      spec(
        base(
          1,
          `  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 1, resident: 100MiB } }`,
        ),
      ),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    expect(g.runningNs).toBe(20e9);
    expect(g.runnableNs).toBe(0);
    expect(g.stealPct).toBe(0);
  });

  it('two always-busy vCPUs on one pCPU each get half and 50 % steal', () => {
    const r = simulate(
      spec(
        base(
          1,
          `  - { name: 'g-{i}', count: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 1, resident: 100MiB } }`,
        ),
      ),
      { checkInvariants: true },
    );
    for (const g of r.summary!.guests) {
      // Round-robin with 30 ms slices over 20 s: each gets 10 s, give or take one slice.
      expect(Math.abs(g.runningNs - 10e9)).toBeLessThanOrEqual(30e6);
      expect(g.runningNs + g.runnableNs + g.blockedNs + g.offlineNs).toBe(20e9);
      expect(Math.abs(g.stealPct - 50)).toBeLessThan(0.2);
    }
  });

  it('never runs more vCPU time than the pCPUs have, and accounts all elapsed time', () => {
    const r = simulate(
      spec(
        base(
          2,
          `  - { name: 'w-{i}', count: 5, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.6, burst: 3ms, resident: 100MiB } }`,
        ),
      ),
      { checkInvariants: true },
    );
    const gs = r.summary!.guests;
    const running = gs.reduce((a, g) => a + g.runningNs, 0);
    expect(running).toBeLessThanOrEqual(2 * 20e9);
    // Demand is 10 vCPUs × 0.6 = 6 pCPUs' worth on 2 pCPUs: the pCPUs must be nearly always busy.
    expect(running).toBeGreaterThan(0.98 * 2 * 20e9);
    for (const g of gs) expect(g.runningNs + g.runnableNs + g.blockedNs + g.offlineNs).toBe(2 * 20e9);
  });

  it('an under-committed host gives each vCPU its duty cycle with little steal', () => {
    const r = simulate(
      spec(
        base(
          4,
          `  - { name: 'w-{i}', count: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.3, burst: 5ms, resident: 100MiB } }`,
          '60s',
        ),
      ),
    );
    for (const g of r.summary!.guests) {
      // Duty 0.3 of the time the vCPU's timeline has: its 60 s less the time its sleeps ran past
      // their expiry to the next jiffy (timerDelayS, the guest's own granularity, not the host's),
      // so 0.3 × (60 − D) s of CPU. Bursts are Exp(5 ms); over ~3,600 bursts the relative
      // standard error of the busy share is about 1/sqrt(3600) ≈ 1.7 %, so allow 8 %.
      const expected = 0.3 * (60 - g.timerDelayS);
      expect(g.timerDelayS).toBeGreaterThan(0);
      expect(g.workDoneCpuS).toBeGreaterThan(expected * 0.92);
      expect(g.workDoneCpuS).toBeLessThan(expected * 1.08);
      expect(g.stealPct).toBe(0);
    }
  });
});
