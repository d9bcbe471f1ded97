// credit2 driven directly: burn rates, reset, slices and tickles against hand-computed numbers
// from Xen's credit2 (reference/time-cpu-abi.md §3.3: CREDIT_INIT 10 ms, MIN_TIMER 500 µs,
// CARRYOVER_MAX = MIN_TIMER; the highest weight burns 1 credit/ns, others proportionally more).
import { describe, expect, it } from 'vitest';
import { CARRYOVER_MAX, CREDIT_INIT, credit2 } from '../../policies/cpu/credit2.js';
import type { SchedTopology, VcpuParams } from '../../policies/cpu/types.js';

const vcpu = (guest: number, weight: number, affinity: number[], local = 0): VcpuParams => ({
  guest,
  local,
  weight,
  capPct: 0,
  shares: 1000,
  reservationMHz: 0,
  limitMHz: 0,
  affinity,
});
const OPTS = credit2.options.parse({});
const view = (pcpus: number) => ({
  nowNs: 0,
  running: new Int32Array(pcpus).fill(-1),
  runStartNs: new Float64Array(pcpus),
});

describe('credit2 policy', () => {
  it('defaults: 500 µs min timer and a 10 ms max slice', () => {
    expect(OPTS).toEqual({ minTimer: 500_000, maxSlice: 10_000_000 });
  });

  // One pCPU; v0 weight 256, v1 weight 512. maxWeight 512: v0 burns 2 credits/ns, v1 1.
  const topo: SchedTopology = {
    pcpus: 1,
    cpuMHz: 3000,
    guests: 2,
    vcpus: [vcpu(0, 256, [0]), vcpu(1, 512, [0])],
  };

  it('burns credit in inverse proportion to weight and slices to the next candidate', () => {
    const c = credit2.create(OPTS, topo);
    const vw = view(1);
    c.wake(0, vw);
    c.wake(1, vw);
    // Both at 10 ms; the tie goes to the first queued. Gap to v1 is 0 → the 500 µs min timer.
    let d = c.schedule(0, -1, 0, vw);
    expect([d.run, d.sliceNs]).toEqual([0, 500_000]);
    vw.nowNs = 500_000;
    // v0 ran 0.5 ms at 2 credits/ns: 10 − 1 = 9 ms. v1 (10 ms) runs until it falls to 9 ms: 1 ms.
    d = c.schedule(0, 0, 500_000, vw);
    expect(c.state.credit[0]).toBe(9_000_000);
    expect([d.run, d.sliceNs]).toEqual([1, 1_000_000]);
    // Blocking burns too: v1 ran 0.25 ms → 9.75 ms.
    c.block(1, 250_000, vw);
    expect(c.state.credit[1]).toBe(9_750_000);
  });

  it('resets everyone by CREDIT_INIT when the chosen vCPU has no credit left, clipped', () => {
    const c = credit2.create(OPTS, topo);
    const s = c.state;
    const vw = view(1);
    c.wake(0, vw);
    c.wake(1, vw);
    s.credit[0] = -500_000;
    s.credit[1] = -1_000_000;
    // v0 is chosen (−0.5 ms > −1 ms) with credit ≤ 0: +10 ms each → 9.5 ms and 9 ms.
    // Slice: 0.5 ms of credit at 2 credits/ns = 250 µs, raised to the 500 µs min timer.
    const d = c.schedule(0, -1, 0, vw);
    expect(d.run).toBe(0);
    expect(Array.from(s.credit)).toEqual([9_500_000, 9_000_000]);
    expect(d.sliceNs).toBe(500_000);
    expect(s.resets).toBe(1);
  });

  it('a chosen vCPU deep in debt gets a multiple of CREDIT_INIT; nobody exceeds INIT + CARRYOVER_MAX', () => {
    const c = credit2.create(OPTS, topo);
    const s = c.state;
    const vw = view(1);
    c.wake(0, vw);
    s.credit[0] = -25_000_000;
    s.credit[1] = 8_000_000; // blocked, not queued: still reset with everyone
    // m = 1 + ⌊25 / 10⌋ = 3: v0 → −25 + 30 = 5 ms; v1 → 38 ms, clipped to 10.5 ms.
    const d = c.schedule(0, -1, 0, vw);
    expect(d.run).toBe(0);
    expect(Array.from(s.credit)).toEqual([5_000_000, CREDIT_INIT + CARRYOVER_MAX]);
    // Nobody else queued: the slice is all its credit at 2/ns = 2.5 ms.
    expect(d.sliceNs).toBe(2_500_000);
  });

  it('a lone highest-weight vCPU gets at most maxSlice', () => {
    const slice = (maxSlice: number) => {
      const c = credit2.create({ ...OPTS, maxSlice }, topo);
      c.wake(1, view(1));
      return c.schedule(0, -1, 0, view(1)).sliceNs;
    };
    expect(slice(10_000_000)).toBe(10_000_000);
    expect(slice(4_000_000)).toBe(4_000_000);
  });

  it('a woken vCPU preempts the running one only if it has more credit than it has left now', () => {
    const c = credit2.create(OPTS, topo);
    const s = c.state;
    const vw = view(1);
    vw.running[0] = 0;
    vw.nowNs = 3_000_000;
    // v0 has run 3 ms since placed at 0 with 10 ms: 10 − 3 × 2 = 4 ms left.
    s.credit[1] = 5_000_000;
    expect(c.wake(1, vw)).toEqual([0]);
    s.queue.length = 0;
    s.credit[1] = 3_000_000;
    expect(c.wake(1, vw)).toEqual([]);
  });

  it('respects affinity and never tickles outside it', () => {
    const t: SchedTopology = {
      pcpus: 2,
      cpuMHz: 3000,
      guests: 2,
      vcpus: [vcpu(0, 256, [1]), vcpu(1, 256, [0, 1])],
    };
    const c = credit2.create(OPTS, t);
    const vw = view(2);
    vw.running[0] = 1; // v1 on pCPU 0 with credit far below v0's
    vw.running[1] = -1;
    c.state.credit[1] = -5_000_000;
    // pCPU 1 is idle and allowed: no preemption needed; pCPU 0 is not in v0's affinity.
    expect(c.wake(0, vw)).toEqual([]);
    expect(c.schedule(0, -1, 0, vw).run).toBe(-1);
    expect(c.schedule(1, -1, 0, vw).run).toBe(0);
  });

  it('entitlement: weight × vCPUs per guest, at most one pCPU per vCPU', () => {
    // 2 pCPUs; guest 0: 2 vCPUs at 256 (pull 512), guest 1: 1 vCPU at 512 (pull 512) → 1 each.
    // Guest 2 with weight 256 and one vCPU joins: pulls 512:512:256 of 2 → 0.8, 0.8, 0.4.
    const t: SchedTopology = {
      pcpus: 2,
      cpuMHz: 3000,
      guests: 3,
      vcpus: [vcpu(0, 256, [0, 1]), vcpu(0, 256, [0, 1], 1), vcpu(1, 512, [0, 1]), vcpu(2, 256, [0, 1])],
    };
    const e = credit2.create(OPTS, t).entitlementPcpus();
    expect(e[0]).toBeCloseTo(0.8, 12);
    expect(e[1]).toBeCloseTo(0.8, 12);
    expect(e[2]).toBeCloseTo(0.4, 12);
  });
});
