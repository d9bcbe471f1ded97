// The credit scheduler driven directly, call by call, on hand-made topologies. Expected numbers
// are worked by hand from reference/time-cpu-abi.md §3.1 (Xen 3.0.4 sched_credit.c): ticks of
// 100 credits, accounting every 3 ticks handing out 300 credits per pCPU, BOOST 0 > UNDER −1 >
// OVER −2. Some tests set a priority in the state by hand to reach a situation quickly.
import { describe, expect, it } from 'vitest';
import { BOOST, OVER, UNDER, credit, type CreditOptions } from '../../policies/cpu/credit.js';
import type { SchedTopology, VcpuParams } from '../../policies/cpu/types.js';

const O: CreditOptions = { tick: 10e6, slice: 30e6, ticksPerAccounting: 3, creditsPerTick: 100, boost: true };

function vcpu(guest: number, o: Partial<VcpuParams> = {}): VcpuParams {
  return {
    guest,
    local: 0,
    weight: 256,
    capPct: 0,
    shares: 1000,
    reservationMHz: 0,
    limitMHz: 0,
    affinity: [0],
    ...o,
  };
}

/** A scheduler on `pcpus` pCPUs with one guest per vCPU, and the view the host would show it. */
function setup(pcpus: number, vcpus: VcpuParams[], o: CreditOptions = O) {
  const topo: SchedTopology = {
    pcpus,
    cpuMHz: 3000,
    guests: Math.max(...vcpus.map((v) => v.guest)) + 1,
    vcpus,
  };
  const sched = credit.create(o, topo);
  const s = sched.state;
  const view = { nowNs: 0, running: new Int32Array(pcpus).fill(-1), runStartNs: new Float64Array(pcpus) };
  const run = (p: number, current = view.running[p]!) => {
    const d = sched.schedule(p, current, 0, view);
    view.running[p] = d.run;
    view.runStartNs[p] = view.nowNs;
    return d;
  };
  const tick = (n = 1) => {
    let last = sched.tick(view);
    for (let i = 1; i < n; i++) last = sched.tick(view);
    return last;
  };
  const wake = (v: number) => sched.wake(v, view);
  return { sched, s, view, run, tick, wake };
}

