/**
 * Validation scenario credit-boost: Xen credit's BOOST favours I/O-bound vCPUs. The source and
 * published shape are below; the runs come from its experiment file (one pCPU, two CPU hogs and
 * an I/O-bound guest of 1 ms bursts at 5 % duty cycle, under `credit`, `credit` with boost off,
 * and `round-robin`).
 *
 * Thresholds, from the constants (reference time-cpu-abi.md §3.1: tick 10 ms, slice 30 ms) and the
 * workload (mean burst b = 1 ms, mean sleep s = b(1 − 0.05)/0.05 = 19 ms), not from the results:
 *  - Boosted: a wake finds the I/O vCPU UNDER (or still BOOST) and preempts the hog at once, so
 *    its wake-to-run p99 must stay under one tick (10 ms), a third of a slice. It then runs
 *    each burst as it asks: demand met, slowdown ≤ 1.1 (10 % for wakes that find it OVER).
 *  - Boost off, same scheduler: the woken vCPU is UNDER; it still preempts a hog that is OVER
 *    (higher priority), but behind a hog that is UNDER it waits for that hog's slice to end or a
 *    tick to make it OVER — up to a slice. So its p99 must reach two ticks (20 ms), and it no
 *    longer gets its demand (slowdown > 1.1).
 *  - Round-robin (no priorities, same 30 ms slice): a woken vCPU queues behind the hog waiting
 *    for the pCPU, so it waits the rest of the running hog's slice plus one whole slice: every
 *    wake waits 30–60 ms, hence p50 ≥ one slice (30 ms). Each burst-and-sleep cycle of
 *    b + s = 20 ms then takes at least 20 + 30 = 50 ms, so the guest does at most 20/50 = 40 %
 *    of its work: less than half (slowdown > 2).
 *  - Boost is the cause: the credit scheduler reports boosts for the I/O guest (> 0), none with
 *    boost off.
 */
import { type Scenario, guestMean, f1, f3 } from '../scenario.js';

/** CSCHED_MSECS_PER_TICK and CSCHED_MSECS_PER_TSLICE (reference §3.1), in µs like wakeLatencyUs. */
const TICK_US = 10_000;
const SLICE_US = 30_000;

export const creditBoost: Scenario = {
  id: 'credit-boost',
  kind: 'published',
  title: 'Xen credit scheduler: BOOST for I/O-bound guests',
  experiment: 'experiments/validation/credit-boost.yaml',
  source: 'xen/common/sched_credit.c, Xen 3.0.4, csched_vcpu_wake (reference time-cpu-abi.md §3.1, §3.2)',
  published:
    'a vCPU waking while UNDER becomes BOOST and preempts: an I/O-bound guest beside CPU hogs runs on wake-up and gets its small demand; without boost each wake waits behind the hogs’ 30 ms slices',
  check(runs) {
    const io = (alt: string, f: Parameters<typeof guestMean>[2]) => guestMean(runs, alt, f, 'io');
    // Latencies in µs below 1 ms (the boosted ones), else in ms.
    const t = (us: number) => (us < 1000 ? `${f1(us)} µs` : `${f1(us / 1000)} ms`);
    const p50 = (alt: string) => io(alt, (g) => g.wakeLatencyUs.p50);
    const p99 = (alt: string) => io(alt, (g) => g.wakeLatencyUs.p99);
    const slow = (alt: string) => io(alt, (g) => g.slowdown);
    const boosts = (alt: string) => io(alt, (g) => g.schedulerCounters.boosts ?? 0);
    const [b, n, r] = ['credit-boost', 'credit-no-boost', 'round-robin'];
    return {
      measured:
        `I/O guest wake-to-run p50 / p99: credit ${t(p50(b))} / ${t(p99(b))}, boost off ${t(p50(n))} / ${t(p99(n))}, ` +
        `round-robin ${t(p50(r))} / ${t(p99(r))}; slowdown ${f3(slow(b))}, ${f3(slow(n))}, ${f3(slow(r))}; ` +
        `${Math.round(boosts(b))} boosts (${Math.round(boosts(n))} with boost off)`,
      pass:
        p99(b) < TICK_US &&
        slow(b) <= 1.1 &&
        p99(n) >= 2 * TICK_US &&
        slow(n) > 1.1 &&
        p50(r) >= SLICE_US &&
        slow(r) > 2 &&
        boosts(b) > 0 &&
        boosts(n) === 0,
      note: 'a boosted wake runs at once here: no context-switch or hypervisor path cost is modelled between the wake and the run',
    };
  },
};
