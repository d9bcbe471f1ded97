/**
 * No paravirtual interface: what a guest does when it finds none it accepts (a VMI ROM refused
 * by check_vmi_rom falls back to native). Privileged operations trap to the hypervisor and are
 * emulated — each one a world switch (`exitCycles`): HLT, the local APIC timer write, LIDT. The
 * guest reads time from the TSC and so cannot see stolen time at all, and without a balloon
 * driver it never balloons: its balloon target reads as zero.
 */
import type {
  GuestClocks,
  HypervisorServices,
  InterruptSource,
  IpiKind,
  IrqFlagWork,
  ParavirtOps,
} from '../types.js';
import type { CostModel } from '../../spec/cost-model.js';
import type { Idt } from '../i386/idt.js';
import { MmuCharger, type MmuEvent, type ProcessShape } from '../mmu.js';
import { NATIVE_MMU_CALL, nativeMmuCalls } from './mmu.js';

/** How the CR3 reload in a shootdown IPI's handler is counted. */
export const NATIVE_SHOOTDOWN_FLUSH = `${NATIVE_MMU_CALL.cr3} IPI handler`;

/** Every emulated privileged instruction is one trap to the hypervisor. */
const TRAP = { transitions: 1 };

export const NATIVE_CALL = {
  hlt: 'HLT (trapped)',
  apicTimer: 'APIC timer write (trapped)',
  lidt: 'LIDT (trapped)',
  rdtsc: 'RDTSC',
  eoi: 'APIC EOI write (trapped)',
  interruptWindow: 'interrupt window (trapped)',
  ioPort: 'device I/O port write (trapped)',
} as const;

export class NativeOps implements ParavirtOps {
  readonly abi = 'native';

  /** Page-table events' call sequences, built once per event (sim/abi/mmu.ts). */
  private readonly mmuCharger: MmuCharger;

  constructor(
    private readonly hv: HypervisorServices,
    private readonly guest: number,
    private readonly costs: CostModel,
  ) {
    this.mmuCharger = new MmuCharger(hv, guest, (event, shape) => nativeMmuCalls(event, shape, costs));
  }

  installIdt(_idt: Idt): void {
    this.hv.chargeCall(this.guest, 0, NATIVE_CALL.lidt, 1, this.costs.exitCycles, { ...TRAP, path: 'boot' });
  }

  halt(vcpu: number): void {
    this.hv.chargeCall(this.guest, vcpu, NATIVE_CALL.hlt, 1, this.costs.exitCycles, TRAP);
    this.hv.haltVcpu(this.guest, vcpu);
  }

  armWakeup(vcpu: number, atNs: number): void {
    this.hv.chargeCall(this.guest, vcpu, NATIVE_CALL.apicTimer, 1, this.costs.exitCycles, TRAP);
    if (Number.isFinite(atNs)) this.hv.setTimer(this.guest, vcpu, atNs);
    else this.hv.cancelTimer(this.guest, vcpu);
  }

  cancelWakeup(vcpu: number): void {
    this.hv.chargeCall(this.guest, vcpu, NATIVE_CALL.apicTimer, 1, this.costs.exitCycles, TRAP);
    this.hv.cancelTimer(this.guest, vcpu);
  }

  /** No call: a native guest keeps a tick-counting clock, whose kernel is not tickless. */
  stopPeriodicTimer(_vcpu: number): void {}

  restartPeriodicTimer(_vcpu: number): void {}

  readClocks(vcpu: number, times = 1, atNs?: number): GuestClocks {
    this.hv.chargeCall(this.guest, vcpu, NATIVE_CALL.rdtsc, times, 0);
    const realNs = this.hv.clocks(this.guest, vcpu, atNs).realNs;
    // The TSC runs on while the vCPU waits: the guest counts stolen time as its own.
    return { realNs, availableNs: realNs, stolenNs: 0 };
  }

  sendIpi(from: number, to: readonly number[], kind: IpiKind): void {
    // An emulated local APIC: the ICR write traps.
    if (to.length === 0) return;
    this.hv.chargeCall(this.guest, from, 'APIC ICR write (trapped)', 1, this.costs.exitCycles, TRAP);
    this.hv.deliverIpi(this.guest, to, kind);
  }

  /**
   * An unmodified kernel's flush_tlb_others (Linux 2.6.21 smp.c): per flush, the invalidate IPI
   * through the emulated APIC (one trapped ICR write), then a spin until every target acknowledged.
   */
  flushTlbOthers(from: number, to: readonly number[], count: number): boolean {
    if (to.length === 0 || count <= 0) return false;
    this.hv.chargeCall(this.guest, from, 'APIC ICR write (trapped)', count, count * this.costs.exitCycles, {
      transitions: count,
      path: 'shootdown',
    });
    this.hv.deliverIpi(this.guest, to, 'tlb-shootdown', count);
    return true;
  }

  /** The EOI write traps; a shootdown's handler also reloads CR3 (local_flush_tlb), which traps. */
  ackInterrupt(vcpu: number, source: InterruptSource, count = 1): void {
    const shootdown = source === 'tlb-shootdown';
    const path = shootdown ? 'shootdown' : 'interrupt';
    if (shootdown)
      this.hv.chargeCall(this.guest, vcpu, NATIVE_SHOOTDOWN_FLUSH, count, count * this.costs.exitCycles, {
        transitions: count,
        path,
      });
    this.hv.chargeCall(this.guest, vcpu, NATIVE_CALL.eoi, count, count * this.costs.exitCycles, {
      transitions: count,
      path,
    });
  }

  clockNs(nowNs: number): number {
    // The TSC, read directly: exact.
    return nowNs;
  }

  submitIo(vcpu: number, completeAtNs: number): void {
    // An emulated device: the doorbell write to its I/O port traps.
    this.hv.chargeCall(this.guest, vcpu, NATIVE_CALL.ioPort, 1, this.costs.exitCycles, TRAP);
    this.hv.completeIoAt(this.guest, vcpu, completeAtNs);
  }

  balloonTarget(): number {
    return 0;
  }

  balloonInflate(_pages: number): number {
    return 0;
  }

  balloonDeflate(_pages: number): number {
    return 0;
  }

  /** Page-table work under shadow paging: the stores and instructions that trap (sim/abi/native/mmu.ts). */
  mmu(vcpu: number, event: MmuEvent, count: number, shape: ProcessShape): void {
    if (count > 0) this.mmuCharger.charge(vcpu, event, count, shape);
  }

  /** Every further CPU loads the IDT too (cpu_init → LIDT), each a trap. */
  bootVcpus(vcpus: number): void {
    if (vcpus > 1)
      this.hv.chargeCall(this.guest, 0, NATIVE_CALL.lidt, vcpus - 1, (vcpus - 1) * this.costs.exitCycles, {
        transitions: vcpus - 1,
        path: 'boot',
      });
  }

  /**
   * cli, sti, pushf/popf and iret run natively under hardware assist (no exit). An interrupt that
   * came while interrupts were masked is injected when they are unmasked: one exit each (a VT-x
   * interrupt-window exit; ASSUMPTION, as for VMI).
   */
  irqFlag(vcpu: number, work: IrqFlagWork): void {
    if (work.deferred > 0)
      this.hv.chargeCall(
        this.guest,
        vcpu,
        NATIVE_CALL.interruptWindow,
        work.deferred,
        work.deferred * this.costs.exitCycles,
        { transitions: work.deferred, path: 'interrupt' },
      );
  }
}
