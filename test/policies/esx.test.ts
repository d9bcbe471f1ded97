// The ESX policy driven directly. Numbers from reference/memory-balloon.md §1.3 (idle memory tax
// and its worked ρ table), §1.4 (working-set estimator: max of slow, fast and fast-with-current
// EWMAs; gains 0.5 / 0.1 are the reference's suggested assumptions) and §1.5 (6 % "high" target).
import { describe, expect, it } from 'vitest';
import {
  esxPolicy,
  esxInitialState,
  esxStep,
  levelRho,
  rho,
  type EsxOptions,
  type EsxState,
} from '../../policies/balloon/esx.js';
import { MIB, guestView, observation } from '../helpers/balloon-obs.js';
import { SAMPLE_HISTORY, type ActivitySample, type BalloonGuestView } from '../../policies/balloon/types.js';

const O: EsxOptions = esxPolicy.options.parse({});
const sample = (f: number): ActivitySample => ({ sampled: 100, touched: Math.round(f * 100) });
const HOST = 8 * 1024 * MIB; // 2 097 152 pages
const WANT = Math.floor(0.06 * HOST); // the 6 % "high" threshold, §1.5

/** Two 1 GiB guests of equal shares, one idle (f = 0.1) and one active (f = 0.9). */
function idleAndActive(): BalloonGuestView[] {
  return [
    guestView({ name: 'idle', shares: 1000, samples: [sample(0.1), sample(0.1)] }),
    guestView({ name: 'active', shares: 1000, samples: [sample(0.9), sample(0.9)] }),
  ];
}

describe('esx: idle memory tax ρ (§1.3)', () => {
  // The reference's table, with P = 256 in MB (ρ's unit of P does not matter for the ordering).
  it('τ = 0: ρ = 3.906 whatever the activity', () => {
    expect(rho(1000, 256, 0.1, 0)).toBeCloseTo(3.906, 3);
    expect(rho(1000, 256, 0.9, 0)).toBeCloseTo(3.906, 3);
  });
  it('τ = 0.75 (k = 4): idle ρ = 1.056, active ρ = 3.005', () => {
    expect(rho(1000, 256, 0.1, 0.75)).toBeCloseTo(1.056, 3);
    expect(rho(1000, 256, 0.9, 0.75)).toBeCloseTo(3.005, 3);
  });
});

describe('esx: reclaim', () => {
  const shortfall = 256 * MIB;
  const obs = (guests: BalloonGuestView[]) =>
    observation({ hostTotalPages: HOST, hostFreePages: WANT - shortfall, guests });

  it('at τ = 0.75 the idle guest is the victim (§1.3)', () => {
    const d = esxStep(obs(idleAndActive()), esxInitialState(2), O);
    // The idle guest stays the lowest ρ down to P·3.7 = 1024 MiB·1.3 (≈ 360 MiB): it pays it all.
    expect(d.targetPages).toEqual([shortfall, 0]);
    expect(d.state.guests.map((g) => g.estimate)).toEqual([0.1, 0.9]);
  });

  it('at τ = 0 reclaim ignores activity: equal shares pay equally', () => {
    const o = { ...O, idleTax: 0 };
    const d = esxStep(obs(idleAndActive()), esxInitialState(2), o);
    expect(d.targetPages).toEqual([shortfall / 2, shortfall / 2]);
  });

  it('at τ = 0 reclaim splits by shares: memory ends in the ratio of shares (2:1)', () => {
    const o = { ...O, idleTax: 0 };
    const guests = [guestView({ shares: 2000 }), guestView({ shares: 1000 })];
    const take = 1024 * MIB; // 2 GiB → 1 GiB: ρ levels at 682.7 and 341.3 MiB
    const d = esxStep(
      observation({ hostTotalPages: HOST, hostFreePages: WANT - take, guests }),
      esxInitialState(2),
      o,
    );
    const mem = d.targetPages.map((t, i) => guests[i]!.memoryPages - t);
    expect(mem[0]! + mem[1]!).toBe(1024 * MIB);
    // Levelled exactly, to the page: 2/3 and 1/3 of 262 144 pages, rounded (the odd page to the larger fraction).
    expect(mem).toEqual([174_763, 87_381]);
  });

  it('never takes a guest below its minPages', () => {
    const guests = [guestView({ minPages: 900 * MIB }), guestView({ minPages: 1000 * MIB })];
    const d = esxStep(observation({ hostTotalPages: HOST, hostFreePages: 0, guests }), esxInitialState(2), O);
    expect(d.targetPages).toEqual([124 * MIB, 24 * MIB]);
  });

  it('does not reclaim when host free ≥ target, nor give back inside the hysteresis band', () => {
    const guests = [guestView({ balloonPages: 100 * MIB })];
    for (const free of [WANT, WANT + 0.01 * HOST]) {
      const d = esxStep(
        observation({ hostTotalPages: HOST, hostFreePages: free, guests }),
        esxInitialState(1),
        O,
      );
      expect(d.targetPages).toEqual([100 * MIB]);
    }
  });

  it('gives memory back above target + hysteresis, levelling ρ: the active guest ends at its max', () => {
    const guests = idleAndActive().map((g) => ({ ...g, balloonPages: 200 * MIB, targetPages: 200 * MIB }));
    const ceiling = Math.floor((0.06 + 0.02) * HOST);
    const d = esxStep(
      observation({ hostTotalPages: HOST, hostFreePages: ceiling + 100 * MIB, guests }),
      esxInitialState(2),
      O,
    );
    // 1648 + 100 MiB to share; A = 0.1 and 0.9 of the 824 MiB each holds: 82.4 and 741.6 MiB.
    // Levelled, c(P_idle) = c(P_active) = c: 824 + (2c − 824)/4 = 1748 → c = 2260, which puts the
    // active guest at 741.6 + (2260 − 741.6)/4 = 1121 MiB, above its 1024 MiB max: it gets its
    // max, and the idle guest the other 724 MiB — it gives 100 MiB more to the active one.
    expect(d.targetPages).toEqual([300 * MIB, 0]);
  });

  it('counts balloons still inflating toward their targets as free memory to come', () => {
    const guests = [guestView({ balloonPages: 0, targetPages: shortfall })];
    const d = esxStep(obs(guests), esxInitialState(1), O);
    expect(d.targetPages).toEqual([shortfall]);
  });
});

