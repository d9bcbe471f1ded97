// credit2 over whole experiments: weights divide a contended pCPU in proportion (Xen credit2:
// "VMs 'burn' credits based on their weight … the highest weight unit burns credits at a rate of
// 1 credit per nanosecond. Others burn proportionally more", reference/time-cpu-abi.md §3.3).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

const BUSY = '{ type: constant, dutyCycle: 1, resident: 100MiB }';
const run = (pcpus: number, guests: string, duration = '60s') =>
  simulate(
    spec(`
name: t
duration: ${duration}
seeds: 1
host: { pcpus: ${pcpus}, memory: 8GiB, scheduler: { policy: credit2 } }
guests:
${guests}
`),
    { checkInvariants: true },
  ).summary!.guests;

describe('credit2 CPU model', () => {
  it('weights 256 and 512 on one pCPU get 1/3 and 2/3', () => {
    const [a, b] = run(
      1,
      `  - { name: a, memory: 1GiB, cpu: { weight: 256 }, workload: ${BUSY} }
  - { name: b, memory: 1GiB, cpu: { weight: 512 }, workload: ${BUSY} }`,
    );
    // Both spend credit at the same pace; a's costs it twice as much per ns, so b runs twice as long.
    expect(Math.abs(a!.cpuPcpus - 1 / 3)).toBeLessThan(0.02);
    expect(Math.abs(b!.cpuPcpus - 2 / 3)).toBeLessThan(0.02);
    expect(a!.entitlementPcpus).toBeCloseTo(1 / 3, 5);
    expect(b!.entitlementPcpus).toBeCloseTo(2 / 3, 5);
    for (const g of [a!, b!]) expect(g.runningNs + g.runnableNs + g.blockedNs + g.offlineNs).toBe(60e9);
  });

  it('equal weights on two pCPUs split three busy vCPUs evenly and keep both pCPUs busy', () => {
    const gs = run(2, `  - { name: 'g-{i}', count: 3, memory: 1GiB, workload: ${BUSY} }`, '30s');
    const total = gs.reduce((a, g) => a + g.runningNs, 0);
    expect(total).toBe(2 * 30e9);
    // Fair share: 2 pCPUs / 3 vCPUs = 0.667 each.
    for (const g of gs) expect(Math.abs(g.cpuPcpus - 2 / 3)).toBeLessThan(0.02);
  });

  it('a waking light guest preempts a busy one with less credit: low wake latency', () => {
    const [, light] = run(
      1,
      `  - { name: hog, memory: 1GiB, workload: ${BUSY} }
  - { name: light, memory: 1GiB, workload: { type: constant, dutyCycle: 0.05, burst: 1ms, resident: 100MiB } }`,
      '30s',
    );
    // The light guest burns little credit, so on waking it outranks the hog (whose credit is
    // falling while it runs) and is tickled onto the pCPU at once: far below the hog's slices
    // (up to maxSlice 10 ms) it would otherwise wait for.
    expect(light!.wakeLatencyUs.count).toBeGreaterThan(100);
    expect(light!.wakeLatencyUs.p95).toBeLessThan(1000);
    expect(Math.abs(light!.cpuPcpus - 0.05)).toBeLessThan(0.01);
  });
});
