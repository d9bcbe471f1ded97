/**
 * Turns a workload's process activity (workloads/process-activity.ts: page-table events per
 * CPU-second of work) into page-table events on the vCPU that did the work, each time a vCPU
 * finishes a burst: events = rate × work since its last accounting, the fractional rest carried to
 * the next burst (per vCPU and event), so n CPU-seconds at rate r give ⌊n·r⌋ or ⌈n·r⌉ events and no
 * random draw is needed — the count is the same for a seed whatever else runs on the host.
 * Worked example: 3 forks per CPU-second, bursts of 0.5 s → 1, 2, 1, 2, … forks (carry 0.5, 0, …).
 */
import { CROSS_CPU_FLUSHES, MMU_EVENTS } from '../abi/mmu.js';
import type { ParavirtOps } from '../abi/types.js';
import type { MmuEvent, ProcessShape } from '../abi/mmu.js';
import type {
  ProcessActivity,
  MmuEvent as WorkloadMmuEvent,
  ProcessShape as WorkloadProcessShape,
} from '../../workloads/process-activity.js';

/** The workloads' and the interfaces' names and shapes of page-table events must stay the same. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const EVENTS_AGREE: Same<MmuEvent, WorkloadMmuEvent> & Same<ProcessShape, WorkloadProcessShape> = true;
void EVENTS_AGREE;

export class ProcessDriver {
  /** Fractional events owed, per vCPU × event (MMU_EVENTS order). */
  private readonly carry: Float64Array;
  /** Work done per vCPU at its last accounting, ns. */
  private readonly workAtNs: Float64Array;
  private readonly rates: Float64Array;

  constructor(
    private readonly activity: ProcessActivity,
    vcpus: number,
  ) {
    this.carry = new Float64Array(vcpus * MMU_EVENTS.length);
    this.workAtNs = new Float64Array(vcpus);
    this.rates = Float64Array.from(MMU_EVENTS, (e) => activity.perCpuS[e]);
  }

  /**
   * `vcpu` has done `workDoneNs` of work in all: its events since the last call go to `ops`.
   * Returns how many of them flush the current mm on other CPUs too (CROSS_CPU_FLUSHES).
   */
  account(ops: ParavirtOps, vcpu: number, workDoneNs: number): number {
    return this.events(ops, vcpu, workDoneNs, true);
  }

  /**
   * The events `account` would hand to `ops` if called now with `workDoneNs`, handed to `ops`
   * without counting them as accounted (a look-ahead prices them: sim/host/host.ts).
   */
  preview(ops: ParavirtOps, vcpu: number, workDoneNs: number): void {
    this.events(ops, vcpu, workDoneNs, false);
  }

  private events(ops: ParavirtOps, vcpu: number, workDoneNs: number, keep: boolean): number {
    const workS = (workDoneNs - this.workAtNs[vcpu]!) / 1e9;
    if (workS <= 0) return 0;
    let flushes = 0;
    if (keep) this.workAtNs[vcpu] = workDoneNs;
    const base = vcpu * MMU_EVENTS.length;
    for (let k = 0; k < MMU_EVENTS.length; k++) {
      const r = this.rates[k]!;
      if (r === 0) continue;
      const owed = this.carry[base + k]! + r * workS;
      const n = Math.floor(owed);
      if (keep) this.carry[base + k] = owed - n;
      if (n === 0) continue;
      ops.mmu(vcpu, MMU_EVENTS[k]!, n, this.activity.shape);
      flushes += n * CROSS_CPU_FLUSHES[MMU_EVENTS[k]!];
    }
    return flushes;
  }
}
