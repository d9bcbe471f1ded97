// The MoM policy driven directly, on the four worked rows of reference/memory-balloon.md §2.4
// (derived there from oVirt/vdsm 02-balloon.policy). MoM works in kB; vmisim in 4 kB pages, so
// every kB figure below is divided by 4. The reference's sizes are exact multiples of 4 kB
// (1 048 576 kB = 262 144 pages, 400 000 kB = 100 000 pages, 800 000 kB = 200 000 pages) except
// the result 996 147.2 kB = 249 036.8 pages, which we round down to 249 036 pages (996 144 kB):
// within one page of the reference, the difference being only the unit of rounding.
// The host fraction h is set exactly as hostFreePages / hostTotalPages with a 1 000 000-page host.
import { describe, expect, it } from 'vitest';
import {
  momMemory,
  momPolicy,
  momInitialState,
  momStep,
  type MomOptions,
  type MomState,
} from '../../policies/balloon/mom.js';
import { guestView, observation } from '../helpers/balloon-obs.js';

const O: MomOptions = momPolicy.options.parse({});
const KB = 4; // kB per page
const HOST = 1_000_000;

/** One guest of `maxKb` configured memory holding `curKb`, with `unusedKb` free. */
function decide(h: number, curKb: number, unusedKb: number, maxKb = 1_048_576, o = O) {
  const memoryPages = maxKb / KB;
  const balloonPages = (maxKb - curKb) / KB;
  const g = guestView({ memoryPages, balloonPages, freePages: unusedKb / KB, minPages: 0 });
  const obs = observation({ hostTotalPages: HOST, hostFreePages: h * HOST, guests: [g] });
  const d = momStep(obs, momInitialState(1), o);
  return { memoryKb: (memoryPages - d.targetPages[0]!) * KB, target: d.targetPages[0]!, guest: g };
}

describe('mom: the worked rows of §2.4', () => {
  it('h = 0.10, cur = 1 048 576 kB, unused = 400 000 kB → 996 147 kB (−5 %)', () => {
    // g = 0.10, floor = 753 434 kB < 0.95 × cur, so the 5 % step limit decides.
    const r = decide(0.1, 1_048_576, 400_000);
    expect(r.memoryKb).toBe(Math.floor(996_147.2 / KB) * KB); // 996 144 kB = 249 036 pages
    expect(r.target).toBe(262_144 - 249_036);
  });

  it('h = 0.10, unused = 50 000 kB → no change (floor 1 103 434 kB > cur)', () => {
    const used = (1_048_576 - 50_000) / KB;
    expect(momMemory(0.1, 262_144, used, 0, 262_144, O)).toBeUndefined();
    const r = decide(0.1, 1_048_576, 50_000);
    expect(r.target).toBe(r.guest.targetPages); // the previous target stands
  });

  it('h = 0.03 (critical): g = −0.02, floor = 627 604 kB → still 996 147 kB (capped at −5 %)', () => {
    const used = (1_048_576 - 400_000) / KB;
    const floorKb = (used + (0.03 - 0.05) * 262_144) * KB;
    expect(floorKb).toBeCloseTo(627_604.5, 1);
    expect(decide(0.03, 1_048_576, 400_000).memoryKb).toBe(996_144);
  });

  it('h = 0.50, cur = 800 000 kB, max = 1 048 576 kB → grow to 840 000 kB (+5 %)', () => {
    // The reference does not give unused; the grow step needs floor = used + 0.5·cur ≤ 840 000 kB,
    // i.e. unused ≥ 360 000 kB: we take 400 000 kB (floor = 600 000 kB).
    const r = decide(0.5, 800_000, 400_000);
    expect(r.memoryKb).toBe(840_000);
    expect(r.target).toBe((1_048_576 - 840_000) / KB);
  });
});

describe('mom: the rest of the policy', () => {
  it('grows no further than balloon_max', () => {
    expect(decide(0.5, 1_040_000, 400_000).memoryKb).toBe(1_048_576);
  });

  it('ignores changes of 0.25 % or less of current memory', () => {
    // Grow by floor: used + g·cur with h = 0.5 (g = 0.5) lands 0.2 % above cur: too small to set.
    expect(momMemory(0.5, 100_000, 50_200, 0, 200_000, { ...O, maxChange: 0 })).toBeUndefined();
    expect(momMemory(0.5, 100_000, 50_300, 0, 200_000, { ...O, maxChange: 0 })).toBe(100_300);
  });

  it('with balloonEnabled off, a pressed host only grows guests back', () => {
    const o = { ...O, balloonEnabled: false };
    expect(decide(0.1, 1_048_576, 400_000, 1_048_576, o).target).toBe(0); // nothing to do at max
    expect(decide(0.1, 800_000, 400_000, 1_048_576, o).memoryKb).toBe(840_000);
  });

  it('QoS: never leaves a guest below minPages', () => {
    const g = guestView({ memoryPages: 262_144, balloonPages: 200_000, freePages: 0, minPages: 100_000 });
    const obs = observation({ hostTotalPages: HOST, hostFreePages: 10_000, guests: [g] });
    const d = momStep(obs, momInitialState(1), O);
    expect(d.targetPages).toEqual([162_144]);
  });

  it('averages host free memory over the last averageOver observations (StatAvg)', () => {
    const g = guestView({ memoryPages: 262_144, balloonPages: 0, freePages: 100_000, minPages: 0 });
    let s: MomState = momInitialState(1);
    // Three runs at h = 0.5 then one at h = 0.1: the average (0.4) is above the pressure line.
    let target = -1;
    for (const h of [0.5, 0.5, 0.5, 0.1]) {
      const d = momStep(observation({ hostTotalPages: HOST, hostFreePages: h * HOST, guests: [g] }), s, O);
      [s, target] = [d.state, d.targetPages[0]!];
    }
    expect(target).toBe(0); // no shrink: the guest keeps all its memory
    expect(s.hostFree).toEqual([500_000, 500_000, 500_000, 100_000]);
    const one = { ...O, averageOver: 1 };
    const d = momStep(observation({ hostTotalPages: HOST, hostFreePages: 100_000, guests: [g] }), s, one);
    expect(d.state.hostFree).toEqual([100_000]);
    expect(d.targetPages[0]).toBeGreaterThan(0); // only the latest sample: shrink
  });
});
