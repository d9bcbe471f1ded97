/**
 * `mom`: oVirt VDSM's default MoM balloon policy (oVirt/vdsm static/etc/vdsm/mom.d/02-balloon.policy;
 * reference/memory-balloon.md §2.4). MoM thinks in *memory* sizes (kB); here they are pages:
 *   balloon_cur = memoryPages − balloonPages (memory the guest has now), balloon_max = memoryPages,
 *   balloon_min = minPages, mem_unused = freePages (guest MemFree),
 *   h = StatAvg(Host.mem_free) / Host.mem_available = avg(hostFreePages) / hostTotalPages.
 * MoM's host mem_free is MemFree + Buffers + Cached; the host's free pages are the closest we have
 * (the simulated host keeps no page cache of its own), so h reads a little lower than MoM's would.
 *
 * Each run (every `period`, 15 s as VDSM's policy-engine-interval):
 *   g = h ≤ critical ? h − 0.05 : minGuestFree · h / pressureThreshold
 *   used  = StatAvg(balloon_cur) − StatAvg(mem_unused);  floor = max(balloon_min, used + g·cur)
 *   h < pressureThreshold and balloonEnabled:  size = max(cur·(1 − maxChange), floor)
 *                                              set if size ≤ cur and |size − cur| > minChange·cur
 *   else if cur < balloon_max:                 size = min(max(cur·(1 + maxChange), floor), max)
 *                                              set if |size − cur| > minChange·cur
 *   QoS: cur < balloon_min → size = balloon_min.
 * VDSM writes the critical offset as the literal −0.05; we use −pressureCritical (equal by
 * default). Sizes are rounded down to whole pages (MoM passes whole kB to libvirt). When no rule
 * sets a size the previous target stands, as MoM leaves the controller untouched.
 *
 * StatAvg: MoM keeps `sample-history-length` = 10 samples and averages them; VDSM samples and runs
 * the policy every 15 s, so the average spans the last 10 decisions. `averageOver` (default 10)
 * averages host free pages, guest memory and guest free pages over that many observations.
 *
 * Worked example (§2.4): h = 0.10, cur = 1 048 576 kB, unused = 400 000 kB: g = 0.10,
 * floor = 648 576 + 104 857.6 = 753 433.6 kB, size = max(996 147.2, floor) → 996 147 kB (−5 %).
 */
import { z } from 'zod';
import type { BalloonDecision, BalloonObservation, BalloonPolicyDecl } from './types.js';
import { steppedPolicy } from './stepped.js';
import { durationNs, strictObject } from '../../sim/options/fields.js';

const fraction = (d: number) => z.number().min(0).max(1).default(d);

const options = strictObject({
  pressureThreshold: fraction(0.2).describe(
    'host under pressure below this free fraction (pressure_threshold)',
  ),
  pressureCritical: fraction(0.05).describe('host pressure critical at or below this (pressure_critical)'),
  minGuestFree: fraction(0.2).describe('free fraction an unconstrained guest keeps (min_guest_free_percent)'),
  maxChange: fraction(0.05).describe(
    'largest change per run, fraction of current memory (max_balloon_change_percent)',
  ),
  minChange: fraction(0.0025).describe(
    'ignore changes up to this fraction of current memory (min_balloon_change_percent)',
  ),
  balloonEnabled: z
    .boolean()
    .default(true)
    .describe('allow shrinking; VDSM ships 0 and the engine enables it per cluster (balloonEnabled)'),
  averageOver: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('observations in StatAvg (sample-history-length = 10)'),
  period: durationNs()
    .refine((n) => n > 0, 'period must be longer than 0')
    .prefault('15s')
    .describe('time between policy runs (VDSM policy-engine-interval = 15 s)'),
});

export type MomOptions = z.output<typeof options>;

/** The sample histories behind StatAvg, newest last. */
export interface MomState {
  readonly hostFree: readonly number[];
  readonly guests: readonly { readonly cur: readonly number[]; readonly unused: readonly number[] }[];
}

const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;

/**
 * One guest's new memory size (pages, fractional as MoM computes it) or undefined for no change.
 * `h` is the host free fraction, `cur` the memory now, `used` the averaged used memory.
 */
export function momMemory(
  h: number,
  cur: number,
  used: number,
  minPages: number,
  maxPages: number,
  o: MomOptions,
): number | undefined {
  const g = h <= o.pressureCritical ? h - o.pressureCritical : o.minGuestFree * (h / o.pressureThreshold);
  const floor = Math.max(minPages, used + g * cur);
  const big = (size: number) => Math.abs(size - cur) > o.minChange * cur;
  let size: number | undefined;
  if (h < o.pressureThreshold && o.balloonEnabled) {
    const s = Math.max(cur * (1 - o.maxChange), floor);
    if (s <= cur && big(s)) size = s;
  } else if (cur < maxPages) {
    const s = Math.min(Math.max(cur * (1 + o.maxChange), floor), maxPages);
    if (big(s)) size = s;
  }
  // The QoS ruleset runs after the balloon rules and wins.
  if (cur < minPages) size = minPages;
  return size;
}

/** The state before the first decision, for `guests` guests. */
export function momInitialState(guests: number): MomState {
  return { hostFree: [], guests: Array.from({ length: guests }, () => ({ cur: [], unused: [] })) };
}

/** One policy run: the StatAvg histories extended, then each guest's new target. */
export function momStep(obs: BalloonObservation, state: MomState, o: MomOptions): BalloonDecision<MomState> {
  const push = (xs: readonly number[], x: number) => [...xs, x].slice(-o.averageOver);
  const hostFree = push(state.hostFree, obs.hostFreePages);
  const h = mean(hostFree) / obs.hostTotalPages;
  const guests = obs.guests.map((g, i) => {
    const prev = state.guests[i] ?? { cur: [], unused: [] };
    return { cur: push(prev.cur, g.memoryPages - g.balloonPages), unused: push(prev.unused, g.freePages) };
  });
  const targetPages = obs.guests.map((g, i) => {
    const cur = g.memoryPages - g.balloonPages;
    const used = mean(guests[i]!.cur) - mean(guests[i]!.unused);
    const size = momMemory(h, cur, used, g.minPages, g.memoryPages, o);
    if (size === undefined) return g.targetPages;
    const target = g.memoryPages - Math.floor(size);
    return Math.min(Math.max(0, target), Math.max(0, g.memoryPages - g.minPages));
  });
  return { state: { hostFree, guests }, targetPages };
}

export const momPolicy = {
  name: 'mom',
  description:
    'oVirt VDSM default MoM policy: shrink guests 5 % a run under host pressure, grow them back otherwise.',
  options,
  pressureDriven: true,
  create: (o, ctx) =>
    steppedPolicy<MomState>(o.period, momInitialState(ctx.guests), (obs, state) => momStep(obs, state, o)),
} satisfies BalloonPolicyDecl<MomOptions>;
