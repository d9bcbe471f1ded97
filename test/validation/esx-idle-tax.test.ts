// The shape of Waldspurger's idle-memory-tax experiment (OSDI 2002, §5.4, Fig. 7; reference
// memory-balloon.md §1.3 and §1.7), run from experiments/esx-idle-tax.yaml exactly as a user
// would: two 256 MB guests with equal shares on an overcommitted host, one idle, one busy with a
// 200 MiB working set (220 MiB with its kernel reserve and min free) — more than its even share
// (about 179 MiB). Published: with τ = 0 both converge to about the same size (179 MB each,
// recalled [R]); with τ = 0.75 memory moves from the idle guest to the busy one and its
// throughput improves (by over 30 % in the paper, also [R]).
// The mechanism must be ESX's: min-funding revocation levelling ρ on sampled activity
// (policies/balloon/esx.ts; test/policies/esx.test.ts shows the policy reads no guest-internal
// state). The mutant below breaks it — the idle tax forced to 0 in the τ = 0.75 runs — and the
// validation row (sim/validation/scenarios/esx-idle-tax.ts) must then fail.
import { describe, expect, it } from 'vitest';
import { loadExperimentFile, runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import type { RunSpec } from '../../sim/spec/run-spec.js';
import type { GuestSummary, RunResult } from '../../sim/results/types.js';
import { esxIdleTax, rhoRatio } from '../../sim/validation/scenarios/esx-idle-tax.js';
import { experiment } from '../helpers/experiment.js';

const specs = runSpecs(loadExperimentFile('experiments/esx-idle-tax.yaml'));
const runs: RunResult[] = specs.map((s) => simulate(s, { checkInvariants: true }));

/** The τ = 0.75 runs again with the idle tax forced to 0: the mechanism broken, nothing else. */
const noTax = (s: RunSpec): RunSpec => ({
  ...s,
  host: { ...s.host, balloon: { ...s.host.balloon, options: { ...s.host.balloon.options, idleTax: 0 } } },
});
const mutant: RunResult[] = [
  ...runs.filter((r) => r.alternative === 'tau-0'),
  ...specs
    .filter((s) => s.alternative === 'tau-0.75')
    .map((s) => simulate(noTax(s), { checkInvariants: false })),
];

const memMiB = (g: GuestSummary) => g.memoryMiB - g.balloonActualMiB;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function of(rs: RunResult[], alt: string, name: string, f: (g: GuestSummary) => number): number {
  return mean(
    rs.filter((r) => r.alternative === alt).map((r) => f(r.summary!.guests.find((g) => g.name === name)!)),
  );
}

describe('ESX idle memory tax (Fig. 7 shape)', () => {
  it('τ = 0: the two guests settle at about equal sizes, near the paper’s 179 MB', () => {
    const idle = of(runs, 'tau-0', 'idle', memMiB);
    const active = of(runs, 'tau-0', 'active', memMiB);
    expect(Math.abs(idle - active)).toBeLessThan(8);
    // 448 MiB of host memory, 2 × 32 MiB overhead, 6 % kept free: (448 × 0.94 − 64) / 2 ≈ 178.6.
    // This follows from the host size the file chose, not from the mechanism.
    expect(idle).toBeGreaterThan(170);
    expect(idle).toBeLessThan(190);
  });

  it('τ = 0.75: memory moves to the busy guest, and it does clearly more work with fewer faults', () => {
    expect(of(runs, 'tau-0.75', 'active', memMiB) - of(runs, 'tau-0.75', 'idle', memMiB)).toBeGreaterThan(30);
    const work = (alt: string) => of(runs, alt, 'active', (g) => g.workDoneCpuS);
    // The paper: "over 30 %" [R]. Measured here: 161.6 → 504 CPU-s of the 600 s it wants.
    expect(work('tau-0.75') / work('tau-0')).toBeGreaterThan(1.3);
    const faultRate = (alt: string) =>
      of(runs, alt, 'active', (g) => g.majorFaults) / of(runs, alt, 'active', (g) => g.workDoneCpuS);
    expect(faultRate('tau-0.75')).toBeLessThan(0.8 * faultRate('tau-0'));
  });

  it('the move is min-funding revocation: ρ levelled between the guests (ratio near 1) at τ = 0.75', () => {
    // Neither guest is at its max or min in the second half, so levelled ρ gives a ratio of 1; the
    // working-set estimate moves between decisions only by the sampling noise, hence 10 %.
    expect(Math.abs(rhoRatio(runs, 'tau-0.75', 0.75) - 1)).toBeLessThan(0.1);
  });

  it('the validation row passes, and fails when the idle tax is forced to 0 (mutant)', () => {
    expect(esxIdleTax.check(runs).pass).toBe(true);
    const broken = esxIdleTax.check(mutant);
    expect(broken.pass, broken.measured).toBe(false);
    // Without the tax, the busy guest gets no more than the idle one: the equal split of τ = 0.
    expect(
      Math.abs(of(mutant, 'tau-0.75', 'active', memMiB) - of(mutant, 'tau-0.75', 'idle', memMiB)),
    ).toBeLessThan(8);
  });
});

/**
 * The same two guests, but the second one turns busy only after 3 minutes, when the host has
 * already split memory evenly between two idle guests (about 179 MiB each), and its 120 MiB
 * working set (+ 20 MiB of kernel reserve and min free) fits in that: it never swaps. ESX levels ρ
 * on sampled activity, so at τ = 0.75 memory still moves to the busy guest (its page cache takes
 * it); at τ = 0 it does not. The old policy moved memory between guests only when the taker had
 * pages in its own swap: it left both at about 182.5 MiB at τ = 0.75 too (checked by running this
 * file against it); this policy gives the busy guest 216 MiB and the idle one 149 MiB (means over
 * the whole run, first 3 minutes included).
 */
const LATE = `
name: late
duration: 8m
seeds: 2
host: { pcpus: 2, memory: 448MiB, balloon: { policy: esx, idleTax: 0 } }
guests:
  - name: idle
    memory: 256MiB
    kernel: { reserved: 16MiB, minFree: 4MiB }
    workload: { type: constant, dutyCycle: 0.01, burst: 1ms, resident: 32MiB, cache: 150MiB }
  - name: active
    memory: 256MiB
    kernel: { reserved: 16MiB, minFree: 4MiB }
    workload:
      type: phases
      phases:
        - { for: 3m, type: constant, dutyCycle: 0.01, burst: 1ms, resident: 32MiB, cache: 150MiB }
        - { for: 5m, type: constant, dutyCycle: 1, resident: 120MiB, cache: 150MiB, hotFraction: 1 }
compare:
  tau-0: {}
  tau-0.75: { host.balloon: { policy: esx, idleTax: 0.75 } }
`;

describe('ESX idle memory tax: a guest that turns busy without swapping', () => {
  const late = runSpecs(experiment(LATE)).map((s) => simulate(s, { checkInvariants: false }));
  it('gets the idle guest’s memory at τ = 0.75, not at τ = 0, though it never swaps', () => {
    expect(of(late, 'tau-0.75', 'active', (g) => g.majorFaults)).toBe(0);
    expect(of(late, 'tau-0.75', 'active', memMiB) - of(late, 'tau-0.75', 'idle', memMiB)).toBeGreaterThan(30);
    expect(Math.abs(of(late, 'tau-0', 'active', memMiB) - of(late, 'tau-0', 'idle', memMiB))).toBeLessThan(8);
  });
});
