/**
 * The guest's side of VMI: ParavirtOps carried out as VMI ROM calls. Time crosses the interface
 * in cycles of the VMI counters (rate = GetCycleFrequency = the host's CPU clock), as in
 * vmitime.c: alarms are absolute expiries on the REAL counter; clocks are two counter reads,
 * REAL then AVAILABLE, with STOLEN derived as REAL − AVAILABLE (vmi_local_timer_interrupt and
 * vmi_account_time_restart_hz_timer in 2.6.21 vmitime.c; reference/time-cpu-abi.md §1.6).
 * A tickless idle (vmi_safe_halt) is stopPeriodicTimer + armWakeup + halt, and its end
 * restartPeriodicTimer; sim/guest/timekeeping.ts (idleEnter/idleExit) puts them in order.
 * Each call is counted under its VMI name and charged by the cost model (sim/abi/costs.ts).
 * Conversions are exact integer arithmetic for any run shorter than 2^53 ns.
 */
import type {
  GuestClocks,
  HypervisorServices,
  InterruptSource,
  IpiKind,
  IrqFlagWork,
  ParavirtOps,
} from '../types.js';
import { PendingEdges } from '../pending-edges.js';
import { callCharger, type CallCharger } from '../call-ids.js';
import { vmiIrqFlag } from './irq-flag.js';
import type { CostModel } from '../../spec/cost-model.js';
import { cyclesToNs } from '../costs.js';
import { MmuCharger, type MmuEvent, type ProcessShape } from '../mmu.js';
import { VMI_MMU_CALL, vmiMmuCalls } from './mmu.js';
import { presentGates, type Idt } from '../i386/idt.js';
import { vmiIdtCopyBytes, XGT_DESC_BYTES } from './idt-copy.js';
import { FLAT_LOGICAL_MAX_CPUS, flatLogicalMask } from '../i386/local-apic.js';
import {
  BALLOON_PORT,
  VMI_CALL,
  VMI_ALARM_IS_ONESHOT,
  VMI_ALARM_IS_PERIODIC,
  VMI_ALARM_WIRED_LVTT,
  VMI_CYCLES_AVAILABLE,
  VMI_CYCLES_REAL,
} from './constants.js';

/** The flags the guest's wake-up alarm uses: one-shot on REAL, wired to the local APIC timer. */
export const WAKEUP_ALARM_FLAGS = VMI_ALARM_WIRED_LVTT | VMI_ALARM_IS_ONESHOT | VMI_CYCLES_REAL;
/**
 * The periodic alarm's flags, 0x00010101: periodic on AVAILABLE, wired to LVTT — what
 * vmi_reenable_hz_timer re-arms when a tickless halt ends (reference/time-cpu-abi.md §1.6).
 */
export const PERIODIC_ALARM_FLAGS = VMI_ALARM_WIRED_LVTT | VMI_ALARM_IS_PERIODIC | VMI_CYCLES_AVAILABLE;

/** ns → cycles at `mhz`, rounded down (or up): cycles = ns × mhz / 1000, split to stay exact. */
export function nsToCycles(ns: number, mhz: number, roundUp = false): number {
  const us = Math.floor(ns / 1000);
  const remNs = ns - us * 1000;
  const part = remNs * mhz; // < 1000 × mhz: exact
  return us * mhz + (roundUp ? Math.ceil(part / 1000) : Math.floor(part / 1000));
}

const VMI_CALL_NAME = new Map<number, string>(Object.entries(VMI_CALL).map(([k, v]) => [v, k]));

/** How EOI writes are counted: an APICWrite, kept apart from the ICR writes that send IPIs. */
export const VMI_CALL_EOI = 'APICWrite(EOI)';

/** How the flush in a shootdown IPI's handler is counted (VMI call FlushTLB, 47, vmi.h). */
export const VMI_SHOOTDOWN_FLUSH = `${VMI_MMU_CALL.flushTlb} IPI handler`;

/** How interrupts merged into one already pending are counted (they run no handler). */
export const VMI_MERGED = 'interrupt merged (vector already pending)';

/** GetCycleCounter calls per time accounting: REAL and AVAILABLE (2.6.21 vmitime.c). */
export const COUNTER_READS_PER_ACCOUNTING = 2;

/** One world switch. */
const EXIT = { transitions: 1 };

