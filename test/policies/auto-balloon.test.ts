// The auto-balloon policy driven directly. The model is the KVM auto-ballooning proposal of
// reference/memory-balloon.md §4.3: QEMU inflates every guest's balloon by a fixed step on each
// host memory-pressure event (raised from inside the host's reclaim, so only once the host has
// swapped), and the guest's shrinker deflates a guest under pressure. The 16 MiB step is the RFC's
// suggested default; the 5 % guest pressure line and the 32 MiB deflate chunk are our choices.
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

const decide = (guests: BalloonGuestView[], hostSwapOutPages: number, state?: AutoBalloonState) =>
  autoBalloonStep(
    observation({ hostTotalPages: HOST, hostFreePages: 0, hostSwapOutPages, guests }),
    state ?? autoBalloonInitialState(guests.length),
    O,
  );

describe('auto-balloon: inflation on host pressure events', () => {
  const a = guestView({ name: 'a', anonPages: 560 * MIB }); // 400 MiB free
  const b = guestView({ name: 'b', anonPages: 810 * MIB, balloonPages: 100 * MIB }); // 50 MiB free

  it('inflates nothing while the host has not swapped, however little it has free', () => {
    const first = decide([a, b], 5000);
    expect(first.targetPages).toEqual([0, 100 * MIB]); // no history: no event known yet
    expect(decide([a, b], 5000, first.state).targetPages).toEqual([0, 100 * MIB]);
  });

  it('inflates every guest by the step once the host swapped since the last decision', () => {
    const first = decide([a, b], 5000);
    const d = decide([a, b], 5001, first.state);
    expect(d.targetPages).toEqual([16 * MIB, 116 * MIB]);
    // One step per decision, however many pages the host swapped.
    expect(decide([a, b], 900_000, first.state).targetPages).toEqual([16 * MIB, 116 * MIB]);
    expect(d.state.hostSwapOut).toBe(5001);
  });

  it('never inflates a guest past its floor', () => {
    const floored = guestView({ minPages: 1024 * MIB - 10 * MIB });
    const first = decide([floored], 0);
    expect(decide([floored], 1, first.state).targetPages).toEqual([10 * MIB]);
  });
});

describe('auto-balloon: the guest shrinker', () => {
  it('deflates a guest that is swapping (swapOut grew since the last decision)', () => {
    const g = guestView({ balloonPages: 300 * MIB, swapOut: 1000 });
    const first = decide([g], 0);
    expect(first.targetPages).toEqual([300 * MIB]); // no history yet: no swap growth known
    const again = decide([g], 0, first.state);
    expect(again.targetPages).toEqual([300 * MIB]); // swapOut unchanged
    const swapping = decide([{ ...g, swapOut: 1500 }], 0, again.state);
    expect(swapping.targetPages).toEqual([300 * MIB - 32 * MIB]);
  });

  it('deflates a guest whose free + cache is below guestPressure, net of a host event’s step', () => {
    const g = guestView({ balloonPages: 300 * MIB, anonPages: 640 * MIB, cachePages: 10 * MIB }); // 10 MiB free
    expect(decide([g], 0).targetPages).toEqual([300 * MIB - 32 * MIB]);
    const first = decide([g, guestView()], 0);
    const d = decide([g, guestView()], 7, first.state);
    expect(d.targetPages).toEqual([300 * MIB + 16 * MIB - 32 * MIB, 16 * MIB]);
  });

  it('never deflates below an empty balloon', () => {
    const g = guestView({ balloonPages: 10 * MIB, anonPages: 940 * MIB });
    expect(decide([g], 0).targetPages).toEqual([0]);
  });
});
