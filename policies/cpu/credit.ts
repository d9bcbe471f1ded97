/**
 * `credit`: Xen's credit scheduler as of 2006 (xen/common/sched_credit.c @ 3.0.4, Emmanuel
 * Ackaouy; constants and algorithm in reference/time-cpu-abi.md §3.1).
 *
 * Each pCPU has a run queue ordered by priority — BOOST (0) > UNDER (−1) > OVER (−2) — FIFO
 * within a priority. A woken vCPU joins the queue of the pCPU it last ran on.
 *
 * Tick (every `tick`, 10 ms): the vCPU running on each pCPU pays `creditsPerTick` (100) credits,
 * and a BOOST vCPU caught running drops to UNDER. Accounting is tick-sampled, as in 2006 (Xen
 * only burns credit per ns of runtime since 3.3, §3.2): a vCPU that runs in short bursts between
 * ticks is rarely caught and pays far less than the CPU it used.
 *
 * Accounting (every `ticksPerAccounting` ticks = 30 ms; `csched_acct`), with A = creditsPerTick ×
 * ticksPerAccounting = 300 credits per pCPU per period:
 *   credit_total = A × pcpus (− the last period's balance if it was negative)
 *   per active domain d, in order, weight_left −= w_d:
 *     peak_d = A × active_vcpus_d (+ ceil(−balance × w_d / weight_total) if balance < 0)
 *     if cap_d: credit_cap = ceil(cap_d × A / 100); peak_d = min(peak_d, credit_cap)
 *     fair_d = ceil(credit_total × w_d / weight_total)
 *     if fair_d ≥ peak_d: credit_total += ceil((fair_d − peak_d) × weight_total / weight_left);
 *                         fair_d = peak_d          (the surplus goes to the domains after d)
 *     each active vCPU of d gets ceil(fair_d / active_vcpus_d), then:
 *       credit < 0  → OVER; parked if capped and credit < −ceil(credit_cap / active_vcpus_d);
 *                     clamped at −A
 *       credit ≥ 0  → UNDER; unparked; if credit > A it leaves the active list, credit = 0
 *   balance = Σ credits of the vCPUs just updated; queues are re-sorted by priority.
 * weight_total sums the weights of active *domains*: in 2006 a domain's share did not grow
 * with its vCPU count (per-vCPU weights came later).
 *
 * "Active" (Xen's active list, which earns credit): a vCPU is active at an accounting if it was
 * runnable or running at some time since the previous one (it woke, was still runnable after
 * the previous accounting, or a tick charged it), or it is parked (it must earn its way back to
 * unparking). A vCPU whose credit passes A leaves the list, as in Xen, until it next wakes or
 * is charged. Xen rejoins only when charged and keeps a blocked vCPU on the list until its
 * credit passes A, so a sleeping vCPU went on earning there; here it stops at once.
 *
 * Example (1 pCPU, CPU-bound domains of weight 256 and 512): credit_total = 300; fair shares
 * ceil(300 × 256 / 768) = 100 and ceil(300 × 512 / 768) = 200. The runner pays 300 a period,
 * so credits sum to 0: the heavy one runs while UNDER, the light one gets its turn when both
 * are UNDER again, and over time they run 1/3 and 2/3 of the pCPU. A lone domain capped at
 * 50 % earns min(300, ceil(50 × 300 / 100)) = 150 a period and pays 300 for each period it
 * runs: two periods running (0 → −150 → −300 < −150: parked), two parked (−150, 0: unparked),
 * so 50 %.
 *
 * Wake: an UNDER vCPU that is not parked becomes BOOST and is queued on its own pCPU (the one it
 * last ran on, vc->processor); that pCPU is preempted ("tickle") if it runs something of strictly
 * lower priority, and no other: 3.0.4's __runq_tickle(cpu, new) looks only at `cpu`'s current
 * vCPU, then tickles idle pCPUs (here the host offers them the work). A busy pCPU elsewhere
 * running lower-priority work is not interrupted; it may steal the woken vCPU when it next
 * schedules (csched_load_balance). Example, 2 pCPUs: pCPU 0 runs an UNDER vCPU, pCPU 1 an OVER
 * one; an UNDER vCPU whose home is pCPU 0 wakes with boost off: no preemption, it waits on pCPU
 * 0's queue. Schedule: the current vCPU goes back in the queue after those of its
 * priority; the head runs, unless it is OVER or there is none, in which case the first queued
 * vCPU of strictly higher priority on another busy pCPU (scanning p+1, p+2, … wrapping) that may
 * run on p is stolen. The slice is always `slice`.
 *
 * Stealing visits only the peers that can have something to steal. The walk over a peer's queue
 * stops at the first vCPU of priority ≤ `above`, so a peer has a candidate only if its head's
 * priority is > `above`: with an empty queue at p (above = IDLE) any non-empty queue, with an
 * OVER head (above = OVER) a queue whose head is UNDER or BOOST. Two sets of pCPUs say which
 * queues are those (`queuedSet`, `underHeadSet`), updated wherever a head or its priority can
 * change: enqueue, dequeue, and accounting (priorities change and queues are re-sorted). A tick
 * only lowers BOOST to UNDER, which keeps a head above OVER. Peers are visited in the walk's order
 * (p+1, p+2, … wrapping), so the choice is the walk's. With `topo.aggregate` false (the reference
 * of sim/host/aggregations.ts) steal walks every peer and `waiting` is not given, so the host
 * offers every idle pCPU the chance to look.
 */
