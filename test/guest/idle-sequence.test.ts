// The calls one guest sleep and its wake-up make, per interface, pinned call by call: the real
// ABI adapters (VmiOps, XenOps) under a Guest, over a host stub that records every chargeCall.
// Expected sequences, derived by hand from reference/time-cpu-abi.md:
//  VMI, 2.6.21 NO_IDLE_HZ (§1.4: safe_halt = vmi_stop_hz_timer(); Halt;
//  vmi_account_time_restart_hz_timer(); §1.6 "NO_IDLE_HZ idle" and "on each alarm interrupt"):
//    sleep  CancelAlarm(AVAILABLE), SetAlarm(ONESHOT|REAL), Halt                → 3 exits
//    wake   the one-shot on LVTT: APICWrite(EOI) (ack_APIC_irq in smp_apic_vmi_timer_interrupt,
//           vmitime.c @ e585047e — not in the reference's text), GetCycleCounter ×2
//           (vmi_local_timer_interrupt: REAL, AVAILABLE); the halt ends: GetCycleCounter ×2
//           (restart: REAL, AVAILABLE) and SetAlarm(PERIODIC|AVAILABLE)             → 2 exits
//    per sleep: 1 CancelAlarm, 2 SetAlarm, 1 Halt, 1 EOI, 4 GetCycleCounter. At p4-2006:
//    4 × 3,000 + (50 + 3,000) + 4 × 50 = 15,250 cycles (the model before: SetAlarm, Halt and
//    2 reads = 6,100 cycles).
//  Xen, XenLinux 3.0.4 (§2.5 "Idle: stop_hz_timer() calls set_timer_op(next timer) and then
//  HYPERVISOR_block()"; §2.2 VIRQ_TIMER; §2.7 upcall on a pending event):
//    sleep  set_timer_op(absolute ns), sched_op(SCHEDOP_block)                   → 2 hypercalls
//    wake   the VIRQ_TIMER upcall (counted, 0 cycles: no cost for it in the reference or the cost
//           model), timer_interrupt's one read of vcpu_time_info/runstate (shared memory, 0
//           cycles); no re-arming (the reference names none)
//    per sleep: 1 set_timer_op, 1 block, 1 upcall, 1 shared read; 2 × 1,000 = 2,000 cycles.
import { describe, expect, it } from 'vitest';
import { Guest } from '../../sim/guest/guest.js';
import { VmiOps, PERIODIC_ALARM_FLAGS, WAKEUP_ALARM_FLAGS } from '../../sim/abi/vmi/vmi-ops.js';
import { XenOps, XEN_CALL } from '../../sim/abi/xen/xen-ops.js';
import { COST_PRESETS } from '../../sim/abi/costs.js';
import type { CallEffects, GuestClocks, ParavirtOps } from '../../sim/abi/types.js';
import { stubHypervisor } from '../helpers/stub-hypervisor.js';
import type { GuestClockDecl } from '../../sim/abi/interface.js';
import { VMI_CLOCK } from '../../sim/abi/vmi/vmi-interface.js';
import { XEN_CLOCK } from '../../sim/abi/xen/xen-interface.js';
import type { WorkloadInstance } from '../../workloads/types.js';

const P4 = COST_PRESETS['p4-2006'];
const MS = 1_000_000;

interface Call {
  call: string;
  count: number;
  cycles: number;
  transitions: number;
}

/**
 * The interrupt-flag calls (masked sections and interrupt returns, pinned in
 * test/guest/irq-flag.test.ts) are left out: this file pins the timer's calls.
 */
const IRQ_FLAG_CALLS = new Set([
  'IRET',
  'DisableInterrupts',
  'EnableInterrupts',
  'GetInterruptMask',
  'SetInterruptMask',
  'shared evtchn_upcall_mask write',
]);

/** A host that records calls, timers and halts; time is set by the test. */
function stubHost() {
  const calls: Call[] = [];
  const timers: number[] = [];
  const halts: number[] = [];
  let now = 0;
  const hv = stubHypervisor({
    nowNs: () => now,
    haltVcpu: (_g, v) => void halts.push(v),
    setTimer: (_g, _v, atNs) => void timers.push(atNs),
    clocks: (): GuestClocks => ({ realNs: now, availableNs: now, stolenNs: 0 }),
    // Running all along: no steal, as the clocks say.
    runstateArea: () => ({ state: 0, stateEntryNs: now, timeNs: [now, 0, 0, 0] }),
    chargeCall: (_g, _v, call, count, cycles, effects?: CallEffects) => {
      if (!IRQ_FLAG_CALLS.has(call))
        calls.push({ call, count, cycles, transitions: effects?.transitions ?? 0 });
    },
  });
  return { hv, calls, timers, halts, setNow: (t: number) => void (now = t) };
}

