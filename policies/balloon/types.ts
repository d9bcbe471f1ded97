/**
 * The balloon-policy extension point. From an observation of host and guest memory a policy
 * returns a balloon target per guest. The host applies targets (clamped to each guest's floor
 * and ceiling) — the policy never touches host objects and draws no randomness (the host does
 * any sampling and reports what it saw).
 *
 * A policy is a factory: its declaration's `create(options, { guests })` makes the instance for
 * one run, which holds its options and its own state. DESIGN.md §3.2's pure
 * `decide(observation, state) → { state, decisions }` is kept in spirit: the instance never
 * touches host objects (the observation is a frozen snapshot, which it must not modify or keep),
 * its answers depend only on its inputs and its own past, and its decisions are data. Policies
 * with state write that step as a pure function and let `steppedPolicy` (stepped.ts) hold the
 * state between calls. The host sees only the `BalloonPolicy` interface; an implementation may
 * also expose its state to its own tests.
 *
 * Sizes are 4 KiB pages. A guest's *memory* is what it keeps: memoryPages − balloonPages; many
 * real policies (MoM, squeezed, Hyper-V) think in memory sizes and convert.
 */
import type { PluginFactory } from '../../sim/options/plugin.js';

/** One guest as a balloon policy sees it. */
export interface BalloonGuestView {
  readonly name: string;
  /** Configured memory: the most it can have (Xen static-max, MoM balloon_max, ESX max). */
  readonly memoryPages: number;
  /**
   * The least memory it may be left with (guests[].balloon.min, at least its kernel reserve plus
   * minimum free): MoM balloon_min, squeezed dynamic-min, Hyper-V Minimum, ESX min.
   */
  readonly minPages: number;
  /** Balloon size now, and the target the host last applied. */
  readonly balloonPages: number;
  readonly targetPages: number;
  /**
   * Its balloon driver has made no progress toward the target for `STUCK_AFTER_POLLS` polls (5 s:
   * squeezed's assume_balloon_driver_stuck_after, reference/memory-balloon.md §3.4).
   */
  readonly driverStuck: boolean;
  /** Guest memory by state (see sim/guest/memory.ts); reserved + anon + cache + free + balloon = memory. */
  readonly reservedPages: number;
  readonly anonPages: number;
  readonly cachePages: number;
  readonly freePages: number;
  /** Anonymous pages in the guest's own swap device, and its size. */
  readonly swappedPages: number;
  readonly swapTotalPages: number;
  /** Memory the guest's processes have committed (Linux Committed_AS): kernel reserve + anon demand. */
  readonly committedPages: number;
  /** Cumulative counters since boot (virtio/MoM names: major_fault, minor_fault, swap_in, swap_out). */
  readonly majorFaults: number;
  readonly minorFaults: number;
  readonly swapIn: number;
  readonly swapOut: number;
  /** ESX memory shares (guests[].balloon.shares) and Hyper-V memory weight. */
  readonly shares: number;
  readonly weight: number;
  /**
   * The host's working-set sampling (ESX, reference/memory-balloon.md §1.4): pages sampled and
   * pages of them found touched, per completed sampling period, oldest first (the last
   * `SAMPLE_HISTORY` periods), plus the partial current period.
   */
  readonly samples: readonly ActivitySample[];
  readonly currentSample: ActivitySample;
  /**
   * Sampling periods completed since boot; `samples` holds the newest of them. A policy tells new
   * periods from ones it has seen by this count, not by comparing samples (equal samples, and a
   * partial count that falls when the balloon deflates mid-period, would mislead it).
   */
  readonly samplesTaken: number;
  /**
   * The guest's miss-ratio curve as the hypervisor's LRU histogram would measure it (MEB):
   * `mrc[i]` = fraction of memory accesses that miss with `mrcStepPages × i` pages of memory
   * for its workload (anon + cache), i = 0..mrc.length−1, non-increasing; and its access rate.
   * Estimated from sampled accesses, or exact, as the policy's `missRatioTracking` asks; empty
   * for policies that do not ask.
   */
  readonly mrc: readonly number[];
  readonly mrcStepPages: number;
  readonly accessesPerS: number;
}

