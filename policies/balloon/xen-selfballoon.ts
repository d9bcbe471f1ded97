/**
 * `xen-selfballoon`: Linux's Xen selfballooning driver (drivers/xen/xen-selfballoon.c, see
 * reference/memory-balloon.md §3.3). Each guest sets its own target from its own committed memory,
 * ignoring the host; every `interval` (5 s), with all sizes in pages:
 *
 *   cur   = totalram_pages                                   (here memoryPages − balloonPages)
 *   goal  = Committed_AS + totalreserve_pages + reserved
 *   tgt   = cur > goal ? cur − ⌊(cur − goal)/down⌋ : cur < goal ? cur + ⌊(goal − cur)/up⌋ : cur
 *   useful = max_pfn − totalreserve_pages                    (max_pfn = memoryPages)
 *   floor = minUsable > 0 ? reserve + minUsable
 *         : useful <  16 MiB ? max_pfn                       (not worth ballooning)
 *         : useful <  64 MiB ? reserve + 16 MiB + ⌊(useful − 16 MiB)/2⌋
 *         : useful < 512 MiB ? reserve + 40 MiB + ⌊(useful − 40 MiB)/8⌋
 *         :                    reserve + 99 MiB + ⌊(useful − 99 MiB)/32⌋
 *   memory target = max(tgt, floor); balloon target = memoryPages − memory target.
 *
 * Mapping to vmisim: Committed_AS is the guest's `committedPages`; totalreserve_pages (the kernel's
 * watermark reserve) is its `reservedPages` (the kernel reserve of the guest model). Since
 * vmisim's committedPages already counts the reserve, the goal counts it twice, as the kernel
 * would if its reserve were that large — a conservative (bigger) goal. The driver's later variant
 * defaults `selfballoon_reserved_mb` to 10 % of RAM at init; we keep the option at 0 as the
 * reference lists it, so set it explicitly to model the later kernels.
 *
 * Worked example (§3.3): a 256 MB guest (65 536 pages), Committed_AS 80 MB (20 480 pages),
 * reserve 2 MB (512 pages): goal = 20 992; the first step is 65 536 − ⌊44 544/8⌋ = 59 968 pages;
 * useful = 65 024 < 512 MiB, so floor = 512 + 10 240 + ⌊54 784/8⌋ = 17 600 pages.
 */
import { z } from 'zod';
import type { BalloonGuestView, BalloonPolicyDecl } from './types.js';
import { durationNs, sizeBytes, strictObject } from '../../sim/options/fields.js';
import { PAGE_SIZE_BYTES } from '../../sim/options/units.js';

/** Linux's MB2PAGES with 4 KiB pages. */
const MB = 256;

const options = strictObject({
  downHysteresis: z
    .number()
    .int()
    .min(1)
    .default(8)
    .describe('shrink by 1/downHysteresis of the excess per step (selfballoon_downhysteresis = 8)'),
  upHysteresis: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe('grow by 1/upHysteresis of the shortfall per step (selfballoon_uphysteresis = 1)'),
  interval: durationNs()
    .refine((n) => n > 0, 'interval must be longer than 0')
    .prefault('5s')
    .describe('time between selfballoon steps (selfballoon_interval = 5 s)'),
  minUsable: sizeBytes()
    .prefault('0MiB')
    .describe('least usable memory above the reserve; 0 = piecewise floor (selfballoon_min_usable_mb = 0)'),
  reserved: sizeBytes()
    .prefault('0MiB')
    .describe('extra room added to the goal for caches (selfballoon_reserved_mb, default 0)'),
});

export type XenSelfballoonOptions = z.output<typeof options>;

/**
 * The least memory (pages) selfballooning leaves a guest of `maxPfn` pages with kernel reserve
 * `reserve`: the driver's piecewise-linear floor, or reserve + minUsable when that is set.
 */
export function selfballoonFloor(maxPfn: number, reserve: number, minUsablePages = 0): number {
  if (minUsablePages > 0) return reserve + minUsablePages;
  const useful = maxPfn - reserve;
  if (useful < 16 * MB) return maxPfn;
  if (useful < 64 * MB) return reserve + 16 * MB + Math.floor((useful - 16 * MB) / 2);
  if (useful < 512 * MB) return reserve + 40 * MB + Math.floor((useful - 40 * MB) / 8);
  return reserve + 99 * MB + Math.floor((useful - 99 * MB) / 32);
}

/** One hysteresis step from `cur` pages toward `goal` pages (integer division, as in C). */
export function selfballoonStep(cur: number, goal: number, down: number, up: number): number {
  if (cur > goal) return cur - Math.floor((cur - goal) / down);
  if (cur < goal) return cur + Math.floor((goal - cur) / up);
  return cur;
}

/** The memory (pages) a guest's selfballoon driver would aim for now. */
export function selfballoonMemoryTarget(g: BalloonGuestView, o: XenSelfballoonOptions): number {
  const cur = g.memoryPages - g.balloonPages;
  const goal = g.committedPages + g.reservedPages + Math.floor(o.reserved / PAGE_SIZE_BYTES);
  const tgt = selfballoonStep(cur, goal, o.downHysteresis, o.upHysteresis);
  const floor = selfballoonFloor(g.memoryPages, g.reservedPages, Math.floor(o.minUsable / PAGE_SIZE_BYTES));
  // The balloon cannot give back more than it holds: memory never exceeds the configured size.
  return Math.min(g.memoryPages, Math.max(tgt, floor));
}

export const xenSelfballoonPolicy = {
  name: 'xen-selfballoon',
  description: 'Guest-driven Xen selfballooning: each guest walks toward Committed_AS with hysteresis.',
  options,
  pressureDriven: false,
  create: (o) => ({
    periodNs: o.interval,
    decide: (obs) => obs.guests.map((g) => g.memoryPages - selfballoonMemoryTarget(g, o)),
  }),
} satisfies BalloonPolicyDecl<XenSelfballoonOptions>;