/** 1 ms of work, then a 50 ms sleep ended by the wake-up alarm, over and over. */
const sleeper: WorkloadInstance = {
  anonPages: () => 0,
  nextBurst: () => ({ workNs: 1 * MS, idleNs: 50 * MS }),
};

function guest(ops: ParavirtOps, clock: GuestClockDecl): Guest {
  const g = new Guest(
    0,
    'g',
    1,
    { totalPages: 1000, reservedPages: 10, minFreePages: 10, swapTotalPages: 1000 },
    ops,
    sleeper,
    { clock, hz: 1000, sync: 'none', vmiAlarmHz: 100 },
  );
  g.boot(0);
  return g;
}

/** Calls summed by name, in first-seen order. */
function tally(calls: Call[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const c of calls) t[c.call] = (t[c.call] ?? 0) + c.count;
  return t;
}
const cycles = (calls: Call[]) => calls.reduce((a, c) => a + c.cycles, 0);
const exits = (calls: Call[]) => calls.reduce((a, c) => a + c.transitions, 0);

function vmiSetup() {
  const h = stubHost();
  const g = guest(new VmiOps(h.hv, 0, P4), VMI_CLOCK);
  h.calls.length = 0; // boot's WriteIDTEntry calls
  return { ...h, g };
}

/** A sleep from 1 ms, then its wake-up alarm at 51 ms: the calls the wake-up made. */
function wakeCalls(setup: { g: Guest; calls: Call[]; setNow: (t: number) => void }): Call[] {
  const { g, calls, setNow } = setup;
  g.ran(0, 1 * MS, 1 * MS);
  calls.length = 0;
  setNow(51 * MS);
  g.timerInterrupt(0, 51 * MS);
  return calls;
}

function xenSetup() {
  const h = stubHost();
  const g = guest(new XenOps(h.hv, 0, P4), XEN_CLOCK);
  h.calls.length = 0; // boot's set_trap_table
  return { ...h, g };
}

describe('VMI sleep and wake (2.6.21 vmi_safe_halt, NO_IDLE_HZ)', () => {
  it('the alarm flags: one-shot on REAL and periodic on AVAILABLE, both wired to LVTT', () => {
    // §1.5: WIRED_LVTT 0x00010000, IS_PERIODIC 0x100, REAL 0, AVAILABLE 1; §1.6 gives 0x00010101.
    expect(WAKEUP_ALARM_FLAGS).toBe(0x00010000);
    expect(PERIODIC_ALARM_FLAGS).toBe(0x00010101);
  });

  it('sleep: CancelAlarm, SetAlarm (one-shot), Halt — in that order, 3 exits', () => {
    const { g, calls, timers, halts } = vmiSetup();
    g.ran(0, 1 * MS, 1 * MS); // the burst ends: sleep until 51 ms
    expect(calls.map((c) => [c.call, c.count])).toEqual([
      ['CancelAlarm', 1],
      ['SetAlarm', 1],
      ['Halt', 1],
    ]);
    expect(exits(calls)).toBe(3);
    expect(cycles(calls)).toBe(3 * P4.exitCycles);
    // The one-shot goes at a jiffy: jiffies + ⌈50 ms / 1 ms⌉ from the jiffies the guest has. No
    // alarm has come since boot, so jiffies is still 0: 50 ms, before the 51 ms expiry.
    expect(timers).toEqual([50 * MS]);
    expect(halts).toEqual([0]);
  });

  it('wake: EOI and an accounting in the alarm handler, then an accounting and SetAlarm (periodic)', () => {
    const setup = vmiSetup();
    const { g } = setup;
    const calls = wakeCalls(setup);
    expect(calls.map((c) => [c.call, c.count])).toEqual([
      ['APICWrite(EOI)', 1],
      ['GetCycleCounter', 2],
      ['GetCycleCounter', 2],
      ['SetAlarm', 1],
    ]);
    expect(exits(calls)).toBe(2);
    expect(cycles(calls)).toBe(P4.vmiCallCycles + P4.exitCycles + 4 * P4.vmiCallCycles + P4.exitCycles);
    expect(g.remainingWorkNs(0)).toBe(1 * MS); // the task runs again
    expect(g.time.reads).toBe(2);
  });

  it('per sleep: 1 CancelAlarm, 2 SetAlarm, 1 Halt, 1 EOI, 4 counter reads = 15,250 cycles', () => {
    const { g, calls, setNow } = vmiSetup();
    for (let i = 0; i < 3; i++) {
      const t0 = i * 51 * MS;
      g.ran(0, 1 * MS, t0 + 1 * MS);
      setNow(t0 + 51 * MS);
      g.timerInterrupt(0, t0 + 51 * MS);
    }
    expect(tally(calls)).toEqual({
      CancelAlarm: 3,
      SetAlarm: 6,
      Halt: 3,
      'APICWrite(EOI)': 3,
      GetCycleCounter: 12,
    });
    expect(cycles(calls)).toBe(3 * 15_250);
    expect(exits(calls)).toBe(3 * 5);
  });

  it('an IPI that ends the halt restarts the periodic alarm; idle is entered again with the same alarm', () => {
    const { g, calls, timers, setNow } = vmiSetup();
    g.ran(0, 1 * MS, 1 * MS);
    calls.length = 0;
    setNow(20 * MS);
    g.ipi(0, 'tlb-shootdown'); // the task still sleeps
    // smp_invalidate_interrupt: local_flush_tlb, then the EOI.
    expect(calls.map((c) => [c.call, c.count])).toEqual([
      ['FlushTLB(VMI_FLUSH_TLB) IPI handler', 1],
      ['APICWrite(EOI)', 1],
      ['GetCycleCounter', 2],
      ['SetAlarm', 1],
    ]);
    calls.length = 0;
    g.ran(0, 0, 20 * MS); // handlers paid (the stub charges no CPU): back to idle
    expect(calls.map((c) => c.call)).toEqual(['CancelAlarm', 'SetAlarm', 'Halt']);
    // First from jiffies 0 (50 ms, as above); the IPI's idle exit accounted up to 20 ms, so the
    // second is 20 + ⌈31 ms / 1 ms⌉ jiffies: 51 ms.
    expect(timers).toEqual([50 * MS, 51 * MS]);
    expect(g.remainingWorkNs(0)).toBe(0);
  });
});

