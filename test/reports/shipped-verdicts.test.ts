// The verdicts of the shipped experiments, on the values their runs gave when this test was written
// (copied from results.json of `node dist/sim/cli/main.js run experiments/<name>.yaml`, full
// duration and seeds, before the timer and memory models of issues 19 and 21 moved them), each row
// checked against a paired analysis done by hand in the comments. What is tested is the rule — for
// such numbers the verdict must say this — which does not depend on the model that produced them.
// Running the experiments here would take over a minute.
import { describe, expect, it } from 'vitest';
import { verdictText } from '../../reports/aggregate.js';
import { comparisonOf } from '../fixtures/one-metric-results.js';

describe('balloon-policies', () => {
  // Work done, CPU s, seeds 1, 2, 3.
  const workDone = {
    none: [959.177858, 937.52366, 881.410389],
    static: [1066.96584, 1048.008182, 979.410013],
    esx: [954.804959, 933.464997, 877.204522],
    mom: [1053.929173, 1035.51292, 966.249718],
    'auto-balloon': [1081.686021, 1062.62506, 994.244219],
    'xen-selfballoon': [1081.757245, 1062.718772, 994.379307],
    squeezed: [948.792693, 925.067768, 871.090494],
    hyperv: [1081.769654, 1062.731167, 994.345213],
    meb: [1081.752161, 1062.705731, 994.319275],
  };

  it('work done: static is better than none by the paired +105 ± 16 CPU s', () => {
    // By hand, static − none per seed: 107.787982, 110.484522, 97.999624; mean 105.424043;
    // deviations 2.363939, 5.060479, −7.424419, squares sum 86.31865, s_d = √(86.31865 / 2) =
    // 6.56958, se = s_d / √3 = 3.79295, t(0.975, 2) = 4.302653 → ± 16.320; t = 27.79, and for
    // df 2 the two-sided p = 1 − t/√(t² + 2) = 0.00129 (scipy.stats.ttest_rel: 0.0012919087305000164);
    // Holm over the 8 alternatives against none multiplies it by at most 8: 0.0103 < 0.05.
    const c = comparisonOf(workDone);
    const p = c.verdict.kind === 'compared' ? c.verdict.points[0]! : undefined;
    const s = p!.vsBaseline.find((x) => x.alternative === 'static')!;
    expect(s.diff!.method).toBe('paired');
    expect(s.diff!.mean).toBeCloseTo(105.424043, 5);
    expect((s.diff!.hi - s.diff!.lo) / 2).toBeCloseTo(16.3197, 3);
    expect(s.diff!.p).toBeCloseTo(0.0012919087305000164, 10);
    expect(s.verdict).toBe('better');
    // esx − none is −4.21 ± 0.39 CPU s: inside 1 % of none's mean (926.0 → ± 9.26), equivalent.
    expect(p!.vsBaseline.find((x) => x.alternative === 'esx')!.verdict).toBe('equivalent');
    // The four at ~1046 CPU s are within 1 % of each other: no single winner.
    expect(verdictText(c)).toBe(
      'auto-balloon, xen-selfballoon, hyperv, meb equivalent best (within ± 9.26 CPU s)',
    );
  });

  it('host free memory: auto-balloon and xen-selfballoon 0.03 MiB apart are equivalent, no winner', () => {
    // Every seed gives the same value for both (316.310833 and 316.280951 MiB): the difference
    // is exactly 0.029882 MiB on every seed, far inside max(1 % of none's 183.27, 0.5) = 1.833 MiB.
    const c = comparisonOf(
      {
        none: [183.267188, 183.267188, 183.267188],
        static: [275.680124, 275.680124, 275.680124],
        esx: [256.669121, 252.315234, 255.301745],
        mom: [243.139642, 243.139642, 243.139642],
        'auto-balloon': [316.310833, 316.310833, 316.310833],
        'xen-selfballoon': [316.280951, 316.280951, 316.280951],
        squeezed: [190.622409, 191.337467, 189.708177],
        hyperv: [242.879232, 242.879232, 242.879232],
        meb: [251.659427, 251.659427, 251.659427],
      },
      { unit: 'MiB' },
    );
    expect(verdictText(c)).toBe('auto-balloon, xen-selfballoon equivalent best (within ± 1.833 MiB)');
  });
});

