// `database` (workloads/database.ts): exact Zipf sampling, a measured buffer-pool hit ratio that
// matches the ideal-cache formula h(B) = H(B, α)/H(N, α), throughput that falls as the pool
// shrinks, the locality the Zipf curve implies, determinism, a whole run with invariants on, and
// option errors.
import { describe, expect, it } from 'vitest';
import { databaseWorkload, harmonic, ZipfSampler, type DatabaseInstance } from '../../workloads/database.js';
import { RunRng } from '../../sim/kernel/index.js';
import { simulate } from '../../sim/host/run.js';
import type { WorkloadInstance } from '../../workloads/types.js';
import { experiment, spec } from '../helpers/experiment.js';
import { burstSequence, drive, exp, fakeCtx } from './fake-ctx.js';

function instance(
  raw: Record<string, unknown>,
  seed = 1,
  vcpus = 1,
  usablePages = 2_000_000,
): DatabaseInstance {
  return databaseWorkload.create(databaseWorkload.options.parse(raw), fakeCtx(seed, vcpus, usablePages));
}

/** H(n, α) = Σ_{i=1..n} i^−α summed term by term: the test's own, independent of harmonic(). */
function directH(n: number, alpha: number): number {
  let s = 0;
  for (let i = n; i >= 1; i--) s += i ** -alpha;
  return s;
}

/** Ideal-cache (LFU) hit ratio of the top B of N Zipf(α) pages: H(B, α)/H(N, α). */
const modelHit = (b: number, n: number, alpha: number) => directH(b, alpha) / directH(n, alpha);

