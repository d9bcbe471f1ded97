/**
 * Validation rows lost-ticks-catch-up, -discard, -merge and -slew: what each timer-delivery policy
 * (policies/time) delivers to a tick-counting guest that wants the CPU all the time, at 2:1 and
 * 4:1 overcommit, from one experiment (experiments/validation/lost-tick-policies.yaml). One row per
 * policy, each with its own source; they share the helpers here.
 *
 * Everything is judged as fractions of the run, so the count of interrupts per tick (vCPU 0 of a
 * tick-counting guest takes the global and the local timer, sim/guest/timekeeping.ts) cancels:
 * of the N interrupts due, a fraction was delivered, merged, lost or is still pending, and a guest
 * that counts ticks is behind by the undelivered fraction of the run T. Tolerance: one credit slice
 * (30 ms, three ticks at HZ 100) — the ticks of the last gap may still be due at the end.
 */
import type { GuestSummary, RunResult } from '../../results/types.js';
import { type Scenario, f1 } from '../scenario.js';

/** CSCHED_MSECS_PER_TSLICE (reference time-cpu-abi.md §3.1): the longest gap between runs, ms. */
const SLICE_MS = 30;

export const LOST_TICKS_EXPERIMENT = 'experiments/validation/lost-tick-policies.yaml';

/** What the tick-counting guest of one alternative showed. */
export interface TickerRun {
  /** Run length (the ticker's runstates summed), ms. */
  runMs: number;
  /** Its share of a pCPU (running ÷ run). */
  share: number;
  /** Guest clock behind true time at the end, ms. */
  behindMs: number;
  /** Fractions of the interrupts due. */
  delivered: number;
  merged: number;
  lost: number;
  pending: number;
  giveUps: number;
}

export function ticker(runs: RunResult[], alt: string): TickerRun {
  const g: GuestSummary | undefined = runs
    .find((r) => r.alternative === alt)
    ?.summary?.guests.find((x) => x.name === 'ticker');
  if (g === undefined)
    throw new Error(`${LOST_TICKS_EXPERIMENT}: no run of alternative '${alt}' with a guest 'ticker'`);
  const runNs = g.runningNs + g.runnableNs + g.blockedNs + g.offlineNs;
  const t = g.timerInterrupts;
  const due = t.delivered + t.merged + t.lost + t.pending;
  return {
    runMs: runNs / 1e6,
    share: g.runningNs / runNs,
    behindMs: g.clockErrorMs.final,
    delivered: t.delivered / due,
    merged: t.merged / due,
    lost: t.lost / due,
    pending: t.pending / due,
    giveUps: t.giveUps,
  };
}

/** |measured − expected| within one slice of ticks, ms. */
export const near = (measuredMs: number, expectedMs: number) => Math.abs(measuredMs - expectedMs) <= SLICE_MS;

const pct = (x: number) => `${f1(100 * x)} %`;
const s = (ms: number) => `${f1(ms / 1000)} s`;

/** "2:1: got 50.0 % of a pCPU, 100.0 % of ticks delivered, 0.0 s behind" for each overcommit. */
function describe(runs: RunResult[], policy: string): string {
  return ['2to1', '4to1']
    .map((o) => {
      const r = ticker(runs, `${policy}-${o}`);
      return (
        `${o.replace('to', ':')}: ${pct(r.share)} of a pCPU, ${pct(r.delivered)} of ticks delivered, ` +
        `${pct(r.merged)} merged, ${pct(r.lost)} lost, ${pct(r.pending)} pending, clock ${s(r.behindMs)} behind`
      );
    })
    .join('; ');
}

const LIBVIRT =
  'libvirt formatdomain.html, `<timer tickpolicy>` (text shared with QEMU’s LostTickPolicy documentation; reference time-cpu-abi.md §4.3)';

