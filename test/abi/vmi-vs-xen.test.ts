// The same guests over VMI and over Xen: with every cost zero, no sleep short enough for VMI's
// kernel to halt with its 100 Hz alarm armed (sim/guest/timekeeping.ts) and one clock for both,
// the work and the page accounting are identical once both balloon drivers have reached their
// target (vmw_balloon moves ≤ 16,384 pages a poll, XenLinux's driver all at once when its watch
// fires); with the default costs the transition counts differ in the ways each
// interface explains (page-by-page port accesses versus 1,024-frame batches; counter calls versus
// shared memory). Both run on the same host: its memory semantics is pinned to esx (each interface
// has its own by default, sim/spec/memory-semantics.ts), so that only the interface differs.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { experiment } from '../helpers/experiment.js';
import { runSpecs } from '../../sim/experiment/load.js';
import type { RunResult } from '../../sim/results/types.js';

/** Short sleeps: exponential, mean 2 ms. */
const SHORT_SLEEPS = '{ type: constant, dutyCycle: 0.6, burst: 3ms, resident: 200MiB }';
/**
 * Long sleeps only: busy ON periods and OFF sleeps of Pareto length ≥ x_m = 300 ms × (2 − 1)/2 =
 * 150 ms, far above the 8 ms (HZ/100 = 2 jiffies at HZ 250) under which a VMI kernel stays periodic.
 */
const LONG_SLEEPS =
  '{ type: on-off, dutyCycle: 1, on: 700ms, off: 300ms, distribution: pareto, alpha: 2, resident: 200MiB }';

const EXP = (costs: string, workload: string, vcpus: number, kernel = '{}') => `
name: t
duration: 30s
host: { pcpus: 2, memory: 8GiB, memorySemantics: esx, costs: ${costs}, balloon: { policy: static, fraction: 0.3 } }
guests:
  - name: g-{i}
    count: 3
    vcpus: ${vcpus}
    memory: 1GiB
    kernel: ${kernel}
    workload: ${workload}
compare:
  vmi: { host.abi: vmi }
  xen: { host.abi: xen }
`;

function both(costs: string, workload = SHORT_SLEEPS, vcpus = 2, kernel = '{}'): [RunResult, RunResult] {
  const [vmi, xen] = runSpecs(experiment(EXP(costs, workload, vcpus, kernel))).map((s) =>
    simulate(s, { checkInvariants: true }),
  );
  return [vmi!, xen!];
}

/** Samples (one a second) from which both drivers hold their 78,643-page balloon: after 5 polls. */
const REACHED = 6;

function column(r: RunResult, name: string): number[] {
  const s = r.series!;
  return s.values[s.columns.findIndex((c) => c.name === name)]!;
}

