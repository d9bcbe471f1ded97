/**
 * `database`: an OLTP database with a buffer pool. The database is `size` bytes of 4 KiB pages
 * (N pages); page popularity is Zipf(α): P(rank i) = i^−α / H(N, α), with
 * H(n, α) = Σ_{i=1..n} i^−α the generalised harmonic number. α = `alpha`, default 0.9, is an
 * assumption (measured OLTP and web-object popularity is Zipf-like with α ≈ 0.6–1; Breslau et
 * al., "Web caching and Zipf-like distributions", INFOCOM 1999).
 *
 * The buffer pool holds `bufferPool` bytes (B pages): an ideal LFU cache, i.e. the B most
 * popular pages are always resident. A page of rank ≤ B is a hit, any other a miss that reads
 * the page from disk in `ioLatency`. So the hit ratio is
 *   h(B) = H(B, α) / H(N, α)      (`model_hit_ratio`; `hit_ratio` is what was measured).
 * Example: N = 262,144 (1 GiB), B = 65,536 (256 MiB), α = 0.9 → h ≈ 0.82.
 *
 * Each vCPU runs transactions one after another: a transaction touches `pagesPerTxn` pages
 * (ranks drawn from the Zipf distribution), waits (wake `io`) for its m misses, m × ioLatency
 * (plus an exponential think time of mean `think`, if set), then runs an exponential CPU burst of
 * mean `cpuPerTxn`; it is complete at the next nextBurst call. Uncontended, one vCPU completes
 *   X = 1 / (cpuPerTxn + pagesPerTxn·(1 − h)·ioLatency + think)   transactions per second,
 * which falls as the pool shrinks. Example: cpuPerTxn 1 ms, 10 pages, h 0.8, ioLatency 5 ms →
 * X = 1/(1 + 10 ms) ≈ 91 /s per vCPU.
 *
 * Zipf ranks are sampled exactly in O(1) memory by rejection-inversion: W. Hörmann and
 * G. Derflinger, "Rejection-inversion to generate variates from monotone discrete
 * distributions", ACM TOMACS 6(2), 1996, pp. 169–184 — in the form of Apache Commons Math's
 * ZipfDistribution.ZipfRejectionInversionSampler (valid for α ≥ 0, expected < 1.1 uniform draws
 * per rank).
 *
 * Memory: anonymous = bufferPool + `overhead` (the server process outside the pool). Locality:
 * the hot part is the top 20 % of the pool's pages, which get the share of the pool's accesses
 * the Zipf curve gives them, H(0.2·B, α) / H(B, α); the overhead counts as cold. Each page a
 * transaction touches is one memory access that can miss (accessesPerCpuS = pagesPerTxn /
 * cpuPerTxn per CPU-second).
 *
 * Determinism: each vCPU draws its own transactions (ranks, CPU, think time) from its own stream
 * vcpuRng[v], so its transaction series does not depend on other vCPUs or guests; only the times
 * at which they complete do.
 */
import { z } from 'zod';
import type { WorkloadDecl, WorkloadInstance } from './types.js';
import type { RandomStream } from '../sim/kernel/index.js';
import type { Locality } from './types.js';
import { durationNs, sizeBytes, strictObject } from '../sim/options/fields.js';
import { formatBytes } from '../sim/options/units.js';
import { fitProblem, pages } from './common.js';
import { DATABASE_PRESET, processesField, resolveActivity } from './process-activity.js';

/** Share of the buffer pool taken as hot for the guest's hot/cold locality model. */
const HOT_POOL_FRACTION = 0.2;

