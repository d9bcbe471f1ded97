/**
 * `proportional-share`: a VMware ESX-style scheduler (reference/time-cpu-abi.md §3.4): shares,
 * reservation and limit per guest, and ESX 3.x relaxed co-scheduling of a guest's vCPUs.
 *
 * - Shares (stride / weighted fair queueing): each vCPU's virtual time advances by
 *   `ranNs × 1000 / shares` (a normal-shares vCPU ages 1 per ns); the runnable vCPU with the
 *   lowest virtual time runs. So under contention CPU divides in proportion to shares per vCPU:
 *   high (2000) gets twice normal (1000) and four times low (500), as ESX 2.x documents.
 * - Sleepers: a woken vCPU's virtual time is raised to at least (lowest virtual time of the
 *   runnable vCPUs − `sleepCredit`), so a long sleep cannot be hoarded into a long monopoly,
 *   while a short one still earns a prompt run. The credit is our choice (UNVERIFIED for ESX;
 *   Linux CFS's gentle-sleeper credit is of the same kind). If the woken vCPU then has a lower
 *   virtual time than a running one, that pCPU is preempted.
 * - Reservation (a guarantee; unused reserved time goes to others): per window of `window` ns
 *   a guest may use `reservationMHz / cpuMHz × window` ns of CPU first: while it is below that,
 *   its vCPUs are picked before anyone else (for at most what is left of it), and each window
 *   starts by preempting pCPUs for reserved guests that are waiting.
 * - Limit (caps CPU even when the host is idle): a token bucket per guest, refilled at each tick
 *   by `limitMHz / cpuMHz × window` ns and holding at most that; a guest whose bucket is ≤ 0
 *   at a tick is parked until a tick finds it positive. Enforcement is per window: a guest may
 *   overrun by one slice, then pays it back parked.
 * - Relaxed co-scheduling (ESX 3.x): each vCPU's progress grows while it runs; a runnable vCPU
 *   that waits makes none. A vCPU's skew is its progress minus that of its slowest sibling that
 *   wants to run (waiting or running); above `coStopThreshold` (UNVERIFIED: "a few ms") it is
 *   co-stopped: not picked, and taken off its pCPU (its slice ends when its lead over a waiting
 *   sibling would pass the threshold; the tick preempts it if it is still on), until the laggard
 *   has caught up to within the threshold. It stays runnable, so the host counts it as steal;
 *   a pCPU may idle meanwhile, and the co-stopped vCPU restarts at the next scheduling point
 *   (a wake, a slice end, or at the latest the next tick). An idle vCPU counts as making
 *   progress: it is never a laggard, and when it wakes it starts level with its slowest wanting
 *   sibling, so it neither lags nor leads. `coSchedule: false` turns this off.
 *
 * Worked example (one pCPU, vCPU A high = 2000 shares, B low = 500, both busy, slice 10 ms):
 * A runs 10 ms → vtime 5 ms; B (0) runs 10 ms → 20 ms; A runs until it passes 20 ms: three
 * more slices (vtime 20 ms); then B... A gets 40 ms per 50 ms: 4:1.
 */
import { z } from 'zod';
import type { CpuScheduler, CpuSchedulerDecl, SchedTopology, SchedView, TickResult } from './types.js';
import { NO_PCPUS } from './types.js';
import { durationNs, strictObject } from '../../sim/options/fields.js';
import { vcpusPerGuest } from './entitlement.js';
import { waterFill } from '../shared/water-fill.js';

const options = strictObject({
  slice: durationNs()
    .prefault('10ms')
    .describe('time a vCPU runs before the next pick; weak source: ESXi "usually 10-20 ms"'),
  window: durationNs()
    .prefault('10ms')
    .describe('tick period: the window over which reservations and limits are accounted (our choice)'),
  sleepCredit: durationNs()
    .prefault('5ms')
    .describe('virtual time a woken vCPU may lag the runnable minimum (our choice; UNVERIFIED for ESX)'),
  coStopThreshold: durationNs()
    .prefault('3ms')
    .describe('skew at which a leading vCPU is co-stopped (ESX: "a few ms", UNVERIFIED)'),
  coSchedule: z.boolean().default(true).describe('relaxed co-scheduling on (ESX 3.x) or off'),
});