describe('VMI versus Xen', () => {
  it('with zero costs and long sleeps: identical page accounting and identical CPU work', () => {
    // One vCPU per guest: no shootdown IPI wakes a sleeping vCPU, which could send it back to
    // sleep for 8 ms or less, with its alarm armed, where a VMI guest would take alarms. And one
    // clock for both, tick-counting: each paravirtual clock advances its jiffies at its own
    // interrupts (VMI's AVAILABLE alarm, Xen's VIRQ), so a one-shot armed from stale jiffies comes
    // early at different instants, and its re-arming needs a pCPU — a real difference of the
    // clocks, not of the memory paths this compares.
    const [vmi, xen] = both('zero', LONG_SLEEPS, 1, '{ clock: tick-counting }');
    for (let i = 0; i < 3; i++) {
      const a = vmi.summary!.guests[i]!;
      const b = xen.summary!.guests[i]!;
      // Both end each timer sleep at the tick its expiry falls in: the same instants.
      expect(a.timerDelayS).toBeGreaterThan(0);
      expect(b.timerDelayS).toBe(a.timerDelayS);
      expect(b.workDoneCpuS).toBe(a.workDoneCpuS);
      expect(b.runningNs).toBe(a.runningNs);
      expect(b.balloonActualMiB).toBe(a.balloonActualMiB);
      // 78,643 pages: Xen's driver has them at the first sample; VMI's takes 5 polls.
      const xb = column(xen, `g-${i + 1}_balloon_actual_MiB`);
      const vb = column(vmi, `g-${i + 1}_balloon_actual_MiB`);
      expect(xb[0]).toBeCloseTo(b.balloonActualMiB, 3);
      expect(vb[0]).toBeLessThan(a.balloonActualMiB);
      expect(xb.slice(REACHED)).toEqual(vb.slice(REACHED));
      expect(column(xen, `g-${i + 1}_free_MiB`).slice(REACHED)).toEqual(
        column(vmi, `g-${i + 1}_free_MiB`).slice(REACHED),
      );
    }
    expect(column(xen, 'host_free_MiB').slice(REACHED)).toEqual(column(vmi, 'host_free_MiB').slice(REACHED));
  });

  it('with default costs: the transitions differ as each interface explains', () => {
    const [vmi, xen] = both('p4-2006');
    const v = vmi.summary!.guests[0]!.interfaceCalls;
    const x = xen.summary!.guests[0]!.interfaceCalls;
    // Balloon: 0.3 × 262,144 = 78,643 pages. VMI locks them one port access each; Xen lists them
    // in decrease_reservation batches of ≤ 1,024 frames: ⌈78,643 / 1,024⌉ = 77 hypercalls, each
    // after one mmuext_op(TLB_FLUSH_ALL), and one update_va_mapping per lowmem page: the balloon
    // takes highmem first, 1 GiB − (896 − 64) MiB = 192 MiB (49,152 pages), so 29,491 are lowmem.
    expect(v.BalloonLock).toBe(78_643);
    expect(x['memory_op(decrease_reservation)']).toBe(77);
    expect(x['mmuext_op(TLB_FLUSH_ALL)']).toBe(77);
    expect(x['update_va_mapping(balloon: unmap lowmem page)']).toBe(78_643 - 49_152);
    expect(xen.summary!.guests[0]!.balloonLowmemMiB * 256).toBe(78_643 - 49_152);
    // The balloon path: those, and the driver's xenstore reads of memory/target.
    expect(xen.summary!.guests[0]!.interfacePaths.balloon!.calls).toBe(
      77 + 77 + 29_491 + x['event_channel_op(send) xenstore']!,
    );
    // Idle over VMI (vmi_safe_halt, reference/time-cpu-abi.md §1.4/§1.6): a Halt for a sleep over
    // 8 ms (HZ/100 jiffies at HZ 250) enters tickless idle with CancelAlarm + SetAlarm(one-shot); every tickless halt ended
    // (by the alarm or a shootdown IPI) re-arms the periodic alarm with SetAlarm: between
    // CancelAlarm − 2 (at most one still open per vCPU at the end) and CancelAlarm of those.
    // Shorter sleeps (most here: mean 2 ms) just Halt. Xen: set_timer_op before each block.
    expect(v.CancelAlarm).toBeGreaterThan(0);
    expect(v.CancelAlarm).toBeLessThan(v.Halt! / 2);
    expect(v.SetAlarm! - v.CancelAlarm!).toBeGreaterThanOrEqual(v.CancelAlarm! - 2);
    expect(v.SetAlarm! - v.CancelAlarm!).toBeLessThanOrEqual(v.CancelAlarm!);
    expect(x.set_timer_op).toBe(x['sched_op(block)']);
    // Clocks: VMI reads two counters per timer interrupt; Xen reads shared memory, no call.
    expect(v.GetCycleCounter).toBeGreaterThan(0);
    expect(x.GetCycleCounter).toBeUndefined();
    // Both pay for transitions; Xen's balloon batches make its total far cheaper here.
    expect(xen.summary!.metrics.interface_Mcycles).toBeLessThan(vmi.summary!.metrics.interface_Mcycles! / 2);
  });
});