import { z } from 'zod';
import type { CpuScheduler, CpuSchedulerDecl, ScheduleChoice, SchedTopology, SchedView } from './types.js';
import { NO_PCPUS, NO_TICK } from './types.js';
import { durationNs, strictObject } from '../../sim/options/fields.js';
import { vcpusPerGuest } from './entitlement.js';
import { waterFill } from '../shared/water-fill.js';
import { BitSet } from '../shared/bit-set.js';

/** Priorities (CSCHED_PRI_TS_*); an empty queue counts as CSCHED_PRI_IDLE. */
export const BOOST = 0;
export const UNDER = -1;
export const OVER = -2;
const IDLE = -64;

const positive = (n: number) => n > 0;

const options = strictObject({
  tick: durationNs()
    .refine(positive, 'tick must be longer than 0')
    .prefault('10ms')
    .describe('period at which the running vCPU is charged (CSCHED_MSECS_PER_TICK = 10)'),
  slice: durationNs()
    .refine(positive, 'slice must be longer than 0')
    .prefault('30ms')
    .describe('time a vCPU runs before the pCPU chooses again (CSCHED_MSECS_PER_TSLICE = 30)'),
  ticksPerAccounting: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('ticks between credit accountings (CSCHED_TICKS_PER_ACCT = 3)'),
  creditsPerTick: z
    .number()
    .int()
    .min(1)
    .default(100)
    .describe('credits the running vCPU pays per tick (CSCHED_CREDITS_PER_TICK = 100)'),
  boost: z
    .boolean()
    .default(true)
    .describe(
      'a vCPU waking while UNDER becomes BOOST and preempts (csched_vcpu_wake); false to see what boost does',
    ),
});

export type CreditOptions = z.output<typeof options>;

export interface CreditState {
  readonly pcpus: number;
  readonly topo: SchedTopology;
  /** vCPU ids of each guest (domain), ascending. */
  readonly domVcpus: readonly (readonly number[])[];
  /** allowed[v * pcpus + p] = 1 if vCPU v may run on pCPU p. */
  readonly allowed: Uint8Array;
  readonly credit: Float64Array;
  readonly pri: Int8Array;
  readonly parked: Uint8Array;
  /** Woken and not blocked since (may be queued, running or parked). */
  readonly runnable: Uint8Array;
  readonly active: Uint8Array;
  /** pCPU whose queue a woken vCPU joins: where it last ran. */
  readonly home: Int32Array;
  /** Per guest: wakes that were boosted, and vCPUs stolen by another pCPU. */
  readonly boosts: Float64Array;
  readonly steals: Float64Array;
  /**
   * The vCPU each pCPU ran up to `leftAtNs` (its last schedule or block), so that a tick at that
   * very instant charges the vCPU that ran before it, not one placed at the same instant.
   */
  readonly left: Int32Array;
  readonly leftAtNs: Float64Array;
  /** pCPU whose queue holds the vCPU, or −1. */
  readonly queuedOn: Int32Array;
  readonly queues: number[][];
  /** vCPUs in all queues together: lets an idle pCPU skip looking for work when there is none. */
  queued: number;
  /** pCPUs whose queue is not empty, and those whose queue's head is UNDER or BOOST (header). */
  readonly queuedSet: BitSet;
  readonly underHeadSet: BitSet;
  /** False: steal walks every peer (the reference of the aggregation test). */
  readonly stealSets: boolean;
  /** Order in which accounting visits domains (guest indexes; Xen's active_sdom list). */
  domOrder: number[];
  ticks: number;
  /** Sum of the credits updated at the last accounting (csched_priv.credit_balance). */
  balance: number;
}

