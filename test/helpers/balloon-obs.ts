// Builds balloon-policy observations for unit tests: every field has a plain default (a 1 GiB
// guest with nothing ballooned, 64 MiB reserved, 512 MiB of anonymous memory, an idle host), and
// a test overrides only what its worked example is about. Sizes are 4 KiB pages.
import type {
  BalloonGuestView,
  BalloonObservation,
  BalloonPolicy,
  BalloonPolicyDecl,
} from '../../policies/balloon/types.js';

export const MIB = 256; // pages per MiB

export function guestView(o: Partial<BalloonGuestView> = {}): BalloonGuestView {
  const memoryPages = o.memoryPages ?? 1024 * MIB;
  const balloonPages = o.balloonPages ?? 0;
  const reservedPages = o.reservedPages ?? 64 * MIB;
  const anonPages = o.anonPages ?? 512 * MIB;
  const cachePages = o.cachePages ?? 0;
  const freePages = o.freePages ?? memoryPages - balloonPages - reservedPages - anonPages - cachePages;
  return {
    name: o.name ?? 'g',
    memoryPages,
    minPages: o.minPages ?? 80 * MIB,
    balloonPages,
    targetPages: o.targetPages ?? balloonPages,
    driverStuck: o.driverStuck ?? false,
    reservedPages,
    anonPages,
    cachePages,
    freePages,
    swappedPages: o.swappedPages ?? 0,
    swapTotalPages: o.swapTotalPages ?? 1024 * MIB,
    committedPages: o.committedPages ?? reservedPages + anonPages,
    majorFaults: o.majorFaults ?? 0,
    minorFaults: o.minorFaults ?? 0,
    swapIn: o.swapIn ?? 0,
    swapOut: o.swapOut ?? 0,
    shares: o.shares ?? 10 * 1024,
    weight: o.weight ?? 5000,
    samples: o.samples ?? [],
    currentSample: o.currentSample ?? { sampled: 0, touched: 0 },
    samplesTaken: o.samplesTaken ?? (o.samples ?? []).length,
    mrc: o.mrc ?? [1, 0],
    mrcStepPages: o.mrcStepPages ?? memoryPages,
    accessesPerS: o.accessesPerS ?? 0,
  };
}

export function observation(o: Partial<BalloonObservation> = {}): BalloonObservation {
  const guests = o.guests ?? [guestView()];
  const hostTotalPages = o.hostTotalPages ?? 8 * 1024 * MIB;
  const hostFreePages =
    o.hostFreePages ??
    Math.max(0, hostTotalPages - guests.reduce((a, g) => a + g.memoryPages - g.balloonPages, 0));
  const hostSwappedPages = o.hostSwappedPages ?? 0;
  return {
    nowNs: o.nowNs ?? 0,
    hostTotalPages,
    hostFreePages,
    hostSwappedPages,
    hostNetFreePages: o.hostNetFreePages ?? hostFreePages - hostSwappedPages,
    hostSwapOutPages: o.hostSwapOutPages ?? 0,
    hostState: o.hostState ?? 'high',
    guests,
  };
}

/** The targets of one decision by a fresh instance of `policy` with options `o`. */
export function decideOnce<O>(
  policy: BalloonPolicyDecl<O>,
  o: O,
  obs: BalloonObservation,
): readonly number[] {
  return policy.create(o, { guests: obs.guests.length }).decide(obs);
}

/** A fresh instance of `policy` with options `o`, for `guests` guests. */
export function made<O>(policy: BalloonPolicyDecl<O>, o: O, guests = 1): BalloonPolicy {
  return policy.create(o, { guests });
}
