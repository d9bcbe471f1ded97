// Validation scenario esx-working-set: the source and published shape are below; the runs come from its experiment file.
//
// The estimate is read from the series column `toucher_esx_working_set_MiB` (the esx policy's
// gauge), averaged over the seeds, at the middle of a sampling period: by then the policy (every
// 15 s) has folded in the periods that ended and part of the current one. The phases change in
// the middle of a sampling period (periods end at 30.5 s + 30 s·j; the rise is at 195 s, the drop
// at 795 s). A period's sample counts the pages touched at any time in it (sim/guest/guest.ts
// foldTouches), so the period spanning either change samples the high set: about 86 % of the
// step at the rise (15 s of touches of the 250 MiB on top of the 50 MiB touched before) and 83 %
// at the drop (14 s of them). So the rise is seen at the end of its period, and the decay starts
// after the period spanning the drop: "k periods after the rise" counts from the period spanning
// it (the k-th period end at or after it), "k periods after the drop" counts whole low periods,
// after the spanning one. With L and H the estimate's plateaus at 50 and 250 MiB and step = H − L:
//   rise, k periods after it: covered(k) = (E − L) / step. The fast average alone gives at least
//     1 − (1 − αf)^k (the partial-period term only adds); a slow-only estimate at most
//     1 − (1 − αs)^(k+1) (counting the partial period as a whole one). "Fast" = nearer the first.
//     αf = 0.5, αs = 0.1: k = 1, 2, 3 → 50/75/88 % against 19/27/34 %.
//     (The first period samples 86 % of the step, not all of it; the partial period makes up.)
//   drop, k periods after it: left(k) = (E − L) / step. The slow average entered the drop at
//     s0 = 1 − (1 − αs)^m of the step (m = 20 periods at 250 MiB, from the low level: 0.88;
//     19 whole periods and the two spanning ones at 86 % and 83 % give 1 − 0.914·0.9^19·0.917
//     = 0.89, between m = 20 and 21), so
//     max(slow, fast) predicts max(s0·(1 − αs)^k, (1 − αf)^k) and the fast average alone
//     (1 − αf)^k. "Slow" = nearer the first, falling from k to k, and after 6 periods nearer the
//     slow decay than to holding at s0. k = 1, 3, 6 → 79/64/47 % against 50/13/2 %.
//   plateaus: L and H each within two standard errors of one period's binomial sample (100 pages
//     of the 384 MiB guest: ±26 MiB at 50, ±37 MiB at 250) of the touched set, as Fig. 6 tracks it.
// The gains are the policy's defaults (the file does not set them); the paper gives none.
import type { RunResult } from '../../results/types.js';
import { esxPolicy } from '../../../policies/balloon/esx.js';
import { type Scenario, mean, f1 } from '../scenario.js';

/** As in experiments/validation/esx-working-set.yaml (host.sampling defaults: 100 pages per 30 s). */
const PERIOD_S = 30;
const SAMPLE_PAGES = 100;
const GUEST_MIB = 384;
const RISE_S = 195;
const DROP_S = 795;
/** The guest's first sampling period ends at its first memory tick at or after 30 s: 30.5 s. */
const FIRST_END_S = 30.5;
const HIGH_PERIODS = 20;
const LOW_MIB = 50;
const HIGH_MIB = 250;
const COLUMN = 'toucher_esx_working_set_MiB';

const { alphaFast: AF, alphaSlow: AS } = esxPolicy.options.parse({});

/** Each run's estimate series as [time s, MiB] rows (empty if the column is missing). */
function estimates(runs: RunResult[]): [number, number][][] {
  return runs.map((r) => {
    const s = r.series;
    const c = s?.columns.findIndex((x) => x.name === COLUMN) ?? -1;
    if (s === undefined || c < 0) return [];
    return s.timeS.map((t, i): [number, number] => [t, s.values[c]![i]!]);
  });
}

/** Mean over runs of the first sample at or after `t` s. */
const at = (ss: [number, number][][], t: number) => mean(ss.map((s) => s.find(([x]) => x >= t)?.[1] ?? NaN));

