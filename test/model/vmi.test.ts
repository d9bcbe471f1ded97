// VMI time interface: exact ns↔cycle conversion, REAL = AVAILABLE + STOLEN, and one SetAlarm and
// one Halt per sleep with two counter reads, REAL and AVAILABLE, per timer interrupt (as 2.6.21
// vmitime.c reads them).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cyclesToNs, nsToCycles, VmiOps, WAKEUP_ALARM_FLAGS } from '../../sim/abi/vmi/vmi-ops.js';
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
});

describe('VMI calls from the guest', () => {
  it('one SetAlarm and one Halt per sleep, two counter reads per timer interrupt', () => {
    const r = simulate(
      spec(`
name: t
duration: 30s
host: { pcpus: 2, memory: 4GiB }
guests:
  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 0.4, burst: 4ms, resident: 100MiB } }
`),
      { checkInvariants: true },
    );
    const g = r.summary!.guests[0]!;
    const calls = g.interfaceCalls;
    expect(calls.Halt).toBeGreaterThan(1000);
    expect(calls.SetAlarm).toBe(calls.Halt);
    // Counter reads: two per periodic alarm (100 Hz on AVAILABLE while running) and two per
    // wake-up alarm; every wake-up alarm but possibly the last (pending at the end) has fired.
    const periodic = g.timerInterrupts.delivered;
    expect(periodic).toBeGreaterThan(0);
    const wakeReads = calls.GetCycleCounter! / 2 - periodic;
    expect(wakeReads).toBeGreaterThanOrEqual(calls.SetAlarm! - 1);
    expect(wakeReads).toBeLessThanOrEqual(calls.SetAlarm!);
    // Running 40 % of 30 s = 12 s at 100 alarms per second of running: about 1,200.
    expect(periodic).toBeGreaterThan(1100);
    expect(periodic).toBeLessThan(1300);
  });
});
