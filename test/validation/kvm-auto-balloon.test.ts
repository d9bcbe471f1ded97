// The "KVM auto-ballooning" row of docs/validation.md (sim/validation/scenarios/kvm-auto-balloon.ts)
// can fail. The mutant runs the `auto-balloon-on` alternative with the `none` balloon policy: the
// guests' balloons are never asked to inflate, so the host must back all 35 GiB of guests from
// 32 GiB and swap as it does without auto-ballooning. That is the mechanism the row credits for the
// order of magnitude less host swap-out, and nothing else changes; the row must then fail. (The
// other half of the row, host swap-out not zero, holds because the policy inflates only after the
// host has swapped: the shipped run's swap-out is checked to be above zero.)
// The second mutant turns the host's page cache for guest disks off (host.storage.hostPageCache):
// the guests' re-reads of the cache the balloon took all go to the one disk, so the ballooned
// builds are far slower than the unballooned ones (the runtime half of the row fails).
import { describe, expect, it } from 'vitest';
import { metricMean } from '../../sim/validation/scenario.js';
import { kvmAutoBalloon } from '../../sim/validation/scenarios/kvm-auto-balloon.js';
import { expectMutantFails, inAlternative, noBalloon, scenarioRuns } from '../helpers/validation.js';

describe('validation row: KVM auto-ballooning', () => {
  const shipped = scenarioRuns(kvmAutoBalloon);

  it('mutant — no balloon policy in the auto-balloon run: the row fails, the host swaps', () => {
    const mutant = scenarioRuns(kvmAutoBalloon, { mutate: inAlternative('auto-balloon-on', noBalloon) });
    expectMutantFails(kvmAutoBalloon, shipped, mutant);
    expect(metricMean(shipped, 'auto-balloon-on', 'host_swap_out_pages')).toBeGreaterThan(0);
    // Without its balloon policy the run is the auto-balloon-off run: the same host swap-out.
    const swap = (alt: string) => metricMean(mutant, alt, 'host_swap_out_pages');
    expect(swap('auto-balloon-on')).toBeGreaterThan(100_000);
    expect(swap('auto-balloon-on')).toBe(swap('auto-balloon-off'));
  });

  it('mutant — no host page cache: the row fails, ballooned builds wait on the disk for their refaults', () => {
    const mutant = scenarioRuns(kvmAutoBalloon, { set: ['host.storage.hostPageCache=off'] });
    const broken = expectMutantFails(kvmAutoBalloon, shipped, mutant);
    expect(broken.measured).toMatch(/host swap-out/);
    const refaultWait = (runs: typeof shipped) => metricMean(runs, 'auto-balloon-on', 'refault_wait_s');
    // Shipped: about 6,900 s of refault wait over the 35 guests; without the host's cache about 12,600 s.
    expect(refaultWait(mutant)).toBeGreaterThan(1.5 * refaultWait(shipped));
  });
});
