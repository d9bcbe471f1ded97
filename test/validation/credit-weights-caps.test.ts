// The "Xen credit scheduler: weights and caps" row of docs/validation.md (sim/validation/scenarios/
// credit-weights-caps.ts) can fail: each mutant breaks one of the two mechanisms the row judges,
// in the alternative that shows it, and the row must then fail.
//  - Equal weights (b's 512 put back to the default 256): credit is still handed out ∝ weight, but
//    the weights no longer differ, so the 1/3 : 2/3 split must disappear — the mechanism the row
//    claims (credit_fair ∝ weight) is what the mutant removes.
//  - No cap (cap 0, Xen's "uncapped"): the capped guest is never parked, so whatever it gets is its
//    weight's share, not the cap's.
import { describe, expect, it } from 'vitest';
import { creditWeightsCaps } from '../../sim/validation/scenarios/credit-weights-caps.js';
import { expectMutantFails, inAlternative, scenarioRuns, withGuest } from '../helpers/validation.js';

import type { GuestCpuSpec } from '../../sim/spec/run-spec.js';

const shipped = scenarioRuns(creditWeightsCaps);

/** The runs with guest `name`'s CPU parameters changed by `cpu` in alternative `alt`. */
const cpuMutant = (alt: string, name: string, cpu: Partial<GuestCpuSpec>) =>
  scenarioRuns(creditWeightsCaps, {
    mutate: inAlternative(
      alt,
      withGuest(name, (g) => ({ ...g, cpu: { ...g.cpu, ...cpu } })),
    ),
  });

describe('validation row: Xen credit scheduler weights and caps', () => {
  it('mutant — equal weights: the row fails', () => {
    const mutant = cpuMutant('weights-256-512', 'b', { weight: 256 });
    expect(expectMutantFails(creditWeightsCaps, shipped, mutant).measured).toContain('weights: a 0.5');
  });

  it('mutant — no cap: the row fails', () => {
    const mutant = cpuMutant('cap-50', 'a', { capPct: 0 });
    // Uncapped, a's weight of 512 against 256 gives it 2/3: what the cap held it from.
    expect(expectMutantFails(creditWeightsCaps, shipped, mutant).measured).toContain('cap 50: a 0.66');
  });
});
