// The shape of Waldspurger's idle-memory-tax experiment (OSDI 2002, §5.4, Fig. 7; reference
// memory-balloon.md §1.3 and §1.7), run from experiments/esx-idle-tax.yaml exactly as a user
// would: two 256 MB guests with equal shares on an overcommitted host, one idle, one
// memory-hungry. Published: with τ = 0 both converge to about the same size (179 MB each,
// recalled [R]); with τ = 0.75 memory moves from the idle guest to the active one and the
// active one's throughput improves (by over 30 % in the paper, also [R]). The checks are on the
// shape — equal split, then a clear move and a gain of the order the paper reports — since the
// recalled figures are unconfirmed. The active guest uses its whole working set alike
// (hotFraction 1), like dbench.
import { describe, expect, it } from 'vitest';
import { loadExperimentFile, runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import type { GuestSummary } from '../../sim/results/types.js';

const exp = loadExperimentFile('experiments/esx-idle-tax.yaml');
const runs = runSpecs(exp).map((s) => ({
  alt: s.alternative,
  guests: simulate(s, { checkInvariants: true }).summary!.guests,
}));

const memMiB = (g: GuestSummary) => g.memoryMiB - g.balloonActualMiB;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function of(alt: string, name: string, f: (g: GuestSummary) => number): number {
  return mean(runs.filter((r) => r.alt === alt).map((r) => f(r.guests.find((g) => g.name === name)!)));
}

describe('ESX idle memory tax (Fig. 7 shape)', () => {
  it('τ = 0: the two guests settle at about equal sizes, near the paper’s 179 MB', () => {
    const idle = of('tau-0', 'idle', memMiB);
    const active = of('tau-0', 'active', memMiB);
    expect(Math.abs(idle - active)).toBeLessThan(8);
    // 448 MiB of host memory, 2 × 32 MiB overhead, 6 % kept free: (448 × 0.94 − 64) / 2 ≈ 178.6.
    expect(idle).toBeGreaterThan(170);
    expect(idle).toBeLessThan(190);
  });

  it('τ = 0.75: memory moves from the idle guest to the active one, and the active one does clearly more work', () => {
    expect(of('tau-0.75', 'active', memMiB) - of('tau-0.75', 'idle', memMiB)).toBeGreaterThan(30);
    const gain =
      of('tau-0.75', 'active', (g) => g.workDoneCpuS) / of('tau-0', 'active', (g) => g.workDoneCpuS);
    // The paper: "over 30 %" [R]; measured here about 48 %.
    expect(gain).toBeGreaterThan(1.3);
    // Less swapping is why: fewer major faults per CPU-second of work in the active guest.
    const faultRate = (alt: string) =>
      of(alt, 'active', (g) => g.majorFaults) / of(alt, 'active', (g) => g.workDoneCpuS);
    expect(faultRate('tau-0.75')).toBeLessThan(0.8 * faultRate('tau-0'));
  });
});