const options = strictObject({
  size: sizeBytes().prefault('4GiB').describe('size of the database (all its pages, on disk)'),
  bufferPool: sizeBytes()
    .prefault('1GiB')
    .describe('buffer pool size in memory (holds the most popular pages)'),
  overhead: sizeBytes()
    .prefault('64MiB')
    .describe('anonymous memory of the database process outside the buffer pool'),
  alpha: z
    .number()
    .min(0)
    .default(0.9)
    .describe(
      'Zipf exponent α of page popularity, P(rank i) ∝ i^−α (default 0.9, an assumption; 0: uniform)',
    ),
  pagesPerTxn: z.number().int().min(1).default(10).describe('pages each transaction touches'),
  cpuPerTxn: durationNs().prefault('1ms').describe('mean CPU time of a transaction (exponential)'),
  ioLatency: durationNs()
    .prefault('5ms')
    .describe('time to read a missed page from disk (default 5 ms, an assumption: a SATA-disk random read)'),
  think: durationNs()
    .prefault('0s')
    .describe('mean think time between a vCPU’s transactions (exponential; 0: none)'),
  processes: processesField(),
});

export type DatabaseOptions = z.output<typeof options>;

/**
 * H(n, α) = Σ_{i=1..n} i^−α. Exact sum up to 10^5 terms; beyond, the first 10^4 terms plus the
 * Euler–Maclaurin formula for the rest (Abramowitz & Stegun 23.1.30), whose remainder after the
 * f''' term is below 10^−20 relative at m = 10^4.
 */
export function harmonic(n: number, alpha: number): number {
  if (n <= 0) return 0;
  const f = (x: number) => Math.pow(x, -alpha);
  if (n <= 100_000) {
    let s = 0;
    // Smallest terms first, for accuracy.
    for (let i = n; i >= 1; i--) s += f(i);
    return s;
  }
  const m = 10_000;
  let s = 0;
  for (let i = m - 1; i >= 1; i--) s += f(i);
  // Σ_{i=m..n} f(i) ≈ ∫_m^n f + (f(m) + f(n))/2 + (f'(n) − f'(m))/12 − (f'''(n) − f'''(m))/720.
  const integral =
    alpha === 1 ? Math.log(n / m) : (Math.pow(n, 1 - alpha) - Math.pow(m, 1 - alpha)) / (1 - alpha);
  const d1 = (x: number) => -alpha * Math.pow(x, -alpha - 1);
  const d3 = (x: number) => -alpha * (alpha + 1) * (alpha + 2) * Math.pow(x, -alpha - 3);
  return s + integral + (f(m) + f(n)) / 2 + (d1(n) - d1(m)) / 12 - (d3(n) - d3(m)) / 720;
}

/** Zipf(n, α) ranks in 1..n by rejection-inversion (Hörmann & Derflinger 1996). */
export class ZipfSampler {
  private readonly hIntegralX1: number;
  private readonly hIntegralN: number;
  private readonly s: number;

  constructor(
    private readonly n: number,
    private readonly alpha: number,
  ) {
    this.hIntegralX1 = this.hIntegral(1.5) - 1;
    this.hIntegralN = this.hIntegral(n + 0.5);
    this.s = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  sample(rng: RandomStream): number {
    for (;;) {
      // u uniform in (hIntegralX1, hIntegralN]: inverting H maps it onto the hat's support.
      const u = this.hIntegralN + rng.nextFloat() * (this.hIntegralX1 - this.hIntegralN);
      const x = this.hIntegralInverse(u);
      const k = Math.min(this.n, Math.max(1, Math.floor(x + 0.5)));
      // Accept at once inside the squeeze (k − x ≤ s), else compare with the exact hat area.
      if (k - x <= this.s || u >= this.hIntegral(k + 0.5) - this.h(k)) return k;
    }
  }

  /** h(x) = x^−α, the unnormalised density. */
  private h(x: number): number {
    return Math.exp(-this.alpha * Math.log(x));
  }

  /** H(x) = ∫_1^x t^−α dt = (x^(1−α) − 1)/(1 − α), or ln x for α = 1, computed stably. */
  private hIntegral(x: number): number {
    const lx = Math.log(x);
    return helper2((1 - this.alpha) * lx) * lx;
  }

  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.alpha);
    if (t < -1) t = -1; // rounding could push it out of the domain of log1p
    return Math.exp(helper1(t) * x);
  }
}

