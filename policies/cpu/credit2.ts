/**
 * `credit2`: Xen's credit2 scheduler (default since Xen 4.12), reduced to what the model needs
 * (reference/time-cpu-abi.md §3.3, `xen/common/sched/credit2.c`).
 *
 * - One run queue for the host. Xen keeps one per socket by default; the model has one socket.
 *   Queued vCPUs are ordered by credit, highest first (ties: longest queued first).
 * - Burning: "the highest weight unit burns credits at a rate of 1 credit per nanosecond;
 *   others burn proportionally more": a vCPU that ran `ns` loses `ns × maxWeight / weight`
 *   credits, maxWeight being the highest weight of any vCPU on the host (Xen: on the run queue).
 * - Reset: when the vCPU chosen to run next has credit ≤ 0, every vCPU (running, queued or
 *   blocked) gets `m × CREDIT_INIT` (10 ms) added, m = 1 unless the chosen one is below
 *   −CREDIT_INIT (then m = 1 + ⌊−credit / CREDIT_INIT⌋, so it is in the black again), and the
 *   result is clipped to CREDIT_INIT + CARRYOVER_MAX (CARRYOVER_MAX = MIN_TIMER = 500 µs). This
 *   is `reset_credit()` as read in the code; CREDIT_MIN = −CREDIT_INIT is the point below which
 *   the multiplier grows, not a floor applied to everyone.
 * - Slice (`csched2_runtime`): the time until the chosen vCPU's credit would fall to that of
 *   the best vCPU still queued (all its credit if none is), converted to time at its burn
 *   rate, clamped to [minTimer, maxSlice]. Xen's upper bound (CSCHED2_MAX_TIMER) is not in the
 *   reference, so `maxSlice` is an option defaulting to 10 ms.
 * - Tickle: a woken vCPU preempts the pCPU (in its affinity) whose running vCPU has the lowest
 *   credit, counting what that vCPU has burned so far, if the woken one's credit is higher.
 *   Idle pCPUs need no tickle: the host offers them work after every wake.
 * - Caps are not modelled (Xen enforces them with per-domain budgets replenished every 10 ms,
 *   CSCHED2_BDGT_REPL_PERIOD): a guest with `cpu.cap` above 0 is refused at load (`refusesCap`),
 *   not run uncapped.
 *
 * Worked example (one pCPU, weights 256 and 512, both always busy; maxWeight 512, so A burns
 * 2 credits/ns and B 1): both start at 10 ms of credit; A (queued first) wins the tie. Its slice
 * is the time to fall to B's 10 ms: 0, raised to minTimer → A runs 0.5 ms and drops to 9 ms.
 * B runs until it falls to A's 9 ms: 1 ms. From then on they leapfrog in minTimer steps, losing
 * credit at the same pace, so B runs twice as long as A: 2/3 and 1/3 of the pCPU. When the one
 * chosen next is at ≤ 0, both get 10 ms more and the cycle repeats.
 */
import type { z } from 'zod';
import type { CpuScheduler, CpuSchedulerDecl, SchedTopology, SchedView } from './types.js';
import { NO_PCPUS, NO_TICK } from './types.js';
import { durationNs, strictObject } from '../../sim/options/fields.js';
import { vcpusPerGuest } from './entitlement.js';
import { waterFill } from '../shared/water-fill.js';

/** CSCHED2_CREDIT_INIT: 10 ms of credit, in credits (1 credit = 1 ns at the highest weight). */
export const CREDIT_INIT = 10_000_000;
/** CSCHED2_CARRYOVER_MAX = CSCHED2_MIN_TIMER: 500 µs. */
export const CARRYOVER_MAX = 500_000;

const options = strictObject({
  minTimer: durationNs().prefault('500us').describe('shortest slice (Xen CSCHED2_MIN_TIMER, 500us)'),
  maxSlice: durationNs()
    .prefault('10ms')
    .describe(
      'longest slice; Xen’s CSCHED2_MAX_TIMER is not in our reference, 10ms (= CREDIT_INIT) is our default',
    ),
});

export type Credit2Options = z.output<typeof options>;

export interface Credit2State {
  /** Credit per vCPU, in credits. */
  readonly credit: Float64Array;
  /** Credits burned per ns of running: maxWeight / weight. */
  readonly burnRate: Float64Array;
  /** Runnable vCPUs not on a pCPU, in queueing order (the order breaks credit ties). */
  readonly queue: number[];
  /** allowed[v * pcpus + p] = 1 if vCPU v may run on pCPU p. */
  readonly allowed: Uint8Array;
  readonly pcpus: number;
  /** Credit resets so far (Xen's `credit_reset` counter). */
  resets: number;
}