describe('credit scheduler', () => {
  it('declares the 2006 defaults: 10 ms tick, 30 ms slice, 3 ticks per accounting, 100 credits a tick', () => {
    expect(credit.options.parse({})).toEqual(O);
    expect(setup(1, [vcpu(0)]).sched.tickNs).toBe(10e6);
  });

  it('boosts a waking UNDER vCPU, which preempts an UNDER one; a tick demotes BOOST to UNDER', () => {
    const { s, view, run, tick, wake } = setup(1, [vcpu(0), vcpu(1)]);
    expect(wake(0)).toEqual([]); // pCPU idle: the host offers it
    expect(s.pri[0]).toBe(BOOST);
    expect(run(0).run).toBe(0);
    tick(); // csched_tick: the running vCPU pays 100 and loses its boost
    expect(s.credit[0]).toBe(-100);
    expect(s.pri[0]).toBe(UNDER);
    view.nowNs = 5e6;
    expect(wake(1)).toEqual([0]); // BOOST > UNDER: tickle pCPU 0
    expect(s.pri[1]).toBe(BOOST);
    const d = run(0);
    expect(d.run).toBe(1);
    expect(d.sliceNs).toBe(30e6);
    expect(s.queues[0]).toEqual([0]);
    view.nowNs = 10e6;
    tick();
    expect(s.credit[1]).toBe(-100);
    expect(s.pri[1]).toBe(UNDER);
  });

  it('with boost off, a waking UNDER vCPU stays UNDER and does not preempt an UNDER runner', () => {
    const { s, view, wake } = setup(1, [vcpu(0), vcpu(1)], { ...O, boost: false });
    view.running[0] = 0;
    expect(wake(1)).toEqual([]);
    expect(s.pri[1]).toBe(UNDER);
    expect(s.boosts[1]).toBe(0);
    expect(s.queues[0]).toEqual([1]);
  });

  it('tickles only the home pCPU (3.0.4 __runq_tickle), not a lower-priority runner elsewhere', () => {
    // Two pCPUs, every vCPU allowed on both; homes are affinity[i mod 2]: vCPU 0 → pCPU 0,
    // 1 → pCPU 1, 2 → pCPU 0. pCPU 0 runs vCPU 0 (UNDER), pCPU 1 runs vCPU 1 (OVER). vCPU 2 wakes
    // UNDER with boost off: UNDER is not above its home's UNDER runner, so nothing is preempted
    // although pCPU 1 runs OVER work; it waits on pCPU 0's queue.
    const both = { affinity: [0, 1] };
    const { s, view, wake } = setup(2, [vcpu(0, both), vcpu(1, both), vcpu(2, both)], { ...O, boost: false });
    expect([s.home[0], s.home[1], s.home[2]]).toEqual([0, 1, 0]);
    view.running[0] = 0;
    view.running[1] = 1;
    s.pri[1] = OVER;
    expect(wake(2)).toEqual([]);
    expect(s.queues[0]).toEqual([2]);
    // Above its home's runner it preempts there: the same, with vCPU 0 OVER.
    const t = setup(2, [vcpu(0, both), vcpu(1, both), vcpu(2, both)], { ...O, boost: false });
    t.view.running[0] = 0;
    t.view.running[1] = 1;
    t.s.pri[0] = OVER;
    t.s.pri[1] = OVER;
    expect(t.wake(2)).toEqual([0]);
  });

  it('queues by priority, FIFO within a priority, and round-robins equals at slice end', () => {
    const { s, view, run, wake } = setup(1, [vcpu(0), vcpu(1), vcpu(2), vcpu(3)]);
    view.running[0] = 3; // as if vCPU 3 were on the pCPU, so wakes queue
    s.pri[3] = OVER;
    s.pri[0] = OVER;
    s.pri[2] = OVER;
    expect(wake(0)).toEqual([]); // OVER is not above OVER
    expect(wake(1)).toEqual([0]); // UNDER → BOOST, above the OVER runner
    expect(wake(2)).toEqual([]);
    expect(s.queues[0]).toEqual([1, 0, 2]);
    expect(run(0, 3).run).toBe(1); // vCPU 3 goes behind the OVERs already queued
    expect(s.queues[0]).toEqual([0, 2, 3]);
    s.pri[1] = OVER;
    expect(run(0).run).toBe(0);
    expect(s.queues[0]).toEqual([2, 3, 1]);
    expect(run(0).run).toBe(2);
  });

  it('steals only a strictly higher-priority vCPU that may run here, from a busy peer', () => {
    const any = [0, 1];
    const { s, run, wake } = setup(2, [
      vcpu(0, { affinity: any }),
      vcpu(1, { affinity: any }),
      vcpu(2, { affinity: any }),
      vcpu(3, { affinity: any }),
      vcpu(4, { affinity: [1] }),
    ]);
    // Initial homes: vCPU i on affinity[i mod count]: 0, 1, 0, 1 and 1.
    for (const v of [0, 1, 2, 3, 4]) wake(v);
    expect(s.queues).toEqual([
      [0, 2],
      [1, 3, 4],
    ]);
    expect(run(0).run).toBe(0);
    expect(run(1).run).toBe(1);
    s.pri.fill(OVER);
    // Local head OVER, peer has only OVERs: nothing strictly better, run the local head.
    expect(run(0).run).toBe(2);
    expect(s.queues[0]).toEqual([0]);
    // vCPU 4 (UNDER) is better but pinned to pCPU 1; vCPU 3 (UNDER) may come.
    s.pri[4] = UNDER;
    expect(run(0).run).toBe(0);
    s.pri[3] = UNDER;
    expect(run(0).run).toBe(3);
    expect(s.queues).toEqual([[2, 0], [4]]);
    expect(s.home[3]).toBe(0);
  });

  it('splits 300 credits a period by domain weight: 100 and 200 for weights 256 and 512', () => {
    const { s, run, tick, wake } = setup(1, [vcpu(0, { weight: 256 }), vcpu(1, { weight: 512 })]);
    wake(0);
    wake(1);
    run(0);
    tick(3);
    // vCPU 0 paid 3 × 100; fair shares ceil(300 × 256 / 768) = 100, ceil(300 × 512 / 768) = 200.
    expect([s.credit[0], s.credit[1]]).toEqual([-200, 200]);
    expect([s.pri[0], s.pri[1]]).toEqual([OVER, UNDER]);
    expect(s.balance).toBe(0);
    expect(setup(1, [vcpu(0), vcpu(1, { weight: 512 })]).sched.entitlementPcpus()).toEqual([1 / 3, 2 / 3]);
  });

  it('hands a capped domain’s surplus to the domains after it', () => {
    // Weights 256 (cap 10 %) / 256 / 512, all active, nobody running. weight_total 1024.
    // A: peak = ceil(10 × 300 / 100) = 30 < fair ceil(300 × 256 / 1024) = 75, so it gets 30 and
    //    credit_total += ceil((75 − 30) × 1024 / 768) = 60 → 360.
    // B: ceil(360 × 256 / 1024) = 90.  C: ceil(360 × 512 / 1024) = 180.
    const { sched, s, tick, wake } = setup(1, [vcpu(0, { capPct: 10 }), vcpu(1), vcpu(2, { weight: 512 })]);
    for (const v of [0, 1, 2]) wake(v);
    tick(3);
    expect(Array.from(s.credit)).toEqual([30, 90, 180]);
    // Entitlement: A at its 0.1 ceiling, the other 0.9 split 1 : 2.
    const e = sched.entitlementPcpus();
    expect(e[0]).toBeCloseTo(0.1, 12);
    expect(e[1]).toBeCloseTo(0.3, 12);
    expect(e[2]).toBeCloseTo(0.6, 12);
  });

  it('parks a capped vCPU below −credit_cap and unparks it at ≥ 0', () => {
    // cap 50: credit_cap = ceil(50 × 300 / 100) = 150 = its peak per period.
    const { s, view, run, tick, wake } = setup(1, [vcpu(0, { capPct: 50 })]);
    wake(0);
    run(0);
    let r = tick(3); // 0 − 300 + 150 = −150: not below −150
    expect(s.credit[0]).toBe(-150);
    expect(r.park).toEqual([]);
    r = tick(3); // −150 − 300 + 150 = −300 < −150: parked
    expect(s.credit[0]).toBe(-300);
    expect(r.park).toEqual([0]);
    view.running[0] = -1; // the host takes it off
    expect(run(0).run).toBe(-1);
    r = tick(3); // −150: still parked
    expect(r.unpark).toEqual([]);
    r = tick(3); // 0: unparked, UNDER, and boosted when the host wakes it
    expect(r.unpark).toEqual([0]);
    expect(s.credit[0]).toBe(0);
    expect(wake(0)).toEqual([]);
    expect(s.pri[0]).toBe(BOOST);
    expect(run(0).run).toBe(0);
  });

  it('drops a parked vCPU from its queue', () => {
    // Two vCPUs of one domain capped at 50: credit_cap per vCPU = ceil(150 / 2) = 75, and the
    // domain earns min(2 × 300, 150) = 150, i.e. 75 each.
    const { s, run, tick, wake } = setup(1, [vcpu(0, { capPct: 50 }), vcpu(0, { capPct: 50, local: 1 })]);
    wake(0);
    wake(1);
    run(0);
    const r = tick(3); // vCPU 0: −300 + 75 = −225 < −75: parked. vCPU 1: 75, UNDER.
    expect(r.park).toEqual([0]);
    expect(Array.from(s.credit)).toEqual([-225, 75]);
    expect(s.queues[0]).toEqual([1]);
  });

  it('clamps credit at −300 and resets credit above 300 to 0', () => {
    // Two equal hogs on one pCPU earn 150 each a period; vCPU 0 runs every tick.
    // vCPU 0: −150, −300, −450 → −300.  vCPU 1: 150, 300, 450 → 0 (and it stops earning).
    const { s, run, tick, wake } = setup(1, [vcpu(0), vcpu(1)]);
    wake(0);
    wake(1);
    run(0);
    tick(6);
    expect(Array.from(s.credit)).toEqual([-300, 300]);
    tick(3);
    expect(Array.from(s.credit)).toEqual([-300, 0]);
    expect(s.active[1]).toBe(0);
  });

  it('charges the vCPU that ran up to a tick even if a slice ended at that same instant', () => {
    const { s, view, run, tick, wake } = setup(1, [vcpu(0), vcpu(1)]);
    wake(0);
    wake(1);
    run(0);
    view.nowNs = 30e6;
    expect(run(0).run).toBe(1); // equal BOOSTs take turns
    tick();
    expect([s.credit[0], s.credit[1]]).toEqual([-100, 0]);
  });
});