/**
 * The effects of one interrupt's EOI or shootdown flush, and of merged ones, made once: the
 * effects of a call are read, never kept or changed, by whoever receives them.
 */
const ONE_INTERRUPT_EXIT = Object.freeze({ transitions: 1, path: 'interrupt' as const });
const ONE_SHOOTDOWN_EXIT = Object.freeze({ transitions: 1, path: 'shootdown' as const });
const INTERRUPT_PATH = Object.freeze({ path: 'interrupt' as const });
const SHOOTDOWN_PATH = Object.freeze({ path: 'shootdown' as const });

/** vCPU that runs the balloon driver (a kernel thread; the model puts it on vCPU 0). */
const DRIVER_VCPU = 0;

/**
 * Which VMI operations leave the guest (modelling choices, stated so they can be argued with):
 * Halt gives up the pCPU, and SetAlarm/CancelAlarm change timer state the VMM owns, so they
 * world-switch (`exitCycles`); GetCycleCounter reads counters the ROM can see from the guest
 * (`vmiCallCycles`); each balloon-port access is an I/O exit plus a per-page cost.
 */
export class VmiOps implements ParavirtOps {
  readonly abi = 'vmi';
  private readonly mhz: number;
  private readonly edges: PendingEdges;
  private readonly irqFlagCalls: (vcpu: number, work: IrqFlagWork) => void;
  /**
   * The APIC mode the kernel chose at boot: flat logical for up to 8 CPUs, physical beyond (2.6.21
   * picks the bigsmp genapic for more than 8); set by bootVcpus.
   */
  private flatLogical = true;

  /** Page-table events' call sequences, built once per event (sim/abi/mmu.ts). */
  private readonly mmuCharger: MmuCharger;
  /** The calls made at every timer interrupt, halt or I/O, named once and charged by id (call-ids.ts). */
  private readonly calls: CallCharger;
  private readonly id: {
    readonly halt: number;
    readonly setAlarm: number;
    readonly cancelAlarm: number;
    readonly getCycleCounter: number;
    readonly eoi: number;
    readonly shootdownFlush: number;
    readonly merged: number;
    readonly ioPort: number;
    readonly apicRead: number;
    readonly apicWrite: number;
  };

  constructor(
    private readonly hv: HypervisorServices,
    private readonly guest: number,
    private readonly costs: CostModel,
  ) {
    this.mhz = hv.cpuMHz;
    this.edges = new PendingEdges(hv, guest);
    this.irqFlagCalls = vmiIrqFlag(hv, guest, costs);
    this.mmuCharger = new MmuCharger(hv, guest, (event, shape) => vmiMmuCalls(event, shape, costs));
    const c = (this.calls = callCharger(hv));
    this.id = {
      halt: c.id('Halt'),
      setAlarm: c.id('SetAlarm'),
      cancelAlarm: c.id('CancelAlarm'),
      getCycleCounter: c.id('GetCycleCounter'),
      eoi: c.id(VMI_CALL_EOI),
      shootdownFlush: c.id(VMI_SHOOTDOWN_FLUSH),
      merged: c.id(VMI_MERGED),
      ioPort: c.id('device I/O port write'),
      apicRead: c.id('APICRead'),
      apicWrite: c.id('APICWrite'),
    };
  }

  installIdt(idt: Idt): void {
    // Linux 2.6.21's trap_init writes gate by gate (write_idt_entry → WriteIDTEntry); the ROM
    // takes the hardware format as is, so nothing is translated. The 8-byte gate travels by value
    // (write_idt_entry(dt, entry, low, high): 4 argument words), not as a copied buffer.
    const gates = presentGates(idt);
    const w = vmiIdtCopyBytes(gates).writeIdtEntry;
    this.hv.chargeCall(this.guest, 0, 'WriteIDTEntry', w.calls, w.calls * this.costs.vmiCallCycles, {
      path: 'boot',
    });
  }

  /**
   * Each CPU loads the IDT (cpu_init → load_idt, filled with the ROM's SetIDT by vmi.c
   * para_fill): a ROM call (no exit: an ASSUMPTION, vmi.c does not say) reading the 6-byte
   * descriptor the kernel points it to.
   */
  bootVcpus(vcpus: number): void {
    this.flatLogical = vcpus <= FLAT_LOGICAL_MAX_CPUS;
    const bytes = vcpus * XGT_DESC_BYTES;
    this.hv.chargeCall(
      this.guest,
      0,
      'SetIDT',
      vcpus,
      vcpus * this.costs.vmiCallCycles + bytes * this.costs.copyCyclesPerByte,
      { bytes, path: 'boot' },
    );
  }

