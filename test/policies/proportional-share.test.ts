// proportional-share driven directly: stride by shares (ESX share levels 500/1000/2000 per vCPU,
// reference/time-cpu-abi.md §3.4), sleeper credit, limit parking, reservation priority and
// relaxed co-scheduling (skew and co-stop), with hand-computed numbers.
import { describe, expect, it } from 'vitest';
import { proportionalShare as ps } from '../../policies/cpu/proportional-share.js';
import type { SchedTopology, VcpuParams } from '../../policies/cpu/types.js';

const vcpu = (guest: number, local: number, p: Partial<VcpuParams> = {}, pcpus = 1): VcpuParams => ({
  guest,
  local,
  weight: 256,
  capPct: 0,
  shares: 1000,
  reservationMHz: 0,
  limitMHz: 0,
  affinity: Array.from({ length: pcpus }, (_, i) => i),
  ...p,
});
const OPTS = ps.options.parse({});
const view = (pcpus: number) => ({
  nowNs: 0,
  running: new Int32Array(pcpus).fill(-1),
  runStartNs: new Float64Array(pcpus),
});
const MS = 1_000_000;

describe('proportional-share policy', () => {
  it('defaults: 10 ms slice and window, 5 ms sleep credit, 3 ms co-stop threshold', () => {
    expect(OPTS).toEqual({
      slice: 10 * MS,
      window: 10 * MS,
      sleepCredit: 5 * MS,
      coStopThreshold: 3 * MS,
      coSchedule: true,
    });
    expect(ps.create(OPTS, { pcpus: 1, cpuMHz: 3000, guests: 1, vcpus: [vcpu(0, 0)] }).tickNs).toBe(10 * MS);
  });

  it('virtual time advances by runtime × 1000 / shares; lowest runs; sleepers are raised', () => {
    const t: SchedTopology = {
      pcpus: 1,
      cpuMHz: 3000,
      guests: 3,
      vcpus: [vcpu(0, 0, { shares: 2000 }), vcpu(1, 0, { shares: 500 }), vcpu(2, 0)],
    };
    const c = ps.create(OPTS, t);
    const s = c.state;
    const vw = view(1);
    c.wake(0, vw);
    c.wake(1, vw);
    let d = c.schedule(0, -1, 0, vw);
    expect([d.run, d.sliceNs]).toEqual([0, 10 * MS]); // tie at 0: first queued
    vw.running[0] = 0;
    vw.nowNs = 10 * MS;
    // High shares: 10 ms × 1000 / 2000 = 5 ms of virtual time; low (still 0) runs next.
    d = c.schedule(0, 0, 10 * MS, vw);
    expect(s.vtime[0]).toBe(5 * MS);
    expect(d.run).toBe(1);
    vw.running[0] = 1;
    vw.runStartNs[0] = 10 * MS;
    vw.nowNs = 20 * MS;
    d = c.schedule(0, 1, 10 * MS, vw);
    // Low shares: 10 ms × 1000 / 500 = 20 ms. v0 (5 ms) runs: it will take 3 more slices to pass v1.
    expect(s.vtime[1]).toBe(20 * MS);
    expect(d.run).toBe(0);
    // v2 wakes after a long sleep with vtime 0: raised to the runnable minimum (v0's 5 ms,
    // not v1's 20 ms) − 5 ms = 0.
    vw.running[0] = 0;
    vw.runStartNs[0] = 20 * MS;
    c.wake(2, vw);
    expect(s.vtime[2]).toBe(0);
    // Later, with v0 at 30 ms on the pCPU and v1 at 40 ms, a sleeper at 0 is raised to 25 ms,
    // which is below v0's 30 ms: it preempts the running vCPU.
    const c2 = ps.create(OPTS, t);
    const s2 = c2.state;
    const vw2 = view(1);
    c2.wake(0, vw2);
    c2.wake(1, vw2);
    s2.vtime[0] = 30 * MS;
    s2.vtime[1] = 40 * MS;
    vw2.nowNs = 20 * MS;
    expect(c2.schedule(0, -1, 0, vw2).run).toBe(0);
    vw2.running[0] = 0;
    vw2.runStartNs[0] = 20 * MS;
    const w = c2.wake(2, vw2);
    expect(s2.vtime[2]).toBe(25 * MS);
    expect(w).toEqual([0]);
  });

  it('a guest over its limit in a window is parked at the tick and unparked when its budget allows', () => {
    // 1500 of 3000 MHz over a 10 ms window: 5 ms of CPU per window, bucket holds at most 5 ms.
    const t: SchedTopology = { pcpus: 1, cpuMHz: 3000, guests: 1, vcpus: [vcpu(0, 0, { limitMHz: 1500 })] };
    const c = ps.create(OPTS, t);
    const s = c.state;
    const vw = view(1);
    c.wake(0, vw);
    c.schedule(0, -1, 0, vw);
    vw.running[0] = 0;
    vw.nowNs = 10 * MS;
    // Ran 10 ms: bucket 5 − 10 = −5, refill +5 = 0 → parked.
    let r = c.tick(vw);
    expect(r.park).toEqual([0]);
    expect(s.tokensNs[0]).toBe(0);
    vw.running[0] = -1;
    vw.nowNs = 20 * MS;
    // Refill to 5 ms > 0 → unparked.
    r = c.tick(vw);
    expect([r.park, r.unpark]).toEqual([[], [0]]);
  });

  it('a guest below its reservation is picked first, for at most what is left of it', () => {
    // vip reserves 600 of 3000 MHz: 2 ms per 10 ms window, although its virtual time is higher.
    const t: SchedTopology = {
      pcpus: 1,
      cpuMHz: 3000,
      guests: 2,
      vcpus: [vcpu(0, 0, { reservationMHz: 600 }), vcpu(1, 0)],
    };
    const c = ps.create(OPTS, t);
    const s = c.state;
    const vw = view(1);
    c.wake(1, vw);
    c.wake(0, vw);
    s.vtime[0] = 50 * MS;
    let d = c.schedule(0, -1, 0, vw);
    expect([d.run, d.sliceNs]).toEqual([0, 2 * MS]);
    vw.running[0] = 0;
    vw.nowNs = 2 * MS;
    d = c.schedule(0, 0, 2 * MS, vw);
    expect(d.run).toBe(1); // reservation used up: back to virtual time
    vw.running[0] = 1;
    vw.runStartNs[0] = 2 * MS;
    vw.nowNs = 10 * MS;
    // New window: vip is below its reservation again and waiting, so the tick preempts for it.
    expect(c.tick(vw).preempt).toEqual([0]);
  });

  // Two pCPUs; guest 0 has vCPUs 0 and 1, guest 1 has vCPU 2.
  const smp: SchedTopology = {
    pcpus: 2,
    cpuMHz: 3000,
    guests: 2,
    vcpus: [vcpu(0, 0, {}, 2), vcpu(0, 1, {}, 2), vcpu(1, 0, {}, 2)],
  };

  it('co-stops a vCPU that leads a waiting sibling by more than the threshold', () => {
    const c = ps.create(OPTS, smp);
    const s = c.state;
    const vw = view(2);
    for (const v of [2, 0, 1]) c.wake(v, vw);
    expect(c.schedule(0, -1, 0, vw).run).toBe(2);
    // v0 runs while v1 waits: its slice ends when its lead would pass 3 ms (3 ms + 1 ns).
    const d = c.schedule(1, -1, 0, vw);
    expect([d.run, d.sliceNs]).toEqual([0, 3 * MS + 1]);
    vw.running[0] = 2;
    vw.running[1] = 0;
    // If that slice end comes late, the tick preempts it: at 4 ms its skew is 4 ms > 3 ms.
    vw.nowNs = 4 * MS;
    const r = c.tick(vw);
    expect(r.preempt).toEqual([1]);
    // Rescheduled: v0 is co-stopped (stays runnable, queued), the laggard v1 runs.
    const e = c.schedule(1, 0, 4 * MS, vw);
    expect(e.run).toBe(1);
    expect([...s.coStops].reduce((a, b) => a + b, 0)).toBe(1);
    expect(s.queue).toContain(0);
    // v0 leads v1 (running) by 4 ms: not eligible even for an idle pCPU until v1 has run 1 ms.
    vw.running[1] = 1;
    vw.runStartNs[1] = 4 * MS;
    vw.nowNs = 4.5 * MS;
    vw.running[0] = -1;
    expect(c.schedule(0, -1, 0, vw).run).toBe(-1);
    vw.nowNs = 5 * MS + 1;
    expect(c.schedule(0, -1, 0, vw).run).toBe(0);
  });

  it('idle vCPUs add no skew: a busy vCPU with a sleeping sibling is never co-stopped', () => {
    const c = ps.create(OPTS, smp);
    const s = c.state;
    const vw = view(2);
    c.wake(0, vw);
    c.wake(1, vw);
    c.schedule(0, -1, 0, vw);
    c.schedule(1, -1, 0, vw);
    vw.running[0] = 0;
    vw.running[1] = 1;
    // v1 halts at once; v0 runs 50 ms in 10 ms slices, never bounded or stopped by skew.
    c.block(1, 0, vw);
    vw.running[1] = -1;
    for (let k = 1; k <= 5; k++) {
      vw.nowNs = k * 10 * MS;
      vw.runStartNs[0] = (k - 1) * 10 * MS;
      expect(c.tick(vw).preempt).toEqual([]);
      const d = c.schedule(0, 0, 10 * MS, vw);
      expect([d.run, d.sliceNs]).toEqual([0, 10 * MS]);
    }
    // When v1 wakes it starts level with v0 (50 ms of progress): it neither lags nor leads.
    vw.runStartNs[0] = 50 * MS;
    c.wake(1, vw);
    expect(s.progress[1]).toBe(s.progress[0]);
    expect([...s.coStops].reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('entitlement: shares × vCPUs, limits as ceilings, reservations as floors', () => {
    // 1 pCPU at 3000 MHz. A: normal, limit 600 MHz (0.2). B: normal. C: low, reservation 1500 (0.5).
    // Fill 1000:1000:500 → A 0.4 > 0.2 → A = 0.2; B, C share 0.8 as 2:1 → C 0.267 < 0.5 → C = 0.5.
    // Refill the other 0.5 for A and B: A 0.25 > 0.2 → 0.2, B 0.3.
    const t: SchedTopology = {
      pcpus: 1,
      cpuMHz: 3000,
      guests: 3,
      vcpus: [vcpu(0, 0, { limitMHz: 600 }), vcpu(1, 0), vcpu(2, 0, { shares: 500, reservationMHz: 1500 })],
    };
    const e = ps.create(OPTS, t).entitlementPcpus();
    expect(e[0]).toBeCloseTo(0.2, 12);
    expect(e[1]).toBeCloseTo(0.3, 12);
    expect(e[2]).toBeCloseTo(0.5, 12);
  });
});
