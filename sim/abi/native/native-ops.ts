/**
 * No paravirtual interface: what a guest does when it finds none it accepts (a VMI ROM refused
 * by check_vmi_rom falls back to native). Privileged operations trap to the hypervisor and are
 * emulated — each one a world switch (`exitCycles`): HLT, the local APIC timer write, LIDT. The
 * guest reads time from the TSC and so cannot see stolen time at all, and without a balloon
 * driver it never balloons: its balloon target reads as zero.
 */
import type { GuestClocks, HypervisorServices, InterruptSource, IpiKind, ParavirtOps } from '../types.js';
import type { CostModel } from '../../spec/cost-model.js';
import type { Idt } from '../i386/idt.js';

/** Every emulated privileged instruction is one trap to the hypervisor. */
const TRAP = { transitions: 1 };

export const NATIVE_CALL = {
  hlt: 'HLT (trapped)',
  apicTimer: 'APIC timer write (trapped)',
  lidt: 'LIDT (trapped)',
  rdtsc: 'RDTSC',
  eoi: 'APIC EOI write (trapped)',
  ioPort: 'device I/O port write (trapped)',
} as const;

export class NativeOps implements ParavirtOps {
  readonly abi = 'native';

  constructor(
    private readonly hv: HypervisorServices,
    private readonly guest: number,
    private readonly costs: CostModel,
  ) {}

  installIdt(_idt: Idt): void {
    this.hv.chargeCall(this.guest, 0, NATIVE_CALL.lidt, 1, this.costs.exitCycles, TRAP);
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

  ackInterrupt(vcpu: number, _source: InterruptSource, count = 1): void {
    this.hv.chargeCall(this.guest, vcpu, NATIVE_CALL.eoi, count, count * this.costs.exitCycles, {
      transitions: count,
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
}
