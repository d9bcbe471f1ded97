/**
 * Xen's clock faults (host.clock, sim/abi/xen/xen-ops.ts pvclockAt): a per-pCPU offset of local
 * system time and a drifting platform timer, as a PV guest reads them through pvclock, and
 * XenLinux's "Time went backwards" check (sim/guest/timekeeping.ts). Worked numbers in each test.
 */
import { describe, expect, it } from 'vitest';
import { COST_PRESETS } from '../../../sim/abi/costs.js';
import { XenOps } from '../../../sim/abi/xen/xen-ops.js';
import { XEN_CLOCK } from '../../../sim/abi/xen/xen-interface.js';
import { GuestTimekeeping } from '../../../sim/guest/timekeeping.js';
import type { GuestClocks } from '../../../sim/abi/types.js';
import { stubHypervisor } from '../../helpers/stub-hypervisor.js';
import type { HostClockFaults } from '../../../sim/spec/run-spec.js';
import { simulate } from '../../../sim/host/run.js';
import { spec } from '../../helpers/experiment.js';

const MS = 1_000_000;
const S = 1_000_000_000;

/** A host whose time, and the pCPU each vCPU is on, the test sets. */
function stubHost(clockFaults: HostClockFaults | undefined) {
  let now = 0;
  const pcpu = [0, 0];
  const hv = stubHypervisor({
    clockFaults,
    pcpuOf: (_g, v) => pcpu[v]!,
    nowNs: () => now,
    clocks: (_g, _v, atNs): GuestClocks => ({ realNs: atNs ?? now, availableNs: atNs ?? now, stolenNs: 0 }),
    runstateArea: () => ({ state: 0, stateEntryNs: now, timeNs: [now, 0, 0, 0] }),
  });
  const ops = new XenOps(hv, 0, COST_PRESETS['p4-2006']);
  return {
    ops,
    setNow: (t: number) => void (now = t),
    moveTo: (vcpu: number, p: number) => void (pcpu[vcpu] = p),
  };
}

/** The guest's pvclock time on `vcpu` at `t` (read through readClocks, as timer_interrupt does). */
function read(ops: XenOps, vcpu: number, t: number): number {
  return ops.readClocks(vcpu, 1, t).realNs;
}

describe('Xen clock faults through pvclock', () => {
  it('with no faults, or both 0, the clock is the perfect one: within 1 ns of true time, on any pCPU', () => {
    // At 3000 MHz Xen's scale is shift −1, mul 2863311530 (= ⌊2^32 × 2/3⌋, rounded down), so a
    // reading t s into an epoch is short by at most t × 3×10^9 / 2 / 2^32 ns + 1 of truncation < 1 ns.
    const none = stubHost(undefined);
    const zero = stubHost({ tscOffsetPerPcpuNs: 0, platformDriftPpm: 0 });
    zero.moveTo(0, 3);
    for (const t of [0, 999_999_999, S, 12_345_678_901, 299 * S + 500 * MS]) {
      const a = read(none.ops, 0, t);
      expect(read(zero.ops, 0, t)).toBe(a);
      expect(t - a).toBeGreaterThanOrEqual(0);
      expect(t - a).toBeLessThanOrEqual(1);
    }
  });

  it('a platform timer D ppm fast puts the guest D × T µs ahead after T s', () => {
    // D = 100 ppm, T = 30 s: Xen's stime at the 30 s epoch is 30 s + 30 × 100 µs = 30.003 s, read
    // exactly (no TSC ticks since the stamp). Half a second later the mul, fitted to
    // 3×10^9 / 1.0001 ticks per second, adds 0.5 s × 1.0001 = 500.05 ms: 30.50305 s ± 1 ns.
    const h = stubHost({ tscOffsetPerPcpuNs: 0, platformDriftPpm: 100 });
    expect(read(h.ops, 0, 30 * S)).toBe(30 * S + 3 * MS);
    expect(Math.abs(read(h.ops, 0, 30 * S + 500 * MS) - (30 * S + 503.05 * MS))).toBeLessThanOrEqual(1);
    // D = −50 ppm over T = 60 s: 3 ms behind, the error (true − guest) is +3 ms.
    const slow = stubHost({ tscOffsetPerPcpuNs: 0, platformDriftPpm: -50 });
    expect(60 * S - slow.ops.clockNs(60 * S)).toBe(3 * MS);
  });

  it('a vCPU moved from pCPU 0 to pCPU 2 sees its time step by 2 × the per-pCPU offset', () => {
    // Offset 5 ms per pCPU: pCPU 2's local time is 10 ms ahead of pCPU 0's. At 7.25 s on pCPU 0
    // the guest reads 7.25 s (within 1 ns); 1 µs later, on pCPU 2, it reads 7.260001 s.
    const h = stubHost({ tscOffsetPerPcpuNs: 5 * MS, platformDriftPpm: 0 });
    const t = 7 * S + 250 * MS;
    const before = read(h.ops, 1, t);
    h.moveTo(1, 2);
    const after = read(h.ops, 1, t + 1000);
    expect(Math.abs(before - t)).toBeLessThanOrEqual(1);
    expect(Math.abs(after - before - (10 * MS + 1000))).toBeLessThanOrEqual(1);
    // vCPU 0 never moved: it still reads pCPU 0's time.
    expect(Math.abs(read(h.ops, 0, t) - t)).toBeLessThanOrEqual(1);
  });
});

