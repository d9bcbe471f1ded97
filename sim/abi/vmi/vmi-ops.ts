/**
 * The guest's side of VMI: ParavirtOps carried out as VMI ROM calls. Time crosses the interface
 * in cycles of the VMI counters (rate = GetCycleFrequency = the host's CPU clock), as in
 * vmitime.c: alarms are absolute expiries on the REAL counter, clocks are three counter reads.
 * Each call is counted under its VMI name and costed (vmiCallCycles; a balloon-port access is an
 * I/O exit). Conversions are exact integer arithmetic for any run shorter than 2^53 ns.
 */
import type { GuestClocks, HypervisorServices, ParavirtOps } from '../types.js';
import {
  BALLOON_PORT,
  PORT_ACCESS_CYCLES_DEFAULT,
  VMI_ALARM_IS_ONESHOT,
  VMI_ALARM_WIRED_LVTT,
  VMI_CALL_CYCLES_DEFAULT,
  VMI_CYCLES_AVAILABLE,
  VMI_CYCLES_REAL,
  VMI_CYCLES_STOLEN,
} from './constants.js';

/** The flags the guest's wake-up alarm uses: one-shot on REAL, wired to the local APIC timer. */
export const WAKEUP_ALARM_FLAGS = VMI_ALARM_WIRED_LVTT | VMI_ALARM_IS_ONESHOT | VMI_CYCLES_REAL;

/** ns → cycles at `mhz`, rounded down (or up): cycles = ns × mhz / 1000, split to stay exact. */
export function nsToCycles(ns: number, mhz: number, roundUp = false): number {
  const us = Math.floor(ns / 1000);
  const remNs = ns - us * 1000;
  const part = remNs * mhz; // < 1000 × mhz: exact
  return us * mhz + (roundUp ? Math.ceil(part / 1000) : Math.floor(part / 1000));
}

/** cycles → ns at `mhz`, rounded down (or up): ns = cycles × 1000 / mhz, split to stay exact. */
export function cyclesToNs(cycles: number, mhz: number, roundUp = false): number {
  const us = Math.floor(cycles / mhz);
  const rem = cycles - us * mhz;
  const part = rem * 1000; // < 1000 × mhz: exact
  return us * 1000 + (roundUp ? Math.ceil(part / mhz) : Math.floor(part / mhz));
}

export class VmiOps implements ParavirtOps {
  readonly abi = 'vmi';
  private readonly mhz: number;

  constructor(
    private readonly hv: HypervisorServices,
    private readonly guest: number,
    private readonly callCycles = VMI_CALL_CYCLES_DEFAULT,
    private readonly portCycles = PORT_ACCESS_CYCLES_DEFAULT,
  ) {
    this.mhz = hv.cpuMHz;
  }

  halt(vcpu: number): void {
    this.hv.countCall(this.guest, 'Halt', 1, this.callCycles);
    this.hv.haltVcpu(this.guest, vcpu);
  }

  armWakeup(vcpu: number, atNs: number): void {
    // SetAlarm(flags, expiry, period = 0): the expiry is absolute on the REAL counter; round up so
    // the alarm never fires before the guest asked.
    this.hv.countCall(this.guest, 'SetAlarm', 1, this.callCycles);
    const expiryCycles = nsToCycles(atNs, this.mhz, true);
    this.hv.setTimer(this.guest, vcpu, cyclesToNs(expiryCycles, this.mhz, true));
  }

  cancelWakeup(vcpu: number): void {
    this.hv.countCall(this.guest, 'CancelAlarm', 1, this.callCycles);
    this.hv.cancelTimer(this.guest, vcpu);
  }

  readClocks(vcpu: number): GuestClocks {
    this.hv.countCall(this.guest, 'GetCycleCounter', 3, 3 * this.callCycles);
    const c = this.hv.clocks(this.guest, vcpu);
    const counters = [0, 0, 0];
    counters[VMI_CYCLES_REAL] = nsToCycles(c.realNs, this.mhz);
    counters[VMI_CYCLES_AVAILABLE] = nsToCycles(c.availableNs, this.mhz);
    // The ROM keeps REAL = AVAILABLE + STOLEN exactly (vmi_time.h); derive STOLEN so rounding
    // cannot break that.
    counters[VMI_CYCLES_STOLEN] = counters[VMI_CYCLES_REAL]! - counters[VMI_CYCLES_AVAILABLE]!;
    return {
      realNs: cyclesToNs(counters[VMI_CYCLES_REAL]!, this.mhz),
      availableNs: cyclesToNs(counters[VMI_CYCLES_AVAILABLE]!, this.mhz),
      stolenNs: cyclesToNs(counters[VMI_CYCLES_STOLEN]!, this.mhz),
    };
  }

  balloonTarget(): number {
    this.hv.countCall(this.guest, BALLOON_PORT.GetTarget, 1, this.portCycles);
    return this.hv.balloonTargetPages(this.guest);
  }

  balloonInflate(pages: number): void {
    // The 2006-era protocol locks one page per port access.
    this.hv.countCall(this.guest, BALLOON_PORT.Lock, pages, pages * this.portCycles);
    this.hv.balloonInflated(this.guest, pages);
  }

  balloonDeflate(pages: number): void {
    this.hv.countCall(this.guest, BALLOON_PORT.Unlock, pages, pages * this.portCycles);
    this.hv.balloonDeflated(this.guest, pages);
  }
}
