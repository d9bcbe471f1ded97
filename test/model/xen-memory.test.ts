// A Xen 3.0.4 PV host's memory (sim/spec/memory-semantics.ts, `xen-pv`): every guest page holds a
// frame from the moment the domain is built, Xen never swaps guest pages, a ballooned frame goes
// back to Xen's free pool, and populate_physmap stops when that pool is empty. So Xen's free memory
// is exactly H − Σ (memory − balloon) − overhead × guests, and squeezed reads that number.
// Each case is also run with the ESX host's lazy backing and host swap forced onto the same Xen
// run (`memorySemantics: esx`, how every Xen host behaved before), to show the result depends on it.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import type { RunResult } from '../../sim/results/types.js';

const PAGES_PER_MIB = 256;

function column(r: RunResult, name: string): number[] {
  const s = r.series!;
  const i = s.columns.findIndex((c) => c.name === name);
  expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
  return s.values[i]!;
}

const last = (xs: number[]) => xs[xs.length - 1]!;

/** Three guests of `memory` (built with `start`, if given) on a Xen host of `hostMemory`. */
function run(o: {
  hostMemory: string;
  memory: string;
  start?: string;
  balloon: string;
  resident: string;
  semantics?: string;
}): RunResult {
  const start = o.start === undefined ? '' : `, balloon: { start: ${o.start} }`;
  const semantics = o.semantics === undefined ? '' : `, memorySemantics: ${o.semantics}`;
  return simulate(
    spec(`
name: t
duration: 30s
host: { pcpus: 2, memory: ${o.hostMemory}, abi: xen, balloon: ${o.balloon}${semantics} }
guests:
  - { name: g, count: 3, memory: ${o.memory}${start}, workload: { type: constant, dutyCycle: 0.2, resident: ${o.resident} } }
`),
    { checkInvariants: true },
  );
}

/** Every guest's balloon target and balloon at `balloonPages`, Xen left with `freePages`, no host swap. */
function expectSqueezed(r: RunResult, balloonPages: number, freePages: number): void {
  for (const g of r.summary!.guests) {
    expect(g.balloonTargetMiB * PAGES_PER_MIB).toBe(balloonPages);
    expect(g.balloonActualMiB * PAGES_PER_MIB).toBe(balloonPages);
    expect(g.hostSwappedMiB).toBe(0);
  }
  // The series keeps MiB to 6 decimals: within a hundredth of a page.
  expect(last(column(r, 'host_free_MiB')) * PAGES_PER_MIB).toBeCloseTo(freePages, 2);
  expect(r.summary!.metrics.host_swap_out_pages).toBe(0);
}

describe('squeezed on a Xen PV host reads Xen’s real free memory', () => {
  it('worked example: three 640 MiB guests on 2021 MiB — γ = 1676/1680, targets to the page, Xen keeps 9 MiB free', () => {
    // Guests: 640 MiB = 163,840 pages each, dyn_min = kernel reserve 64 + minFree 16 = 80 MiB
    // (20,480 pages), so range = 560 MiB = 143,360 pages each, 430,080 in all. Overhead 32 MiB each.
    // Xen's free memory at build: 2021 − 3 × 640 − 3 × 32 = 5 MiB = 1,280 pages.
    // squeezed (host_target_free 9 MiB = 2,304 pages), all guests at dyn_max (balloon 0):
    //   surplus = 1,280 + 3 × 143,360 − 2,304 = 429,056;  γ = 429,056 / 430,080 = 0.997619…
    //   target  = 20,480 + ⌊γ × 143,360⌋ = 20,480 + ⌊143,018.67⌋ = 163,498 pages
    //   balloon = 163,840 − 163,498 = 342 pages (1.3359375 MiB) per guest.
    // Once the balloons hold them, Xen's free pool is 1,280 + 3 × 342 = 2,306 pages = 9.0078 MiB,
    // and the next pass finds the same γ (surplus: 2,306 + 3 × 143,018 − 2,304 = 429,056).
    const small = {
      hostMemory: '2021MiB',
      memory: '640MiB',
      balloon: '{ policy: squeezed }',
      resident: '200MiB',
    };
    expectSqueezed(run(small), 342, 2306);

    // With lazy backing the 200 MiB workloads leave most pages untouched, which that host counts as
    // free: surplus > range, γ = 1, and squeezed takes nothing.
    const lazy = run({ ...small, semantics: 'esx' });
    for (const g of lazy.summary!.guests) expect(g.balloonTargetMiB).toBe(0);
  });

  it('guests built smaller than their memory grow only as far as Xen’s free pool goes', () => {
    // Three 1 GiB guests built with 640 MiB (balloon 384 MiB = 98,304 pages) on 2048 MiB:
    // Xen free at build = 2048 − 3 × 640 − 3 × 32 = 32 MiB = 8,192 pages.
    // squeezed: range = (1024 − 80) MiB = 241,664 pages each, 724,992 in all; actual − min =
    // 560 MiB = 143,360 pages each:
    //   surplus = 8,192 + 3 × 143,360 − 2,304 = 435,968;  γ = 435,968 / 724,992 = 0.601341…
    //   target  = 20,480 + ⌊γ × 241,664⌋ = 20,480 + ⌊145,322.67⌋ = 165,802 pages
    //   balloon = 262,144 − 165,802 = 96,342 pages (376.3359375 MiB).
    // Each guest takes 98,304 − 96,342 = 1,962 pages from the pool: 8,192 − 3 × 1,962 = 2,306 left.
    const r = run({
      hostMemory: '2GiB',
      memory: '1GiB',
      start: '640MiB',
      balloon: '{ policy: squeezed }',
      resident: '200MiB',
    });
    expectSqueezed(r, 96_342, 2306);
  });
});

describe('an over-committed Xen PV host never host-swaps', () => {
  // Three 1 GiB guests built with 640 MiB on 2 GiB (3 GiB of maxmem on a 2 GiB host), each with
  // 800 MiB resident, and no balloon policy: every guest asks for all of its memory. Xen's free
  // pool at build is 32 MiB (8,192 pages); populate_physmap hands it out and then returns fewer
  // pages than asked, so the guests stop growing with the pool empty, and each pays for the rest of
  // its 800 MiB in its own swap.
  const overcommitted = (semantics?: string) =>
    run({
      hostMemory: '2GiB',
      memory: '1GiB',
      start: '640MiB',
      balloon: '{ policy: none }',
      resident: '800MiB',
      semantics,
    });

  it('no host swap-out ever; the guests swap instead; Xen’s free pool is used up to the page', () => {
    const r = overcommitted();
    expect(r.summary!.metrics.host_swap_out_pages).toBe(0);
    expect(Math.max(...column(r, 'host_swapped_MiB'))).toBe(0);
    let grownPages = 0;
    for (const g of r.summary!.guests) {
      expect(g.hostSwappedMiB).toBe(0);
      expect(g.swapOutPages).toBeGreaterThan(0);
      // The driver asked for more than Xen had: refused populates, then backing off.
      expect(g.balloonFailures).toBeGreaterThan(0);
      grownPages += 98_304 - g.balloonActualMiB * PAGES_PER_MIB;
    }
    expect(grownPages).toBe(8192);
    expect(last(column(r, 'host_free_MiB'))).toBe(0);
  });

  it('with the ESX host’s lazy backing and host swap forced onto the same run, the host swaps', () => {
    const r = overcommitted('esx');
    expect(r.summary!.metrics.host_swap_out_pages).toBeGreaterThan(0);
  });
});