/** Index in the queue of the highest-credit vCPU allowed on p, or −1. */
function best(s: Credit2State, p: number): number {
  let bi = -1;
  for (let i = 0; i < s.queue.length; i++) {
    const v = s.queue[i]!;
    if (s.allowed[v * s.pcpus + p] !== 1) continue;
    if (bi < 0 || s.credit[v]! > s.credit[s.queue[bi]!]!) bi = i;
  }
  return bi;
}

function reset(s: Credit2State, chosen: number): void {
  const c = s.credit[chosen]!;
  const m = c < -CREDIT_INIT ? 1 + Math.floor(-c / CREDIT_INIT) : 1;
  for (let v = 0; v < s.credit.length; v++)
    s.credit[v] = Math.min(s.credit[v]! + m * CREDIT_INIT, CREDIT_INIT + CARRYOVER_MAX);
  s.resets += 1;
}

/** Credit of a running vCPU including what it burned since it was placed. */
function liveCredit(s: Credit2State, p: number, view: SchedView): number {
  const v = view.running[p]!;
  return s.credit[v]! - (view.nowNs - view.runStartNs[p]!) * s.burnRate[v]!;
}

/** The instance, with its state open to its tests. */
export interface Credit2Scheduler extends CpuScheduler {
  readonly state: Credit2State;
}

function init(topo: SchedTopology): Credit2State {
  const allowed = new Uint8Array(topo.vcpus.length * topo.pcpus);
  topo.vcpus.forEach((v, i) => v.affinity.forEach((p) => (allowed[i * topo.pcpus + p] = 1)));
  const maxWeight = topo.vcpus.reduce((m, v) => Math.max(m, v.weight), 1);
  return {
    credit: new Float64Array(topo.vcpus.length).fill(CREDIT_INIT),
    burnRate: Float64Array.from(topo.vcpus, (v) => maxWeight / v.weight),
    queue: [],
    allowed,
    pcpus: topo.pcpus,
    resets: 0,
  };
}

export const credit2 = {
  name: 'credit2',
  description: 'Xen credit2: credit burned in proportion to 1/weight, highest credit runs, periodic reset.',
  options,
  refusesCap:
    'credit2 in vmisim does not model caps (Xen’s credit2 enforces them with per-domain budgets every 10 ms); use policy credit for capped guests, or remove cap',
  create: (o, topo): Credit2Scheduler => {
    const s = init(topo);
    return {
      state: s,
      tickNs: 0,
      wake: (v, view) => {
        s.queue.push(v);
        let target = -1;
        let lowest = s.credit[v]!;
        for (let p = 0; p < s.pcpus; p++) {
          if (s.allowed[v * s.pcpus + p] !== 1) continue;
          if (view.running[p]! < 0) return NO_PCPUS;
          const c = liveCredit(s, p, view);
          if (c < lowest) {
            lowest = c;
            target = p;
          }
        }
        return target < 0 ? NO_PCPUS : [target];
      },
      block: (v, ranNs) => {
        s.credit[v]! -= ranNs * s.burnRate[v]!;
      },
      schedule: (p, current, ranNs) => {
        if (current >= 0) s.credit[current]! -= ranNs * s.burnRate[current]!;
        const i = best(s, p);
        let run = current;
        // The current vCPU keeps the pCPU on a tie, as Xen prefers not to switch.
        if (i >= 0 && (current < 0 || s.credit[s.queue[i]!]! > s.credit[current]!)) {
          run = s.queue[i]!;
          s.queue.splice(i, 1);
          if (current >= 0) s.queue.push(current);
        }
        if (run < 0) return { run: -1, sliceNs: 0 };
        if (s.credit[run]! <= 0) reset(s, run);
        const j = best(s, p);
        const gap = s.credit[run]! - (j >= 0 ? Math.max(0, s.credit[s.queue[j]!]!) : 0);
        const sliceNs = Math.min(o.maxSlice, Math.max(o.minTimer, Math.ceil(gap / s.burnRate[run]!)));
        return { run, sliceNs };
      },
      tick: () => NO_TICK,
      // Each vCPU burns at its domain's weight, so a guest's pull is weight × vCPUs, at most its
      // vCPU count (cap ignored, see above).
      entitlementPcpus: () => {
        const n = vcpusPerGuest(topo.guests, topo.vcpus);
        const w = n.map(() => 0);
        for (const v of topo.vcpus) w[v.guest] = v.weight * n[v.guest]!;
        return waterFill(w, n, topo.pcpus);
      },
    };
  },
} satisfies CpuSchedulerDecl<Credit2Options>;