describe('esx: min-funding revocation levels ρ (§1.3)', () => {
  it('levels ρ between guests inside their bounds (worked by hand)', () => {
    // Equal shares, 1024 MiB to share, A = 32 and 512 MiB active, τ = 0.75 (k = 4). Both above
    // their active pages: P = A + (c − A)/4, so 544 + (2c − 544)/4 = 1024 → c = 1232:
    // P_idle = 32 + 300 = 332 MiB, P_active = 512 + 180 = 692 MiB; ρ = 1000/1232 for both.
    const g = (activeMiB: number) => ({
      shares: 1000,
      activePages: activeMiB * MIB,
      minPages: 0,
      maxPages: 1024 * MIB,
    });
    expect(levelRho([g(32), g(512)], 1024 * MIB, 0.75)).toEqual([332 * MIB, 692 * MIB]);
    // τ = 0 (k = 1): c(P) = P, activity does not count: 512 MiB each.
    expect(levelRho([g(32), g(512)], 1024 * MIB, 0)).toEqual([512 * MIB, 512 * MIB]);
    // The levelled ρ, from rho() with f = A/P, is the same for both guests.
    const [pi, pa] = [332, 692];
    expect(rho(1000, pi, 32 / pi, 0.75)).toBeCloseTo(rho(1000, pa, 512 / pa, 0.75), 12);
  });

  it('with no shortfall, moves memory from the idle guest to the active one at τ = 0.75, not at τ = 0', () => {
    // Free exactly at the 6 % target: nothing to reclaim or give back in total. Both hold 768 MiB
    // (256 MiB ballooned), the active guest's sampled f = 0.9, the idle one's 0.1; neither swaps.
    // τ = 0.75: A = 76.8 and 691.2 MiB; 768 + (2c − 768)/4 = 1536 → c = 1920, the active guest
    // at 691.2 + 307.2 = 998.4 MiB, the idle one at 76.8 + 460.8 = 537.6 MiB.
    const guests = idleAndActive().map((g) => ({ ...g, balloonPages: 256 * MIB, targetPages: 256 * MIB }));
    const o = observation({ hostTotalPages: HOST, hostFreePages: WANT, guests });
    const held = (tau: number) =>
      esxStep(o, esxInitialState(2), { ...O, idleTax: tau }).targetPages.map((t) => 1024 * MIB - t);
    const at75 = held(0.75);
    expect(at75[0]! + at75[1]!).toBe(1536 * MIB);
    expect(Math.abs(at75[1]! - 998.4 * MIB)).toBeLessThanOrEqual(1);
    expect(Math.abs(at75[0]! - 537.6 * MIB)).toBeLessThanOrEqual(1);
    expect(held(0)).toEqual([768 * MIB, 768 * MIB]);
  });

  it('decides on what ESX sees only: guest swap, page cache and faults change nothing', () => {
    const base = idleAndActive().map((g) => ({ ...g, balloonPages: 256 * MIB, targetPages: 256 * MIB }));
    const inside = base.map((g, i) => ({
      ...g,
      anonPages: (100 + 300 * i) * MIB,
      cachePages: 200 * MIB,
      freePages: 8 * MIB,
      swappedPages: i === 1 ? 400 * MIB : 0,
      committedPages: 900 * MIB,
      majorFaults: 1e6 * i,
      swapIn: 1e5,
      swapOut: 2e5,
      mrc: [1, 0.5, 0],
      accessesPerS: 1e4,
    }));
    const decide = (guests: BalloonGuestView[]) =>
      esxStep(
        observation({ hostTotalPages: HOST, hostFreePages: WANT - 64 * MIB, guests }),
        esxInitialState(2),
        O,
      );
    expect(decide(inside)).toEqual(decide(base));
  });
});

