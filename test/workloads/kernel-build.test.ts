// `kernel-build` (workloads/kernel-build.ts): the make-span of a parallel build, the `jobs` limit,
// CPU accounting, page cache per finished unit, unit sizes independent of which vCPU takes them,
// repeated builds, metrics, a whole run with invariants on, and option errors.
import { describe, expect, it } from 'vitest';
import { ASK_NS, kernelBuildWorkload, type KernelBuildInstance } from '../../workloads/kernel-build.js';
import { pages } from '../../workloads/common.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { exp, fakeCtx } from './fake-ctx.js';
import { RunRng } from '../../sim/kernel/index.js';
import type { Burst } from '../../workloads/types.js';

function instance(raw: Record<string, unknown>, seed = 1, vcpus = 1): KernelBuildInstance {
  return kernelBuildWorkload.create(kernelBuildWorkload.options.parse(raw), fakeCtx(seed, vcpus));
}

interface Call {
  vcpu: number;
  /** When the vCPU asked (end of its previous burst). */
  t: number;
  burst: Burst;
  /** When the burst's work starts (after its sleep; at boot, at once). */
  runStart: number;
}

interface DriveOptions {
  /** Tie-break among vCPUs asking at the same time: lower rank asks first (default: index). */
  rank?: number[];
  /** Wall time per CPU ns of each vCPU (default 1): a stand-in for contention. */
  stretch?: number[];
  /** Called after every call, in call order. */
  onCall?: (c: Call) => void;
}

/**
 * Drives all vCPUs of `w` in time order, as an uncontended guest would (the first burst's work
 * runs at once; afterwards sleep idleNs, then run workNs), until no vCPU asks before `horizonNs`.
 * Unlike fake-ctx's `drive`, which runs one vCPU to the end before the next, this interleaves
 * vCPUs — kernel-build's vCPUs share one queue.
 */
function driveAll(w: KernelBuildInstance, vcpus: number, horizonNs: number, o: DriveOptions = {}): Call[] {
  const rank = o.rank ?? Array.from({ length: vcpus }, (_, v) => v);
  const stretch = o.stretch ?? new Array<number>(vcpus).fill(1);
  const calls: Call[] = [];
  const nextAsk = new Array<number>(vcpus).fill(0);
  const booted = new Array<boolean>(vcpus).fill(false);
  for (;;) {
    let v = -1;
    for (let u = 0; u < vcpus; u++) {
      if (v < 0 || nextAsk[u]! < nextAsk[v]! || (nextAsk[u] === nextAsk[v] && rank[u]! < rank[v]!)) v = u;
    }
    const t = nextAsk[v]!;
    if (t > horizonNs) return calls;
    const burst = w.nextBurst(v, t);
    const runStart = booted[v] ? t + burst.idleNs : t;
    booted[v] = true;
    const c = { vcpu: v, t, burst, runStart };
    calls.push(c);
    o.onCall?.(c);
    nextAsk[v] = runStart + Math.round(burst.workNs * stretch[v]!);
  }
}

