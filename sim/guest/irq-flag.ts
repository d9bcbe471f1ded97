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
 * A device interrupt or IPI that reaches a vCPU while it runs a task (or is preempted in one)
 * finds interrupts masked with probability p, the share of a busy vCPU's time spent in masked
 * sections: `maskedPerMille` 5 ‰ (ASSUMPTION: 2,000 to 3,000 sections per busy CPU-second at
 * ~2,000 cycles each — within "most spinlocks are held for less than 2^12 cycles",
 * reference/time-cpu-abi.md §5 — on a 3 GHz CPU is 1.3–2 ms per s; rounded up to cover the
 * sections not counted above). Such an interrupt is delivered when the section ends (a deferred
 * delivery). A halted vCPU takes interrupts with them enabled (VMI's Halt and XenLinux's
 * safe_halt unmask first), so none is deferred. Timer interrupts are not deferred: the host hands
 * periodic ticks over lazily, in batches (sim/host/vtimer.ts), after the vCPU may have moved on,
 * so whether one came inside a section cannot be placed — an undercount, stated. p is a constant
 * and deferrals are counted with integers per vCPU (the k-th busy arrival is deferred when
 * ⌊k × 5 / 1000⌋ grows), so a run stays deterministic and independent of how interrupts are
 * batched. Worked example: 1,000 busy arrivals defer 5; 199 defer 0, the 200th the first.
 */
import type { ParavirtOps } from '../abi/types.js';

export const IRQ_FLAG_ASSUMPTIONS = {
  disablesPerInterrupt: 1,
  savesPerInterrupt: 1,
  disablesPerSleep: 2,
  savesPerSleep: 1,
  syscallsPerBurst: 4,
  savesPerSyscall: 1,
  savesPerIpiSent: 1,
  maskedPerMille: 5,
} as const;

const A = IRQ_FLAG_ASSUMPTIONS;

export class IrqFlagModel {
  /** Device interrupts and IPIs that reached each vCPU while it was in a task. */
  private readonly busyArrivals: Float64Array;

  constructor(
    private readonly ops: ParavirtOps,
    vcpus: number,
  ) {
    this.busyArrivals = new Float64Array(vcpus);
  }

  /**
   * `n` interrupts handled on `vcpu`; `deferrable`: device interrupts or IPIs that came while it
   * was in a task (running or preempted) — the ones that may find interrupts masked.
   */
  interrupts(vcpu: number, n: number, deferrable: boolean): void {
    if (n <= 0) return;
    let deferred = 0;
    if (deferrable) {
      const before = this.busyArrivals[vcpu]!;
      const after = before + n;
      this.busyArrivals[vcpu] = after;
      deferred =
        Math.floor((after * A.maskedPerMille) / 1000) - Math.floor((before * A.maskedPerMille) / 1000);
    }
    this.ops.irqFlag(vcpu, {
      returns: n,
      disables: n * A.disablesPerInterrupt,
      saves: n * A.savesPerInterrupt,
      deferred,
    });
  }

  /** A task on `vcpu` went to sleep (and will be woken). */
  sleep(vcpu: number): void {
    this.ops.irqFlag(vcpu, { returns: 0, disables: A.disablesPerSleep, saves: A.savesPerSleep, deferred: 0 });
  }

  /** `vcpu` took a new burst of work. */
  burst(vcpu: number): void {
    this.ops.irqFlag(vcpu, {
      returns: 0,
      disables: 0,
      saves: A.syscallsPerBurst * A.savesPerSyscall,
      deferred: 0,
    });
  }

  /** `vcpu` sent an IPI (to any number of targets). */
  ipiSent(vcpu: number): void {
    this.ops.irqFlag(vcpu, { returns: 0, disables: 0, saves: A.savesPerIpiSent, deferred: 0 });
  }
}