export type ProportionalShareOptions = z.output<typeof options>;

const OUT = -2;
const QUEUED = -1;

export interface ProportionalShareState {
  readonly guestOf: Int32Array;
  readonly strideOf: Float64Array;
  /** Virtual time, progress and last accounting time per vCPU. */
  readonly vtime: Float64Array;
  readonly progress: Float64Array;
  readonly acctNs: Float64Array;
  /** Per vCPU: OUT (blocked or parked), QUEUED, or the pCPU it runs on. */
  readonly where: Int32Array;
  readonly queue: number[];
  readonly siblings: readonly (readonly number[])[];
  readonly allowed: Uint8Array;
  readonly pcpus: number;
  /** Per guest: ns used in this window, reserved ns per window, limit bucket and size (0 = none). */
  readonly usedNs: Float64Array;
  readonly reservedNs: Float64Array;
  readonly tokensNs: Float64Array;
  readonly limitNs: Float64Array;
  readonly parked: Uint8Array;
  /** Times a running vCPU was taken off its pCPU for skew, per guest. */
  readonly coStops: Float64Array;
}

type S = ProportionalShareState;
type O = ProportionalShareOptions;

function account(s: S, v: number, now: number): void {
  const d = now - s.acctNs[v]!;
  s.acctNs[v] = now;
  if (d <= 0) return;
  s.vtime[v]! += d * s.strideOf[v]!;
  s.progress[v]! += d;
  const g = s.guestOf[v]!;
  s.usedNs[g]! += d;
  if (s.limitNs[g]! > 0) s.tokensNs[g]! -= d;
}

/** Progress of v (counting a running vCPU up to now). */
function prog(s: S, v: number, now: number): number {
  return s.progress[v]! + (s.where[v]! >= 0 ? now - s.acctNs[v]! : 0);
}

/** Lowest progress among v's siblings that want to run (only the waiting ones if `waiting`). */
function laggard(s: S, v: number, now: number, waiting: boolean): number {
  let low = Infinity;
  for (const u of s.siblings[v]!) {
    const w = s.where[u]!;
    if (u !== v && (w === QUEUED || (!waiting && w >= 0))) low = Math.min(low, prog(s, u, now));
  }
  return low;
}

/** v's lead over its slowest sibling that wants to run; −Infinity if none does. */
function skew(s: S, v: number, now: number): number {
  return prog(s, v, now) - laggard(s, v, now, false);
}

function coStopped(s: S, o: O, v: number, now: number): boolean {
  return o.coSchedule && skew(s, v, now) > o.coStopThreshold;
}

function reserved(s: S, v: number): boolean {
  const g = s.guestOf[v]!;
  return s.usedNs[g]! < s.reservedNs[g]!;
}

/** Virtual time of v, counting a running vCPU up to now. */
function vt(s: S, v: number, now: number): number {
  return s.vtime[v]! + (s.where[v]! >= 0 ? (now - s.acctNs[v]!) * s.strideOf[v]! : 0);
}

/** Whether a is picked before b: a guest below its reservation first, then lower virtual time. */
function before(s: S, a: number, b: number, now: number): boolean {
  const ra = reserved(s, a);
  return ra !== reserved(s, b) ? ra : vt(s, a, now) < vt(s, b, now);
}

function bestQueued(s: S, o: O, p: number, now: number): number {
  let bi = -1;
  for (let i = 0; i < s.queue.length; i++) {
    const v = s.queue[i]!;
    if (s.allowed[v * s.pcpus + p] !== 1 || coStopped(s, o, v, now)) continue;
    if (bi < 0 || before(s, v, s.queue[bi]!, now)) bi = i;
  }
  return bi;
}

function dequeue(s: S, v: number): void {
  const i = s.queue.indexOf(v);
  if (i >= 0) s.queue.splice(i, 1);
}

