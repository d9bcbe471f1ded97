// `web` (workloads/web.ts): M/M/1 mean latency S/(1 − ρ) uncontended, latency growing with load,
// an arrival series that does not depend on contention or on which vCPU serves, memory that
// follows the requests in the system (and its caps), a whole run with invariants on, and option
// errors.
import { describe, expect, it } from 'vitest';
import { webWorkload, type WebInstance, type WebRequest } from '../../workloads/web.js';
import { RunRng } from '../../sim/kernel/index.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { drive, exp, fakeCtx } from './fake-ctx.js';

function instance(raw: Record<string, unknown>, seed = 1, vcpus = 1, usablePages = 262_144): WebInstance {
  return webWorkload.create(webWorkload.options.parse(raw), fakeCtx(seed, vcpus, usablePages));
}

interface Served {
  /** Request index → [arrival, service], as handed to the vCPUs. */
  requests: Map<number, [number, number]>;
  /** anonPages at each whole second. */
  anon: number[];
}

/**
 * Drives all vCPUs of a guest in time order (as the simulator calls them) until `horizonNs`.
 * `delay(v)` is extra wall time added to each burst of vCPU v — CPU contention (steal, queueing)
 * stretching a request's completion — drawn by the test, not the workload. anonPages is asked
 * once a second, as the guest's memory tick does.
 */
function run(
  w: WebInstance,
  vcpus: number,
  horizonNs: number,
  delay: (v: number) => number = () => 0,
): Served {
  const requests = new Map<number, [number, number]>();
  const anon: number[] = [];
  const next = new Array<number>(vcpus).fill(0);
  const booted = new Array<boolean>(vcpus).fill(false);
  let tick = 0;
  let mismatches = 0;
  for (;;) {
    let v = 0;
    for (let u = 1; u < vcpus; u++) if (next[u]! < next[v]!) v = u;
    const t = next[v]!;
    while (tick <= t && tick < horizonNs) {
      anon.push(w.anonPages(tick));
      tick += 1e9;
    }
    if (t >= horizonNs) break;
    const b = w.nextBurst(v, t);
    const r: WebRequest | undefined = w.serving(v);
    if (r !== undefined) {
      // Plain checks, not expect() per call: this loop runs ~10^5 times.
      const seen = requests.get(r.index);
      if (seen !== undefined && (seen[0] !== r.arrivalNs || seen[1] !== r.serviceNs)) mismatches++;
      requests.set(r.index, [r.arrivalNs, r.serviceNs]);
      // A vCPU that sleeps for a request wakes exactly at its arrival.
      if (b.idleNs > 0 && t + b.idleNs !== r.arrivalNs) mismatches++;
    }
    next[v] = t + (booted[v] ? b.idleNs : 0) + b.workNs + delay(v);
    booted[v] = true;
  }
  expect(mismatches).toBe(0);
  return { requests, anon };
}

