/**
 * A guest's pages touched in one working-set sampling period of the host, kept as expected
 * counts per hot and cold set, tick by tick (Guest.touchPeriod folds each memory tick in; the
 * host's ActivitySampling keeps one per guest and starts it afresh when a period closes).
 */

/**
 * One set's (hot or cold) touches so far in a sampling period: the distinct pages touched
 * (expected value), and the most pages the set had at a tick that touched it (its extent).
 */
export interface SetTouches {
  touchedPages: number;
  extentPages: number;
}

/** A guest's touches so far in the current working-set sampling period (host.ts keeps them). */
export interface PeriodTouches {
  readonly hot: SetTouches;
  readonly cold: SetTouches;
}

/** The touches of a period that has just begun. */
export function noTouches(): PeriodTouches {
  return { hot: { touchedPages: 0, extentPages: 0 }, cold: { touchedPages: 0, extentPages: 0 } };
}

/**
 * Adds a tick of `accesses` uniform random accesses over a set of `pages` pages to its period's
 * touches `s`. ESX's sampling counts a sampled page if the guest touched it at any time in the
 * period (reference/memory-balloon.md §1.4: the first touch after the period starts faults), so a
 * period's touched pages are the union of its ticks' touches, each tick's accesses landing on that
 * tick's set. With T pages touched so far, M the extent, a tick of k accesses over N pages:
 *   inside = T · min(1, N/M)              the touched pages that lie in the current set
 *   T' = T + (N − inside) · (1 − e^(−k/N))  an untouched page of the set escapes k accesses w.p. e^(−k/N)
 *   M' = max(M, N)
 * Assumptions: sets nest (a set of N pages is the first N of its extent: demand grows and shrinks
 * at one end), and when the set has shrunk the touched pages are taken as spread evenly over the
 * extent. The smaller set was in truth touched at least as densely, so this can only overstate
 * its new touches, and only by pages the earlier larger set had left untouched.
 * Checks: with N constant, 1 − T'/N = (1 − T/N)·e^(−k/N), so ticks of k1, k2, … give
 * N(1 − e^(−Σk/N)), the one-shot count of the whole period's accesses that this replaces; and
 * max(T, N(1 − e^(−k/N))) ≤ T' ≤ M': never fewer than before or than the tick alone touches,
 * never more than the extent. O(1) per set per tick.
 * Worked example (test/model/working-set-sampling.test.ts): 64 000 pages (250 MiB) and 232 000
 * accesses give T = 64 000·(1 − e^(−3.625)) = 62 294; then 12 800 pages (50 MiB) and 256 000
 * accesses: inside = 62 294 · 0.2 = 12 459, T' = 62 294 + 341 · (1 − e^(−20)) = 62 635 pages,
 * 244.7 MiB, where counting the whole period's accesses against the 50 MiB set gave 12 800.
 */
export function foldTouches(s: SetTouches, pages: number, accesses: number): void {
  // No pages or no accesses: nothing is touched and the extent of touched sets stays.
  if (pages <= 0 || accesses <= 0) return;
  const inside = s.extentPages > 0 ? s.touchedPages * Math.min(1, pages / s.extentPages) : 0;
  s.touchedPages += (pages - inside) * (1 - Math.exp(-accesses / pages));
  s.extentPages = Math.max(s.extentPages, pages);
}
