/**
 * Builds the frozen snapshot a balloon policy decides on (policies/balloon/types.ts) from the
 * host and its guests: memory by state, counters, the host's working-set samples and each
 * guest's miss-ratio curve (33 points from 0 to its configured memory) for a policy that reads
 * one: estimated from sampled accesses (sim/host/miss-ratio-tracker.ts) or exact.
 */
import {
  STUCK_AFTER_POLLS,
  type ActivitySample,
  type BalloonGuestView,
  type BalloonObservation,
  type HostMemoryState,
} from '../../policies/balloon/types.js';
import type { Guest } from '../guest/guest.js';

/** What the snapshot reads of the host (host.ts is one): the host's memory state, per guest. */
export interface BalloonObservationSource {
  readonly guests: readonly Guest[];
  readonly memoryPages: number;
  readonly minPages: readonly number[];
  readonly balloonTarget: readonly number[];
  readonly stuckPolls: readonly number[];
  readonly memShares: readonly number[];
  readonly memWeight: readonly number[];
  readonly hostMem: { readonly state: HostMemoryState };
  freePages(): number;
  swappedPages(): number;
  /** Guest pages the host has swapped out since boot. */
  hostSwapOutTotal(): number;
  activitySamples(gi: number): { samples: readonly ActivitySample[]; current: ActivitySample; taken: number };
  missRatioCurve(gi: number, points: number, stepPages: number): number[];
}

/** Points of the miss-ratio curve handed to policies. */
export const MRC_POINTS = 33;

export function balloonObservation(h: BalloonObservationSource, nowNs: number): BalloonObservation {
  const guests: BalloonGuestView[] = h.guests.map((g) => {
    const m = g.mem;
    const step = Math.max(1, Math.ceil(m.totalPages / (MRC_POINTS - 1)));
    const act = h.activitySamples(g.index);
    let workNs = 0;
    for (const w of g.workDoneNs) workNs += w;
    return Object.freeze({
      name: g.name,
      memoryPages: m.totalPages,
      minPages: h.minPages[g.index]!,
      balloonPages: m.balloonPages,
      targetPages: h.balloonTarget[g.index]!,
      driverStuck: h.stuckPolls[g.index]! >= STUCK_AFTER_POLLS,
      reservedPages: m.reservedPages,
      anonPages: m.anonPages,
      cachePages: m.cachePages,
      freePages: m.freePages,
      swappedPages: m.swappedPages,
      swapTotalPages: m.swapTotalPages,
      committedPages: m.reservedPages + m.anonDemandPages,
      majorFaults: m.majorFaults,
      minorFaults: m.minorFaults,
      swapIn: m.swapIn,
      swapOut: m.swapOut,
      shares: h.memShares[g.index]!,
      weight: h.memWeight[g.index]!,
      samples: Object.freeze(act.samples),
      currentSample: Object.freeze(act.current),
      samplesTaken: act.taken,
      mrc: Object.freeze(h.missRatioCurve(g.index, MRC_POINTS, step)),
      mrcStepPages: step,
      // Accesses per second of simulated time so far: CPU work × the workload's access rate.
      accessesPerS: nowNs > 0 ? ((workNs / 1e9) * g.accessesPerCpuSecond) / (nowNs / 1e9) : 0,
    });
  });
  return Object.freeze({
    nowNs,
    hostTotalPages: h.memoryPages,
    hostFreePages: h.freePages(),
    hostSwappedPages: h.swappedPages(),
    hostNetFreePages: h.freePages() - h.swappedPages(),
    hostSwapOutPages: h.hostSwapOutTotal(),
    hostState: h.hostMem.state,
    guests: Object.freeze(guests),
  });
}
