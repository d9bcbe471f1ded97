/**
 * The work a guest's workload would have done unconstrained — every vCPU on a pCPU of its own
 * whenever it wants one, no interface costs, no faults — over the run, for the slowdown figure:
 *   slowdown = unconstrained work / work done   (1 = no slowdown; 1.25 = 25 % more time needed).
 * Computed by replaying the workload's own burst sequence from a second, identically seeded
 * instance (same stream names and seed, so the same draws) on an empty timeline: each vCPU runs
 * its first burst at once, then for each next burst sleeps `idleNs` and runs `workNs`, as the
 * guest kernel does (sim/guest/guest.ts), cut at the end of the run.
 *
 * The same replay, binned by sample interval, is the guest's CPU demand over time: the share of
 * its vCPU time the workload would have run in each interval had nothing held it back, which the
 * time series sets beside the share it got.
 */
import { RunRng } from '../kernel/index.js';
import type { ChosenWorkload } from '../../workloads/choice.js';

export function unconstrainedWorkNs(
  workload: ChosenWorkload,
  seed: number,
  guestName: string,
  vcpus: number,
  usablePages: number,
  durationNs: number,
  sampleIntervalNs: number,
): { totalNs: number; perIntervalNs: Float64Array } {
  const perIntervalNs = new Float64Array(Math.floor(durationNs / sampleIntervalNs));
  /** Adds busy time [start, end) to the intervals it overlaps. */
  const bin = (start: number, end: number): void => {
    let t = start;
    while (t < end) {
      const row = Math.floor(t / sampleIntervalNs);
      if (row >= perIntervalNs.length) return;
      const rowEnd = Math.min(end, (row + 1) * sampleIntervalNs);
      perIntervalNs[row]! += rowEnd - t;
      t = rowEnd;
    }
  };
  const rng = new RunRng(seed);
  const w = workload.create({
    vcpus,
    usablePages,
    vcpuRng: Array.from({ length: vcpus }, (_, v) => rng.stream(`workload:${guestName}/vcpu${v}`)),
  });
  // The vCPUs advance together in time order (always the one whose next call is earliest), so a
  // workload whose vCPUs share state — a request queue, a build's unit counter — sees its calls in
  // the order a real uncontended run would make them.
  let total = 0;
  /** Per vCPU: the time of its next nextBurst call (after its current work), or Infinity when done. */
  const callAt = new Float64Array(vcpus);
  for (let v = 0; v < vcpus; v++) {
    // Boot: the first burst's work runs at once (its sleep is not slept).
    const work = Math.min(Math.max(0, w.nextBurst(v, 0).workNs), durationNs);
    total += work;
    bin(0, work);
    callAt[v] = work >= durationNs ? Infinity : work;
  }
  for (;;) {
    let v = -1;
    for (let u = 0; u < vcpus; u++) if (callAt[u]! < Infinity && (v < 0 || callAt[u]! < callAt[v]!)) v = u;
    if (v < 0) break;
    let t = callAt[v]!;
    const b = w.nextBurst(v, t);
    t += Math.max(0, b.idleNs);
    // A burst of nothing would not move time on: treat it as 1 ns of sleep.
    if (b.workNs <= 0 && b.idleNs <= 0) t += 1;
    if (t >= durationNs) {
      callAt[v] = Infinity;
      continue;
    }
    const work = Math.min(Math.max(0, b.workNs), durationNs - t);
    total += work;
    bin(t, t + work);
    t += work;
    callAt[v] = t >= durationNs ? Infinity : t;
  }
  return { totalNs: total, perIntervalNs };
}
