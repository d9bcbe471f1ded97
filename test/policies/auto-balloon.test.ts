// The auto-balloon policy driven directly. The model is the KVM auto-ballooning proposal of
// reference/memory-balloon.md §4.3 (auto-inflate on host pressure, auto-deflate from the guest's
// shrinker); the proposal publishes no thresholds, so the numbers here follow the policy's own
// defaults (host pressure below 10 % free, half a guest's free memory per decision, guest
// pressure below 5 % free + cache, 32 MiB per deflate) — our choices, not the reference's.
import { describe, expect, it } from 'vitest';
import {
  autoBalloonPolicy,
  autoBalloonInitialState,
  autoBalloonStep,
  type AutoBalloonOptions,
  type AutoBalloonState,
} from '../../policies/balloon/auto-balloon.js';
import { MIB, guestView, observation } from '../helpers/balloon-obs.js';
import type { BalloonGuestView } from '../../policies/balloon/types.js';

const O: AutoBalloonOptions = autoBalloonPolicy.options.parse({});
const HOST = 8 * 1024 * MIB;
const LINE = Math.floor(0.1 * HOST); // 209 715 pages = 819.2 MiB

const decide = (guests: BalloonGuestView[], hostFreePages: number, state?: AutoBalloonState) =>
  autoBalloonStep(
    observation({ hostTotalPages: HOST, hostFreePages, guests }),
    state ?? autoBalloonInitialState(guests.length),
    O,
  );

describe('auto-balloon: inflation under host pressure', () => {
  // 1 GiB guests: 64 MiB reserved; anon sets what is free.
  const big = guestView({ name: 'big', anonPages: 560 * MIB }); // 400 MiB free
  const small = guestView({ name: 'small', anonPages: 810 * MIB }); // 150 MiB free

  it('does nothing while the host has at least hostPressure free', () => {
    expect(decide([small, big], LINE).targetPages).toEqual([0, 0]);
    expect(decide([small, big], HOST / 2).targetPages).toEqual([0, 0]);
  });

  it('takes half of each guest’s free memory, largest free first, until the shortfall is covered', () => {
    // The header's example: 512 MiB free, shortfall 307.2 MiB → 200 MiB from big, 75 MiB from small.
    expect(decide([small, big], 512 * MIB).targetPages).toEqual([75 * MIB, 200 * MIB]);
    // A 100 MiB shortfall is covered by the largest alone.
    expect(decide([small, big], LINE - 100 * MIB).targetPages).toEqual([0, 100 * MIB]);
  });

  it('counts inflation already in flight, and free memory it will consume', () => {
    // big's balloon is still 200 MiB short of its target: that is 200 MiB of host memory to come
    // (a 400 MiB shortfall is really 200 MiB), and 200 MiB of big's free memory already spoken
    // for (it gives half of the other 200 MiB: 100 MiB; small covers the last 100 with 75 MiB).
    const moving = { ...big, targetPages: 200 * MIB };
    expect(decide([small, moving], LINE - 400 * MIB).targetPages).toEqual([75 * MIB, 300 * MIB]);
  });

  it('never inflates a guest into its own pressure zone or below its minPages', () => {
    // free 40 MiB + cache 20 MiB, pressure line 51.2 MiB: only 8.8 MiB may go (not half of 40).
    const tight = guestView({ anonPages: 900 * MIB, cachePages: 20 * MIB });
    expect(decide([tight], 0).targetPages).toEqual([Math.floor(8.8 * MIB)]);
    const floored = guestView({ minPages: 1024 * MIB - 10 * MIB });
    expect(decide([floored], 0).targetPages).toEqual([10 * MIB]);
  });
});

describe('auto-balloon: the guest shrinker', () => {
  it('deflates a guest that is swapping (swapOut grew since the last decision)', () => {
    const g = guestView({ balloonPages: 300 * MIB, swapOut: 1000 });
    const first = decide([g], HOST);
    expect(first.targetPages).toEqual([300 * MIB]); // no history yet: no swap growth known
    const again = decide([g], HOST, first.state);
    expect(again.targetPages).toEqual([300 * MIB]); // swapOut unchanged
    const swapping = decide([{ ...g, swapOut: 1500 }], HOST, again.state);
    expect(swapping.targetPages).toEqual([300 * MIB - 32 * MIB]);
  });

  it('deflates a guest whose free + cache is below guestPressure, even under host pressure', () => {
    const g = guestView({ balloonPages: 300 * MIB, anonPages: 640 * MIB, cachePages: 10 * MIB }); // 10 MiB free
    const d = decide([g, guestView()], 0);
    expect(d.targetPages[0]).toBe(300 * MIB - 32 * MIB);
    expect(d.targetPages[1]).toBe(224 * MIB); // the other guest gives half of its 448 MiB free
  });

  it('never deflates below an empty balloon', () => {
    const g = guestView({ balloonPages: 10 * MIB, anonPages: 940 * MIB });
    expect(decide([g], HOST).targetPages).toEqual([0]);
  });
});