describe('guest-clocks', () => {
  // Worst guest clock error, ms, seeds 1, 2 (lower is better).
  const clockError = {
    'vmi-catch-up': [55, 68],
    'vmi-discard': [77743, 78816],
    'vmi-merge': [59733, 60519],
    'vmi-slew': [58224, 59287],
    'xen-catch-up': [62, 82.375],
    'xen-discard': [79798, 78189],
    'xen-merge': [60675, 59422],
    'xen-slew': [59960, 58216],
  };

  it('clock error: 61 ms of catch-up against 78 s of discard is a difference', () => {
    // By hand, vmi-discard − vmi-catch-up: 77688, 78748; mean 78218, s_d = 1060/√2 = 749.53,
    // se = s_d/√2 = 530, t = 147.58 with df 1: p = (2/π)·atan(1/t) = 0.004314
    // (scipy.stats.ttest_rel: 0.004313627498193132). The six discard/merge/slew alternatives all
    // have p ≈ 0.004–0.008, so Holm's largest multiplier (7) keeps each below 0.05: worse.
    // xen-catch-up − vmi-catch-up: 7, 14.375; t = 2.90, p = 0.2115: not distinguishable.
    const c = comparisonOf(clockError, { better: 'lower', unit: 'ms' });
    const p = c.verdict.kind === 'compared' ? c.verdict.points[0]! : undefined;
    const discard = p!.vsBaseline.find((x) => x.alternative === 'vmi-discard')!;
    expect(discard.diff!.p).toBeCloseTo(0.004313627498193132, 10);
    expect(discard.verdict).toBe('worse');
    expect(p!.vsBaseline.filter((x) => x.verdict === 'worse').map((x) => x.alternative)).toEqual([
      'vmi-discard',
      'vmi-merge',
      'vmi-slew',
      'xen-discard',
      'xen-merge',
      'xen-slew',
    ]);
    expect(verdictText(c)).toBe('no clear best among vmi-catch-up, xen-catch-up (best mean vmi-catch-up)');
  });
});

describe('steal-time', () => {
  it('wake-to-run p99 at 3 pCPUs: credit2 (~1 ms) wins against 12–50 ms', () => {
    // µs, seeds 1, 2. By hand, best = credit2; others − credit2 (paired, df 1), p from
    // scipy.stats.ttest_rel: rr 0.005116, ps 0.006345, credit 0.016525. Holm: 0.005116·3 = 0.0153,
    // 0.006345·2 = 0.0127 → 0.0153, 0.016525·1 → 0.0165: all < 0.05, so credit2 alone is best.
    const c = comparisonOf(
      {
        'rr/host.pcpus=3': [50102.271, 50888.703],
        'credit/host.pcpus=3': [48496.639, 51019.775],
        'credit2/host.pcpus=3': [995.327, 986.111],
        'ps/host.pcpus=3': [11624.447, 11829.247],
      },
      { better: 'lower', unit: 'µs' },
    );
    expect(verdictText(c)).toBe('host.pcpus=3: credit2 best (91.6 % lower than ps, the next best)');
  });

  it('work done at 1:1 against 4:1 (815 vs 360 CPU s) is worse when they are compared, and not compared in a sweep', () => {
    // The file before its sweep had both loads as alternatives: rr-4to1 − rr-1to1 per seed
    // −455.593459, −454.781105; mean −455.187, s_d = 0.8124/√2 = 0.5744, se = 0.4062, t = −1120.6,
    // df 1, p = (2/π)·atan(1/1120.6) = 0.000568: worse.
    const asAlternatives = comparisonOf({
      'rr-1to1': [815.385189, 814.587515],
      'rr-4to1': [359.79173, 359.80641],
    });
    const p = asAlternatives.verdict.kind === 'compared' ? asAlternatives.verdict.points[0]! : undefined;
    expect(p!.vsBaseline[0]!.diff!.p).toBeCloseTo(0.000568, 5);
    expect(p!.vsBaseline[0]!.verdict).toBe('worse');
    // As points of a swept load the two are never ranked against each other.
    const swept = comparisonOf({
      'rr/host.pcpus=12': [815.385189, 814.587515],
      'rr/host.pcpus=3': [359.79173, 359.80641],
      'credit/host.pcpus=12': [815.385189, 814.587515],
      'credit/host.pcpus=3': [359.662665, 359.651623],
    });
    expect(verdictText(swept)).toBe(
      'host.pcpus=12: equal (every value the same); host.pcpus=3: rr, credit equivalent best (within ± 3.598 CPU s)',
    );
  });
});