/** The pCPU in v's affinity running the vCPU picked last of all, if v would be picked first. */
function victim(s: S, v: number, view: SchedView, taken: readonly number[]): number {
  const now = view.nowNs;
  let target = -1;
  let worst = v;
  for (let p = 0; p < s.pcpus; p++) {
    const u = view.running[p]!;
    if (s.allowed[v * s.pcpus + p] !== 1 || u < 0 || taken.includes(p)) continue;
    if (before(s, worst, u, now)) {
      worst = u;
      target = p;
    }
  }
  return target;
}

/** The window's accounting: limits refilled and enforced, co-stops, reserved guests placed. */
function tick(s: S, o: O, view: SchedView): TickResult {
  const now = view.nowNs;
  for (let p = 0; p < s.pcpus; p++) if (view.running[p]! >= 0) account(s, view.running[p]!, now);
  const park: number[] = [];
  const unpark: number[] = [];
  for (let g = 0; g < s.parked.length; g++) {
    s.usedNs[g] = 0;
    if (s.limitNs[g] === 0) continue;
    s.tokensNs[g] = Math.min(s.tokensNs[g]! + s.limitNs[g]!, s.limitNs[g]!);
    const over = s.tokensNs[g]! <= 0;
    if (over === (s.parked[g] === 1)) continue;
    s.parked[g] = over ? 1 : 0;
    for (let v = 0; v < s.guestOf.length; v++) {
      if (s.guestOf[v] !== g) continue;
      if (!over) unpark.push(v);
      else {
        park.push(v);
        if (s.where[v] === QUEUED) dequeue(s, v);
        s.where[v] = OUT;
      }
    }
  }
  const preempt: number[] = [];
  for (let p = 0; p < s.pcpus; p++) {
    const v = view.running[p]!;
    if (v >= 0 && s.where[v] === p && coStopped(s, o, v, now)) preempt.push(p);
  }
  // A new window: reserved guests waiting get pCPUs now rather than at the next slice end.
  for (const v of s.queue) {
    if (s.reservedNs[s.guestOf[v]!] === 0 || coStopped(s, o, v, now)) continue;
    const p = victim(s, v, view, preempt);
    if (p >= 0 && !reserved(s, view.running[p]!)) preempt.push(p);
  }
  return { preempt, park, unpark };
}

/**
 * Shares are per vCPU, so a guest's weight is shares × vCPUs; its ceiling is its vCPU count,
 * or its limit in pCPUs if lower. Reservations are floors: a guest the water-fill leaves below
 * its reservation (at most its ceiling) is fixed there and the rest re-filled without it.
 */
function entitlementPcpus(topo: SchedTopology): number[] {
  const n = vcpusPerGuest(topo.guests, topo.vcpus);
  const w = n.map(() => 0);
  const ceil = n.slice();
  const floor = n.map(() => 0);
  for (const v of topo.vcpus) {
    const g = v.guest;
    w[g] = v.shares * n[g]!;
    if (v.limitMHz > 0) ceil[g] = Math.min(n[g]!, v.limitMHz / topo.cpuMHz);
    floor[g] = Math.min(ceil[g]!, v.reservationMHz / topo.cpuMHz);
  }
  const fixed = n.map(() => false);
  for (;;) {
    let left = topo.pcpus;
    fixed.forEach((f, g) => (left -= f ? floor[g]! : 0));
    const share = waterFill(
      w.map((x, g) => (fixed[g] ? 0 : x)),
      ceil,
      Math.max(0, left),
    );
    const below = share.map((x, g) => !fixed[g] && x < floor[g]!);
    if (!below.includes(true)) return share.map((x, g) => (fixed[g] ? floor[g]! : x));
    below.forEach((b, g) => (fixed[g] ||= b));
  }
}

/** The instance, with its state open to its tests. */
export interface ProportionalShareScheduler extends CpuScheduler {
  readonly state: ProportionalShareState;
}