export interface ActivitySample {
  readonly sampled: number;
  readonly touched: number;
}

/** ESX's host free-memory states (reference/memory-balloon.md §1.5). */
export type HostMemoryState = 'high' | 'soft' | 'hard' | 'low';

/** What a balloon policy observes at each decision. */
export interface BalloonObservation {
  readonly nowNs: number;
  readonly hostTotalPages: number;
  readonly hostFreePages: number;
  /**
   * Free frames net of what the host owes: hostFreePages − hostSwappedPages (may be negative).
   * Pages the host had to swap are memory it still has to find; policies that aim to replace host
   * swapping by ballooning (ESX, squeezed, auto-balloon) count them as a shortfall.
   */
  readonly hostNetFreePages: number;
  /** Guest pages the host has swapped out, and its free-memory state. */
  readonly hostSwappedPages: number;
  /**
   * Guest pages the host has swapped out since boot (cumulative): it grows only while the host
   * reclaims by swapping, which is when a Linux host raises memory-pressure events (auto-balloon).
   */
  readonly hostSwapOutPages: number;
  readonly hostState: HostMemoryState;
  readonly guests: readonly BalloonGuestView[];
}

/** One decision of a policy written as a pure step: its new state and the targets. */
export interface BalloonDecision<S> {
  readonly state: S;
  /** Target balloon size per guest, in pages, in the order of `observation.guests`. */
  readonly targetPages: readonly number[];
}

/**
 * A per-guest figure of a policy's own state worth charting (ESX: its working-set estimate). The
 * host records each as a time-series column `<guest>_<quantity>`, only under that policy: other
 * policies have no such column rather than a column of zeros. Its values come from the
 * instance's `gauge`.
 */
export interface BalloonGauge {
  /** Column quantity, ending in its unit: `esx_working_set_MiB`. */
  readonly quantity: string;
  readonly unit: string;
  readonly description: string;
  /**
   * How the comparison charts draw it for all guests on one line: mean (shares), worst (errors,
   * latencies) or total (amounts, rates) — the figure catalog's OverGuests.
   */
  readonly overGuests: 'mean' | 'worst' | 'total';
}

/** What a policy is made for: the number of guests its observations hold. */
export interface BalloonContext {
  readonly guests: number;
}

/** A balloon policy's instance for one run. */
export interface BalloonPolicy {
  /** How often the host asks the policy for targets, ns. */
  readonly periodNs: number;
  /** Target balloon size per guest, in pages, in the order of `observation.guests`. */
  decide(observation: BalloonObservation): readonly number[];
  /**
   * Gauge `k` (the declaration's `gauges`, in order) of guest `guest` (index in observation
   * order), from the state of the last decision; present when the declaration has gauges.
   */
  gauge?(k: number, guest: number): number;
  /**
   * Present if the policy reads miss-ratio curves (`mrc`): the host then samples each guest's
   * accesses into an LRU stack-distance histogram (sim/host/miss-ratio-tracker.ts) at this rate
   * and half-life, or hands over the exact curve when `exact` is true. Absent: `mrc` is empty.
   */
  readonly missRatioTracking?: {
    readonly exact: boolean;
    readonly sampleRate: number;
    readonly halfLifeNs: number;
  };
}

/** A balloon policy's declaration: name, description, options schema, `create`, and what it is. */
export interface BalloonPolicyDecl<O> extends PluginFactory<O, BalloonContext, BalloonPolicy> {
  /** Figures of its state recorded per guest as time series (optional; most policies have none). */
  readonly gauges?: readonly BalloonGauge[];
  /**
   * True if the policy leaves every guest unballooned while the host has memory to spare (it
   * reacts to host pressure); false for policies that balloon regardless (fixed sizes, guest-driven
   * targets). The conformance suite holds the first kind to it.
   */
  readonly pressureDriven: boolean;
}

/** Balloon-driver polls (1 s each) without progress after which a driver counts as stuck. */
export const STUCK_AFTER_POLLS = 5;

/** Completed sampling periods kept in the observation. */
export const SAMPLE_HISTORY = 16;
