/**
 * `hyperv`: Hyper-V Dynamic Memory's balancer (reference/memory-balloon.md §4.4 and §5). The guest
 * reports its committed memory; the host sizes each VM at its demand plus a buffer and divides by
 * weight when memory runs short, about once a second:
 *
 *   demand_i  = committed_i                            (committedPages; pressure = demand/assigned)
 *   want_i    = clamp(⌈demand_i · (1 + buffer/100)⌉, Minimum_i, Maximum_i)
 *   available = hostTotalPages − hostReserve
 *   if Σ want_i ≤ available: m_i = want_i: the buffer is the memory above demand a VM gets, and
 *                             spare host memory stays with the host
 *   else:                    m_i = clamp(λ · weight_i, Minimum_i, want_i) with λ such that
 *                             Σ m_i = available (divided by weight under contention)
 *   balloon target = Maximum_i − m_i, with Minimum = minPages and Maximum = memoryPages.
 *
 * Buffer defaults to 20 % of demand (allowed 5–2000, WMI TargetMemoryBuffer); weight is the WMI
 * Weight (1–10000, default 5000). The published descriptions give the rules, not Microsoft's
 * code. Microsoft documents only the buffer as memory above demand ("extra memory reserved, as a
 * percentage of the memory the VM is thought to need"), given only if the host has it; so a VM
 * whose demand falls is ballooned down to demand + buffer even on an idle host (the policy is not
 * pressure-driven), and no VM gets spare memory beyond its buffer. The weighted water-filling is
 * our reading of "divided by weight" under contention. Hyper-V grows a VM by hot-add
 * (128 MB chunks) rather than by deflating a balloon; here both are the balloon moving.
 * hostReserve stands for the root partition's reserve; it defaults to 0 because vmisim's
 * hostTotalPages already counts only memory for guests.
 *
 * Worked example: demand 1000 MiB with buffer 20 % wants 1200 MiB, and gets 1200 MiB on a host
 * of 8 GiB. Two VMs each wanting 2048 MiB (Minimum 256 MiB) on 2048 MiB, weights 10000 and 5000:
 * 1365.3 and 682.7 MiB.
 */
import { z } from 'zod';
import type { BalloonGuestView, BalloonPolicyDecl } from './types.js';
import { sizeBytes, strictObject } from '../../sim/options/fields.js';
import { PAGE_SIZE_BYTES } from '../../sim/options/units.js';
import { NS_PER_S } from '../../sim/kernel/time.js';

const options = strictObject({
  buffer: z
    .number()
    .min(5)
    .max(2000)
    .default(20)
    .describe(
      'extra memory as a percentage of demand (Hyper-V Buffer / TargetMemoryBuffer, 5–2000, default 20)',
    ),
  hostReserve: sizeBytes().prefault('0MiB').describe('host memory never given to guests (the root reserve)'),
});

export type HypervOptions = z.output<typeof options>;

/** Demand plus buffer, within [Minimum, Maximum] (pages). */
export function hypervWant(g: BalloonGuestView, bufferPct: number): number {
  const want = Math.ceil(g.committedPages * (1 + bufferPct / 100));
  return Math.max(g.minPages, Math.min(g.memoryPages, want));
}

/**
 * Weighted water-filling with floors and caps: m_i = clamp(λ·w_i, lo_i, hi_i) for the largest λ
 * with Σ m_i ≤ total, in whole pages (largest remainders). If even the floors do not fit, the floors.
 * λ is found by bisection (Σ m_i is monotone in λ), which is exact enough for page counts.
 */
export function weightedFill(
  weights: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  total: number,
): number[] {
  const at = (lambda: number) => weights.map((w, i) => Math.max(lo[i]!, Math.min(hi[i]!, lambda * w)));
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  let top = 0;
  weights.forEach((w, i) => {
    if (w > 0) top = Math.max(top, hi[i]! / w);
  });
  if (sum(at(top)) <= total) return at(top).map(Math.floor);
  let low = 0;
  for (let k = 0; k < 200 && top - low > 1e-12 * top; k++) {
    const mid = (low + top) / 2;
    if (sum(at(mid)) <= total) low = mid;
    else top = mid;
  }
  // Whole pages: round down, then hand the few pages lost to rounding (and to λ sitting a hair
  // below the exact level) to the largest remainders, ties in observation order.
  const x = at(low);
  const out = x.map(Math.floor);
  let left = Math.floor(total) - sum(out);
  const order = x.map((_, i) => i).sort((a, b) => x[b]! - out[b]! - (x[a]! - out[a]!) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    if (x[i]! > lo[i]! && out[i]! < Math.floor(hi[i]!)) {
      out[i]! += 1;
      left -= 1;
    }
  }
  return out;
}

/** Memory (pages) per guest under Hyper-V's rules, given the memory available to guests. */
export function hypervAllocate(
  guests: readonly BalloonGuestView[],
  availablePages: number,
  bufferPct: number,
) {
  const want = guests.map((g) => hypervWant(g, bufferPct));
  const weights = guests.map((g) => Math.max(0, g.weight));
  const wanted = want.reduce((a, b) => a + b, 0);
  if (wanted <= availablePages) return want;
  return weightedFill(
    weights,
    guests.map((g) => g.minPages),
    want,
    availablePages,
  );
}

export const hypervPolicy = {
  name: 'hyperv',
  description:
    'Hyper-V Dynamic Memory: committed memory plus a buffer, no more; divided by weight under contention.',
  options,
  // Demand + buffer whatever the host has spare: it balloons a VM whose demand is low.
  pressureDriven: false,
  create: (o) => ({
    periodNs: NS_PER_S,
    decide: (obs) => {
      const available = Math.max(0, obs.hostTotalPages - Math.ceil(o.hostReserve / PAGE_SIZE_BYTES));
      const memory = hypervAllocate(obs.guests, available, o.buffer);
      return obs.guests.map((g, i) => g.memoryPages - memory[i]!);
    },
  }),
} satisfies BalloonPolicyDecl<HypervOptions>;
