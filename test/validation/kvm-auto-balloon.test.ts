// The "KVM auto-ballooning" row of docs/validation.md (sim/validation/scenarios/kvm-auto-balloon.ts)
// can fail. The mutant runs the `auto-balloon-on` alternative with the `none` balloon policy: the
// guests' balloons are never asked to inflate, so the host must back all 35 GiB of guests from
// 32 GiB and swap as it does without auto-ballooning. That is the mechanism the row credits for the
// order of magnitude less host swap-out, and nothing else changes; the row must then fail.
import { describe, expect, it } from 'vitest';
import { metricMean } from '../../sim/validation/scenario.js';
import { kvmAutoBalloon } from '../../sim/validation/scenarios/kvm-auto-balloon.js';
import { expectMutantFails, inAlternative, noBalloon, scenarioRuns } from '../helpers/validation.js';

describe('validation row: KVM auto-ballooning', () => {
  it('mutant — no balloon policy in the auto-balloon run: the row fails, the host swaps', () => {
    const mutant = scenarioRuns(kvmAutoBalloon, { mutate: inAlternative('auto-balloon-on', noBalloon) });
    expectMutantFails(kvmAutoBalloon, scenarioRuns(kvmAutoBalloon), mutant);
    // Without its balloon policy the run is the auto-balloon-off run: the same host swap-out.
    const swap = (alt: string) => metricMean(mutant, alt, 'host_swap_out_pages');
    expect(swap('auto-balloon-on')).toBeGreaterThan(100_000);
    expect(swap('auto-balloon-on')).toBe(swap('auto-balloon-off'));
  });
});
