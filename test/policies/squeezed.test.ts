// squeezed's proportional policy on hand-made hosts. Numbers are the worked example of
// reference/memory-balloon.md §3.4 (xapi-project/squeezed lib/squeeze.ml): dynamic ranges
// [256, 1024] and [512, 2048] MiB, host free 0, actual 800 and 1500 MiB, host_target_free 9 MiB
// → γ = 1523/2304 = 0.661 → targets 763.7 and 1527.3 MiB.
import { describe, expect, it } from 'vitest';
import { squeezeGamma, squeezedPolicy, type SqueezedOptions } from '../../policies/balloon/squeezed.js';
import { MIB, guestView, observation, decideOnce, made } from '../helpers/balloon-obs.js';

const O: SqueezedOptions = squeezedPolicy.options.parse({});

/** A guest with dynamic range [min, max] MiB currently holding `actual` MiB. */
const vm = (min: number, max: number, actual: number) =>
  guestView({
    minPages: min * MIB,
    memoryPages: max * MIB,
    balloonPages: (max - actual) * MIB,
    anonPages: 0,
  });

describe('squeezed', () => {
  it('declares host_target_free 9 MiB and a 10 s balance period (§3.4)', () => {
    expect(O.hostTargetFree).toBe(9 * 2 ** 20);
    expect(made(squeezedPolicy, O).periodNs).toBe(10e9);
  });

  it('worked example: γ = 0.661 → targets 763.7 and 1527.3 MiB (§3.4)', () => {
    const guests = [vm(256, 1024, 800), vm(512, 2048, 1500)];
    const gamma = squeezeGamma(guests, 0, 9 * MIB);
    expect(gamma).toBeCloseTo(0.661, 3);
    const d = decideOnce(squeezedPolicy, O, observation({ guests, hostFreePages: 0 }));
    const memoryMiB = d.map((t, i) => (guests[i]!.memoryPages - t) / MIB);
    expect(memoryMiB[0]).toBeCloseTo(763.7, 1);
    expect(memoryMiB[1]).toBeCloseTo(1527.3, 1);
    // Balloon targets in pages: what is taken from each guest's configured size.
    expect(d[0]).toBe(1024 * MIB - (256 * MIB + Math.floor(gamma * 768 * MIB)));
  });

  it('every guest sits at the same fraction of its range', () => {
    const guests = [vm(256, 1024, 800), vm(512, 2048, 1500), vm(100, 300, 300)];
    const d = decideOnce(squeezedPolicy, O, observation({ guests, hostFreePages: 50 * MIB }));
    const pos = d.map((t, i) => {
      const g = guests[i]!;
      return (g.memoryPages - t - g.minPages) / (g.memoryPages - g.minPages);
    });
    expect(pos[1]).toBeCloseTo(pos[0]!, 5);
    expect(pos[2]).toBeCloseTo(pos[0]!, 5);
  });

  it('γ is clamped to 1: plenty of free memory gives every guest its dynamic max (no balloon)', () => {
    const guests = [vm(256, 1024, 300), vm(512, 2048, 600)];
    expect(squeezeGamma(guests, 10_000 * MIB, 9 * MIB)).toBe(1);
    const d = decideOnce(squeezedPolicy, O, observation({ guests, hostFreePages: 10_000 * MIB }));
    expect(d).toEqual([0, 0]);
  });

  it('γ is clamped to 0: with no surplus every guest is squeezed to its dynamic min', () => {
    // Everyone already at dyn_min and the host below its 9 MiB target: surplus < 0.
    const guests = [vm(256, 1024, 256), vm(512, 2048, 512)];
    expect(squeezeGamma(guests, 4 * MIB, 9 * MIB)).toBe(0);
    const d = decideOnce(squeezedPolicy, O, observation({ guests, hostFreePages: 4 * MIB }));
    expect(d).toEqual([768 * MIB, 1536 * MIB]);
  });

  it('leaves a guest whose driver is stuck where it is and shares out the others (assume_balloon_driver_stuck_after, §3.4)', () => {
    const stuck = { ...vm(256, 1024, 800), driverStuck: true };
    const guests = [vm(256, 1024, 800), stuck, vm(512, 2048, 1500)];
    // γ over the two live guests only: the reference's worked example, 0.661.
    expect(squeezeGamma(guests, 0, 9 * MIB)).toBeCloseTo(
      squeezeGamma([guests[0]!, guests[2]!], 0, 9 * MIB),
      12,
    );
    const d = decideOnce(squeezedPolicy, O, observation({ guests, hostFreePages: 0 }));
    expect(d[1]).toBe(stuck.balloonPages);
  });
});