/** ln(1 + x)/x, with its series near 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** (e^x − 1)/x, with its series near 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

export interface DatabaseInstance extends WorkloadInstance {
  /** h(B) = H(B, α)/H(N, α). */
  readonly modelHitRatio: number;
}

export const databaseWorkload = {
  name: 'database',
  description: 'OLTP database: Zipf page accesses through a buffer pool, misses wait for disk reads.',
  options,
  check: (o, ctx) => {
    if (o.size < 4096) return { field: 'size', problem: 'size must be at least one 4 KiB page' };
    if (o.bufferPool > o.size)
      return {
        field: 'bufferPool',
        problem: `bufferPool ${formatBytes(o.bufferPool)} must not exceed the database size ${formatBytes(o.size)}`,
      };
    if (o.cpuPerTxn <= 0) return { field: 'cpuPerTxn', problem: 'cpuPerTxn must be longer than 0' };
    // The pool and the process outside it must fit together; the pool is what a user resizes.
    const fit = fitProblem('bufferPool + overhead', o.bufferPool + o.overhead, ctx.usablePages);
    return fit === undefined ? undefined : { field: 'bufferPool', problem: fit.problem };
  },
  create: (o, ctx): DatabaseInstance => {
    const n = Math.max(1, Math.floor(o.size / 4096));
    const b = Math.min(n, Math.floor(o.bufferPool / 4096));
    const zipf = new ZipfSampler(n, o.alpha);
    const hN = harmonic(n, o.alpha);
    const modelHitRatio = harmonic(b, o.alpha) / hN;
    const anon = pages(o.bufferPool + o.overhead);
    const hotPool = Math.floor(HOT_POOL_FRACTION * b);
    const locality: Locality =
      b === 0
        ? { hotFraction: 1, hotShare: 1 }
        : {
            hotFraction: Math.max(1, hotPool) / anon,
            hotShare: harmonic(Math.max(1, hotPool), o.alpha) / harmonic(b, o.alpha),
          };
    /** Per vCPU: 0 not started, 1 started (no transaction yet), 2 running transactions. */
    const state = new Uint8Array(ctx.vcpus);
    let transactions = 0;
    let accesses = 0;
    let hits = 0;
    const activity = resolveActivity(DATABASE_PRESET, o.cpuPerTxn / 1e9, o.processes);
    return {
      modelHitRatio,
      processActivity: () => activity,
      anonPages: () => anon,
      locality: () => locality,
      accessesPerCpuS: () => (o.pagesPerTxn * 1e9) / o.cpuPerTxn,
      nextBurst: (vcpu) => {
        const rng = ctx.vcpuRng[vcpu]!;
        // Boot runs the first burst's work at once without its sleep, so the first burst is a
        // 1-ns start-up; from then on each call completes the vCPU's transaction and starts the next.
        if (state[vcpu] === 0) {
          state[vcpu] = 1;
          return { workNs: 1, idleNs: 0 };
        }
        if (state[vcpu] === 2) transactions++;
        state[vcpu] = 2;
        let misses = 0;
        for (let p = 0; p < o.pagesPerTxn; p++) if (zipf.sample(rng) > b) misses++;
        accesses += o.pagesPerTxn;
        hits += o.pagesPerTxn - misses;
        const think = o.think > 0 ? Math.round(rng.exponential(o.think)) : 0;
        const work = Math.max(1, Math.round(rng.exponential(o.cpuPerTxn)));
        return { workNs: work, idleNs: misses * o.ioLatency + think, wake: misses > 0 ? 'io' : 'timer' };
      },
      metrics: (nowNs) => ({
        transactions_count: transactions,
        hit_ratio: accesses === 0 ? 0 : hits / accesses,
        model_hit_ratio: modelHitRatio,
        txn_per_s: nowNs > 0 ? transactions / (nowNs / 1e9) : 0,
      }),
    };
  },
} satisfies WorkloadDecl<DatabaseOptions>;
