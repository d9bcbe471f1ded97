// The guest's balloon driver moves pages through its interface, and the interface reports what
// moved to the host — at its polls and when the guest deflates on its own at an OOM
// (deflate-on-oom) — so the host's memory hears of every page that enters or leaves a balloon.
import { describe, expect, it } from 'vitest';
import { Guest } from '../../sim/guest/guest.js';
import { INTERFACES } from '../../sim/abi/registry.js';
import { COST_PRESETS } from '../../sim/abi/costs.js';
import { stubHypervisor } from '../helpers/stub-hypervisor.js';
import type { WorkloadInstance } from '../../workloads/types.js';

function balloonHost(targetPages: number) {
  const moves = { inflated: 0, deflated: 0 };
  const hv = stubHypervisor({
    balloonTargetPages: () => targetPages,
    // A domain of 1000 pages holds those outside its balloon (Xen populates up to max_pages).
    domainPages: () => ({
      domid: 1,
      totPages: 1000 - moves.inflated + moves.deflated,
      maxPages: 1000,
      privileged: false,
    }),
    hostFreePages: () => 1_000_000,
    balloonInflated: (_g, n) => void (moves.inflated += n),
    balloonDeflated: (_g, n) => void (moves.deflated += n),
  });
  return { hv, moves };
}

describe.each(Object.values(INTERFACES).map((d) => [d.name, d] as const))(
  'balloon driver over %s',
  (_n, d) => {
    it('reports every page its polls and its OOM deflations move, no more and no less', () => {
      let anon = 100;
      const workload: WorkloadInstance = {
        anonPages: () => anon,
        nextBurst: () => ({ workNs: 1e6, idleNs: 1e6 }),
      };
      const { hv, moves } = balloonHost(500);
      const g = new Guest(
        0,
        'g',
        1,
        {
          totalPages: 1000,
          reservedPages: 50,
          minFreePages: 20,
          swapTotalPages: 0,
          deflateOnOom: true,
        },
        d.create({ hv, guest: 0, costs: COST_PRESETS['p4-2006'] }),
        workload,
        { clock: d.clock, hz: 100, sync: 'none', vmiAlarmHz: 100 },
      );
      g.boot(0);
      g.memoryTick(0);
      expect(g.balloonPoll(0)).toBe(500);
      expect([g.balloonPages, moves.inflated, moves.deflated]).toEqual([500, 500, 0]);
      // 1000 − 50 reserved − 2 page-table pages (one PTE page and the directory) − 20 minFree − 500
      // ballooned leaves 428 for anonymous pages: 600 do not fit, and the driver gives the balloon
      // back until they do (172 pages).
      anon = 600;
      g.memoryTick(1e9);
      expect(g.balloonPages).toBe(328);
      expect([moves.inflated, moves.deflated]).toEqual([500, 172]);
    });
  },
);
