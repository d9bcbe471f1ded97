// Slowdown against an unconstrained run: the same workload, replayed alone with every vCPU on a
// pCPU of its own, against what it got on the host. A guest's timer sleeps end on jiffy boundaries
// (and over VMI short ones at its 100 Hz alarm), so its own timer granularity slows it even alone.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

const run = (pcpus: number, guests: string, costs = 'zero', abi = 'xen') =>
  simulate(
    spec(`
name: t
duration: 30s
host: { pcpus: ${pcpus}, memory: 8GiB, costs: ${costs}, abi: ${abi} }
guests:
${guests}
`),
    { checkInvariants: true },
  ).summary!.guests;

describe('slowdown', () => {
  it('is 1 for a guest alone on the host with free interface calls: it does exactly what it would unconstrained', () => {
    // Its waits are I/O, which end when the device completes; a timer sleep would end on a jiffy
    // boundary (the guest's own granularity, next test).
    const [g] = run(
      2,
      `  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.5, burst: 5ms, resident: 100MiB, wake: io } }`,
    );
    expect(g!.unconstrainedWorkCpuS).toBeGreaterThan(25);
    expect(g!.slowdown).toBeCloseTo(1, 3);
  });

  for (const abi of ['vmi', 'xen']) {
    it(`over ${abi.toUpperCase()}, alone with free calls, is what its timer granularity alone explains`, () => {
      // Sleeps are Exp(5 ms). Each ends at a jiffy boundary (4 ms at the default HZ 250) at or
      // after its expiry; over VMI, those of ≤ HZ/100 = 2 jiffies end at the next 100 Hz alarm
      // instead. D s late in all (timerDelayS, over both vCPUs). Alone, nothing else holds the
      // guest back, so each vCPU replays its unconstrained timeline stretched by its delay: it
      // does the work of T − D/2 of its own T = 30 s, and slowdown ≈ T / (T − D/2). D is about
      // 2 ms per sleep over Xen (half a jiffy on average), more over VMI (the alarm's 10 ms).
      const [g] = run(
        2,
        `  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.5, burst: 5ms, resident: 100MiB } }`,
        'zero',
        abi,
      );
      expect(g!.timerDelayS).toBeGreaterThan(5);
      const expected = 30 / (30 - g!.timerDelayS / 2);
      expect(Math.abs(g!.slowdown / expected - 1)).toBeLessThan(0.03);
    });
  }

  it('is about 2 for each of two always-busy guests sharing one pCPU', () => {
    const gs = run(
      1,
      `  - { name: 'g-{i}', count: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 1, resident: 100MiB } }`,
    );
    // Unconstrained each would run all 30 s; sharing, each gets 15 s.
    for (const g of gs) {
      expect(g.unconstrainedWorkCpuS).toBe(30);
      expect(g.slowdown).toBeCloseTo(2, 2);
    }
  });

  it('grows with the interface costs the guest pays', () => {
    // I/O waits: timer sleeps would end on jiffy boundaries, which absorb a few µs of calls.
    const guest = `  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 0.5, burst: 1ms, resident: 100MiB, wake: io } }`;
    const free = run(1, guest)[0]!;
    const costly = run(1, guest, 'p4-2006')[0]!;
    expect(costly.slowdown).toBeGreaterThan(free.slowdown);
  });
});