  /** Interrupt enable/disable, save/restore and IRET as ROM calls (irq-flag.ts). */
  irqFlag(vcpu: number, work: IrqFlagWork): void {
    this.irqFlagCalls(vcpu, work);
  }

  /**
   * Issues VMI call `callNumber` with raw arguments, as a guest kernel (or a fuzzing test) may.
   * Modelled here: WriteIDTEntry(vector, ...) refuses a vector over 255. A number the ROM does not
   * define has no relocation (VMI_RELOCATION_NONE), so there is nothing to call: the call fails.
   * Failures return −1, are counted as errors, and never throw. Other defined calls succeed (0).
   */
  rawCall(vcpu: number, callNumber: number, args: readonly number[]): number {
    const name = VMI_CALL_NAME.get(callNumber);
    let ret = 0;
    if (name === undefined) ret = -1;
    else if (callNumber === VMI_CALL.WriteIDTEntry && !((args[0] ?? -1) >= 0 && (args[0] ?? -1) <= 255))
      ret = -1;
    this.hv.chargeCall(this.guest, vcpu, name ?? `VMI call ${callNumber}`, 1, this.costs.vmiCallCycles, {
      errors: ret < 0 ? 1 : 0,
    });
    return ret;
  }

  halt(vcpu: number): void {
    this.calls.charge(this.guest, vcpu, this.id.halt, 1, this.costs.exitCycles, EXIT);
    this.hv.haltVcpu(this.guest, vcpu);
  }

  armWakeup(vcpu: number, atNs: number): void {
    // SetAlarm(flags, expiry, period = 0): the expiry is absolute on the REAL counter; round up so
    // the alarm never fires before the guest asked.
    this.calls.charge(this.guest, vcpu, this.id.setAlarm, 1, this.costs.exitCycles, EXIT);
    // No timer pending: vmi_stop_hz_timer still sets the one-shot, at next_timer_interrupt's
    // jiffies + LONG_MAX/2 — far beyond any run, so no alarm is kept.
    if (!Number.isFinite(atNs)) {
      this.hv.cancelTimer(this.guest, vcpu);
      return;
    }
    const expiryCycles = nsToCycles(atNs, this.mhz, true);
    this.hv.setTimer(this.guest, vcpu, cyclesToNs(expiryCycles, this.mhz, true));
  }

  cancelWakeup(vcpu: number): void {
    this.calls.charge(this.guest, vcpu, this.id.cancelAlarm, 1, this.costs.exitCycles, EXIT);
    this.hv.cancelTimer(this.guest, vcpu);
  }

  /**
   * vmi_stop_hz_timer (2.6.21 vmitime.c; reference §1.6 "NO_IDLE_HZ idle"): "This cpu is going
   * idle. Disable the periodic alarm." — CancelAlarm(VMI_CYCLES_AVAILABLE), before the one-shot
   * SetAlarm (armWakeup) and Halt. Same call and cost class as cancelWakeup: an exit.
   */
  stopPeriodicTimer(vcpu: number): void {
    this.calls.charge(this.guest, vcpu, this.id.cancelAlarm, 1, this.costs.exitCycles, EXIT);
    this.hv.periodicAlarm(this.guest, vcpu, false);
  }

  /**
   * vmi_reenable_hz_timer, the end of vmi_account_time_restart_hz_timer (reference §1.6 "on wake:
   * … re-arm periodic AVAILABLE alarm"): SetAlarm(PERIODIC_ALARM_FLAGS, accounted +
   * cycles_per_alarm, cycles_per_alarm). Counted as SetAlarm (VMI call 68), an exit like the
   * one-shot's. The one-shot is not cancelled ("at worse we will receive a spurious timer
   * interrupt", same file).
   */
  restartPeriodicTimer(vcpu: number): void {
    this.calls.charge(this.guest, vcpu, this.id.setAlarm, 1, this.costs.exitCycles, EXIT);
    this.hv.periodicAlarm(this.guest, vcpu, true);
  }