function init(o: O, topo: SchedTopology): S {
  const nv = topo.vcpus.length;
  const allowed = new Uint8Array(nv * topo.pcpus);
  topo.vcpus.forEach((v, i) => v.affinity.forEach((p) => (allowed[i * topo.pcpus + p] = 1)));
  const members: number[][] = Array.from({ length: topo.guests }, () => []);
  topo.vcpus.forEach((v, i) => members[v.guest]!.push(i));
  const perGuest = (f: (g: number) => number) => Float64Array.from({ length: topo.guests }, (_, g) => f(g));
  const first = (g: number) => topo.vcpus[members[g]![0]!];
  const budget = (mhz: number) => (mhz / topo.cpuMHz) * o.window;
  const limitNs = perGuest((g) => budget(first(g)?.limitMHz ?? 0));
  return {
    guestOf: Int32Array.from(topo.vcpus, (v) => v.guest),
    strideOf: Float64Array.from(topo.vcpus, (v) => 1000 / v.shares),
    vtime: new Float64Array(nv),
    progress: new Float64Array(nv),
    acctNs: new Float64Array(nv),
    where: new Int32Array(nv).fill(OUT),
    queue: [],
    siblings: topo.vcpus.map((v) => members[v.guest]!),
    allowed,
    pcpus: topo.pcpus,
    usedNs: new Float64Array(topo.guests),
    reservedNs: perGuest((g) => budget(first(g)?.reservationMHz ?? 0)),
    tokensNs: limitNs.slice(),
    limitNs,
    parked: new Uint8Array(topo.guests),
    coStops: new Float64Array(topo.guests),
  };
}

export const proportionalShare = {
  name: 'proportional-share',
  description: 'ESX-style shares (stride), reservations, limits and relaxed co-scheduling.',
  options,
  create: (o, topo): ProportionalShareScheduler => {
    const s = init(o, topo);
    return {
      state: s,
      tickNs: o.window,
      guestCounters: () => ({ coStops: s.coStops }),
      wake: (v, view) => {
        const now = view.nowNs;
        let minV = Infinity;
        let slowest = Infinity;
        for (let u = 0; u < s.where.length; u++) {
          if (u === v || s.where[u] === OUT) continue;
          minV = Math.min(minV, vt(s, u, now));
          if (s.guestOf[u] === s.guestOf[v]) slowest = Math.min(slowest, prog(s, u, now));
        }
        if (minV < Infinity) s.vtime[v] = Math.max(s.vtime[v]!, minV - o.sleepCredit);
        if (slowest < Infinity) s.progress[v] = slowest;
        s.where[v] = QUEUED;
        s.queue.push(v);
        for (let p = 0; p < s.pcpus; p++)
          if (s.allowed[v * s.pcpus + p] === 1 && view.running[p]! < 0) return NO_PCPUS;
        if (coStopped(s, o, v, now)) return NO_PCPUS;
        const p = victim(s, v, view, NO_PCPUS);
        return p < 0 ? NO_PCPUS : [p];
      },
      block: (v, _ranNs, view) => {
        account(s, v, view.nowNs);
        s.where[v] = OUT;
      },
      schedule: (p, current, _ranNs, view) => {
        const now = view.nowNs;
        if (current >= 0) {
          account(s, current, now);
          s.where[current] = QUEUED;
          s.queue.push(current);
          if (coStopped(s, o, current, now)) s.coStops[s.guestOf[current]!]! += 1;
        }
        const i = bestQueued(s, o, p, now);
        if (i < 0) return { run: -1, sliceNs: 0 };
        const run = s.queue[i]!;
        s.queue.splice(i, 1);
        s.where[run] = p;
        s.acctNs[run] = now;
        let sliceNs = o.slice;
        const g = s.guestOf[run]!;
        if (reserved(s, run)) sliceNs = Math.min(sliceNs, Math.ceil(s.reservedNs[g]! - s.usedNs[g]!));
        // Its lead over a waiting sibling grows while it runs: stop when it would pass the threshold.
        const lead = prog(s, run, now) - laggard(s, run, now, true);
        if (o.coSchedule && lead > -Infinity)
          sliceNs = Math.min(sliceNs, Math.max(1, o.coStopThreshold - lead + 1));
        return { run, sliceNs };
      },
      tick: (view) => tick(s, o, view),
      entitlementPcpus: () => entitlementPcpus(topo),
    };
  },
} satisfies CpuSchedulerDecl<O>;
