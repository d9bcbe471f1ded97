/**
 * How often the guest kernel masks and unmasks interrupts, and how many interrupts find them
 * masked — the work ParavirtOps.irqFlag prices per interface (VMI: ROM calls; Xen: writes to
 * evtchn_upcall_mask, and a xen_version(0) hypercall for each event that waited; sim/abi/*\/irq-flag.ts).
 *
 * The workloads give bursts (a request, a query, a compile step), sleeps and wake-ups, IPIs sent
 * and interrupts taken, not system calls; the kernel's masked sections are tied to those, per
 * the code paths of a 2.6.18–2.6.21 kernel. All counts below are ASSUMPTIONS read off those paths,
 * not measurements:
 *  - per interrupt handled (`disablesPerInterrupt` 1, `savesPerInterrupt` 1): its exit —
 *    irq_exit → __do_softirq's local_irq_enable … local_irq_disable (the timer interrupt always
 *    raises TIMER_SOFTIRQ) — and the one spin_lock_irqsave/unlock_irqrestore of its handler (a
 *    driver's lock, xtime_lock, a wait queue's lock); plus its return (VMI's IRET);
 *  - per sleep of a task (`disablesPerSleep` 2, `savesPerSleep` 1): schedule() on the way to
 *    sleep and again when the task is picked (spin_lock_irq(&rq->lock) … finish_task_switch's
 *    spin_unlock_irq), and try_to_wake_up's task_rq_lock (local_irq_save);
 *  - per burst, `syscallsPerBurst` 4 system calls (e.g. read, write, poll and the sleep itself),
 *    each with `savesPerSyscall` 1 spin_unlock_irqrestore (a wait-queue wake-up or a timer);
 *  - per IPI sent (`savesPerIpiSent` 1): send_IPI_mask's local_irq_save/restore (VMI:
 *    smp.c send_IPI_mask_bitmask; XenLinux evtchn.c send_IPI_mask).
 *
 * An interrupt that reaches a vCPU while it runs a task (or is preempted in one) finds interrupts
 * masked with probability p = the share of its CPU time spent in masked sections: p = masked /
 * busy, masked = sections × `maskedCyclesPerSection` (ASSUMPTION: 2,000 cycles, within "most
 * spinlocks are held for less than 2^12 cycles", reference/time-cpu-abi.md §5) and busy = the
 * vCPU's CPU time so far (work and interface calls). Such an interrupt is delivered when the
 * section ends (a deferred delivery). A halted vCPU takes interrupts with them enabled (VMI's
 * Halt and XenLinux's safe_halt unmask first), so none is deferred. Expected counts are turned
 * into whole deliveries with a carried fraction per vCPU (no random draw), so a run stays
 * deterministic. Worked example: 2,000 sections per CPU-second at 2,000 cycles on a 3,000 MHz
 * host mask 2000 × 2000 / 3000 µs ≈ 1.33 ms per s, p ≈ 0.00133; 1,000 interrupts on a busy
 * vCPU then defer 1.33 of them: 1 delivery, 0.33 carried.
 */
import type { IrqFlagWork, ParavirtOps } from '../abi/types.js';

export const IRQ_FLAG_ASSUMPTIONS = {
  disablesPerInterrupt: 1,
  savesPerInterrupt: 1,
  disablesPerSleep: 2,
  savesPerSleep: 1,
  syscallsPerBurst: 4,
  savesPerSyscall: 1,
  savesPerIpiSent: 1,
  maskedCyclesPerSection: 2000,
} as const;

const A = IRQ_FLAG_ASSUMPTIONS;

export class IrqFlagModel {
  /** Time each vCPU has spent in masked sections, ns. */
  private readonly maskedNs: Float64Array;
  /** Fraction of a deferred delivery carried to the next interrupts, per vCPU. */
  private readonly carry: Float64Array;
  private readonly nsPerSection: number;

  constructor(
    private readonly ops: ParavirtOps,
    vcpus: number,
    cpuMHz: number,
  ) {
    this.maskedNs = new Float64Array(vcpus);
    this.carry = new Float64Array(vcpus);
    this.nsPerSection = (A.maskedCyclesPerSection * 1000) / cpuMHz;
  }

  /**
   * `n` interrupts handled on `vcpu`; `busyNs` > 0: it was in a task (running or preempted), with
   * that much CPU time so far; 0: it was halted.
   */
  interrupts(vcpu: number, n: number, busyNs: number): void {
    if (n <= 0) return;
    let deferred = 0;
    if (busyNs > 0) {
      const p = Math.min(1, this.maskedNs[vcpu]! / busyNs);
      const expected = this.carry[vcpu]! + n * p;
      deferred = Math.floor(expected);
      this.carry[vcpu] = expected - deferred;
    }
    this.work(vcpu, {
      returns: n,
      disables: n * A.disablesPerInterrupt,
      saves: n * A.savesPerInterrupt,
      deferred,
    });
  }

  /** A task on `vcpu` went to sleep (and will be woken). */
  sleep(vcpu: number): void {
    this.work(vcpu, { returns: 0, disables: A.disablesPerSleep, saves: A.savesPerSleep, deferred: 0 });
  }

  /** `vcpu` took a new burst of work. */
  burst(vcpu: number): void {
    this.work(vcpu, { returns: 0, disables: 0, saves: A.syscallsPerBurst * A.savesPerSyscall, deferred: 0 });
  }

  /** `vcpu` sent an IPI (to any number of targets). */
  ipiSent(vcpu: number): void {
    this.work(vcpu, { returns: 0, disables: 0, saves: A.savesPerIpiSent, deferred: 0 });
  }

  private work(vcpu: number, w: IrqFlagWork): void {
    this.maskedNs[vcpu]! += (w.disables + w.saves) * this.nsPerSection;
    this.ops.irqFlag(vcpu, w);
  }
}