describe('interface statistics', () => {
  it('counts transitions and bytes copied as each interface explains', () => {
    const [vmi, xen] = both('p4-2006');
    const v = vmi.summary!.guests[0]!;
    const x = xen.summary!.guests[0]!;
    const c = (g: typeof v, k: string) => g.interfaceCalls[k] ?? 0;
    // VMI: Halt, CancelAlarm, SetAlarm, the balloon target read, every locked page, each IPI sent
    // (a pair of ICR writes), each EOI on the receiving vCPU and each interrupt that waited for a
    // masked section leave the guest; counter reads, IDT writes, the APICRead before each ICR
    // write and the interrupt enable/disable calls stay in the ROM.
    expect(v.interfaceTransitions).toBe(
      c(v, 'Halt') +
        c(v, 'CancelAlarm') +
        c(v, 'SetAlarm') +
        c(v, 'BalloonGetTarget') +
        c(v, 'BalloonLock') +
        c(v, 'APICWrite') / 2 +
        c(v, 'APICWrite(EOI)') +
        c(v, 'EnableInterrupts (pending interrupt, exit)'),
    );
    expect(c(v, 'APICRead')).toBe(c(v, 'APICWrite') / 2);
    // VMI hands its 244 IDT gates over by value (write_idt_entry(dt, entry, low, high): 4 words,
    // 16 bytes each), and each of its 2 CPUs points SetIDT (1 word) at a 6-byte descriptor, which
    // is all it copies: 12 bytes.
    expect(v.interfacePaths.boot).toEqual({
      calls: 244 + 2,
      cycles: 244 * 50 + 2 * (50 + 6),
      transitions: 0,
      bytesCopied: 12,
      registerBytes: 244 * 16 + 2 * 4,
    });
    expect(v.interfaceBytesCopied).toBe(12);
    // Xen: every hypercall is a transition; shared-memory reads and writes, and events merged into
    // one already pending, are not.
    const hypercalls = Object.entries(x.interfaceCalls)
      .filter(([k]) => !k.startsWith('shared ') && !k.startsWith('event merged'))
      .reduce((a, [, n]) => a + n, 0);
    expect(x.interfaceTransitions).toBe(hypercalls);
    // Xen's boot copies XenLinux's trap table (19 entries + terminator, 160 B), get_features'
    // struct in and out (2 × 8), three callback_register structs (3 × 12), the platform
    // parameters (4), per vCPU the runstate handle in and the 44-byte runstate out (2 × 52), a
    // bind_virq struct in and out (2 × 24) and two bind_ipi (4 × 16), and the device's
    // alloc_unbound (16): 448 bytes in 1 + 1 + 3 + 1 + 2 × 4 + 1 = 15 hypercalls.
    expect(x.interfacePaths.boot).toMatchObject({ calls: 15, transitions: 15, bytesCopied: 448 });
    // Besides boot: each EVTCHNOP_send copies its 4-byte port, each decrease_reservation a 20-byte
    // struct plus 4 bytes per listed frame (77 calls, 78,643 frames), each TLB_FLUSH_ALL its
    // 12-byte mmuext_op (77).
    const sends =
      c(x, 'event_channel_op(send) IPI') +
      c(x, 'event_channel_op(send) device') +
      c(x, 'event_channel_op(send) xenstore');
    expect(x.interfaceBytesCopied).toBe(448 + 4 * sends + 77 * 20 + 78_643 * 4 + 77 * 12);
    expect(v.interfaceErrors).toBe(0);
    // The NMI callback_op of a domU is refused (-EINVAL: dom 0, vCPU 0 only), and ignored.
    expect(x.interfaceErrors).toBe(1);
  });
});

describe('no TLB-shootdown IPI after ballooning', () => {
  it('neither balloon driver interrupts the other vCPUs', () => {
    // vmw_balloon does no shootdown at all; XenLinux's balloon.c flushes with flush_tlb_all, one
    // mmuext_op that Xen carries out on every CPU (sim/abi/xen/xen-ops.ts). These guests make no
    // page-table work and no I/O, so no IPI of any kind is sent, though their balloons grow.
    const [vmi, xen] = both('p4-2006');
    for (const r of [vmi, xen]) expect(r.summary!.guests[0]!.balloonActualMiB).toBeGreaterThan(250);
    const v = vmi.summary!.guests[0]!;
    const x = xen.summary!.guests[0]!;
    expect(v.interfaceCalls.APICWrite ?? 0).toBe(0);
    expect(x.interfaceCalls['event_channel_op(send) IPI'] ?? 0).toBe(0);
    expect([v.shootdowns, x.shootdowns]).toEqual([0, 0]);
  });
});

describe('cycles by call', () => {
  it('add up to the guest’s interface cycles, over either interface', () => {
    for (const r of both('p4-2006')) {
      for (const g of r.summary!.guests) {
        const sum = Object.values(g.interfaceCallCycles).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(g.interfaceCycles, 3);
        expect(Object.keys(g.interfaceCallCycles)).toEqual(Object.keys(g.interfaceCalls));
      }
    }
  });
});

describe('shootdown IPIs over VMI', () => {
  const guest = (vcpus: number) => {
    const s = runSpecs(
      experiment(`
name: t
duration: 5s
host: { pcpus: 4, memory: 8GiB, abi: vmi }
guests:
  - name: big
    vcpus: ${vcpus}
    memory: 2GiB
    workload: { type: web, ratePerS: 400, service: 5ms, wake: timer, processes: { munmapsPerCpuS: 20 } }
`),
    )[0]!;
    return simulate(s, { checkInvariants: true }).summary!.guests[0]!;
  };

  it('a 12-vCPU guest sends one physical-mode IPI per target; a 4-vCPU one, one per mask', () => {
    // Per IPI round the sender reads the ICR once and writes ICR2 and ICR; each target's handler
    // flushes (FlushTLB) and writes the EOI. 12 vCPUs exceed flat logical mode's 8, so each target
    // gets its own round: 5 calls per target.
    const big = guest(12);
    expect(big.shootdownIpis).toBeGreaterThan(100);
    expect(big.interfacePaths.shootdown!.calls).toBe(5 * big.shootdownIpis);
    // Flat logical mode: one round per flush for the whole mask, 2 calls per target.
    const small = guest(4);
    expect(small.shootdownIpis).toBeGreaterThan(small.shootdowns);
    expect(small.interfacePaths.shootdown!.calls).toBe(3 * small.shootdowns + 2 * small.shootdownIpis);
  });
});
