/**
 * The time a guest's vCPUs spend busy with their work, as the host's working-set sampler counts
 * it: every vCPU-second except the sleeps the workload itself chose (the idle gap after a burst).
 * Running, waiting for a pCPU, stalled on a major fault or held by the host all count as busy.
 *
 * Why stalls count (issue 19, reference/memory-balloon.md §1.4): ESX samples a guest over periods
 * of its own execution time and counts a sampled page as touched if it was accessed at any time in
 * the period. A guest thrashing inside itself keeps touching its frames — each major fault writes a
 * frame (the swap-in), its reclaim reads others (the swap-out), and its processes touch their hot
 * pages between faults — so to ESX it is active, not idle. Counting only the CPU work it managed to
 * do would make the busiest guest look the idlest, and the idle tax would take memory from it.
 *
 * Kept per vCPU as the workload sleeps' intervals [from, to): a sleep is planned when its burst ends
 * (Guest.ran), and the time up to a tick is the sleeps' overlap with it. A vCPU woken late (its
 * alarm delivered after the planned end) counts the lateness as busy: it wanted to run.
 */
export class ActiveTime {
  /** Per vCPU: sleep time of sleeps before the current one, and the current (or last) sleep. */
  private readonly closedNs: Float64Array;
  private readonly fromNs: Float64Array;
  private readonly toNs: Float64Array;
  private lastTickNs = 0;
  private sleptAtTickNs = 0;

  constructor(private readonly vcpus: number) {
    this.closedNs = new Float64Array(vcpus);
    this.fromNs = new Float64Array(vcpus);
    this.toNs = new Float64Array(vcpus);
  }

  /** vCPU `v` begins a sleep its workload chose, at `fromNs`, planned to end at `toNs`. */
  sleep(v: number, fromNs: number, toNs: number): void {
    this.closedNs[v]! += Math.max(0, Math.min(this.toNs[v]!, fromNs) - this.fromNs[v]!);
    this.fromNs[v] = fromNs;
    this.toNs[v] = Math.max(fromNs, toNs);
  }

  /** The vCPUs' chosen sleep up to `nowNs`, summed, ns. */
  private sleptUpTo(nowNs: number): number {
    let s = 0;
    for (let v = 0; v < this.vcpus; v++) {
      const from = this.fromNs[v]!;
      s += this.closedNs[v]! + Math.min(Math.max(0, nowNs - from), this.toNs[v]! - from);
    }
    return s;
  }

  /**
   * Busy vCPU-ns since the last call (or since 0): vcpus × elapsed − chosen sleep in between.
   * Example: 2 vCPUs, a tick 1 s after the last; vCPU 0 slept 0.3 s of it, vCPU 1 ran or stalled
   * all of it → 2 − 0.3 = 1.7 vCPU-s.
   */
  tick(nowNs: number): number {
    const slept = this.sleptUpTo(nowNs);
    const busy = this.vcpus * (nowNs - this.lastTickNs) - (slept - this.sleptAtTickNs);
    this.lastTickNs = nowNs;
    this.sleptAtTickNs = slept;
    return Math.max(0, busy);
  }
}