describe('esx: working-set estimator (§1.4)', () => {
  /** Feeds one completed period of fraction f per decision and returns the estimates. */
  function run(fs: number[]): number[] {
    let state: EsxState = esxInitialState(1);
    const samples: ActivitySample[] = [];
    const out: number[] = [];
    for (const f of fs) {
      samples.push(sample(f));
      const obs = observation({
        hostTotalPages: HOST,
        hostFreePages: HOST,
        guests: [guestView({ samples: [...samples] })],
      });
      state = esxStep(obs, state, O).state;
      out.push(state.guests[0]!.estimate);
    }
    return out;
  }

  it('rises within one period and decays at the slow rate (0.1 → 0.9 → 0.1)', () => {
    const e = run([0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(e[2]).toBeCloseTo(0.1, 9);
    // Fast EWMA: 0.1 + 0.5 × 0.8 = 0.5 at once; slow only reaches 0.18.
    expect(e[3]).toBeCloseTo(0.5, 9);
    // Back at 0.1: fast 0.3, then 0.2, 0.15, 0.125, 0.1125; slow 0.172, 0.1648, … stays above 0.1.
    expect(e[4]).toBeCloseTo(0.3, 9);
    expect(e[8]).toBeCloseTo(0.1 + 0.08 * 0.9 ** 5, 9); // the slow EWMA has taken over
    expect(e[8]).toBeGreaterThan(0.14);
  });

  it('the partial current period raises the estimate before the period ends', () => {
    const g = guestView({ samples: [sample(0.1)], currentSample: { sampled: 100, touched: 90 } });
    const d = esxStep(observation({ guests: [g] }), esxInitialState(1), O);
    expect(d.state.guests[0]!.estimate).toBeCloseTo(0.5, 9); // 0.1 + 0.5 × (0.9 − 0.1)
  });

  it('consumes each completed period once, by the host’s count, whatever the samples look like', () => {
    const decide = (state: EsxState, g: Parameters<typeof guestView>[0]) =>
      esxStep(observation({ guests: [guestView(g)] }), state, O).state;
    const full = Array.from({ length: SAMPLE_HISTORY }, () => sample(0.1));
    // A full window of equal samples: the next period looks exactly like the last one.
    let s = decide(esxInitialState(1), { samples: full, samplesTaken: 40 });
    expect(s.guests[0]!.periods).toBe(SAMPLE_HISTORY);
    s = decide(s, { samples: full, samplesTaken: 41 });
    expect(s.guests[0]!.periods).toBe(SAMPLE_HISTORY + 1);
    // No period ended, but the partial count fell (the balloon deflated, so f's denominator grew):
    // nothing new is consumed.
    s = decide(s, { samples: full, samplesTaken: 41, currentSample: { sampled: 100, touched: 90 } });
    s = decide(s, { samples: full, samplesTaken: 41, currentSample: { sampled: 100, touched: 20 } });
    expect(s.guests[0]!.periods).toBe(SAMPLE_HISTORY + 1);
    // Two periods ended between decisions: both are folded in, oldest first.
    s = decide(s, { samples: [...full.slice(2), sample(0.9), sample(0.9)], samplesTaken: 43 });
    expect(s.guests[0]!.periods).toBe(SAMPLE_HISTORY + 3);
    expect(s.guests[0]!.estimate).toBeCloseTo(0.7, 9); // fast: 0.1 → 0.5 → 0.7; slow lower
  });

  it('is deterministic: the same inputs give the same decision', () => {
    const obs = observation({ hostTotalPages: HOST, hostFreePages: 0, guests: idleAndActive() });
    const a = esxStep(obs, esxInitialState(2), O);
    const b = esxStep(obs, esxInitialState(2), O);
    expect(a).toEqual(b);
  });
});
