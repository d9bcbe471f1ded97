// proportional-share over whole experiments, against ESX's documented behaviour
// (reference/time-cpu-abi.md §3.4): shares divide a contended host ("high is twice that of
// normal, or four times that of low", ESX 2.x manual); a limit caps CPU even when the host is
// idle and a reservation is a guarantee (frankdenneman.nl, 2010); relaxed co-scheduling stops a
// vCPU that gets too far ahead of its siblings, and idle vCPUs add no skew (VMware performance
// blog 2008; "The CPU Scheduler in VMware ESX 4", 2009).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import type { GuestSummary } from '../../sim/results/types.js';

const BUSY = '{ type: constant, dutyCycle: 1, resident: 100MiB }';
const run = (pcpus: number, guests: string, sched = '', duration = '60s'): GuestSummary[] =>
  simulate(
    spec(`
name: t
duration: ${duration}
seeds: 1
host: { pcpus: ${pcpus}, cpuMHz: 3000, memory: 8GiB, scheduler: { policy: proportional-share${sched} } }
guests:
${guests}
`),
    { checkInvariants: true },
  ).summary!.guests;

describe('proportional-share CPU model', () => {
  it('high against low shares on one pCPU splits 4:1', () => {
    const [hi, lo] = run(
      1,
      `  - { name: hi, memory: 1GiB, cpu: { shares: high }, workload: ${BUSY} }
  - { name: lo, memory: 1GiB, cpu: { shares: low }, workload: ${BUSY} }`,
    );
    // 2000 : 500 shares → 0.8 and 0.2 of the pCPU.
    expect(Math.abs(hi!.cpuPcpus - 0.8)).toBeLessThan(0.01);
    expect(Math.abs(lo!.cpuPcpus - 0.2)).toBeLessThan(0.01);
    expect(hi!.entitlementPcpus).toBeCloseTo(0.8, 5);
  });

  it('a 1500 MHz limit on a 3000 MHz host holds a busy guest to 50 % on an idle host', () => {
    const [g] = run(2, `  - { name: capped, memory: 1GiB, cpu: { limit: 1500 }, workload: ${BUSY} }`);
    expect(g!.cpuPcpus).toBeLessThanOrEqual(0.51);
    expect(g!.cpuPcpus).toBeGreaterThan(0.49);
    // The limit is enforced by parking (offline time), not by leaving it queued.
    expect(g!.parks).toBeGreaterThan(100);
    expect(g!.offlineNs).toBeGreaterThan(0.45 * 60e9);
    expect(g!.entitlementPcpus).toBeCloseTo(0.5, 5);
  });

  it('a reservation protects a guest against many busy competitors', () => {
    const guests = (res: number) =>
      `  - { name: vip, memory: 512MiB, cpu: { reservation: ${res} }, workload: ${BUSY} }
  - { name: 'n-{i}', count: 9, memory: 512MiB, workload: ${BUSY} }`;
    // Without a reservation, 10 equal busy guests on one pCPU get 0.1 each.
    const [plain] = run(1, guests(0), '', '30s');
    expect(Math.abs(plain!.cpuPcpus - 0.1)).toBeLessThan(0.01);
    // 1500 of 3000 MHz reserved: half the pCPU, the nine others share the rest (0.5 / 9).
    const [vip, ...others] = run(1, guests(1500), '', '30s');
    expect(vip!.cpuPcpus).toBeGreaterThanOrEqual(0.49);
    expect(vip!.entitlementPcpus).toBeCloseTo(0.5, 5);
    for (const o of others) expect(Math.abs(o.cpuPcpus - 0.5 / 9)).toBeLessThan(0.01);
  });

  it('idle vCPUs add no skew: a lightly loaded 2-vCPU guest is never co-stopped', () => {
    // Three pCPUs for three vCPUs: nobody ever waits, so any co-stop could only come from
    // counting an idle vCPU as a laggard. The run must equal one without co-scheduling.
    const guests = `  - { name: smp, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.3, burst: 2ms, resident: 100MiB } }
  - { name: hog, memory: 1GiB, workload: ${BUSY} }`;
    const on = run(3, guests, '', '30s');
    const off = run(3, guests, ', coSchedule: false', '30s');
    expect(on[0]!.stealPct).toBe(0);
    expect(on[0]!.runningNs).toBe(off[0]!.runningNs);
    expect(on[0]!.wakeLatencyUs).toEqual(off[0]!.wakeLatencyUs);
  });

  it('siblings starved by a competitor co-stop the leader, which costs the SMP guest CPU', () => {
    // Two pCPUs: a busy 2-vCPU guest and a half-busy 1-vCPU guest. While the small guest runs,
    // one SMP vCPU waits; its sibling runs ahead and, 3 ms later, is co-stopped until the
    // laggard catches up — even when the small guest sleeps and a pCPU idles.
    const guests = `  - { name: smp, vcpus: 2, memory: 1GiB, workload: ${BUSY} }
  - { name: up, memory: 1GiB, workload: { type: constant, dutyCycle: 0.5, burst: 5ms, resident: 100MiB } }`;
    const on = run(2, guests, '', '30s');
    const off = run(2, guests, ', coSchedule: false', '30s');
    // Without co-scheduling the SMP guest soaks up every cycle the small guest leaves.
    expect(off[0]!.runningNs + off[1]!.runningNs).toBeGreaterThan(0.99 * 2 * 30e9);
    // With it, co-stopped vCPUs stay runnable (steal) while pCPUs idle.
    expect(on[0]!.stealPct).toBeGreaterThan(off[0]!.stealPct + 1);
    expect(on[0]!.runningNs).toBeLessThan(off[0]!.runningNs);
  });
});