/** The unit bursts (reads then compiles) in the order they were taken. */
const unitCalls = (calls: Call[]) => calls.filter((c) => c.burst.wake === 'io');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('kernel-build workload', () => {
  it('finishes in ≈ units·(cpu + io)/V + link with V vCPUs and jobs ≥ V', () => {
    const V = 4;
    const o = { units: 20_000, cpuPerUnit: '100ms', ioPerUnit: '10ms', link: '5s' };
    const w = instance(o, 2, V);
    driveAll(w, V, 1000e9);
    const m = w.metrics(1000e9);
    expect(m.builds_done_count).toBe(1);
    const span = m.build_time_s! * 1e9;
    // Exact bounds for this draw (list scheduling, Graham 1969): with W the realized total of
    // reads and compiles, W/V ≤ span − link ≤ W/V + the longest unit (+ 1 ns of boot ask).
    const units = Array.from({ length: 20_000 }, (_, k) => 10e6 + w.unitCpuNs(k));
    const W = sum(units);
    expect(span - 5e9).toBeGreaterThanOrEqual(W / V);
    expect(span - 5e9).toBeLessThanOrEqual(W / V + Math.max(...units) + ASK_NS);
    // Expectation: 20,000 × 0.11 s / 4 + (H₄ − 1) × 0.1 s + 5 s = 555.108 s. W/V has a standard
    // deviation of √20,000 × 0.1 s / 4 = 3.5 s (0.64 %); ±2 % is ≈ 3 standard deviations.
    const expected = (20_000 * 0.11) / V + (1 / 2 + 1 / 3 + 1 / 4) * 0.1 + 5;
    expect(Math.abs(m.build_time_s! / expected - 1)).toBeLessThan(0.02);
  });

  it('never has more than jobs vCPUs compiling at once when jobs < V', () => {
    const V = 4;
    const w = instance({ units: 300, cpuPerUnit: '100ms', ioPerUnit: '10ms', link: '1s', jobs: 2 }, 3, V);
    const calls = driveAll(w, V, 100e9);
    // Sweep the compile and link intervals (asks of 1 ns are not work) for the most at once.
    const edges = calls
      .filter((c) => c.burst.workNs > ASK_NS)
      .flatMap((c) => [
        [c.runStart, 1],
        [c.runStart + c.burst.workNs, -1],
      ])
      .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let busy = 0;
    let most = 0;
    for (const [, d] of edges) most = Math.max(most, (busy += d!));
    expect(most).toBe(2);
    expect(new Set(unitCalls(calls).map((c) => c.vcpu)).size).toBe(2);
    // So the build takes about twice as long as with 4 jobs: W/2 + link, W ≈ 300 × 0.11 s.
    const W = sum(Array.from({ length: 300 }, (_, k) => 10e6 + w.unitCpuNs(k)));
    expect(w.metrics(100e9).build_time_s! * 1e9 - 1e9).toBeGreaterThanOrEqual(W / 2);
    expect(w.metrics(100e9).build_time_s! * 1e9 - 1e9).toBeLessThanOrEqual(W / 2 + 2e9);
  });

  it('spends exactly the units’ CPU plus the link (plus its 1-ns asks), and holds base + perJob × jobs', () => {
    const V = 3;
    const o = {
      units: 500,
      cpuPerUnit: '50ms',
      ioPerUnit: '5ms',
      link: '2s',
      base: '100MiB',
      perJob: '50MiB',
    };
    const w = instance(o, 4, V);
    let peakAnon = 0;
    const calls = driveAll(w, V, 200e9, { onCall: () => (peakAnon = Math.max(peakAnon, w.anonPages(0))) });
    const work = sum(calls.map((c) => c.burst.workNs));
    const asks = calls.filter((c) => c.burst.workNs === ASK_NS).length;
    const units = sum(Array.from({ length: 500 }, (_, k) => w.unitCpuNs(k)));
    expect(unitCalls(calls)).toHaveLength(500);
    expect(work).toBe(units + 2e9 + asks * ASK_NS);
    // Mean unit CPU is cpuPerUnit: 500 exponential draws, standard error 4.5 %; ±15 %.
    expect(Math.abs(units / 500 / 50e6 - 1)).toBeLessThan(0.15);
    expect(peakAnon).toBe(pages(100 * 2 ** 20 + 3 * 50 * 2 ** 20));
    // Built and idle: only the base is left.
    expect(w.anonPages(200e9)).toBe(pages(100 * 2 ** 20));
  });

  it('grows the page cache by cachePerUnit per finished unit, up to the whole tree', () => {
    const V = 2;
    const w = instance(
      { units: 200, cpuPerUnit: '10ms', ioPerUnit: '1ms', link: '1s', cachePerUnit: '300KiB' },
      5,
      V,
    );
    const seen: number[] = [];
    driveAll(w, V, 10e9, {
      onCall: () => {
        const done = w.metrics(0).units_done_count!;
        expect(w.cachePages(0)).toBe(pages(done * 300 * 1024));
        seen.push(done);
      },
    });
    expect(Math.max(...seen)).toBe(200);
    expect(w.cachePages(10e9)).toBe(pages(200 * 300 * 1024));
  });

  it('gives unit k the same CPU whichever vCPU takes it and whenever', () => {
    const V = 4;
    const o = { units: 400, cpuPerUnit: '20ms', ioPerUnit: '2ms', link: '1s' };
    const a = instance(o, 9, V);
    const b = instance(o, 9, V);
    const callsA = unitCalls(driveAll(a, V, 60e9));
    // b: reversed tie-break, and vCPUs running at different speeds as under contention.
    const callsB = unitCalls(driveAll(b, V, 60e9, { rank: [3, 2, 1, 0], stretch: [1, 1.7, 2.9, 1.3] }));
    expect(callsA).toHaveLength(400);
    expect(callsB.map((c) => c.burst.workNs)).toEqual(callsA.map((c) => c.burst.workNs));
    expect(callsA.map((c) => c.burst.workNs)).toEqual(Array.from({ length: 400 }, (_, k) => a.unitCpuNs(k)));
    // The test means something only if the vCPUs did take different units.
    expect(callsB.map((c) => c.vcpu)).not.toEqual(callsA.map((c) => c.vcpu));
    // And a different seed draws different sizes.
    expect(instance(o, 10, V).unitCpuNs(0)).not.toBe(a.unitCpuNs(0));
  });

  it('starts the next build pause after the link with repeat, replaying the same build', () => {
    const V = 2;
    const o = { units: 50, cpuPerUnit: '100ms', ioPerUnit: '10ms', link: '1s', repeat: true, pause: '5s' };
    const w = instance(o, 6, V);
    const calls = driveAll(w, V, 60e9);
    const links = calls.filter((c) => c.burst.workNs === 1e9);
    expect(links.length).toBeGreaterThanOrEqual(2);
    const firstLinkEnd = links[0]!.runStart + 1e9;
    // The first unit of build 2 is taken right after the pause (1 ns of ask after waking).
    const build2 = unitCalls(calls)[50]!;
    expect(build2.t).toBe(firstLinkEnd + 5e9 + ASK_NS);
    const m = w.metrics(60e9);
    expect(m.builds_done_count).toBeGreaterThanOrEqual(2);
    expect(m.units_done_count).toBeGreaterThanOrEqual(100);
    // Uncontended, every build starts with all vCPUs asking at once and compiles the same units,
    // so every make-span equals the first (their mean is it, to rounding).
    expect(m.build_time_s! * 1e9).toBeCloseTo(firstLinkEnd, -1);
    // The tree's page cache stays at its full size through later builds.
    expect(w.cachePages(60e9)).toBe(pages(50 * 512 * 1024));
    // While waiting for the next build, vCPUs poll (100 ms) instead of sleeping for an hour.
    expect(calls.filter((c) => c.burst.idleNs > 10e9)).toHaveLength(0);
  });

  it('reports metrics with finite values, and no build_time_s before a build finishes', () => {
    const w = instance({ units: 100, cpuPerUnit: '100ms', ioPerUnit: '10ms', link: '1s' }, 1, 2);
    driveAll(w, 2, 2e9);
    const early = w.metrics(2e9);
    expect(early.builds_done_count).toBe(0);
    expect(early.units_done_count).toBeGreaterThan(0);
    expect('build_time_s' in early).toBe(false);
    driveAll(w, 2, 100e9);
    for (const x of Object.values(w.metrics(100e9))) expect(Number.isFinite(x)).toBe(true);
  });

  it('runs in a whole experiment with invariants on, doing the units’ CPU and the link', () => {
    const yaml = exp(
      `  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: kernel-build, units: 100, cpuPerUnit: 100ms, ioPerUnit: 10ms, link: 1s, cachePerUnit: 1MiB } }`,
      '20s',
    );
    const s = spec(yaml);
    const r = simulate(s, { checkInvariants: true });
    const g = r.summary!.guests[0]!;
    // The same unit sizes as the run's own instance: same seed and stream names (sim/host/run.ts).
    const rng = new RunRng(s.seed);
    const w = kernelBuildWorkload.create(
      kernelBuildWorkload.options.parse({ units: 100, cpuPerUnit: '100ms' }),
      {
        vcpus: 2,
        usablePages: 1,
        vcpuRng: [0, 1].map((v) => rng.stream(`workload:a/vcpu${v}`)),
      },
    );
    const expected = sum(Array.from({ length: 100 }, (_, k) => w.unitCpuNs(k))) / 1e9 + 1;
    // ≈ 100 × 0.11 s / 2 + 1 s ≈ 6.6 s of make-span, well inside 20 s: the build completes, and
    // the work done is exactly units + link, up to the 1-ns asks (a few dozen ns).
    expect(g.workDoneCpuS).toBeCloseTo(expected, 5);
    expect(g.cacheMiB).toBeCloseTo(100, 0);
    expect(g.workloadMetrics.builds_done_count).toBe(1);
    expect(g.workloadMetrics.units_done_count).toBe(100);
    expect(g.workloadMetrics.build_time_s).toBeGreaterThan(100 * 0.11 * 0.5 * 0.8);
    expect(g.workloadMetrics.build_time_s).toBeLessThan(100 * 0.11 * 0.5 * 1.2 + 1 + 0.5);
  });

  it('refuses zero jobs, a zero cpuPerUnit and jobs that do not fit in memory, naming the field', () => {
    const guest = (o: string) =>
      exp(`  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: kernel-build, ${o} } }`);
    expect(() => experiment(guest('jobs: 0'))).toThrow(/workload\.jobs: Too small/);
    expect(() => experiment(guest('jobs: 1.5'))).toThrow(/workload\.jobs/);
    expect(() => experiment(guest('cpuPerUnit: 0s'))).toThrow(
      /workload\.cpuPerUnit: cpuPerUnit must be longer than 0/,
    );
    expect(() => experiment(guest('perJob: 600MiB'))).toThrow(
      /workload\.perJob: base \+ perJob × 2 jobs .* does not fit/,
    );
    // With jobs: 1 only one compile is ever resident, so the same perJob fits.
    expect(() => experiment(guest('perJob: 600MiB, jobs: 1'))).not.toThrow();
    expect(() => experiment(guest('unit: 10'))).toThrow(/did you mean 'units'/);
  });
});
