// Interrupt delivery inside a guest: device completions arrive on vCPU 0, which wakes a task
// that slept on another vCPU with a reschedule IPI; IPIs reach their targets, which acknowledge
// them (an EOI write over VMI, an upcall over Xen) and wake if they were halted.
import { describe, expect, it } from 'vitest';
import { Guest } from '../../sim/guest/guest.js';
import { VMI_CLOCK } from '../../sim/abi/vmi/vmi-interface.js';
import type { GuestClocks, InterruptSource, IpiKind, ParavirtOps } from '../../sim/abi/types.js';
import type { WorkloadInstance } from '../../workloads/types.js';
import { simulate } from '../../sim/host/run.js';
import { runSpecs } from '../../sim/experiment/load.js';
import { experiment } from '../helpers/experiment.js';
import type { GuestSummary } from '../../sim/results/types.js';

/** ParavirtOps that record what the guest asks for, in order. */
function recordingOps() {
  const log: string[] = [];
  const ops: ParavirtOps = {
    abi: 'test',
    installIdt: () => {},
    halt: (v) => void log.push(`halt ${v}`),
    armWakeup: (v) => void log.push(`alarm ${v}`),
    cancelWakeup: () => {},
    stopPeriodicTimer: (v) => void log.push(`stop-periodic ${v}`),
    restartPeriodicTimer: (v) => void log.push(`restart-periodic ${v}`),
    readClocks: (): GuestClocks => ({ realNs: 0, availableNs: 0, stolenNs: 0 }),
    sendIpi: (from: number, to: readonly number[], kind: IpiKind) =>
      void log.push(`ipi ${from}->${to.join(',')} ${kind}`),
    ackInterrupt: (v: number, source: InterruptSource) => void log.push(`ack ${v} ${source}`),
    submitIo: (v) => void log.push(`io ${v}`),
    clockNs: (now) => now,
    balloonTarget: () => 0,
    balloonInflate: () => 0,
    balloonDeflate: () => 0,
    mmu: (v, event, n) => void log.push(`mmu ${v} ${event} ${n}`),
    flushTlbOthers: () => false,
    bootVcpus: () => {},
    irqFlag: () => {},
  };
  return { ops, log };
}

/** Every burst: 1 ms of work, then a 2 ms wait ended by an I/O completion. */
const ioWorkload: WorkloadInstance = {
  anonPages: () => 0,
  nextBurst: () => ({ workNs: 1e6, idleNs: 2e6, wake: 'io' }),
};

function twoVcpuGuest() {
  const { ops, log } = recordingOps();
  const g = new Guest(
    0,
    'g',
    2,
    { totalPages: 1000, reservedPages: 10, minFreePages: 10, swapTotalPages: 1000 },
    ops,
    ioWorkload,
    {
      clock: VMI_CLOCK,
      hz: 100,
      sync: 'none',
      vmiAlarmHz: 100,
    },
  );
  g.boot(0);
  return { g, log };
}

describe('device interrupts and reschedule IPIs', () => {
  it('a task on vCPU 1 that waits for I/O is woken by vCPU 0 with a reschedule IPI', () => {
    const { g, log } = twoVcpuGuest();
    g.ran(1, 1e6, 1e6); // vCPU 1 finishes its burst and submits I/O
    // The idle loop's safe_halt goes tickless whatever the task waits for: the periodic alarm
    // stopped, the one-shot armed for no timer (none pending), then Halt.
    expect(log).toEqual(['io 1', 'stop-periodic 1', 'alarm 1', 'halt 1']);
    expect(g.wantsCpu(1)).toBe(false);
    log.length = 0;
    g.deviceInterrupt(0, 1); // the completion arrives on vCPU 0
    expect(log).toEqual(['ack 0 device', 'ipi 0->1 reschedule']);
    expect(g.wantsCpu(1)).toBe(false); // not until the IPI is delivered
    log.length = 0;
    g.ipi(1, 'reschedule');
    // The IPI ends the tickless halt: VMI accounts the idle time and restarts its periodic alarm.
    expect(log).toEqual(['ack 1 reschedule', 'restart-periodic 1']);
    expect(g.wantsCpu(1)).toBe(true);
    expect(g.remainingWorkNs(1)).toBe(1e6);
  });

  it('a completion for vCPU 0 itself wakes it without an IPI', () => {
    const { g, log } = twoVcpuGuest();
    g.ran(0, 1e6, 1e6);
    log.length = 0;
    g.deviceInterrupt(0, 0);
    expect(log).toEqual(['ack 0 device', 'restart-periodic 0']);
    expect(g.remainingWorkNs(0)).toBe(1e6);
  });

  it('a TLB shootdown does not wake a sleeping task; a halted vCPU runs off its handler and halts again', () => {
    const { g, log } = twoVcpuGuest();
    g.ran(1, 1e6, 1e6);
    g.chargeCpu(1, 500); // the handler's EOI, as the interface would charge it
    g.ipi(1, 'tlb-shootdown');
    expect(g.wantsCpu(1)).toBe(true); // it must run to pay for the handler
    log.length = 0;
    g.ran(1, 500, 1e6 + 500);
    // Back to tickless idle, as at the first halt.
    expect(log).toEqual(['stop-periodic 1', 'alarm 1', 'halt 1']);
    expect(g.workDoneNs[1]).toBe(1e6); // handler time is not workload progress
  });
});