  /**
   * Each accounting reads GetCycleCounter(REAL) and GetCycleCounter(AVAILABLE): 2 ROM calls, no
   * exit; vmitime.c never reads the STOLEN counter, it computes real − avail
   * (vmi_account_stolen_cycles).
   */
  readClocks(vcpu: number, times = 1, atNs?: number, into?: GuestClocks): GuestClocks {
    const reads = COUNTER_READS_PER_ACCOUNTING * times;
    this.calls.charge(this.guest, vcpu, this.id.getCycleCounter, reads, reads * this.costs.vmiCallCycles);
    const c = this.hv.clocks(this.guest, vcpu, atNs);
    const real = nsToCycles(c.realNs, this.mhz);
    const available = nsToCycles(c.availableNs, this.mhz);
    // The guest derives STOLEN = REAL − AVAILABLE from its two reads, as vmitime.c does; the ROM
    // keeps REAL = AVAILABLE + STOLEN exactly (vmi_time.h), so this is the STOLEN counter too.
    const stolen = real - available;
    const realNs = cyclesToNs(real, this.mhz);
    const availableNs = cyclesToNs(available, this.mhz);
    const stolenNs = cyclesToNs(stolen, this.mhz);
    const k = into?.cycles;
    if (into === undefined || k === undefined || into.runstate !== undefined)
      return { realNs, availableNs, stolenNs, cycles: { real, available, stolen } };
    into.realNs = realNs;
    into.availableNs = availableNs;
    into.stolenNs = stolenNs;
    k.real = real;
    k.available = available;
    k.stolen = stolen;
    return into;
  }

  sendIpi(from: number, to: readonly number[], kind: IpiKind): void {
    if (to.length === 0) return;
    this.icrWrites(from, to, kind, 1);
    this.hv.deliverIpi(this.guest, to, kind);
  }

  /**
   * Linux 2.6.21 flush_tlb_others (arch/i386/kernel/smp.c), the native i386 path a VMI guest
   * keeps: per flush, INVALIDATE_TLB_VECTOR to the mask through the APIC (icrWrites), then the
   * sender spins until each target's smp_invalidate_interrupt has flushed and cleared its bit in
   * flush_cpumask — so the caller waits (true). The targets' handlers are charged as they take the
   * IPIs (ackInterrupt). Counted under the `shootdown` path.
   */
  flushTlbOthers(from: number, to: readonly number[], count: number): boolean {
    if (to.length === 0 || count <= 0) return false;
    this.icrWrites(from, to, 'tlb-shootdown', count);
    this.hv.deliverIpi(this.guest, to, 'tlb-shootdown', count);
    return true;
  }

  /**
   * `count` IPIs through the virtual local APIC: Linux's send_IPI_mask writes ICR high then ICR
   * low, one pair for the whole destination mask in flat logical mode (ipiWrites), one pair per
   * target in physical mode (ipiWritesPhysical). The high write stays in the ROM; the low write
   * sends the interrupt, which leaves the guest once. Before each ICR2/ICR pair,
   * __send_IPI_dest_field waits for the ICR to be idle (apic_wait_icr_idle: APICRead(APIC_ICR)
   * until the busy bit is clear); a virtual APIC is never busy, so one read each — a ROM call (no
   * exit: an ASSUMPTION). The pairs are counted, not built: what a write holds changes no charge.
   */
  private icrWrites(from: number, to: readonly number[], kind: IpiKind, count: number): void {
    const shootdown = kind === 'tlb-shootdown';
    const path = shootdown ? SHOOTDOWN_PATH : undefined;
    let flat = this.flatLogical;
    for (let i = 0; flat && i < to.length; i++) if (!(to[i]! < FLAT_LOGICAL_MAX_CPUS)) flat = false;
    // A target flat logical mode cannot address throws here, as building its writes does.
    if (flat) flatLogicalMask(to);
    const pairs = flat ? 1 : to.length;
    const sends = count !== 1 ? { transitions: count, ...path } : shootdown ? ONE_SHOOTDOWN_EXIT : EXIT;
    const inRom = count * this.costs.vmiCallCycles;
    const leaving = count * (this.costs.vmiCallCycles + this.costs.exitCycles);
    for (let i = 0; i < pairs; i++) {
      this.calls.charge(this.guest, from, this.id.apicRead, count, inRom, path);
      this.calls.charge(this.guest, from, this.id.apicWrite, count, inRom, path);
      this.calls.charge(this.guest, from, this.id.apicWrite, count, leaving, sends);
    }
  }

