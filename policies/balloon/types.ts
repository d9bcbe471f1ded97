/**
 * The balloon-policy extension point. A policy is pure: from a frozen observation of host and
 * guest memory and its own previous state it returns new state and a balloon target per guest.
 * The host applies targets (clamped to what a guest can give) — the policy never touches host
 * objects.
 */
import type { PluginDecl } from '../../sim/plugin.js';

/** One guest as a balloon policy sees it; all sizes in 4 KiB pages. */
export interface BalloonGuestView {
  readonly name: string;
  readonly memoryPages: number;
  readonly balloonPages: number;
  readonly freePages: number;
  readonly anonPages: number;
}

/** What a balloon policy observes at each decision. */
export interface BalloonObservation {
  readonly nowNs: number;
  readonly hostTotalPages: number;
  readonly hostFreePages: number;
  readonly guests: readonly BalloonGuestView[];
}

export interface BalloonDecision<S> {
  readonly state: S;
  /** Target balloon size per guest, in pages, in the order of `observation.guests`. */
  readonly targetPages: readonly number[];
}

/** A balloon policy: declared options, a decision period and a pure decide step. */
export interface BalloonPolicy<O, S> extends PluginDecl<O> {
  /** How often the host asks the policy for targets. */
  periodNs(options: O): number;
  init(options: O, guestCount: number): S;
  decide(observation: BalloonObservation, state: S, options: O): BalloonDecision<S>;
}
