// Slowdown against an unconstrained run: the same workload, replayed alone with every vCPU on a
// pCPU of its own, against what it got on the host.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

const run = (pcpus: number, guests: string, costs = 'zero') =>
  simulate(
    spec(`
name: t
duration: 30s
host: { pcpus: ${pcpus}, memory: 8GiB, costs: ${costs} }
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