export const lostTicksCatchUp: Scenario = {
  id: 'lost-ticks-catch-up',
  kind: 'published',
  title: 'Lost ticks: catch-up keeps a tick-counting clock until the backlog passes the give-up',
  experiment: LOST_TICKS_EXPERIMENT,
  source: `VMware, “Timekeeping in VMware Virtual Machines” (backlog delivered faster than nominal; give-up, UNVERIFIED) and ${LIBVIRT}, \`catchup\``,
  published:
    'missed ticks are delivered at a higher rate; once all are delivered guest and host time match; a backlog past the give-up threshold is dropped',
  check(runs) {
    const two = ticker(runs, 'catch-up-2to1');
    const four = ticker(runs, 'catch-up-4to1');
    const gu = ticker(runs, 'catch-up-4to1-give-up-2s');
    // Speedup 1 (the shipped default): the ticker receives share × 2 of nominal while behind.
    // 2:1 → all of it, the clock ends within a slice of true time; 4:1 → half, the rest pending,
    // none lost (a 10 s backlog is under the 60 s give-up). With a 2 s give-up at 4:1 the
    // backlog (growing 0.5 s/s) passes it and is dropped: give-ups, ticks lost.
    const pass =
      two.lost === 0 &&
      near(two.behindMs, 0) &&
      four.lost === 0 &&
      four.giveUps === 0 &&
      near(four.behindMs, four.pending * four.runMs) &&
      near(four.behindMs, (1 - 2 * four.share) * four.runMs) &&
      gu.giveUps > 0 &&
      gu.lost > 0 &&
      gu.pending * gu.runMs <= 2000;
    return {
      measured:
        `${describe(runs, 'catch-up')}; with a 2 s give-up at 4:1: ${gu.giveUps} give-ups, ` +
        `${pct(gu.lost)} lost, clock ${s(gu.behindMs)} behind`,
      pass,
      note: 'how much faster than nominal VMware delivers is not published: speedup 1 (twice nominal) is our assumption, and it decides the arithmetic — catch-up keeps time while share × (1 + speedup) ≥ 1, so at 4:1 a CPU-bound ticker falls behind 0.5 s per second and, with the 60 s give-up, drops its backlog after 120 s',
    };
  },
};

export const lostTicksDiscard: Scenario = {
  id: 'lost-ticks-discard',
  kind: 'published',
  title: 'Lost ticks: discard — a tick-counting clock falls behind by the ticks missed',
  experiment: LOST_TICKS_EXPERIMENT,
  source: `${LIBVIRT}, \`discard\`; QEMU mc146818 RTC default`,
  published:
    'missed ticks are thrown away and injection continues normally; a guest without lost-tick handling is behind by the time missed',
  check(runs) {
    const two = ticker(runs, 'discard-2to1');
    const four = ticker(runs, 'discard-4to1');
    // Behind by the lost fraction of the run (plus the ticks of the last gap, still pending), which
    // is the time it did not run: 1 − share.
    const ok = (r: TickerRun) =>
      r.merged === 0 &&
      r.lost > 0 &&
      near(r.behindMs, (r.lost + r.pending) * r.runMs) &&
      near(r.behindMs, (1 - r.share) * r.runMs);
    return {
      measured: describe(runs, 'discard'),
      pass: ok(two) && ok(four) && four.behindMs > two.behindMs,
    };
  },
};

export const lostTicksMerge: Scenario = {
  id: 'lost-ticks-merge',
  kind: 'published',
  title: 'Lost ticks: merge — one tick per gap, the rest of the gap lost',
  experiment: LOST_TICKS_EXPERIMENT,
  source: `${LIBVIRT}, \`merge\``,
  published:
    'the missed ticks are merged into one tick and injected; the guest time may be delayed, depending on how the OS reacts to the merging',
  check(runs) {
    // A tick-counting guest counts the merged tick once: behind by the merged fraction (plus the
    // last gap's ticks, still pending), which is
    // less than discard loses (one tick per gap is kept) but more than nothing.
    const ok = (o: string) => {
      const r = ticker(runs, `merge-${o}`);
      const d = ticker(runs, `discard-${o}`);
      return (
        r.lost === 0 &&
        r.merged > 0 &&
        near(r.behindMs, (r.merged + r.pending) * r.runMs) &&
        r.behindMs < d.behindMs
      );
    };
    return {
      measured: describe(runs, 'merge'),
      pass: ok('2to1') && ok('4to1'),
      note: 'a gap here is the other vCPUs’ credit slices (30 ms each at HZ 100: 3 ticks at 2:1, 9 at 4:1), so merge keeps one missed tick in 3 at 2:1 and one in 9 at 4:1',
    };
  },
};

export const lostTicksSlew: Scenario = {
  id: 'lost-ticks-slew',
  kind: 'identity',
  title: 'Lost ticks: slew delivers share × (1 + speedup) of nominal and drops nothing',
  experiment: LOST_TICKS_EXPERIMENT,
  source:
    'QEMU LostTickPolicy `slew` (re-injects coalesced RTC interrupts) and Hyper-V period modulation (reference time-cpu-abi.md §4.3); neither gives a rate',
  published:
    'the model’s own arithmetic: with speedup 0.1 (periods 10 % shorter, our assumption) a ticker with share p receives min(1, 1.1 p) of its ticks, the rest stays pending, none are dropped',
  check(runs) {
    const ok = (o: string) => {
      const r = ticker(runs, `slew-${o}`);
      return (
        r.lost === 0 &&
        r.giveUps === 0 &&
        near(r.delivered * r.runMs, Math.min(1, 1.1 * r.share) * r.runMs) &&
        near(r.behindMs, r.pending * r.runMs)
      );
    };
    return {
      measured: describe(runs, 'slew'),
      pass: ok('2to1') && ok('4to1'),
      note: 'Hyper-V skips some signals when too many were missed; the model never does (no give-up)',
    };
  },
};
