// VMI time interface: exact ns↔cycle conversion, REAL = AVAILABLE + STOLEN, and the tickless
// sleep of 2.6.21 vmi_safe_halt — CancelAlarm + SetAlarm(one-shot) + Halt, then on the wake-up
// alarm an EOI and two accountings (handler, restart) of two counter reads each, REAL and
// AVAILABLE, and SetAlarm(periodic) — over a whole run.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nsToCycles, VmiOps, WAKEUP_ALARM_FLAGS } from '../../sim/abi/vmi/vmi-ops.js';
import { cyclesToNs } from '../../sim/abi/costs.js';
import { COST_PRESETS } from '../../sim/abi/costs.js';
import type { CallEffects, GuestClocks, HypervisorServices } from '../../sim/abi/types.js';
import { VMI_CALL } from '../../sim/abi/vmi/constants.js';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

describe('VMI cycle conversion', () => {
  it('is exact for an hour at 3000 MHz', () => {
    expect(nsToCycles(3600e9, 3000)).toBe(3600 * 3e9);
    expect(cyclesToNs(3600 * 3e9, 3000)).toBe(3600e9);
  });
  it('rounding up never lands before the requested time, and by less than 1 ns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), fc.integer({ min: 1, max: 10_000 }), (ns, mhz) => {
        const back = cyclesToNs(nsToCycles(ns, mhz, true), mhz, true);
        return back >= ns && back - ns <= Math.ceil(1000 / mhz);
      }),
    );
  });
});

describe('VMI constants', () => {
  it('match Linux 2.6.21 vmi.h / vmi_time.h (reference/time-cpu-abi.md §1.4–1.5)', () => {
    expect(VMI_CALL.SetIDT).toBe(5);
    expect(VMI_CALL.WriteIDTEntry).toBe(13);
    expect(VMI_CALL.Halt).toBe(35);
    expect(VMI_CALL.APICWrite).toBe(63);
    expect(VMI_CALL.GetCycleFrequency).toBe(66);
    expect(VMI_CALL.GetCycleCounter).toBe(67);
    expect(VMI_CALL.SetAlarm).toBe(68);
    expect(VMI_CALL.CancelAlarm).toBe(69);
    expect(VMI_CALL.GetWallclockTime).toBe(70);
    expect(VMI_CALL.WallclockUpdated).toBe(71);
    // One-shot alarm on REAL (counter 0) wired to the local APIC timer: 0x00010000.
    expect(WAKEUP_ALARM_FLAGS).toBe(0x00010000);
  });
});

describe('VMI counter reads', () => {
  it('an accounting reads REAL and AVAILABLE (2 ROM calls, no exit) and derives STOLEN', () => {
    // vmi_local_timer_interrupt (2.6.21 vmitime.c): read_real_cycles(), read_available_cycles();
    // stolen = real − avail (vmi_account_stolen_cycles). At 3000 MHz, 1 ns = 3 cycles.
    const calls: { call: string; count: number; cycles: number; effects?: CallEffects }[] = [];
    const hv = {
      cpuMHz: 3000,
      clocks: (): GuestClocks => ({ realNs: 2e9, availableNs: 1.5e9, stolenNs: 0.5e9 }),
      chargeCall: (
        _g: number,
        _v: number,
        call: string,
        count: number,
        cycles: number,
        effects?: CallEffects,
      ) => void calls.push({ call, count, cycles, ...(effects ? { effects } : {}) }),
    } as unknown as HypervisorServices;
    const vmi = new VmiOps(hv, 0, COST_PRESETS['p4-2006']);
    const c = vmi.readClocks(0);
    expect(calls).toEqual([{ call: 'GetCycleCounter', count: 2, cycles: 2 * 50 }]);
    expect(c.cycles).toEqual({ real: 6e9, available: 4.5e9, stolen: 1.5e9 });
    expect(c.stolenNs).toBe(0.5e9);
    // Five interrupts handled at once: ten reads.
    vmi.readClocks(0, 5);
    expect(calls[1]).toEqual({ call: 'GetCycleCounter', count: 10, cycles: 10 * 50 });
  });

  it('a read into an earlier answer fills that object with what a new read holds', () => {
    let now = 2e9;
    const hv = {
      cpuMHz: 3000,
      clocks: (): GuestClocks => ({ realNs: now, availableNs: now - 0.5e9, stolenNs: 0.5e9 }),
      chargeCall: () => {},
    } as unknown as HypervisorServices;
    const vmi = new VmiOps(hv, 0, COST_PRESETS['p4-2006']);
    const first = vmi.readClocks(0);
    now = 3e9;
    const fresh = vmi.readClocks(0);
    const again = vmi.readClocks(0, 1, undefined, first);
    expect(again).toBe(first);
    expect(again).toEqual(fresh);
    expect(again.cycles).toEqual({ real: 9e9, available: 7.5e9, stolen: 1.5e9 });
  });
});

describe('VMI calls from the guest', () => {
  it('per sleep CancelAlarm + 2 SetAlarm + Halt + EOI + 4 counter reads; 2 reads per periodic alarm', () => {
    const r = simulate(
      spec(`
name: t
duration: 30s
host: { pcpus: 2, memory: 4GiB }
guests:
  - { name: a, memory: 1GiB, workload: { type: idle, tick: 50ms, work: 20ms, resident: 100MiB } }
`),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    const calls = g.interfaceCalls;
    // reference/time-cpu-abi.md §1.6 "NO_IDLE_HZ idle": each sleep enters tickless idle with
    // CancelAlarm(AVAILABLE) + SetAlarm(ONESHOT|REAL), then Halt. Every sleep here is ≈ 30 ms (20 ms
    // of work every 50 ms), over the 8 ms (HZ/100 jiffies at HZ 250) under which the kernel would stay periodic
    // (test/model/vmi-short-sleeps.test.ts).
    // One sleep per 50 ms: 600 in 30 s.
    expect(calls.Halt).toBeGreaterThanOrEqual(599);
    expect(calls.Halt).toBeLessThanOrEqual(600);
    expect(calls.CancelAlarm).toBe(calls.Halt);
    // One vCPU, no I/O, no IPIs: only its own wake-up alarm ends a halt, and each ends one —
    // every sleep but possibly the last (still halted at the end). Each end re-arms the periodic
    // alarm (vmi_reenable_hz_timer): SetAlarm = one-shots + periodic re-arms.
    const wakes = calls.SetAlarm! - calls.CancelAlarm!;
    expect(wakes).toBeGreaterThanOrEqual(calls.Halt! - 1);
    expect(wakes).toBeLessThanOrEqual(calls.Halt!);
    // EOI: one per periodic alarm (100 Hz on AVAILABLE while running) and one per wake-up alarm
    // (ack_APIC_irq on LVTT).
    const periodic = g.timerInterrupts.delivered;
    expect(calls['APICWrite(EOI)']).toBe(periodic + wakes);
    // Counter reads: 2 per periodic alarm; 4 per wake (the alarm handler's accounting, then
    // vmi_account_time_restart_hz_timer's).
    expect(calls.GetCycleCounter).toBe(2 * periodic + 4 * wakes);
    // Running 40 % of 30 s = 12 s at 100 alarms per second of running (the alarm is cancelled
    // while halted): about 1,200.
    expect(periodic).toBeGreaterThan(1100);
    expect(periodic).toBeLessThan(1300);
  });
});