describe('web workload', () => {
  // M/M/1 (Kleinrock 1975, eq. 3.26): E[T] = S/(1 − ρ), and T ~ Exp, so p99 = E[T]·ln 100.
  // Tolerance: the run is 10^6 mean service times (10^4 s). The time-average of the M/M/1
  // number in system has asymptotic variance 2ρ(1 + ρ)/(1 − ρ)^4 per unit time (μ = 1; Whitt,
  // "Planning queueing simulations", Mgmt Sci 35(11), 1989), so relative to its mean ρ/(1 − ρ)
  // the standard error is √(2(1 + ρ)/(ρ(1 − ρ)²)/t): 0.5 % at ρ = 0.5 and 1.1 % at ρ = 0.8.
  // Mean latency tracks it by Little's law; ±3 % and ±5 % are ~5 standard errors.
  for (const [rho, tol] of [
    [0.5, 0.03],
    [0.8, 0.05],
  ] as const) {
    it(`has mean latency S/(1 − ρ) with 1 vCPU at ρ = ${rho} (±${tol * 100} %)`, () => {
      const S = 10e6;
      const w = instance({ ratePerS: rho / (S / 1e9), service: '10ms' }, 7);
      const horizon = 1e6 * S;
      drive(w, 0, horizon);
      const m = w.metrics!(horizon);
      const expected = S / (1 - rho) / 1e6;
      expect(m.offered_load_ratio).toBeCloseTo(rho, 12);
      expect(m.requests_count).toBeGreaterThan(0.95 * rho * 1e6);
      expect(m.dropped_count).toBe(0);
      expect(Math.abs(m.latency_mean_ms! / expected - 1)).toBeLessThan(tol);
      // The quantiles of an exponential T: p50 = E[T] ln 2, p99 = E[T] ln 100 (tail quantiles are
      // noisier than the mean: twice the tolerance).
      expect(Math.abs(m.latency_p50_ms! / (expected * Math.LN2) - 1)).toBeLessThan(2 * tol);
      expect(Math.abs(m.latency_p99_ms! / (expected * Math.log(100)) - 1)).toBeLessThan(2 * tol);
    });
  }

  it('has a longer tail as the rate approaches capacity (p99 at ρ 0.9 > ρ 0.5)', () => {
    // Expected p99: 46 ms at ρ 0.5, 461 ms at ρ 0.9 — a factor 10, far beyond sampling noise.
    const p99 = (rate: number) => {
      const w = instance({ ratePerS: rate, service: '10ms' }, 3);
      drive(w, 0, 2e12);
      return w.metrics!(2e12).latency_p99_ms!;
    };
    const low = p99(50);
    const high = p99(90);
    expect(high).toBeGreaterThan(4 * low);
  });

  it('draws the same arrivals and service times whatever the contention or the number of vCPUs', () => {
    // ρ = 0.5; with the delays below (mean 5 ms) each vCPU can still take 1/(15 ms) = 67/s, so the
    // backlog never fills and both runs serve every request of the first ~200 s.
    const o = { ratePerS: 100, service: '10ms' };
    const horizon = 200e9;
    const plain = run(instance(o, 5, 2), 2, horizon);
    // Contention: every burst completes up to 10 ms later than its work (steal, run queues).
    const noise = new RunRng(99).stream('test-delay');
    const busy = run(instance(o, 5, 2), 2, horizon, () => Math.round(noise.nextFloat() * 10e6));
    const single = run(instance(o, 5, 1), 1, horizon);
    expect(plain.requests.size).toBeGreaterThan(19_000);
    let common = 0;
    for (const [k, v] of busy.requests) {
      const p = plain.requests.get(k);
      if (p !== undefined) {
        expect(v).toEqual(p);
        common++;
      }
    }
    for (const [k, v] of single.requests) if (plain.requests.has(k)) expect(v).toEqual(plain.requests.get(k));
    expect(common).toBeGreaterThan(19_000);
    // Requests are served in arrival order with none skipped (the backlog never fills here).
    const idx = [...plain.requests.keys()].sort((a, b) => a - b);
    expect(idx[idx.length - 1]).toBe(idx.length - 1);
  });

  it('gets slower, not different, under contention: latency rises with completion delays', () => {
    const o = { ratePerS: 100, service: '10ms' };
    const a = instance(o, 5, 2);
    run(a, 2, 200e9);
    const b = instance(o, 5, 2);
    run(b, 2, 200e9, () => 5e6);
    // Every request completes ≥ 5 ms later, and the added work-in-system makes waits longer.
    expect(b.metrics!(200e9).latency_mean_ms!).toBeGreaterThan(a.metrics!(200e9).latency_mean_ms! + 5);
  });

  it('holds resident + perRequest × requests in system, growing when overloaded', () => {
    // 1 vCPU, λ = 200/s, S = 10 ms (ρ = 2): the system gains λ − μ = 100 requests/s, so after
    // t s it holds ≈ 100·t (a random walk with variance (λ + μ)t: ±55 at 10 s). 64 KiB = 16 pages.
    const res = 65_536;
    const w = instance({ ratePerS: 200, service: '10ms', resident: '256MiB', perRequest: '64KiB' }, 2);
    const { anon } = run(w, 1, 20.5e9);
    expect(anon[0]).toBe(res);
    const inSystem = anon.map((a) => (a - res) / 16);
    for (const n of inSystem) expect(Number.isInteger(n)).toBe(true);
    expect(Math.abs(inSystem[10]! - 1000)).toBeLessThan(250);
    expect(Math.abs(inSystem[20]! - 2000)).toBeLessThan(350);
    for (let s = 5; s <= 20; s += 5) expect(inSystem[s]!).toBeGreaterThan(inSystem[s - 5]!);
    // At ρ = 0.3 the system is nearly empty: mean ρ/(1 − ρ) ≈ 0.43 requests.
    const light = instance({ ratePerS: 30, service: '10ms', perRequest: '64KiB' }, 2);
    const lightN = run(light, 1, 200.5e9).anon.map((a) => (a - res) / 16);
    expect(lightN.reduce((x, y) => x + y, 0) / lightN.length).toBeLessThan(1.5);
  });

  it('refuses arrivals beyond the backlog and caps memory at usable memory', () => {
    const w = instance({ ratePerS: 200, service: '10ms', perRequest: '64KiB', backlog: 100 }, 2);
    const { anon } = run(w, 1, 30.5e9);
    // At most backlog waiting + 1 in service.
    for (const a of anon) expect(a).toBeLessThanOrEqual(65_536 + 101 * 16);
    expect(anon[30]).toBeGreaterThan(65_536 + 90 * 16);
    // ≈ (λ − μ)·t − backlog ≈ 2,900 refused by 30 s.
    const dropped = w.metrics!(30e9).dropped_count!;
    expect(dropped).toBeGreaterThan(2_400);
    expect(dropped).toBeLessThan(3_400);
    const capped = instance({ ratePerS: 200, service: '10ms', perRequest: '1MiB' }, 2, 1, 70_000);
    const c = run(capped, 1, 30.5e9).anon;
    expect(Math.max(...c)).toBe(70_000);
  });

  it('is deterministic: same seed, same latencies; another seed differs', () => {
    const m = (seed: number) => {
      const w = instance({ ratePerS: 300, service: '5ms' }, seed, 2);
      run(w, 2, 20e9);
      return w.metrics!(20e9);
    };
    expect(m(4)).toEqual(m(4));
    expect(m(4)).not.toEqual(m(5));
  });

  it('runs in a whole experiment with invariants on and reports its metrics in the results', () => {
    const r = simulate(
      spec(
        exp(
          `  - { name: a, vcpus: 2, memory: 1GiB, workload: { type: web, ratePerS: 100, service: 5ms, resident: 100MiB } }`,
          '20s',
        ),
      ),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    // ≈ 2,000 requests of 5 ms: 10 CPU-s (Poisson count: ±2.2 % per sd; ±15 % allowed).
    expect(g.workDoneCpuS).toBeGreaterThan(10 * 0.85);
    expect(g.workDoneCpuS).toBeLessThan(10 * 1.15);
    const m = g.workloadMetrics;
    expect(Object.keys(m).every((k) => /^[a-z0-9]+(_[a-z0-9]+)*$/.test(k))).toBe(true);
    for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
    expect(m.requests_count).toBeGreaterThan(1700);
    expect(m.requests_count).toBeLessThan(2300);
    expect(m.offered_load_ratio).toBeCloseTo(0.25, 12);
    // M/M/2 at ρ = 0.25: Erlang C gives P(wait) = 2ρ²/(1 + ρ) = 0.1, E[T] = S(1 + 0.1/(2·0.75))
    // = 5.33 ms; virtualization adds wake-up latency and interface costs on top.
    expect(m.latency_mean_ms).toBeGreaterThan(4.5);
    expect(m.latency_mean_ms).toBeLessThan(8);
    expect(m.latency_p99_ms).toBeGreaterThan(m.latency_p50_ms!);
  });

  it('refuses a zero service time, a zero rate and a resident set that does not fit, naming the field', () => {
    const guest = (o: string) => exp(`  - { name: a, memory: 1GiB, workload: { type: web, ${o} } }`);
    expect(() => experiment(guest('service: 0s'))).toThrow(
      /workload\.service: service \(mean CPU per request\)/,
    );
    expect(() => experiment(guest('ratePerS: 0'))).toThrow(/workload\.ratePerS: Too small/);
    expect(() => experiment(guest('resident: 2GiB'))).toThrow(
      /workload\.resident: resident 2GiB does not fit/,
    );
    expect(() => experiment(guest('backlog: -1'))).toThrow(/workload\.backlog/);
  });
});