const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** Inserts v after every queued vCPU of its priority or higher (__runq_insert). */
function enqueue(s: CreditState, p: number, v: number): void {
  const q = s.queues[p]!;
  let i = 0;
  while (i < q.length && s.pri[q[i]!]! >= s.pri[v]!) i++;
  // q.splice(i, 0, v), without the array of removed items splice allocates.
  q.push(v);
  for (let k = q.length - 1; k > i; k--) q[k] = q[k - 1]!;
  q[i] = v;
  s.queuedOn[v] = p;
  s.queued++;
  headChanged(s, p);
}

function dequeue(s: CreditState, v: number): void {
  const p = s.queuedOn[v]!;
  if (p < 0) return;
  const q = s.queues[p]!;
  // q.splice(q.indexOf(v), 1), without splice's array of removed items (−1 is the last item).
  const at = q.indexOf(v);
  if (q.length > 0) {
    for (let k = at < 0 ? q.length - 1 : at; k < q.length - 1; k++) q[k] = q[k + 1]!;
    q.pop();
  }
  s.queuedOn[v] = -1;
  s.queued--;
  headChanged(s, p);
}

/** After p's queue or its head's priority changed: its membership of the steal sets. */
function headChanged(s: CreditState, p: number): void {
  const q = s.queues[p]!;
  s.queuedSet.set(p, q.length > 0);
  s.underHeadSet.set(p, q.length > 0 && s.pri[q[0]!]! > OVER);
}

/** First vCPU queued on another busy pCPU with priority > `above` that may run on p, or −1. */
function steal(s: CreditState, p: number, above: number, view: SchedView): number {
  if (!s.stealSets) {
    for (let k = 1; k < s.pcpus; k++) {
      const v = stealFrom(s, (p + k) % s.pcpus, p, above, view);
      if (v >= 0) return v;
    }
    return -1;
  }
  // Nothing queued on any other pCPU: on a host with spare pCPUs that is most calls, each of
  // which would otherwise visit every peer (bench/README.md, huge host profile).
  if (s.queued === s.queues[p]!.length) return -1;
  // The peers whose head is above `above` (header), p+1 … P−1 then 0 … p−1.
  const set = above >= OVER ? s.underHeadSet : s.queuedSet;
  for (let peer = set.next(p + 1, s.pcpus); peer >= 0; peer = set.next(peer + 1, s.pcpus)) {
    const v = stealFrom(s, peer, p, above, view);
    if (v >= 0) return v;
  }
  for (let peer = set.next(0, p); peer >= 0; peer = set.next(peer + 1, p)) {
    const v = stealFrom(s, peer, p, above, view);
    if (v >= 0) return v;
  }
  return -1;
}

/** First vCPU in busy pCPU `peer`'s queue, before any of priority ≤ `above`, that may run on p. */
function stealFrom(s: CreditState, peer: number, p: number, above: number, view: SchedView): number {
  if (view.running[peer]! < 0) return -1;
  const q = s.queues[peer]!;
  for (let i = 0; i < q.length; i++) {
    const v = q[i]!;
    if (s.pri[v]! <= above) break;
    if (s.allowed[v * s.pcpus + p] === 1) return v;
  }
  return -1;
}

/** True if queue q is in order of priority, highest first. */
function byPriority(s: CreditState, q: readonly number[]): boolean {
  for (let i = 1; i < q.length; i++) if (s.pri[q[i - 1]!]! < s.pri[q[i]!]!) return false;
  return true;
}

