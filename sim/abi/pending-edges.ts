/**
 * Interrupt edges that merge while their vCPU cannot take them. An event-channel port that is
 * already pending takes a second send as nothing: evtchn_set_pending returns at once when the
 * port's bit is set, and a masked port raises no upcall ("just like a real IO-APIC we 'lose the
 * interrupt edge' if the channel is masked", XenLinux 3.0.4 evtchn.c unmask_evtchn); the handler
 * that finally runs sees one event. A local APIC does the same per vector: its IRR holds one
 * pending interrupt per vector, so a second of the same vector before the first is taken is lost.
 *
 * The model's guests run a handler the moment its interrupt is delivered and charge its calls as
 * CPU the vCPU owes, so "pending" is read from the host's runstate: an interrupt for a vCPU that
 * is not running stays pending until the vCPU next runs; a second one on the same line (port or
 * vector) within the same stretch not running merges with it and costs no handler. Timer
 * interrupts are not merged here: how periodic ticks due while descheduled reach a vCPU is the
 * virtual timer's model (sim/host/vtimer.ts, which merges Xen's VIRQ_TIMER itself).
 */
import type { HypervisorServices } from './types.js';

/** vcpu_runstate_info's state numbering, which the host's runstates share: 0 = running. */
const RUNNING = 0;

export class PendingEdges {
  /**
   * Per line, by vCPU: the runstate entry time of the stretch in which the line became pending
   * (NaN or absent: not pending). Numbers by line rather than a `vcpu:line` string key, which
   * would be built and hashed at every interrupt.
   */
  private readonly pendingSince = new Map<string, number[]>();
  /** Edges merged into one already pending, for the statistics. */
  merged = 0;

  constructor(
    private readonly hv: HypervisorServices,
    private readonly guest: number,
  ) {}

  /** Of `count` interrupts on `line` reaching `vcpu` now, how many run a handler (the rest merged). */
  arrive(vcpu: number, line: string, count: number): number {
    let since = this.pendingSince.get(line);
    if (since === undefined) {
      since = [];
      this.pendingSince.set(line, since);
    }
    const rs = this.hv.runstateArea(this.guest, vcpu);
    if (rs.state === RUNNING) {
      since[vcpu] = NaN;
      return count;
    }
    const handled = since[vcpu] === rs.stateEntryNs ? 0 : 1;
    since[vcpu] = rs.stateEntryNs;
    this.merged += count - handled;
    return handled;
  }
}
