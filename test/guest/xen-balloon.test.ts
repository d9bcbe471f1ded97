// XenLinux 3.0.4's balloon driver (balloon.c) over the Xen interface: per lowmem page one
// update_va_mapping, one mmuext_op(TLB_FLUSH_ALL) per decrease batch of ≤ 1,024 pages, a fixed 1 s
// retry after Xen gave fewer pages than asked, and a target change acted on at once (its xenbus
// watch), with no poll in between.
import { describe, expect, it } from 'vitest';
import { Guest } from '../../sim/guest/guest.js';
import { INTERFACES } from '../../sim/abi/registry.js';
import { COST_PRESETS } from '../../sim/abi/costs.js';
import { Simulator } from '../../sim/kernel/index.js';
import { BalloonWatch } from '../../sim/host/balloon-watch.js';
import { XEN_BALLOON_RETRY_NS } from '../../sim/abi/xen/xen-interface.js';
import { stubHypervisor } from '../helpers/stub-hypervisor.js';
import type { CallEffects } from '../../sim/abi/types.js';
import type { WorkloadInstance } from '../../workloads/types.js';

const xen = INTERFACES.xen!;
const P4 = COST_PRESETS['p4-2006'];

/**
 * A 3,000-page Xen guest with a 2,000-page lowmem zone (1,000 pages of highmem), its target read
 * from `target`, and a host with `hostFree` frames; records every call.
 */
function xenGuest(target: { pages: number }, hostFree: { pages: number }) {
  const calls = new Map<string, { count: number; cycles: number; effects: CallEffects | undefined }>();
  const held = { pages: 3000 };
  const hv = stubHypervisor({
    balloonTargetPages: () => target.pages,
    domainPages: () => ({ domid: 1, totPages: held.pages, maxPages: 3000, privileged: false }),
    hostFreePages: () => hostFree.pages,
    balloonInflated: (_g, n) => void ((held.pages -= n), (hostFree.pages += n)),
    balloonDeflated: (_g, n) => void ((held.pages += n), (hostFree.pages -= n)),
    chargeCall: (_g, _v, call, count, cycles, effects) => {
      const c = calls.get(call) ?? { count: 0, cycles: 0, effects };
      calls.set(call, { count: c.count + count, cycles: c.cycles + cycles, effects });
    },
  });
  const workload: WorkloadInstance = {
    anonPages: () => 100,
    nextBurst: () => ({ workNs: 1e6, idleNs: 1e6 }),
  };
  const g = new Guest(
    0,
    'x',
    1,
    {
      totalPages: 3000,
      lowmemPages: 2000,
      reservedPages: 50,
      minFreePages: 20,
      swapTotalPages: 0,
      balloonDriver: xen.balloonDriver,
    },
    xen.create({ hv, guest: 0, costs: P4 }),
    workload,
    { clock: xen.clock, hz: 100, sync: 'none', vmiAlarmHz: 100 },
  );
  g.boot(0);
  g.memoryTick(0);
  const count = (name: string) => calls.get(name)?.count ?? 0;
  return { g, calls, count };
}