/** csched_acct: hands out one period's credits and returns the vCPUs to park and unpark. */
function account(s: CreditState, o: CreditOptions): { park: number[]; unpark: number[] } {
  const perAcct = o.creditsPerTick * o.ticksPerAccounting;
  const park: number[] = [];
  const unpark: number[] = [];
  const isActive = (v: number) => s.active[v] === 1 || s.parked[v] === 1;
  const nActive = s.domVcpus.map((vs) => {
    let n = 0;
    for (let i = 0; i < vs.length; i++) if (isActive(vs[i]!)) n++;
    return n;
  });
  const weightOf = (g: number) => s.topo.vcpus[s.domVcpus[g]![0]!]!.weight;
  let weightTotal = 0;
  for (let g = 0; g < nActive.length; g++) if (nActive[g]! > 0) weightTotal += weightOf(g);
  let creditTotal = perAcct * s.pcpus;
  if (s.balance < 0) creditTotal -= s.balance;
  if (weightTotal === 0) {
    s.balance = 0;
    return { park, unpark };
  }
  let weightLeft = weightTotal;
  let balance = 0;
  let xtra = false;
  const moved: number[] = [];
  for (const g of s.domOrder) {
    const n = nActive[g]!;
    if (n === 0) continue;
    const { weight: w, capPct: cap } = s.topo.vcpus[s.domVcpus[g]![0]!]!;
    weightLeft -= w;
    let peak = n * perAcct;
    if (s.balance < 0) peak += ceilDiv(-s.balance * w, weightTotal);
    let capPerVcpu = 0;
    if (cap > 0) {
      const creditCap = ceilDiv(cap * perAcct, 100);
      peak = Math.min(peak, creditCap);
      capPerVcpu = ceilDiv(creditCap, n);
    }
    let fair = ceilDiv(creditTotal * w, weightTotal);
    if (fair < peak) xtra = true;
    else {
      if (weightLeft > 0) creditTotal += ceilDiv((fair - peak) * weightTotal, weightLeft);
      // Xen lazily moves such a domain to the head of the list once others have had extra.
      if (xtra) moved.push(g);
      fair = peak;
    }
    const share = ceilDiv(fair, n);
    for (const v of s.domVcpus[g]!) {
      if (!isActive(v)) continue;
      let c = s.credit[v]! + share;
      // Still active next period only if it is still runnable or parked (see header).
      s.active[v] = s.runnable[v]! | s.parked[v]!;
      if (c < 0) {
        s.pri[v] = OVER;
        if (cap > 0 && c < -capPerVcpu && s.parked[v] === 0) {
          s.parked[v] = 1;
          s.active[v] = 1;
          dequeue(s, v);
          park.push(v);
        }
        c = Math.max(c, -perAcct);
      } else {
        s.pri[v] = UNDER;
        if (s.parked[v] === 1) {
          s.parked[v] = 0;
          unpark.push(v);
        }
        if (c > perAcct) {
          s.active[v] = 0;
          c = 0;
        }
      }
      s.credit[v] = c;
      balance += c;
    }
  }
  s.balance = balance;
  for (const g of moved) s.domOrder = [g, ...s.domOrder.filter((d) => d !== g)];
  // csched_runq_sort: stable, so FIFO order within a priority is kept (and a queue already in
  // order, as most are, is left as it is: sorting it would change nothing).
  for (const q of s.queues) if (!byPriority(s, q)) q.sort((a, b) => s.pri[b]! - s.pri[a]!);
  for (let p = 0; p < s.pcpus; p++) headChanged(s, p);
  return { park, unpark };
}

/** The instance, with its state open to its tests. */
export interface CreditScheduler extends CpuScheduler {
  readonly state: CreditState;
}

function init(topo: SchedTopology): CreditState {
  const P = topo.pcpus;
  const nv = topo.vcpus.length;
  const allowed = new Uint8Array(nv * P);
  topo.vcpus.forEach((v, i) => v.affinity.forEach((p) => (allowed[i * P + p] = 1)));
  const domVcpus = Array.from({ length: topo.guests }, () => [] as number[]);
  topo.vcpus.forEach((v, i) => domVcpus[v.guest]!.push(i));
  // Spread initial homes over each vCPU's affinity: vCPU i starts on affinity[i mod count].
  const home = Int32Array.from(topo.vcpus, (v, i) => v.affinity[i % v.affinity.length]!);
  return {
    pcpus: P,
    topo,
    domVcpus,
    allowed,
    credit: new Float64Array(nv),
    pri: new Int8Array(nv).fill(UNDER),
    parked: new Uint8Array(nv),
    runnable: new Uint8Array(nv),
    active: new Uint8Array(nv),
    home,
    boosts: new Float64Array(topo.guests),
    steals: new Float64Array(topo.guests),
    left: new Int32Array(P).fill(-1),
    leftAtNs: new Float64Array(P).fill(-1),
    queuedOn: new Int32Array(nv).fill(-1),
    queues: Array.from({ length: P }, () => [] as number[]),
    queued: 0,
    queuedSet: new BitSet(P),
    underHeadSet: new BitSet(P),
    stealSets: topo.aggregate ?? true,
    domOrder: domVcpus.map((_, g) => g),
    ticks: 0,
    balance: 0,
  };
}