describe('database workload', () => {
  it('samples Zipf ranks with the exact probabilities i^−α/H(N, α)', () => {
    // 10^6 draws: the standard error of a frequency p is √(p(1 − p)/10^6) ≤ 0.0005; ±0.002 is
    // 4+ standard errors. Ranks 1, 2, 10 and the tail beyond 1000 cover the head (where the
    // rejection step matters most) and the inversion of the bulk.
    for (const alpha of [0.5, 0.9, 1, 1.5]) {
      const n = 100_000;
      const z = new ZipfSampler(n, alpha);
      const rng = new RunRng(21).stream('zipf');
      const draws = 1_000_000;
      let r1 = 0;
      let r2 = 0;
      let r10 = 0;
      let tail = 0;
      let bad = 0;
      for (let i = 0; i < draws; i++) {
        const k = z.sample(rng);
        if (!(k >= 1 && k <= n && Number.isInteger(k))) bad++;
        if (k === 1) r1++;
        else if (k === 2) r2++;
        else if (k === 10) r10++;
        else if (k > 1000) tail++;
      }
      expect(bad).toBe(0);
      const hN = directH(n, alpha);
      expect(Math.abs(r1 / draws - 1 / hN)).toBeLessThan(0.002);
      expect(Math.abs(r2 / draws - 2 ** -alpha / hN)).toBeLessThan(0.002);
      expect(Math.abs(r10 / draws - 10 ** -alpha / hN)).toBeLessThan(0.002);
      expect(Math.abs(tail / draws - (1 - directH(1000, alpha) / hN))).toBeLessThan(0.002);
    }
  });

  it('computes H(n, α) accurately beyond the exact-sum range (Euler–Maclaurin)', () => {
    for (const alpha of [0, 0.5, 0.9, 1, 1.3]) {
      const n = 1_000_000;
      expect(Math.abs(harmonic(n, alpha) / directH(n, alpha) - 1)).toBeLessThan(1e-12);
    }
  });

  it('hits the buffer pool H(B, α)/H(N, α) of the time (measured over 10^6 page accesses, ±0.003)', () => {
    // N = 1 GiB = 262,144 pages. 10^5 transactions × 10 pages: the hit ratio's standard error is
    // √(h(1 − h)/10^6) ≤ 0.0005, so ±0.003 is 6 standard errors.
    const n = 262_144;
    for (const [pool, b, alpha] of [
      ['256MiB', 65_536, 0.9],
      ['64MiB', 16_384, 0.9],
      ['256MiB', 65_536, 0.6],
      ['512MiB', 131_072, 0],
    ] as const) {
      const w = instance({ size: '1GiB', bufferPool: pool, alpha, cpuPerTxn: '1ms', ioLatency: '5ms' }, 3);
      let t = 0;
      for (let i = 0; i <= 100_000; i++) {
        const x = w.nextBurst(0, t);
        t += x.idleNs + x.workNs;
      }
      const m = w.metrics!(t);
      const expected = modelHit(b, n, alpha);
      expect(m.transactions_count).toBe(99_999);
      expect(m.model_hit_ratio).toBeCloseTo(expected, 10);
      expect(Math.abs(m.hit_ratio! - expected)).toBeLessThan(0.003);
    }
    // α = 0 is uniform: h = B/N exactly.
    expect(modelHit(131_072, n, 0)).toBe(0.5);
  });

  it('completes fewer transactions per second as the buffer pool shrinks', () => {
    // Uncontended, one vCPU: X = 1/(cpuPerTxn + pagesPerTxn(1 − h)ioLatency). Over 2,000 s
    // (≥ 10^5 transactions) the per-transaction time's relative standard error is < 0.5 %
    // (misses are binomial, CPU exponential), so ±3 % is ample.
    const n = 262_144;
    const x: number[] = [];
    for (const [pool, b] of [
      ['512MiB', 131_072],
      ['128MiB', 32_768],
      ['32MiB', 8_192],
    ] as const) {
      const w = instance(
        { size: '1GiB', bufferPool: pool, cpuPerTxn: '1ms', ioLatency: '5ms', pagesPerTxn: 10 },
        8,
      );
      const horizon = 2000e9;
      drive(w, 0, horizon);
      const tps = w.metrics!(horizon).txn_per_s!;
      const model = 1 / (1e-3 + 10 * (1 - modelHit(b, n, 0.9)) * 5e-3);
      expect(Math.abs(tps / model - 1)).toBeLessThan(0.03);
      x.push(tps);
    }
    expect(x[0]!).toBeGreaterThan(x[1]! * 1.2);
    expect(x[1]!).toBeGreaterThan(x[2]! * 1.2);
  });

  it('waits on I/O only for misses, and not at all when the whole database fits', () => {
    const all = instance({ size: '256MiB', bufferPool: '256MiB' }, 2);
    all.nextBurst(0, 0);
    for (let i = 0; i < 1000; i++) expect(all.nextBurst(0, i * 1e6).idleNs).toBe(0);
    const some = instance({ size: '1GiB', bufferPool: '64MiB', ioLatency: '5ms' }, 2);
    some.nextBurst(0, 0);
    for (let i = 0; i < 1000; i++) {
      const b = some.nextBurst(0, i * 1e6);
      expect(b.idleNs % 5e6).toBe(0);
      expect(b.wake).toBe(b.idleNs > 0 ? 'io' : 'timer');
    }
  });

  it('holds bufferPool + overhead, with the top 20 % of the pool hot by its Zipf share', () => {
    const w = instance({ size: '4GiB', bufferPool: '1GiB', overhead: '64MiB', alpha: 0.9 });
    const anon = 262_144 + 16_384;
    expect(w.anonPages(0)).toBe(anon);
    expect(w.anonPages(100e9)).toBe(anon);
    const loc = w.locality!();
    expect(loc.hotFraction).toBeCloseTo(52_428 / anon, 12);
    // Zipf mass of the pool's top 20 % over the pool's mass: ≈ 0.87 at α = 0.9.
    expect(loc.hotShare).toBeCloseTo(directH(52_428, 0.9) / directH(262_144, 0.9), 9);
  });

  it('is deterministic, and each vCPU draws the same transactions whatever the others do', () => {
    const o = { size: '1GiB', bufferPool: '128MiB', think: '2ms' };
    expect(burstSequence(instance(o, 11, 3), 3, 300)).toEqual(burstSequence(instance(o, 11, 3), 3, 300));
    expect(burstSequence(instance(o, 11, 3), 3, 300)).not.toEqual(burstSequence(instance(o, 12, 3), 3, 300));
    // vCPU 1 alone vs vCPU 1 after vCPU 0 ran 500 transactions: the same bursts.
    const bursts = (w: WorkloadInstance) => Array.from({ length: 200 }, (_, i) => w.nextBurst(1, i * 1e7));
    const alone = instance(o, 4, 2);
    const shared = instance(o, 4, 2);
    for (let i = 0; i < 500; i++) shared.nextBurst(0, i * 1e7);
    expect(bursts(shared)).toEqual(bursts(alone));
  });

  it('runs in a whole experiment with invariants on and reports its metrics in the results', () => {
    const r = simulate(
      spec(
        exp(
          `  - { name: a, vcpus: 2, memory: 2GiB, workload: { type: database, size: 2GiB, bufferPool: 512MiB, cpuPerTxn: 2ms, pagesPerTxn: 4 } }`,
          '20s',
        ),
      ),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    const m = g.workloadMetrics;
    for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
    // N = 524,288, B = 131,072, α = 0.9: h = H(B)/H(N).
    const h = modelHit(131_072, 524_288, 0.9);
    expect(m.model_hit_ratio).toBeCloseTo(h, 10);
    // ≈ 2 × 20 s / (2 ms + 4(1 − h)·5 ms) transactions, each drawing 4 pages: ~ 10^4 accesses,
    // standard error ≈ 0.004.
    expect(Math.abs(m.hit_ratio! - h)).toBeLessThan(0.02);
    const perVcpu = 1 / (2e-3 + 4 * (1 - h) * 5e-3);
    // Uncontended 2 vCPUs on 2 pCPUs; virtualization costs and I/O interrupt delivery slow it a
    // little, so allow −15 %/+5 % (the count itself varies by ~1 %).
    expect(m.txn_per_s! / (2 * perVcpu)).toBeGreaterThan(0.85);
    expect(m.txn_per_s! / (2 * perVcpu)).toBeLessThan(1.05);
    // CPU done: transactions × 2 ms.
    expect(Math.abs(g.workDoneCpuS / (m.transactions_count! * 2e-3) - 1)).toBeLessThan(0.05);
  });

  it('refuses a pool larger than the database or the guest, naming the field', () => {
    const guest = (o: string) => exp(`  - { name: a, memory: 1GiB, workload: { type: database, ${o} } }`);
    expect(() => experiment(guest('size: 256MiB, bufferPool: 512MiB'))).toThrow(
      /workload\.bufferPool: bufferPool 512MiB must not exceed the database size 256MiB/,
    );
    // Usable: 1024 MiB − 64 MiB reserve − 8.75 MiB of mem_map and boot hashes (sim/guest/lowmem.ts).
    expect(() => experiment(guest('size: 4GiB, bufferPool: 2GiB'))).toThrow(
      /workload\.bufferPool: bufferPool \+ overhead 2\.06GiB does not fit in the guest's 951\.25MiB/,
    );
    expect(() => experiment(guest('bufferPool: 128MiB, cpuPerTxn: 0s'))).toThrow(/workload\.cpuPerTxn/);
    expect(() => experiment(guest('bufferPool: 128MiB, alpha: -1'))).toThrow(/workload\.alpha: Too small/);
    expect(() => experiment(guest('bufferPool: 128MiB, pagesPerTxn: 0'))).toThrow(/workload\.pagesPerTxn/);
  });
});