  /**
   * End of interrupt: the handler writes the local APIC's EOI register through the ROM
   * (APICWrite). The virtual APIC's state lives in the VMM, so the write leaves the guest — an
   * ASSUMPTION (the 2.6.21 VMI guest routes every APIC write through the ROM; whether ESX's ROM
   * could retire an EOI without an exit is not documented). A device interrupt or IPI whose
   * vector is already pending while the vCPU is not running merges with it in the IRR
   * (pending-edges.ts): no handler, no EOI.
   *
   * A TLB-shootdown IPI runs smp_invalidate_interrupt: local_flush_tlb (FlushTLB, an exit like the
   * sender's own, sim/abi/vmi/mmu.ts) before the EOI, under the `shootdown` path. These never
   * merge: the sender waits for each one's acknowledgement before it sends the next, and another
   * sender waits on tlbstate_lock.
   */
  ackInterrupt(vcpu: number, source: InterruptSource, count = 1): void {
    const shootdown = source === 'tlb-shootdown';
    const n = source === 'timer' || shootdown ? count : this.edges.arrive(vcpu, source, count);
    const cycles = n * (this.costs.vmiCallCycles + this.costs.exitCycles);
    if (shootdown)
      this.calls.charge(
        this.guest,
        vcpu,
        this.id.shootdownFlush,
        n,
        cycles,
        n === 1 ? ONE_SHOOTDOWN_EXIT : { transitions: n, path: 'shootdown' },
      );
    if (n > 0)
      this.calls.charge(
        this.guest,
        vcpu,
        this.id.eoi,
        n,
        cycles,
        n !== 1
          ? { transitions: n, path: shootdown ? 'shootdown' : 'interrupt' }
          : shootdown
            ? ONE_SHOOTDOWN_EXIT
            : ONE_INTERRUPT_EXIT,
      );
    if (n < count) this.calls.charge(this.guest, vcpu, this.id.merged, count - n, 0, INTERRUPT_PATH);
  }

  /** The clocksource "vmi-timer" reads the REAL counter (rounded down to whole cycles). */
  clockNs(nowNs: number): number {
    return cyclesToNs(nsToCycles(nowNs, this.mhz), this.mhz);
  }

  /** The doorbell of an emulated device: one I/O-port write, which leaves the guest. */
  submitIo(vcpu: number, completeAtNs: number): void {
    this.calls.charge(this.guest, vcpu, this.id.ioPort, 1, this.costs.exitCycles, EXIT);
    this.hv.completeIoAt(this.guest, vcpu, completeAtNs);
  }

  balloonTarget(): number {
    this.hv.chargeCall(this.guest, DRIVER_VCPU, BALLOON_PORT.GetTarget, 1, this.costs.exitCycles, {
      ...EXIT,
      path: 'balloon',
    });
    return this.hv.balloonTargetPages(this.guest);
  }

  /** Lock: the VMM takes every page the driver names; it reports them to the host's memory. */
  balloonInflate(pages: number): number {
    const n = this.portPages(BALLOON_PORT.Lock, pages);
    this.hv.balloonInflated(this.guest, n);
    return n;
  }

  /** Unlock: the pages come back to the guest at once (fresh: the VMM backs them when written). */
  balloonDeflate(pages: number): number {
    const n = this.portPages(BALLOON_PORT.Unlock, pages);
    this.hv.balloonDeflated(this.guest, n);
    return n;
  }

  /** The 2006-era protocol moves one page per port access: an exit and a page cost each. */
  private portPages(call: string, pages: number): number {
    const perPage = this.costs.exitCycles + this.costs.pageCycles;
    this.hv.chargeCall(this.guest, DRIVER_VCPU, call, pages, pages * perPage, {
      transitions: pages,
      path: 'balloon',
    });
    return pages;
  }

  /** Page-table work as ROM calls (sim/abi/vmi/mmu.ts says which leave the guest). */
  mmu(vcpu: number, event: MmuEvent, count: number, shape: ProcessShape): void {
    if (count > 0) this.mmuCharger.charge(vcpu, event, count, shape);
  }
}
