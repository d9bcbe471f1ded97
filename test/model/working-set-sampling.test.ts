// ESX working-set sampling (reference/memory-balloon.md §1.4): a period's sample counts the pages
// the guest touched at any time in the period, so a period spanning a change of demand counts the
// union of what was touched before and after it (sim/guest/guest.ts foldTouches, fed tick by tick
// from sim/host/host.ts). Numbers worked by hand below.
import { describe, expect, it } from 'vitest';
import { runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { foldTouches, type SetTouches } from '../../sim/guest/period-touches.js';
import { DEFAULT_ACCESSES_PER_CPU_S } from '../../workloads/types.js';
import { experiment } from '../helpers/experiment.js';

const set = (): SetTouches => ({ touchedPages: 0, extentPages: 0 });
const oneShot = (n: number, k: number) => n * (1 - Math.exp(-k / n));

describe('foldTouches: the touched pages of a period, tick by tick', () => {
  it('with a steady set, ticks add up to the one-shot N(1 − e^(−Σk/N))', () => {
    const s = set();
    const ks = [1000, 25_000, 0, 7000, 64_000];
    for (const k of ks) foldTouches(s, 64_000, k);
    expect(s.touchedPages).toBeCloseTo(oneShot(64_000, 97_000), 6);
    expect(s.extentPages).toBe(64_000);
  });

  it('a drop keeps what was touched before it (worked example in guest.ts)', () => {
    const s = set();
    foldTouches(s, 64_000, 232_000); // 250 MiB: 64 000·(1 − e^(−3.625)) = 62 294
    expect(s.touchedPages).toBeCloseTo(62_294.5, 0);
    foldTouches(s, 12_800, 256_000); // 50 MiB: 62 294 + (12 800 − 12 459)·(1 − e^(−20))
    expect(s.touchedPages).toBeCloseTo(62_635.6, 0);
    // Counting all 488 000 accesses against the 50 MiB set at the end would give only its 12 800.
    expect(oneShot(12_800, 488_000)).toBeCloseTo(12_800, 0);
  });

  it('a rise adds the new pages the rest of the period touches to the old set', () => {
    const s = set();
    foldTouches(s, 12_800, 200_000); // the 50 MiB set, all but e^(−15.6) of it
    foldTouches(s, 64_000, 64_000); // 250 MiB, 64 000 accesses: 51 200·(1 − e^(−1)) more
    expect(s.touchedPages).toBeCloseTo(12_800 + 51_200 * (1 - Math.exp(-1)), 0); // 45 165
  });

  it('never fewer than before or than the tick alone touches, never more than the extent', () => {
    const s = set();
    const ticks: [number, number][] = [
      [5000, 3000],
      [40_000, 1000],
      [2000, 80_000],
      [60_000, 0],
      [30_000, 50_000],
    ];
    for (const [n, k] of ticks) {
      const before = s.touchedPages;
      foldTouches(s, n, k);
      expect(s.touchedPages).toBeGreaterThanOrEqual(before);
      expect(s.touchedPages).toBeGreaterThanOrEqual(oneShot(n, k) - 1e-9);
      expect(s.touchedPages).toBeLessThanOrEqual(s.extentPages);
    }
    // A set that got no accesses does not widen the extent the touches are spread over.
    expect(s.extentPages).toBe(40_000);
  });
});

/**
 * The guest of experiments/validation/esx-working-set.yaml (384 MiB, every page of its set
 * alike), with 8 busy vCPUs on 8 pCPUs: 8 × 2000 = 16 000 accesses a second. The sampling
 * period is 30 s (100 pages); the guest's memory tick runs at x.5 s, so the first period closes
 * at 30.5 s. With the esx policy deciding every second, the decision at 31 s sees that period
 * closed and the next one still without touches, so its estimate is the first period's sample
 * itself (both averages are seeded with it): the gauge at 31 s is touched/100 × 384 MiB.
 */
const GUEST_MIB = 384;
const SAMPLE_PAGES = 100;
const SEEDS = 8;
const ACCESSES_PER_S = 8 * DEFAULT_ACCESSES_PER_CPU_S;
const phase = (forS: number, mib: number) =>
  `{ for: ${forS}s, type: constant, dutyCycle: 1, resident: ${mib}MiB, hotFraction: 1 }`;

/** The first period's sample, in MiB of the guest, for each seed. */
function firstSampleMiB(phases: string): number[] {
  const exp = experiment(`
name: t
duration: 31s
sampleInterval: 1s
seeds: ${SEEDS}
host: { pcpus: 8, memory: 2GiB, balloon: { policy: esx, balancePeriod: 1s } }
guests:
  - name: toucher
    vcpus: 8
    memory: ${GUEST_MIB}MiB
    kernel: { reserved: 16MiB, minFree: 4MiB }
    workload: { type: phases, phases: [${phases}] }
`);
  return runSpecs(exp).map((spec) => {
    const s = simulate(spec, { checkInvariants: true }).series!;
    const c = s.columns.findIndex((x) => x.name === 'toucher_esx_working_set_MiB');
    const i = s.timeS.findIndex((t) => t >= 31);
    expect(c).toBeGreaterThanOrEqual(0);
    return s.values[c]![i]!;
  });
}

/**
 * Three standard errors of the mean of SEEDS samples of SAMPLE_PAGES pages each, at `mib` touched:
 * the sampled fraction is binomial, σ = √(f(1 − f)/n) per sample, σ/√SEEDS for the mean, in MiB.
 */
const threeSigmaMiB = (mib: number) => {
  const f = mib / GUEST_MIB;
  return (3 * Math.sqrt((f * (1 - f)) / SAMPLE_PAGES) * GUEST_MIB) / Math.sqrt(SEEDS);
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const MIB_PAGES = 256;

describe('working-set sampling of a period that spans a change of demand', () => {
  it('250 MiB for the first half of a period, then 50 MiB: samples the ≈ 245 MiB touched, not 50', () => {
    // Ticks 0.5 … 14.5 s (14.5 s of work) land on the 64 000 pages of 250 MiB; ticks 15.5 … 30.5 s
    // (16 s) on the 12 800 of 50 MiB: the worked example of foldTouches, 62 635 pages = 244.7 MiB
    // (the 50 MiB set is all touched; 97.3 % of the other 200 MiB). σ of one sample: 18.5 MiB;
    // of the mean of 8: 6.5 MiB; the bound (3σ) is 19.6 MiB. The flawed count gave 50 MiB.
    const s = set();
    foldTouches(s, 250 * MIB_PAGES, 14.5 * ACCESSES_PER_S);
    foldTouches(s, 50 * MIB_PAGES, 16 * ACCESSES_PER_S);
    const want = s.touchedPages / MIB_PAGES;
    expect(want).toBeCloseTo(244.7, 1);
    const got = mean(firstSampleMiB(`${phase(15, 250)}, ${phase(60, 50)}`));
    expect(Math.abs(got - want)).toBeLessThan(threeSigmaMiB(want));
  });

  it('50 MiB, then 250 MiB from 3.5 s before the period ends: samples what those last seconds touched', () => {
    // Ticks 27.5 … 30.5 s land on 250 MiB (the tick at 27.5 s counts its whole second against the
    // new demand, as its faults do): 64 000 accesses over 64 000 pages, on top of the 50 MiB set
    // touched all period: 12 800 + 51 200·(1 − e^(−1)) = 45 165 pages = 176.4 MiB. σ of one sample:
    // 19.1 MiB; the bound (3σ of the mean of 8) 20.3 MiB. The flawed count reckoned all
    // 488 000 accesses of the period against 250 MiB: the whole set, 250 MiB.
    const s = set();
    foldTouches(s, 50 * MIB_PAGES, 26.5 * ACCESSES_PER_S);
    foldTouches(s, 250 * MIB_PAGES, 4 * ACCESSES_PER_S);
    const want = s.touchedPages / MIB_PAGES;
    expect(want).toBeCloseTo(176.4, 1);
    const got = mean(firstSampleMiB(`${phase(27, 50)}, ${phase(60, 250)}`));
    expect(Math.abs(got - want)).toBeLessThan(threeSigmaMiB(want));
  });
});
