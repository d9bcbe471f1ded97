// Slowdown against an unconstrained run: the same workload, replayed alone with every vCPU on a
// pCPU of its own, against what it got on the host. Over Xen, whose kernels wake on time; over VMI,
// the kernel's own timer granularity slows a guest with short sleeps even alone.
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
    const [g] = run(
      2,
      `  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.5, burst: 5ms, resident: 100MiB } }`,
    );
    expect(g!.unconstrainedWorkCpuS).toBeGreaterThan(25);
    expect(g!.slowdown).toBeCloseTo(1, 3);
  });

  it('over VMI, alone with free calls, is what its timer granularity alone explains', () => {
    // Sleeps are Exp(5 ms); those of ≤ HZ/100 = 2 jiffies (8 ms at the default HZ 250) end at the next 100 Hz
    // alarm, D s later in all (timerDelayS, over both vCPUs). Alone, nothing else holds the guest
    // back, so each vCPU replays its unconstrained timeline stretched by its delay: it does the
    // work of T − D/2 of its own T = 30 s, and slowdown ≈ T / (T − D/2), with D ≈ 17 s here.
    const [g] = run(
      2,
      `  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.5, burst: 5ms, resident: 100MiB } }`,
      'zero',
      'vmi',
    );
    expect(g!.timerDelayS).toBeGreaterThan(10);
    const expected = 30 / (30 - g!.timerDelayS / 2);
    expect(Math.abs(g!.slowdown / expected - 1)).toBeLessThan(0.03);
  });

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
    const guest = `  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 0.5, burst: 1ms, resident: 100MiB } }`;
    const free = run(1, guest)[0]!;
    const costly = run(1, guest, 'p4-2006')[0]!;
    expect(costly.slowdown).toBeGreaterThan(free.slowdown);
  });
});