describe('XenLinux balloon driver', () => {
  it('declares a watch driver with batches of 1,024 frames and a fixed 1 s retry', () => {
    expect(xen.balloonDriver).toEqual({ kind: 'watch', batchPages: 1024, retryNs: 1_000_000_000 });
  });

  it('unmaps each lowmem page it gives and re-links each it takes back; highmem pages need no call', () => {
    const target = { pages: 1500 };
    const { g, calls, count } = xenGuest(target, { pages: 1_000_000 });
    // 1,500 pages in batches of 1,024 and 476. GFP_HIGHUSER takes the 1,000 highmem pages first, so
    // 500 lowmem pages: 500 update_va_mapping; one TLB_FLUSH_ALL and one decrease per batch.
    expect(g.balloonRun('target')).toEqual({ moved: 1500, retry: false });
    expect(g.balloonPages).toBe(1500);
    expect(count('update_va_mapping(balloon: unmap lowmem page)')).toBe(500);
    expect(count('mmuext_op(TLB_FLUSH_ALL)')).toBe(2);
    expect(count('memory_op(decrease_reservation)')).toBe(2);
    // Each a hypercall: a trap plus its PTE's validation; the flush copies its 12-byte mmuext_op.
    expect(calls.get('update_va_mapping(balloon: unmap lowmem page)')!.cycles).toBe(
      500 * (P4.hypercallCycles + P4.pteUpdateCycles),
    );
    expect(calls.get('mmuext_op(TLB_FLUSH_ALL)')!.cycles).toBe(
      2 * (P4.hypercallCycles + 12 * P4.copyCyclesPerByte),
    );
    // The first batch holds the 1,000 highmem pages and 24 lowmem; the last (recorded) one 476
    // lowmem pages: a transition each, 4 argument words in registers each (va, pte low/high, flags).
    expect(calls.get('update_va_mapping(balloon: unmap lowmem page)')!.effects).toMatchObject({
      path: 'balloon',
      transitions: 476,
      registerBytes: 476 * 4 * 4,
    });
    // Back to 200: 1,300 pages in batches of 1,024 and 276; lowmem comes back first, so the first
    // batch re-links all 500 lowmem pages and the second none. No flush on the way back.
    target.pages = 200;
    expect(g.balloonRun('target')).toEqual({ moved: 1300, retry: false });
    expect(count('update_va_mapping(balloon: relink lowmem page)')).toBe(500);
    expect(count('memory_op(populate_physmap)')).toBe(2);
    expect(count('mmuext_op(TLB_FLUSH_ALL)')).toBe(2);
  });

  it('gives no lowmem page, and makes no update_va_mapping, while highmem lasts', () => {
    const { g, count } = xenGuest({ pages: 900 }, { pages: 1_000_000 });
    g.balloonRun('target');
    expect(g.balloonPages).toBe(900);
    expect(count('update_va_mapping(balloon: unmap lowmem page)')).toBe(0);
    expect(count('mmuext_op(TLB_FLUSH_ALL)')).toBe(1);
  });
});

describe('XenLinux balloon driver, driven by its watch and its timer', () => {
  /** A simulator with one Xen guest and its BalloonWatch. */
  function setup(hostFreePages: number) {
    const target = { pages: 1500 };
    const hostFree = { pages: hostFreePages };
    const x = xenGuest(target, hostFree);
    const sim = new Simulator({ seed: 1 });
    const settled: number[] = [];
    const watch = new BalloonWatch(sim, [x.g], () => settled.push(sim.nowNs), 0);
    const at = (ns: number, f: () => void) => sim.schedule(ns, sim.registerHandler(f), 0);
    return { ...x, sim, watch, target, hostFree, settled, at };
  }

  it('acts on a target change at that instant, with no poll', () => {
    const { g, sim, watch, settled, at } = setup(1_000_000);
    const seen: number[] = [];
    // The target changes at 0.3 s (no poll exists here at all); the driver has moved by 0.3 s.
    at(300_000_000, () => watch.targetChanged(0));
    at(300_000_000 + 1, () => seen.push(g.balloonPages));
    sim.runUntil(5e9);
    expect(seen).toEqual([1500]);
    expect(settled).toEqual([300_000_000]);
  });

  it('retries 1 s after Xen gave fewer pages than asked, and again each second until done', () => {
    const { g, sim, watch, target, hostFree, settled, at } = setup(1_000_000);
    at(0, () => watch.targetChanged(0));
    sim.runUntil(0);
    expect(g.balloonPages).toBe(1500);
    // Deflate to 0 while the host has only 300 free frames: populate_physmap gives 300 of the
    // 1,024 asked, the driver stops (need_sleep) and arms its timer for now + 1 s.
    hostFree.pages = 300;
    target.pages = 0;
    at(2e9, () => watch.targetChanged(0));
    const balloonAt: Record<number, number> = {};
    for (const t of [2e9 + 1, 3e9 - 1, 3e9 + 1, 4e9 + 1, 5e9 + 1])
      at(t, () => void (balloonAt[t] = g.balloonPages));
    // At 3.5 s the host has frames again: the timer at 4 s finishes the job.
    at(3.5e9, () => void (hostFree.pages = 1_000_000));
    sim.runUntil(10e9);
    expect(balloonAt).toEqual({
      [2e9 + 1]: 1200,
      [3e9 - 1]: 1200,
      // The 3 s retry finds no frame (the 300 are used): a failed run, retried at 4 s.
      [3e9 + 1]: 1200,
      [4e9 + 1]: 0,
      [5e9 + 1]: 0,
    });
    expect(settled).toEqual([0, 2e9, 4e9]);
    expect(g.balloonFailures).toBe(2);
    // No backoff: the retries came 1 s apart (XEN_BALLOON_RETRY_NS), not 1 s then 2 s.
    expect(XEN_BALLOON_RETRY_NS).toBe(1e9);
  });
});