describe('XenLinux "Time went backwards" (permitted_clock_jitter 10 ms)', () => {
  function keeping(offsetNs: number) {
    const h = stubHost({ tscOffsetPerPcpuNs: offsetNs, platformDriftPpm: 0 });
    return { ...h, time: new GuestTimekeeping(XEN_CLOCK, 1000, 2, h.ops, 'none') };
  }

  it('counts a backward step of more than 10 ms and keeps jiffies from going back', () => {
    // Offset 50 ms. vCPU 0 on pCPU 1 takes a tick at 1.000 s and reads 1.050 s: jiffies 1050 at
    // HZ 1000, processed_system_time 1.050 s. Moved to pCPU 0, its tick at 1.010 s reads 1.010 s:
    // delta = 1.010 − 1.050 = −40 ms < −10 ms, one warning; jiffies stay 1050.
    const k = keeping(50 * MS);
    k.moveTo(0, 1);
    k.time.ticks(0, 1, 1 * S);
    expect(k.time.jiffies).toBe(1050);
    k.moveTo(0, 0);
    k.time.ticks(0, 1, 1 * S + 10 * MS);
    expect(k.time.backwardSteps).toBe(1);
    expect(k.time.jiffies).toBe(1050);
    // At 1.045 s it reads 1.045 s: delta −5 ms, within the jitter, not counted.
    k.time.ticks(0, 1, 1 * S + 45 * MS);
    expect(k.time.backwardSteps).toBe(1);
  });

  it('counts a step back against what another vCPU processed (delta), not only its own (delta_cpu)', () => {
    // Offset 20 ms. vCPU 1 on pCPU 1 reads 2.020 s at 2.000 s: guest-wide processed 2.020 s.
    // vCPU 0 on pCPU 0 reads 2.005 s at 2.005 s: delta = −15 ms (its own delta_cpu is +2.005 s).
    const k = keeping(20 * MS);
    k.moveTo(1, 1);
    k.time.ticks(1, 1, 2 * S);
    k.time.ticks(0, 1, 2 * S + 5 * MS);
    expect(k.time.backwardSteps).toBe(1);
  });

  it('never counts with a perfect clock, however vCPUs move', () => {
    const k = keeping(0);
    for (let i = 0; i < 100; i++) {
      k.moveTo(i % 2, i % 4);
      k.time.ticks(i % 2, 1, i * 7 * MS);
    }
    expect(k.time.backwardSteps).toBe(0);
  });
});

describe('host.clock in a run', () => {
  const yaml = (clock: string) => `name: t
duration: 20s
host: { pcpus: 1, memory: 2GiB, abi: xen${clock} }
guests:
  - { name: g, memory: 256MiB, kernel: { hz: 100 }, workload: { type: idle } }
`;

  it('both 0 gives the run spec and results of a host without the option', () => {
    const plain = spec(yaml(''));
    const zero = spec(yaml(', clock: { tscOffsetPerPcpuNs: 0, platformDriftPpm: 0 }'));
    expect(zero).toEqual(plain);
    expect(plain.host.clock).toBeUndefined();
    const g = simulate(plain).summary!.guests[0]!;
    expect(g.clockErrorMs.final).toBe(0);
    expect(g.timeWentBackwards).toBeUndefined();
    expect(simulate(plain).summary!.time!.clockFaults).toBeUndefined();
  });

  it('a platform timer 200 ppm fast leaves a Xen guest 4 ms ahead after 20 s', () => {
    // D × T = 200 ppm × 20 s = 4000 µs ahead: error (true − guest) −4 ms at the end. One pCPU,
    // so no offset and no step back: timeWentBackwards 0 (present, since host.clock is set).
    const r = simulate(spec(yaml(', clock: { platformDriftPpm: 200 }')));
    const g = r.summary!.guests[0]!;
    expect(g.clockErrorMs.final).toBe(-4);
    expect(g.timeWentBackwards).toBe(0);
    expect(r.summary!.time!.clockFaults).toEqual({ tscOffsetPerPcpuNs: 0, platformDriftPpm: 200 });
  });
});