export const credit = {
  name: 'credit',
  description: 'Xen 2006 credit scheduler: weights, caps (parking), BOOST on wake, work stealing.',
  options,
  create: (o, topo): CreditScheduler => {
    const s = init(topo);
    // Answers made once and handed out again, frozen (a caller may keep them): what to run on a
    // pCPU (by vCPU), and the home pCPU a wake preempts (by pCPU) — one per placement or wake.
    const idle: ScheduleChoice = Object.freeze({ run: -1, sliceNs: 0 });
    const runs: ScheduleChoice[] = [];
    const preemptHome: (readonly number[])[] = [];
    return {
      state: s,
      tickNs: o.tick,
      guestCounters: () => ({ boosts: s.boosts, steals: s.steals }),
      // With nothing queued, schedule on an idle pCPU finds an empty queue, steal returns −1 at
      // once, and nothing in the state changes. Without it (stealSets off) the host asks every idle pCPU.
      ...(s.stealSets ? { waiting: () => s.queued } : {}),
      wake: (v, view) => {
        s.runnable[v] = 1;
        s.active[v] = 1;
        if (s.parked[v] === 1 || s.queuedOn[v]! >= 0) return NO_PCPUS;
        if (o.boost && s.pri[v] === UNDER) {
          s.pri[v] = BOOST;
          s.boosts[s.topo.vcpus[v]!.guest]! += 1;
        }
        const home = s.home[v]!;
        enqueue(s, home, v);
        // __runq_tickle: only the home pCPU's current vCPU is compared (an idle one is offered the
        // work by the host, which also covers 3.0.4's tickling of idlers).
        const cur = view.running[home]!;
        return cur >= 0 && s.pri[cur]! < s.pri[v]! ? (preemptHome[home] ??= Object.freeze([home])) : NO_PCPUS;
      },
      block: (v, _ranNs, view) => {
        s.runnable[v] = 0;
        s.left[s.home[v]!] = v;
        s.leftAtNs[s.home[v]!] = view.nowNs;
        dequeue(s, v);
      },
      schedule: (p, current, _ranNs, view) => {
        if (current >= 0) {
          s.left[p] = current;
          s.leftAtNs[p] = view.nowNs;
        }
        if (current >= 0 && s.parked[current] === 0) enqueue(s, p, current);
        const q = s.queues[p]!;
        let next = q.length > 0 ? q[0]! : -1;
        const headPri = next >= 0 ? s.pri[next]! : IDLE;
        if (headPri <= OVER) {
          const stolen = steal(s, p, headPri, view);
          if (stolen >= 0) {
            next = stolen;
            s.steals[s.topo.vcpus[stolen]!.guest]! += 1;
          }
        }
        if (next < 0) return idle;
        dequeue(s, next);
        s.home[next] = p;
        return (runs[next] ??= Object.freeze({ run: next, sliceNs: o.slice }));
      },
      tick: (view) => {
        for (let p = 0; p < s.pcpus; p++) {
          // Same-instant events run in insertion order, so a slice may end just before the tick.
          const v = s.leftAtNs[p] === view.nowNs ? s.left[p]! : view.running[p]!;
          if (v < 0) continue;
          s.credit[v]! -= o.creditsPerTick;
          if (s.pri[v] === BOOST) s.pri[v] = UNDER;
          s.active[v] = 1;
        }
        s.ticks++;
        if (s.ticks % o.ticksPerAccounting !== 0) return NO_TICK;
        const { park, unpark } = account(s, o);
        return { preempt: NO_PCPUS, park, unpark };
      },
      // Shares by domain weight (not × vCPUs, see header), each at most its vCPU count or its cap.
      entitlementPcpus: () => {
        const n = vcpusPerGuest(topo.guests, topo.vcpus);
        const weights = n.map(() => 0);
        const ceilings = [...n];
        for (const v of topo.vcpus) {
          weights[v.guest] = v.weight;
          if (v.capPct > 0) ceilings[v.guest] = Math.min(n[v.guest]!, v.capPct / 100);
        }
        return waterFill(weights, ceilings, topo.pcpus);
      },
    };
  },
} satisfies CpuSchedulerDecl<CreditOptions>;