const EXP = (costs: string) => `
name: t
duration: 20s
host: { pcpus: 2, memory: 4GiB, costs: ${costs} }
guests:
  - { name: io, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 0.3, burst: 2ms, resident: 100MiB, wake: io } }
compare:
  vmi: { host.abi: vmi }
  xen: { host.abi: xen }
`;

describe('I/O-driven wake-ups across the host', () => {
  const run = (costs: string) =>
    runSpecs(experiment(EXP(costs))).map((s) => simulate(s, { checkInvariants: true }).summary!.guests[0]!);
  const timerAcks = (g: GuestSummary) => g.timerInterrupts.delivered;

  it('every completion interrupt and every IPI is acknowledged on its target, over either interface', () => {
    const [vmi, xen] = run('p4-2006');
    const v = vmi!.interfaceCalls;
    const x = xen!.interfaceCalls;
    // Requests: one device doorbell (VMI, an I/O-port exit) or notify (Xen, EVTCHNOP_send) per sleep.
    const vRequests = v['device I/O port write']!;
    const xRequests = x['event_channel_op(send) device']!;
    expect(vRequests).toBeGreaterThan(1000);
    // Reschedule IPIs: one per vCPU-1 completion. Over VMI each is an ICR high + low write
    // (2 APICWrite); over Xen one EVTCHNOP_send to vCPU 1's IPI port.
    const vIpis = v.APICWrite! / 2;
    const xIpis = x['event_channel_op(send) IPI']!;
    expect(vIpis).toBeGreaterThan(300);
    // Completions still in flight at the end are at most one per vCPU. (Periodic timer
    // interrupts are acknowledged the same way and are counted apart.)
    const vCompletions = v['APICWrite(EOI)']! - vIpis - timerAcks(vmi!);
    const xCompletions = x['shared event upcall']! - xIpis - timerAcks(xen!);
    expect(vRequests - vCompletions).toBeGreaterThanOrEqual(0);
    expect(vRequests - vCompletions).toBeLessThanOrEqual(2);
    expect(xRequests - xCompletions).toBeGreaterThanOrEqual(0);
    expect(xRequests - xCompletions).toBeLessThanOrEqual(2);
    // Roughly half the requests come from vCPU 1, and each of its completions sends one IPI.
    expect(vIpis / vCompletions).toBeGreaterThan(0.4);
    expect(vIpis / vCompletions).toBeLessThan(0.6);
    expect(xIpis / xCompletions).toBeGreaterThan(0.4);
    expect(xIpis / xCompletions).toBeLessThan(0.6);
  });

  it('vCPU 1 keeps working: woken by IPIs, it reaches its duty cycle', () => {
    const [vmi] = run('zero');
    // Two vCPUs at duty cycle 0.3 on two pCPUs for 20 s: about 0.3 × 20 s each.
    expect(vmi!.workDoneCpuS).toBeGreaterThan(2 * 0.3 * 20 * 0.9);
    expect(vmi!.workDoneCpuS).toBeLessThan(2 * 0.3 * 20 * 1.1);
  });

  it('with zero costs the work is identical over VMI and Xen', () => {
    const [vmi, xen] = run('zero');
    expect(xen!.workDoneCpuS).toBe(vmi!.workDoneCpuS);
    expect(xen!.runningNs).toBe(vmi!.runningNs);
  });
});