/** Mean over runs of the samples in [from, to) s. */
const over = (ss: [number, number][][], from: number, to: number) =>
  mean(ss.map((s) => mean(s.filter(([x]) => x >= from && x < to).map(([, v]) => v))));

/** The first end of a sampling period at or after `t` s. */
const endFrom = (t: number) => FIRST_END_S + PERIOD_S * Math.ceil((t - FIRST_END_S) / PERIOD_S);

/** Two standard errors of one period's sampled fraction (binomial, n pages), in MiB of the guest. */
const twoSigmaMiB = (mib: number) => {
  const f = mib / GUEST_MIB;
  return 2 * Math.sqrt((f * (1 - f)) / SAMPLE_PAGES) * GUEST_MIB;
};

const pct = (x: number) => `${Math.round(x * 100)}`;

export const esxWorkingSet: Scenario = {
  id: 'esx-working-set',
  kind: 'published',
  title: 'ESX working-set estimate: fast rise, slow decay',
  experiment: 'experiments/validation/esx-working-set.yaml',
  source: 'Waldspurger, OSDI 2002, §5.4 and Fig. 6 (reference memory-balloon.md §1.4; [V] node16)',
  published:
    'a toucher in one VM touches 50 MB, then 250 MB, then 50 MB; the estimate, the max of a fast and a slow moving average of the sampled active fraction (100 pages per 30 s), follows the increase quickly and the decrease slowly (no gains given)',
  check(runs) {
    const ss = estimates(runs);
    // Plateaus: from the second period's decision to the rise; the last 4 periods before the drop.
    const lo = over(ss, 2 * PERIOD_S, RISE_S);
    const hi = over(ss, DROP_S - 4 * PERIOD_S, DROP_S);
    const step = hi - lo;
    const share = (t: number) => (at(ss, t) - lo) / step;
    const rise = [1, 2, 3].map((k) => ({
      got: share(endFrom(RISE_S) + (k - 1) * PERIOD_S + PERIOD_S / 2),
      fast: 1 - (1 - AF) ** k,
      slow: 1 - (1 - AS) ** (k + 1),
    }));
    const s0 = 1 - (1 - AS) ** HIGH_PERIODS;
    const fall = [1, 3, 6].map((k) => ({
      got: share(endFrom(DROP_S) + k * PERIOD_S + PERIOD_S / 2),
      slow: Math.max(s0 * (1 - AS) ** k, (1 - AF) ** k),
      fast: (1 - AF) ** k,
    }));
    const levels =
      Math.abs(lo - LOW_MIB) < twoSigmaMiB(LOW_MIB) && Math.abs(hi - HIGH_MIB) < twoSigmaMiB(HIGH_MIB);
    const fastRise = rise.every((r) => r.got > (r.fast + r.slow) / 2);
    const slowFall =
      fall.every((r) => r.got > (r.fast + r.slow) / 2) &&
      fall.every((r, i) => i === 0 || r.got < fall[i - 1]!.got) &&
      fall[2]!.got < (fall[2]!.slow + s0) / 2;
    const list = (xs: number[]) => xs.map(pct).join('/');
    return {
      measured:
        `plateaus ${f1(lo)} and ${f1(hi)} MiB; 1/2/3 periods after the rise ${list(rise.map((r) => r.got))} % of the step ` +
        `(fast average ≥ ${list(rise.map((r) => r.fast))} %, slow ≤ ${list(rise.map((r) => r.slow))} %); ` +
        `1/3/6 periods after the drop ${list(fall.map((r) => r.got))} % left ` +
        `(slow average ${list(fall.map((r) => r.slow))} %, fast ${list(fall.map((r) => r.fast))} %)`,
      pass: Number.isFinite(step) && levels && fastRise && slowFall,
      note: `gains αf = ${AF}, αs = ${AS} are the policy's assumptions; the toucher is 4 busy vCPUs of random page accesses (97.6 % of 250 MiB touched per period), with no Windows background and no zero-page-thread spike; before its first sampling period ends the estimate is the whole guest (${GUEST_MIB} MiB), the policy's choice`,
    };
  },
};