describe('Xen sleep and wake (XenLinux 3.0.4 stop_hz_timer + SCHEDOP_block)', () => {
  it('sleep: set_timer_op then sched_op(block), 2 hypercalls', () => {
    const { g, calls, timers, halts } = xenSetup();
    g.ran(0, 1 * MS, 1 * MS);
    expect(calls.map((c) => [c.call, c.count])).toEqual([
      [XEN_CALL.setTimer, 1],
      [XEN_CALL.block, 1],
    ]);
    expect(cycles(calls)).toBe(2 * P4.hypercallCycles);
    // jiffies_to_st(jiffies + ⌈50 ms / 1 ms⌉) from jiffies 0 (no timer event yet): 50 ms of
    // system time. Xen fires it at the first true instant the guest's pvclock reads that, which
    // the stub host's scaling puts 1 ns later.
    expect(timers).toEqual([50 * MS + 1]);
    expect(halts).toEqual([0]);
  });

  it('wake: the VIRQ_TIMER upcall and one shared-memory read, no hypercall', () => {
    const setup = xenSetup();
    const { g } = setup;
    const calls = wakeCalls(setup);
    expect(calls.map((c) => [c.call, c.count])).toEqual([
      [XEN_CALL.upcall, 1],
      [XEN_CALL.sharedClockRead, 1],
    ]);
    expect(cycles(calls)).toBe(0);
    expect(exits(calls)).toBe(0);
    expect(g.remainingWorkNs(0)).toBe(1 * MS);
  });

  it('per sleep: 1 set_timer_op, 1 block, 1 upcall, 1 read; an IPI-ended halt re-arms set_timer_op', () => {
    const { g, calls, setNow } = xenSetup();
    for (let i = 0; i < 3; i++) {
      const t0 = i * 51 * MS;
      g.ran(0, 1 * MS, t0 + 1 * MS);
      setNow(t0 + 51 * MS);
      g.timerInterrupt(0, t0 + 51 * MS);
    }
    expect(tally(calls)).toEqual({
      [XEN_CALL.setTimer]: 3,
      [XEN_CALL.block]: 3,
      [XEN_CALL.upcall]: 3,
      [XEN_CALL.sharedClockRead]: 3,
    });
    expect(cycles(calls)).toBe(3 * 2 * P4.hypercallCycles);
    calls.length = 0;
    g.ran(0, 1 * MS, 154 * MS);
    g.ipi(0, 'tlb-shootdown');
    g.ran(0, 0, 160 * MS); // back to idle: stop_hz_timer again
    expect(calls.map((c) => c.call)).toEqual([
      XEN_CALL.setTimer,
      XEN_CALL.block,
      XEN_CALL.upcall,
      XEN_CALL.setTimer,
      XEN_CALL.block,
    ]);
  });
});
