// The ESX policy driven directly. Numbers from reference/memory-balloon.md §1.3 (idle memory tax
// and its worked ρ table), §1.4 (working-set estimator: max of slow, fast and fast-with-current
// EWMAs; gains 0.5 / 0.1 are the reference's suggested assumptions) and §1.5 (6 % "high" target).
import { describe, expect, it } from 'vitest';
import {
  esxPolicy,
  esxInitialState,
  esxStep,
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
    expect(Math.abs(mem[0]! - 2 * mem[1]!)).toBeLessThanOrEqual(2 * O.chunkPages);
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

  it('gives memory back above target + hysteresis, to the highest ρ first', () => {
    const guests = idleAndActive().map((g) => ({ ...g, balloonPages: 200 * MIB, targetPages: 200 * MIB }));
    const ceiling = Math.floor((0.06 + 0.02) * HOST);
    const d = esxStep(
      observation({ hostTotalPages: HOST, hostFreePages: ceiling + 100 * MIB, guests }),
      esxInitialState(2),
      O,
    );
    // The active guest has the higher ρ (less tax) all the way: it gets the 100 MiB back.
    expect(d.targetPages).toEqual([200 * MIB, 100 * MIB]);
  });

  it('counts balloons still inflating toward their targets as free memory to come', () => {
    const guests = [guestView({ balloonPages: 0, targetPages: shortfall })];
    const d = esxStep(obs(guests), esxInitialState(1), O);
    expect(d.targetPages).toEqual([shortfall]);
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
