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
import type { WorkloadDecl } from '../../workloads/types.js';

export function unconstrainedWorkNs(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  decl: WorkloadDecl<any>,
  options: unknown,
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
  const w = decl.create(options, {
    vcpus,
    usablePages,
    vcpuRng: Array.from({ length: vcpus }, (_, v) => rng.stream(`workload:${guestName}/vcpu${v}`)),
  });
  let total = 0;
  for (let v = 0; v < vcpus; v++) {
    let t = 0;
    let b = w.nextBurst(v, 0);
    let first = true;
    while (t < durationNs) {
      if (!first) t += Math.max(0, b.idleNs);
      first = false;
      if (t >= durationNs) break;
      const work = Math.min(b.workNs, durationNs - t);
      total += work;
      bin(t, t + work);
      t += work;
      if (t >= durationNs) break;
      b = w.nextBurst(v, t);
      // A burst of nothing would not move time on: treat it as 1 ns of sleep.
      if (b.workNs <= 0 && b.idleNs <= 0) t += 1;
    }
  }
  return { totalNs: total, perIntervalNs };
}
