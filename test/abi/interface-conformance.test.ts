// The conformance suite every paravirtual interface in sim/abi/registry.ts passes (and the
// fallback, native, where a property applies to it): each interface's guest side (its
// ParavirtOps, built by its declaration's factory) over a host that records what it is told.
//  - time: reads are monotonic (steal to 1 ns of rounding), REAL = AVAILABLE + STOLEN (exactly in
//    cycles, to 1 ns in ns), and real time and steal agree with the host's view (within
//    TIME_TOLERANCE_NS); a clock that counts ticks sees no steal;
//  - calls: every effect on the host comes with a counted call, and cycles follow the cost model —
//    linear in it, and each cost field prices one thing the call reports (a transition, a byte
//    copied, a page moved);
//  - effects: halts, wake-ups (rounded up by at most 1 ns), IPIs and I/O completions reach the host
//    as the guest asked them, and nothing else does;
//  - balloon: what a balloon call returns is what it reported to the host's memory, never more than
//    asked, and exactly what was asked when the host has the frames;
//  - IDT: the gates each kernel hands over reach the hypervisor — VMI every interrupt or trap gate
//    by value in WriteIDTEntry's arguments, Xen the exception and int 0x80 gates of XenLinux's trap
//    table copied 8 bytes each (not the fallback: its LIDT leaves the table where it is);
//  - boot and interrupt paths: the boot sequence runs on vCPU 0 with the same calls per further
//    vCPU; interrupt-flag work leaves the guest only to deliver interrupts that waited for a masked
//    section; a device interrupt or IPI merges with one already pending while its vCPU is not
//    running (VMI and Xen);
//  - the same guests do the same work over every interface when the interfaces cost nothing (with
//    tick-counting kernels, whose timers do not depend on the interface);
//  - page tables (ParavirtOps.mmu): each event makes the calls its kernel made, with the call
//    numbers, argument structs and answers of the VMI and Xen headers and Xen's mm.c, and the
//    transitions, bytes and cycles counted by hand below.
//  - TLB shootdowns (ParavirtOps.flushTlbOthers and the 'tlb-shootdown' handler): VMI's and
//    native's IPIs and waits, their targets' flush and EOI, Xen's no-IPI path;
//  - balloon paths: Xen's per-lowmem-page update_va_mapping, TLB_FLUSH_ALL per batch and
//    reservations, VMI's port accesses, all on the balloon path.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FALLBACK_INTERFACE, INTERFACES } from '../../sim/abi/registry.js';
import type { InterfaceDecl } from '../../sim/abi/interface.js';
import type {
  CallEffects,
  GuestClocks,
  HypervisorServices,
  IrqFlagWork,
  ParavirtOps,
  RunstateArea,
} from '../../sim/abi/types.js';
import type { CostModel } from '../../sim/spec/cost-model.js';
import { COST_PRESETS } from '../../sim/abi/costs.js';
import { Idt, IDT_GATE_BYTES, presentGates } from '../../sim/abi/i386/idt.js';
import { linuxBootIdt } from '../../sim/guest/linux-idt.js';
import { simulate } from '../../sim/host/run.js';
import { runSpecs } from '../../sim/experiment/load.js';
import { experiment } from '../helpers/experiment.js';
import type { RunResult } from '../../sim/results/types.js';
import { MMU_EVENTS, type MmuEvent, type ProcessShape } from '../../sim/abi/mmu.js';
import { VMI_CALL } from '../../sim/abi/vmi/constants.js';
import {
  VMI_MMU_CALL,
  VMI_MMU_CALL_NUMBER,
  VMI_PAGE_CURRENT_AS,
  VMI_PAGE_DEFER,
  VMI_PAGE_L1,
  VMI_PAGE_L2,
  VMI_PAGE_CLONE,
  vmiPteFlags,
} from '../../sim/abi/vmi/mmu.js';
import { XEN_MMU_CALL } from '../../sim/abi/xen/mmu.js';
import {
  doMmuextOp,
  doMmuUpdate,
  doUpdateVaMapping,
  encodeMmuextOps,
  encodeMmuUpdates,
  encodeMulticall,
  MMU_HYPERCALLS,
  MMUEXT,
  UVMF_INVLPG,
  UVMF_TLB_FLUSH,
} from '../../sim/abi/xen/mmu-abi.js';
import { DOMID_SELF, XEN_ERRNO, XEN_HYPERCALL } from '../../sim/abi/xen/constants.js';

/** Every interface a host may offer, and the one a guest falls back to. */
const ALL: InterfaceDecl[] = [...Object.values(INTERFACES), FALLBACK_INTERFACE];
const OFFERED: InterfaceDecl[] = Object.values(INTERFACES);

/** Real time and steal as read may differ from the host's by rounding to cycles or pvclock scaling. */
const TIME_TOLERANCE_NS = 1000;
const MHZ = 2993;
const ZERO: CostModel = COST_PRESETS.zero;
const only = (field: keyof CostModel): CostModel => ({ ...ZERO, [field]: 1 });
const VCPUS = 4;

interface Recorded {
  vcpu: number;
  call: string;
  count: number;
  cycles: number;
  effects: CallEffects | undefined;
}

/**
 * A host that records every call and every effect. Each vCPU has a runstate history (running,
 * runnable, blocked, offline segments) from which the clocks and the runstate area are computed;
 * the last segment is running (the guest reads while it runs).
 */
function recordingHost(opts: { freePages?: number; targetPages?: number } = {}) {
  const calls: Recorded[] = [];
  const effects: string[] = [];
  const inflated: number[] = [];
  const deflated: number[] = [];
  let now = 0;
  /** Per vCPU: [state, from ns] of each runstate change, the first at 0. */
  const history: [number, number][][] = Array.from({ length: VCPUS }, () => [[0, 0]]);
  const area = (v: number, atNs = now): RunstateArea => {
    const t: [number, number, number, number] = [0, 0, 0, 0];
    const h = history[v]!.filter(([, from]) => from <= atNs);
    for (let i = 0; i + 1 < h.length; i++) t[h[i]![0]]! += h[i + 1]![1] - h[i]![1];
    const last = h[h.length - 1]!;
    return { state: last[0], stateEntryNs: last[1], timeNs: t };
  };
  const stealAt = (v: number, atNs: number) => {
    const a = area(v, atNs);
    const open = a.state === 1 || a.state === 3 ? atNs - a.stateEntryNs : 0;
    return a.timeNs[1] + a.timeNs[3] + open;
  };
  const hv: HypervisorServices = {
    cpuMHz: MHZ,
    nowNs: () => now,
    haltVcpu: (_g, v) => void effects.push(`halt ${v}`),
    setTimer: (_g, v, at) => void effects.push(`timer ${v} ${at}`),
    cancelTimer: (_g, v) => void effects.push(`cancel ${v}`),
    periodicAlarm: () => {},
    deliverIpi: (_g, to) => void effects.push(`ipi ${to.join(',')}`),
    completeIoAt: (_g, v, at) => void effects.push(`io ${v} ${at}`),
    clocks: (_g, v, atNs): GuestClocks => {
      const t = atNs ?? now;
      const s = stealAt(v, t);
      return { realNs: t, availableNs: t - s, stolenNs: s };
    },
    runstateArea: (_g, v) => area(v),
    balloonTargetPages: () => opts.targetPages ?? 0,
    domainPages: () => ({ domid: 1, totPages: 100_000, maxPages: 1_000_000, privileged: false }),
    hostFreePages: () => opts.freePages ?? 1_000_000,
    balloonInflated: (_g, n) => {
      inflated.push(n);
      effects.push(`inflated ${n}`);
    },
    balloonDeflated: (_g, n) => {
      deflated.push(n);
      effects.push(`deflated ${n}`);
    },
    chargeCall: (_g, vcpu, call, count, cycles, e) =>
      void calls.push({ vcpu, call, count, cycles, effects: e }),
  };
  return {
    hv,
    calls,
    effects,
    inflated,
    deflated,
    setNow: (t: number) => void (now = t),
    /** vCPU v enters `state` at the current time. */
    enter: (v: number, state: number) => void history[v]!.push([state, now]),
    steal: (v: number) => stealAt(v, now),
  };
}

const make = (d: InterfaceDecl, hv: HypervisorServices, costs: CostModel = COST_PRESETS['p4-2006']) =>
  d.create({ hv, guest: 0, costs });

/** One guest operation, as data, so that fast-check can generate sequences of them. */
type Op =
  | { op: 'halt' | 'cancelWakeup' | 'stopPeriodicTimer' | 'restartPeriodicTimer'; vcpu: number }
  | { op: 'armWakeup'; vcpu: number; inNs: number }
  | { op: 'readClocks'; vcpu: number; times: number }
  | { op: 'sendIpi'; vcpu: number; to: number[]; kind: 'tlb-shootdown' | 'reschedule' }
  | { op: 'ackInterrupt'; vcpu: number; count: number; source: 'timer' | 'device' | 'tlb-shootdown' }
  | { op: 'flushTlbOthers'; vcpu: number; to: number[]; count: number }
  | { op: 'submitIo'; vcpu: number; inNs: number }
  | { op: 'balloonTarget' | 'installIdt' }
  | { op: 'balloonInflate' | 'balloonDeflate'; pages: number; lowmem: number }
  | { op: 'mmu'; vcpu: number; event: MmuEvent; count: number; shape: ProcessShape }
  | { op: 'bootVcpus'; vcpus: number }
  | { op: 'irqFlag'; vcpu: number; work: IrqFlagWork };

const vcpu = fc.integer({ min: 0, max: VCPUS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constantFrom('halt', 'cancelWakeup', 'stopPeriodicTimer', 'restartPeriodicTimer') as fc.Arbitrary<
      'halt' | 'cancelWakeup' | 'stopPeriodicTimer' | 'restartPeriodicTimer'
    >,
    vcpu,
  }),
  fc.record({ op: fc.constant('armWakeup' as const), vcpu, inNs: fc.integer({ min: 1, max: 1e9 }) }),
  fc.record({ op: fc.constant('readClocks' as const), vcpu, times: fc.integer({ min: 1, max: 50 }) }),
  fc.record({
    op: fc.constant('sendIpi' as const),
    vcpu,
    to: fc.uniqueArray(vcpu, { minLength: 1, maxLength: VCPUS }),
    kind: fc.constantFrom('tlb-shootdown' as const, 'reschedule' as const),
  }),
  fc.record({
    op: fc.constant('ackInterrupt' as const),
    vcpu,
    count: fc.integer({ min: 1, max: 20 }),
    source: fc.constantFrom('timer' as const, 'device' as const, 'tlb-shootdown' as const),
  }),
  fc.record({
    op: fc.constant('flushTlbOthers' as const),
    vcpu,
    to: fc.uniqueArray(vcpu, { minLength: 0, maxLength: VCPUS }),
    count: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ op: fc.constant('submitIo' as const), vcpu, inNs: fc.integer({ min: 1, max: 1e8 }) }),
  fc.record({ op: fc.constantFrom('balloonTarget' as const, 'installIdt' as const) }),
  fc
    .record({
      op: fc.constantFrom('balloonInflate' as const, 'balloonDeflate' as const),
      pages: fc.integer({ min: 1, max: 5000 }),
      lowmemShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ op, pages, lowmemShare }) => ({ op, pages, lowmem: Math.floor(pages * lowmemShare) })),
  fc.record({
    op: fc.constant('mmu' as const),
    vcpu,
    event: fc.constantFrom(...MMU_EVENTS),
    count: fc.integer({ min: 0, max: 5 }),
    shape: fc.record({
      residentPages: fc.integer({ min: 0, max: 5000 }),
      writableShare: fc.double({ min: 0, max: 1, noNaN: true }),
      pageTablePages: fc.integer({ min: 1, max: 20 }),
      pagesPerMunmap: fc.integer({ min: 0, max: 500 }),
      tlsEntriesChangedPerSwitch: fc.integer({ min: 0, max: 3 }),
    }),
  }),
  fc.record({ op: fc.constant('bootVcpus' as const), vcpus: fc.integer({ min: 1, max: VCPUS }) }),
  fc.record({
    op: fc.constant('irqFlag' as const),
    vcpu,
    work: fc.record({
      returns: fc.integer({ min: 0, max: 20 }),
      disables: fc.integer({ min: 0, max: 20 }),
      saves: fc.integer({ min: 0, max: 20 }),
      deferred: fc.integer({ min: 0, max: 5 }),
    }),
  }),
);

/** What flushTlbOthers answered in the last `apply` (true: the sender waits for acknowledgements). */
let lastFlushWaits = false;

function apply(ops: ParavirtOps, o: Op, nowNs: number): void {
  switch (o.op) {
    case 'halt':
    case 'cancelWakeup':
    case 'stopPeriodicTimer':
    case 'restartPeriodicTimer':
      return ops[o.op](o.vcpu);
    case 'armWakeup':
      return ops.armWakeup(o.vcpu, nowNs + o.inNs);
    case 'readClocks':
      return void ops.readClocks(o.vcpu, o.times);
    case 'sendIpi':
      return ops.sendIpi(o.vcpu, o.to, o.kind);
    case 'ackInterrupt':
      return ops.ackInterrupt(o.vcpu, o.source, o.count);
    case 'submitIo':
      return ops.submitIo(o.vcpu, nowNs + o.inNs);
    case 'balloonTarget':
      return void ops.balloonTarget();
    case 'installIdt':
      return ops.installIdt(linuxBootIdt());
    case 'flushTlbOthers':
      lastFlushWaits = ops.flushTlbOthers(o.vcpu, o.to, o.count);
      return;
    case 'balloonInflate':
      return void ops.balloonInflate(o.pages, o.lowmem);
    case 'balloonDeflate':
      return void ops.balloonDeflate(o.pages, o.lowmem);
    case 'mmu':
      return ops.mmu(o.vcpu, o.event, o.count, o.shape);
    case 'bootVcpus':
      return ops.bootVcpus(o.vcpus);
    case 'irqFlag':
      return ops.irqFlag(o.vcpu, o.work);
  }
}

/**
 * Runs `seq` over interface `d` priced by `costs`; returns what the host recorded. The host has
 * fewer free frames than some balloon deflations ask for, so that an interface may move fewer pages
 * than listed (Xen's populate_physmap) and page costs must follow the pages moved.
 */
function runOps(d: InterfaceDecl, seq: readonly Op[], costs: CostModel) {
  const h = recordingHost({ targetPages: 1000, freePages: 3000 });
  const ops = make(d, h.hv, costs);
  seq.forEach((o, i) => {
    h.setNow((i + 1) * 1_000_000);
    apply(ops, o, (i + 1) * 1_000_000);
  });
  return h;
}

const sum = (xs: readonly Recorded[], f: (r: Recorded) => number) => xs.reduce((a, r) => a + f(r), 0);

describe.each(ALL.map((d) => [d.name, d] as const))('interface %s', (_name, d) => {
  it('reads time monotonically, REAL = AVAILABLE + STOLEN, and as the host sees it', () => {
    // A vCPU's history: segments of some state, each ended by a running stretch at whose end the
    // guest reads its clocks (a timer interrupt's accounting).
    const segment = fc.record({
      state: fc.constantFrom(1, 2, 3), // runnable, blocked, offline
      forNs: fc.integer({ min: 0, max: 3e9 }),
      thenRunNs: fc.integer({ min: 1, max: 2e9 }),
    });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 30 }), vcpu, (segs, v) => {
        const h = recordingHost();
        const ops = make(d, h.hv);
        let t = 0;
        let last: GuestClocks | undefined;
        let lastWall = -Infinity;
        for (const s of segs) {
          h.setNow(t);
          h.enter(v, s.state);
          t += s.forNs;
          h.setNow(t);
          h.enter(v, 0);
          t += s.thenRunNs;
          h.setNow(t);
          const c = ops.readClocks(v);
          // Exactly in the interface's own counters; in ns each is rounded down on its own.
          if (c.cycles !== undefined) expect(c.cycles.available + c.cycles.stolen).toBe(c.cycles.real);
          expect(Math.abs(c.availableNs + c.stolenNs - c.realNs)).toBeLessThanOrEqual(1);
          expect(Math.abs(c.realNs - t)).toBeLessThanOrEqual(TIME_TOLERANCE_NS);
          if (d.clock.paravirtual)
            expect(Math.abs(c.stolenNs - h.steal(v))).toBeLessThanOrEqual(TIME_TOLERANCE_NS);
          else expect(c.stolenNs).toBe(0);
          if (last !== undefined) {
            expect(c.realNs).toBeGreaterThanOrEqual(last.realNs);
            // Steal derived from two rounded counters (VMI: REAL − AVAILABLE) may step back by one.
            expect(c.stolenNs).toBeGreaterThanOrEqual(last.stolenNs - 1);
          }
          last = c;
          const wall = ops.clockNs(t);
          expect(Math.abs(wall - t)).toBeLessThanOrEqual(TIME_TOLERANCE_NS);
          expect(wall).toBeGreaterThanOrEqual(lastWall);
          lastWall = wall;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('counts a call for every effect it has on the host', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (seq) => {
        const h = recordingHost({ targetPages: 1000 });
        const ops = make(d, h.hv);
        seq.forEach((o, i) => {
          const calls = h.calls.length;
          const effects = h.effects.length;
          h.setNow((i + 1) * 1_000_000);
          apply(ops, o, (i + 1) * 1_000_000);
          if (h.effects.length > effects)
            expect(h.calls.length, `${o.op} had an effect`).toBeGreaterThan(calls);
          for (const c of h.calls.slice(calls)) {
            expect(Number.isInteger(c.count) && c.count >= 1, `${c.call} count ${c.count}`).toBe(true);
            expect(Number.isFinite(c.cycles) && c.cycles >= 0, `${c.call} cycles ${c.cycles}`).toBe(true);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('prices every call by the cost model: linear in it, each field pricing what the call reports', () => {
    const fields = Object.keys(ZERO) as (keyof CostModel)[];
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.record(
          Object.fromEntries(fields.map((f) => [f, fc.integer({ min: 0, max: 5000 })])) as Record<
            keyof CostModel,
            fc.Arbitrary<number>
          >,
        ),
        (seq, costs) => {
          const cycles = (c: CostModel) => sum(runOps(d, seq, c).calls, (r) => r.cycles);
          // Nothing is free of the cost model: a zero model charges nothing, and the cycles of a sum
          // of models are the sum of their cycles.
          expect(cycles(ZERO)).toBe(0);
          expect(cycles(costs)).toBe(fields.reduce((a, f) => a + costs[f] * cycles(only(f)), 0));
          // A world switch or a hypercall trap is a transition; a copy is bytes; a page cost, a page moved.
          const traps = runOps(d, seq, { ...ZERO, exitCycles: 1, hypercallCycles: 1 });
          expect(sum(traps.calls, (r) => r.cycles)).toBe(
            sum(traps.calls, (r) => r.effects?.transitions ?? 0),
          );
          const copies = runOps(d, seq, only('copyCyclesPerByte'));
          expect(sum(copies.calls, (r) => r.cycles)).toBe(sum(copies.calls, (r) => r.effects?.bytes ?? 0));
          // (Page-table pages registered or pinned are priced by pageCycles too: left out here, and
          // counted by hand in the page-table tests below.)
          const pages = runOps(
            d,
            seq.filter((o) => o.op !== 'mmu'),
            only('pageCycles'),
          );
          const moved = [...pages.inflated, ...pages.deflated].reduce((a, b) => a + b, 0);
          expect(sum(pages.calls, (r) => r.cycles)).toBe(moved);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('moves exactly the balloon pages it says, and reports them to the host', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: 40_000 }),
        (pages, freePages) => {
          // A host with frames to spare, then one with `freePages`.
          const rich = recordingHost({ targetPages: 5000 });
          const ops = make(d, rich.hv);
          // An interface whose guests have a balloon driver reads the host's target.
          const hasBalloon = ops.balloonTarget() === 5000;
          const inflated = ops.balloonInflate(pages);
          const deflated = ops.balloonDeflate(pages);
          expect(rich.inflated.reduce((a, b) => a + b, 0)).toBe(inflated);
          expect(rich.deflated.reduce((a, b) => a + b, 0)).toBe(deflated);
          if (hasBalloon) {
            expect(inflated).toBe(pages);
            expect(deflated).toBe(pages);
          } else expect([inflated, deflated]).toEqual([0, 0]);
          const poor = recordingHost({ targetPages: 5000, freePages });
          const back = make(d, poor.hv).balloonDeflate(pages);
          expect(back).toBeLessThanOrEqual(pages);
          expect(poor.deflated.reduce((a, b) => a + b, 0)).toBe(back);
          expect(poor.inflated).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('does to the host what the guest asked: halts, wake-ups, IPIs and I/O completions as asked', () => {
    // What each operation must do to the host (besides counting its calls), as the recording host
    // writes it; a wake-up may be rounded up to the interface's clock, by at most 1 ns.
    const expected = (o: Op, nowNs: number): string[] => {
      switch (o.op) {
        case 'halt':
          return [`halt ${o.vcpu}`];
        case 'cancelWakeup':
          return [`cancel ${o.vcpu}`];
        case 'armWakeup':
          return [`timer ${o.vcpu} ${nowNs + o.inNs}`];
        case 'sendIpi':
          return [`ipi ${o.to.join(',')}`];
        // An interface that waits for acknowledgements sent the invalidate IPI to exactly the
        // targets; one whose hypervisor flushes (Xen) touched nothing on the host.
        case 'flushTlbOthers':
          return lastFlushWaits ? [`ipi ${o.to.join(',')}`] : [];
        case 'submitIo':
          return [`io ${o.vcpu} ${nowNs + o.inNs}`];
        default:
          return [];
      }
    };
    const roundedUp = (got: string, want: string) => {
      const [g, w] = [got.split(' '), want.split(' ')];
      const late = Number(g[2]) - Number(w[2]);
      return g[0] === 'timer' && g[0] === w[0] && g[1] === w[1] && late >= 0 && late <= 1;
    };
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (seq) => {
        const h = recordingHost({ targetPages: 1000 });
        const ops = make(d, h.hv);
        seq.forEach((o, i) => {
          const nowNs = (i + 1) * 1_000_000;
          h.setNow(nowNs);
          const before = h.effects.length;
          apply(ops, o, nowNs);
          const got = h.effects.slice(before).filter((e) => !/^(in|de)flated /.test(e));
          const want = expected(o, nowNs);
          expect(got.length, `${o.op}: ${got.join('; ')}`).toBe(want.length);
          got.forEach((g, k) => {
            if (g !== want[k]) expect(roundedUp(g, want[k]!), `${o.op}: ${g}, asked ${want[k]}`).toBe(true);
          });
        });
      }),
      { numRuns: 150 },
    );
  });

  it('never reports balloon pages outside a balloon call', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (seq) => {
        const h = recordingHost({ targetPages: 1000 });
        const ops = make(d, h.hv);
        for (const o of seq) {
          const before = h.inflated.length + h.deflated.length;
          apply(ops, o, 0);
          if (o.op !== 'balloonInflate' && o.op !== 'balloonDeflate')
            expect(h.inflated.length + h.deflated.length, o.op).toBe(before);
        }
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * The gates each offered interface hands over at boot, and how: VMI writes every present interrupt
 * or trap gate through WriteIDTEntry, its 8-byte gate in the call's arguments (dt, entry, low,
 * high: 16 bytes by value, nothing copied); Xen copies XenLinux's trap_table — only the exception
 * and int 0x80 vectors of traps-xen.c (device vectors are event channels) — 8 bytes per entry
 * plus the terminator.
 */
const XEN_TRAP_VECTORS = new Set([0, 1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0x80]);
const IDT_HANDOVER: Record<string, (gates: number[]) => { copied: number; registers: number }> = {
  vmi: (gates) => ({ copied: 0, registers: 16 * gates.length }),
  xen: (gates) => {
    const n = gates.filter((v) => XEN_TRAP_VECTORS.has(v)).length;
    return { copied: IDT_GATE_BYTES * (n + 1), registers: 4 };
  },
};

describe.each(OFFERED.map((d) => [d.name, d] as const))('interface %s: IDT', (_name, d) => {
  it('hands the hypervisor the gates its kernel hands over, copied or by value, from vCPU 0', () => {
    const gateArb = fc.record({
      vector: fc.integer({ min: 0, max: 255 }),
      type: fc.constantFrom('interrupt' as const, 'trap' as const),
      dpl: fc.constantFrom(0 as const, 3 as const),
    });
    const handover = IDT_HANDOVER[d.name];
    expect(handover, `${d.name}: no expected IDT hand-over`).toBeDefined();
    const seen = (idt: Idt) => {
      const h = recordingHost();
      make(d, h.hv, only('copyCyclesPerByte')).installIdt(idt);
      expect(h.calls.every((c) => c.vcpu === 0 && c.effects?.path === 'boot')).toBe(true);
      expect(h.calls.length).toBeGreaterThan(0);
      const copied = sum(h.calls, (c) => c.effects?.bytes ?? 0);
      // Copies are priced per byte; arguments by value are not.
      expect(sum(h.calls, (c) => c.cycles)).toBe(copied);
      return { copied, registers: sum(h.calls, (c) => c.effects?.registerBytes ?? 0) };
    };
    fc.assert(
      fc.property(fc.array(gateArb, { maxLength: 256 }), (gates) => {
        const idt = new Idt();
        for (const g of gates)
          idt.setGate(g.vector, {
            offset: 0xc0100000 + g.vector * 16,
            selector: 0x60,
            type: g.type,
            dpl: g.dpl,
            present: true,
          });
        const vectors = [...new Set(gates.map((g) => g.vector))];
        expect(presentGates(idt)).toBe(vectors.length);
        expect(seen(idt)).toEqual(handover!(vectors));
      }),
      { numRuns: 100 },
    );
  });
});

describe.each(ALL.map((d) => [d.name, d] as const))('interface %s: boot and interrupt paths', (_name, d) => {
  it('boots from vCPU 0 on the boot path, with the same calls for each further vCPU', () => {
    const boot = (vcpus: number) => {
      const h = recordingHost();
      make(d, h.hv).bootVcpus(vcpus);
      expect(h.calls.every((c) => c.vcpu === 0 && c.effects?.path === 'boot')).toBe(true);
      expect(h.effects).toEqual([]);
      return {
        calls: sum(h.calls, (c) => c.count),
        copied: sum(h.calls, (c) => c.effects?.bytes ?? 0),
        registers: sum(h.calls, (c) => c.effects?.registerBytes ?? 0),
      };
    };
    const [one, two, three] = [boot(1), boot(2), boot(3)];
    for (const k of ['calls', 'copied', 'registers'] as const)
      expect(three[k] - two[k]).toBe(two[k] - one[k]);
  });

  it('leaves the guest for interrupt-flag work only to deliver what waited for a masked section', () => {
    fc.assert(
      fc.property(
        vcpu,
        fc.record({
          returns: fc.integer({ min: 0, max: 50 }),
          disables: fc.integer({ min: 0, max: 50 }),
          saves: fc.integer({ min: 0, max: 50 }),
          deferred: fc.integer({ min: 0, max: 10 }),
        }),
        (v, work) => {
          const h = recordingHost();
          make(d, h.hv).irqFlag(v, work);
          expect(h.calls.every((c) => c.vcpu === v && c.effects?.path === 'interrupt')).toBe(true);
          expect(sum(h.calls, (c) => c.effects?.transitions ?? 0)).toBe(work.deferred);
          expect(sum(h.calls, (c) => c.effects?.bytes ?? 0)).toBe(0);
          expect(h.effects).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe.each(OFFERED.map((d) => [d.name, d] as const))('interface %s: pending interrupts', (_name, d) => {
  it('merges a device interrupt or IPI with one already pending while the vCPU does not run', () => {
    const h = recordingHost();
    const ops = make(d, h.hv);
    const handled = () =>
      sum(
        h.calls.filter((c) => (c.effects?.transitions ?? 0) > 0 || /upcall/.test(c.call)),
        (c) => c.count,
      );
    // Running: every interrupt runs its handler (EOI or upcall).
    ops.ackInterrupt(1, 'device', 3);
    expect(handled()).toBe(3);
    // Preempted: the first sets the pending bit, the next two find it set.
    h.setNow(10);
    h.enter(1, 1);
    ops.ackInterrupt(1, 'device', 1);
    ops.ackInterrupt(1, 'device', 2);
    expect(handled()).toBe(4);
    // Another line is pending on its own.
    ops.ackInterrupt(1, 'reschedule', 1);
    expect(handled()).toBe(5);
    // Once the vCPU has run, a new interrupt is taken again, even if it is preempted once more.
    h.setNow(20);
    h.enter(1, 0);
    h.setNow(30);
    h.enter(1, 1);
    ops.ackInterrupt(1, 'device', 1);
    expect(handled()).toBe(6);
    // Timer interrupts are left to the virtual timer's own merging: all taken.
    ops.ackInterrupt(1, 'timer', 4);
    expect(handled()).toBe(10);
  });
});

describe('the same guests over every interface', () => {
  // Ballooned guests with CPU bursts, sleeps and I/O: with every cost zero, what the guests do
  // cannot depend on the interface. The host's memory semantics is pinned (each interface has its
  // own by default), so that only the interface differs. Their kernels count ticks: the paravirtual
  // clocks differ in how the kernel times short sleeps (a VMI kernel ends one of ≤ HZ/100 jiffies at
  // its 100 Hz alarm, test/model/vmi-short-sleeps.test.ts), which is the kernel's timer, not the cost
  // of a call. The web server makes no cross-CPU TLB flush (no fork, no munmap): a VMI sender waits
  // for its targets to be scheduled, a Xen one does not, whatever the calls cost
  // (test/model/tlb-shootdown.test.ts).
  const exp = (abi: string) => `
name: same-work
duration: 20s
host: { pcpus: 2, memory: 4GiB, abi: ${abi}, memorySemantics: esx, costs: zero, balloon: { policy: static, fraction: 0.25 } }
guests:
  - name: cpu-{i}
    count: 2
    vcpus: 2
    memory: 1GiB
    kernel: { clock: tick-counting }
    workload: { type: constant, dutyCycle: 0.7, burst: 3ms, resident: 300MiB }
  - name: web
    vcpus: 2
    memory: 1GiB
    kernel: { clock: tick-counting }
    workload: { type: web, ratePerS: 300, service: 2ms, resident: 200MiB, processes: { forksPerCpuS: 0, munmapsPerCpuS: 0 } }
`;
  const run = (abi: string) => simulate(runSpecs(experiment(exp(abi)))[0]!, { checkInvariants: true });
  const column = (r: RunResult, name: string) =>
    r.series!.values[r.series!.columns.findIndex((c) => c.name === name)];

  it('do the same work and hold the same memory when the interfaces cost nothing', () => {
    const [first, ...rest] = OFFERED.map((d) => run(d.name));
    expect(rest.length).toBeGreaterThan(0);
    for (const r of rest) {
      expect(r.status).toBe('ok');
      for (const [i, g] of r.summary!.guests.entries()) {
        const f = first!.summary!.guests[i]!;
        expect(g.interface).not.toBe(f.interface);
        expect(g.interfaceCycles).toBe(0);
        expect([g.workDoneCpuS, g.runningNs, g.balloonActualMiB, g.freeMiB, g.hostSwappedMiB]).toEqual([
          f.workDoneCpuS,
          f.runningNs,
          f.balloonActualMiB,
          f.freeMiB,
          f.hostSwappedMiB,
        ]);
      }
      // From the 6th sample on, when vmw_balloon's polls (≤ 16,384 pages each) have caught up with
      // the 65,536-page target that XenLinux's driver reached when its watch fired, to within the
      // frames the host found touched or not when each balloon grew (a few dozen pages: the
      // drivers took them at different times of the guests' first touches).
      const free = column(r, 'host_free_MiB')!.slice(5);
      const ref = column(first!, 'host_free_MiB')!.slice(5);
      free.forEach((f, k) => expect(Math.abs(f - ref[k]!)).toBeLessThan(1));
    }
  });
});

describe('page-table paths', () => {
  /**
   * A process of 1,000 PTEs, 30 % private writable, in 4 table pages; munmap clears 16; one TLS
   * entry differs from the process switched to.
   */
  const SHAPE: ProcessShape = {
    residentPages: 1000,
    writableShare: 0.3,
    pageTablePages: 4,
    pagesPerMunmap: 16,
    tlsEntriesChangedPerSwitch: 1,
  };
  const P4 = COST_PRESETS['p4-2006'];
  const byName = (d: InterfaceDecl, event: MmuEvent, costs: CostModel = P4, count = 1) => {
    const h = recordingHost();
    make(d, h.hv, costs).mmu(2, event, count, SHAPE);
    const m = new Map<string, Recorded>();
    for (const c of h.calls) {
      expect(c.vcpu).toBe(2);
      const before = m.get(c.call);
      m.set(
        c.call,
        before === undefined
          ? c
          : {
              ...c,
              count: before.count + c.count,
              cycles: before.cycles + c.cycles,
              effects: {
                transitions: (before.effects?.transitions ?? 0) + (c.effects?.transitions ?? 0),
                bytes: (before.effects?.bytes ?? 0) + (c.effects?.bytes ?? 0),
              },
            },
      );
    }
    expect(h.effects, 'page-table work has no other effect on the host').toEqual([]);
    return m;
  };
  const counts = (m: Map<string, Recorded>) => Object.fromEntries([...m].map(([k, r]) => [k, r.count]));
  const total = (m: Map<string, Recorded>, f: (r: Recorded) => number) =>
    [...m.values()].reduce((a, r) => a + f(r), 0);
  const vmi = INTERFACES.vmi!;
  const xen = INTERFACES.xen!;

  it.each(OFFERED.map((d) => [d.name, d] as const))(
    '%s: every event makes calls, n events n times the calls',
    (_n, d) => {
      for (const e of MMU_EVENTS) {
        const one = byName(d, e);
        expect(one.size, e).toBeGreaterThan(0);
        const three = byName(d, e, P4, 3);
        for (const [k, r] of one) {
          expect(three.get(k)!.count, `${e} ${k}`).toBe(3 * r.count);
          expect(three.get(k)!.cycles, `${e} ${k}`).toBe(3 * r.cycles);
        }
        expect(byName(d, e, P4, 0).size).toBe(0);
      }
    },
  );

  it('VMI: every call is a ROM call the 2.6.21 header numbers, except the reflected fault', () => {
    for (const e of MMU_EVENTS)
      for (const k of byName(vmi, e).keys()) {
        if (k === VMI_MMU_CALL.fault) continue;
        expect(Object.values(VMI_CALL), k).toContain(VMI_MMU_CALL_NUMBER[k]);
      }
    // vmi.h: SetPxE 38, UpdatePxE 40, AllocatePage 44, ReleasePage 45, InvalPage 46, FlushTLB 47,
    // SetCR3 17, UpdateKernelStack 14, WriteGDTEntry 11, SetLazyMode 73.
    expect(
      [
        VMI_MMU_CALL.setPxeCurrent,
        VMI_MMU_CALL.updatePxe,
        VMI_MMU_CALL.allocL1,
        VMI_MMU_CALL.releaseL1,
        VMI_MMU_CALL.invalPage,
        VMI_MMU_CALL.flushTlb,
        VMI_MMU_CALL.setCr3,
        VMI_MMU_CALL.kernelStack,
        VMI_MMU_CALL.tls,
        VMI_MMU_CALL.lazyOn,
      ].map((k) => VMI_MMU_CALL_NUMBER[k]),
    ).toEqual([38, 40, 44, 45, 46, 47, 17, 14, 11, 73]);
  });

  it('VMI: argument flags as vmi.c builds them (vmi_flags_addr, VMI_PAGE_L1/L2)', () => {
    // Non-PAE: L1 = PT | ZEROED = 0x41, L2 = PD | ZEROED = 0x42; the clone at fork adds 0x20.
    expect([VMI_PAGE_L1, VMI_PAGE_L2, VMI_PAGE_L2 | VMI_PAGE_CLONE]).toEqual([0x41, 0x42, 0x62]);
    // A PTE of the current AS at 0x08048123: PT | CURRENT_AS | the page's address; deferred adds 0x20.
    expect(vmiPteFlags(0x08048123, true)).toBe(0x08048011);
    expect(vmiPteFlags(0x08048123, true, true)).toBe(0x08048031);
    expect(vmiPteFlags(0xbffff000, true) & VMI_PAGE_CURRENT_AS).toBe(VMI_PAGE_CURRENT_AS);
    expect(vmiPteFlags(0x08048123, false) & (VMI_PAGE_CURRENT_AS | VMI_PAGE_DEFER)).toBe(0);
  });

  it('VMI fork: clone, 4 table pages, 300 SetPxE to the child (only the anon mappings), 300 queued UpdatePxE, 2 exits, 98,900 cycles', () => {
    const m = byName(vmi, 'fork');
    expect(counts(m)).toEqual({
      [VMI_MMU_CALL.allocL2Clone]: 1,
      [VMI_MMU_CALL.allocL1]: 4,
      // copy_page_range skips the mappings without an anon_vma (2.6.20 mm/memory.c:594–603): the
      // 700 shared and read-only PTEs are not copied.
      [VMI_MMU_CALL.setPxeOther]: 300,
      [VMI_MMU_CALL.updatePxe]: 300,
      [VMI_MMU_CALL.lazyOn]: 1,
      [VMI_MMU_CALL.lazyOff]: 1,
      [VMI_MMU_CALL.flushTlb]: 1,
    });
    // Only leaving lazy mode and FlushTLB leave the guest.
    expect(total(m, (r) => r.effects?.transitions ?? 0)).toBe(2);
    // By hand at p4-2006: 5 × (50 + 500) + 300 × 50 + 300 × 50 + 50 + (50 + 3,000 + 300 × 200) + 3,050.
    expect(total(m, (r) => r.cycles)).toBe(2750 + 15_000 + 15_000 + 50 + 63_050 + 3050);
  });

  it('VMI context switch: SetCR3 exits; kernel stack and TLS stay in the ROM', () => {
    const m = byName(vmi, 'context-switch');
    expect(counts(m)).toEqual({ SetCR3: 1, UpdateKernelStack: 1, 'WriteGDTEntry(TLS)': 1 });
    expect(m.get('SetCR3')!.effects?.transitions).toBe(1);
    expect(total(m, (r) => r.cycles)).toBe(3050 + 50 + 50);
  });

  it('VMI and Xen context switch: a TLS descriptor is rewritten only where it differs (vmi_maybe_load_tls)', () => {
    const between = (d: InterfaceDecl, tls: number) => {
      const h = recordingHost();
      make(d, h.hv, P4).mmu(0, 'context-switch', 1, { ...SHAPE, tlsEntriesChangedPerSwitch: tls });
      return h.calls;
    };
    // A process and its fork (lat_ctx's two): no WriteGDTEntry at all; three that differ: three.
    expect(between(vmi, 0).map((c) => c.call)).toEqual(['SetCR3', 'UpdateKernelStack']);
    expect(between(vmi, 3).find((c) => c.call === 'WriteGDTEntry(TLS)')!.count).toBe(3);
    // Xen: the multicall holds stack_switch and one update_descriptor per differing entry, 32 bytes each.
    const bytes = (tls: number) =>
      between(xen, tls).find((c) => c.call === XEN_MMU_CALL.switchMulticall)!.effects?.bytes;
    expect([bytes(0), bytes(1), bytes(3)]).toEqual([32, 64, 128]);
  });

  it('VMI faults: one reflected exit each, not a ROM call (no vmiCallCycles); a COW fault also drops the old entry (InvalPage)', () => {
    // The reflection alone costs an exit; with nothing that exits (a native ROM) it costs nothing.
    expect(byName(vmi, 'demand-fault').get(VMI_MMU_CALL.fault)!.cycles).toBe(P4.exitCycles);
    expect(byName(vmi, 'demand-fault', { ...P4, exitCycles: 0 }).get(VMI_MMU_CALL.fault)!.cycles).toBe(0);
    expect(counts(byName(vmi, 'demand-fault'))).toEqual({
      'page fault (reflected)': 1,
      'SetPxE(CURRENT_AS)': 1,
    });
    expect(counts(byName(vmi, 'cow-fault'))).toEqual({
      'page fault (reflected)': 1,
      'UpdatePxE(CURRENT_AS)': 1,
      InvalPage: 1,
      'SetPxE(CURRENT_AS)': 1,
    });
  });

  it('VMI exit releases every table page it registered, and exec builds one more address space', () => {
    const exit = byName(vmi, 'exit');
    expect(exit.get(VMI_MMU_CALL.releaseL1)!.count).toBe(SHAPE.pageTablePages);
    expect(exit.get(VMI_MMU_CALL.releaseL2)!.count).toBe(1);
    expect(exit.get(VMI_MMU_CALL.updatePxe)!.count).toBe(SHAPE.residentPages);
    const exec = byName(vmi, 'exec');
    expect(exec.get(VMI_MMU_CALL.allocL2Clone)!.count).toBe(1);
    expect(exec.get(VMI_MMU_CALL.setCr3)!.count).toBe(1);
  });

  it('Xen: the hypercall numbers of xen.h 3.0.4 and the commands of mmuext_op', () => {
    expect(MMU_HYPERCALLS).toEqual({ mmu_update: 1, multicall: 13, update_va_mapping: 14, mmuext_op: 26 });
    expect(XEN_HYPERCALL.mmu_update).toBe(1);
    expect([MMUEXT.PIN_L2_TABLE, MMUEXT.UNPIN_TABLE, MMUEXT.NEW_BASEPTR, MMUEXT.TLB_FLUSH_MULTI]).toEqual([
      1, 4, 5, 8,
    ]);
    expect([MMUEXT.TLB_FLUSH_LOCAL, MMUEXT.INVLPG_MULTI, MMUEXT.TLB_FLUSH_ALL, MMUEXT.SET_LDT]).toEqual([
      6, 9, 10, 13,
    ]);
    expect([UVMF_TLB_FLUSH, UVMF_INVLPG]).toEqual([1, 2]);
  });

  it('Xen: argument structs laid out as the i386 guest passes them (16, 12 and 32 bytes)', () => {
    const u = encodeMmuUpdates([{ ptr: 0x12345678n | 0n, val: 0xabcdef01n }]);
    expect(u.length).toBe(16);
    expect([...u.slice(0, 4)]).toEqual([0x78, 0x56, 0x34, 0x12]);
    expect([...u.slice(8, 12)]).toEqual([0x01, 0xef, 0xcd, 0xab]);
    const op = encodeMmuextOps([{ cmd: MMUEXT.NEW_BASEPTR, arg1: 0x1234, arg2: 0 }]);
    expect([...op]).toEqual([5, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0]);
    const mc = encodeMulticall([{ op: XEN_HYPERCALL.stack_switch, args: [0x21, 0xc1000000] }]);
    expect(mc.length).toBe(32);
    expect([...mc.slice(0, 4)]).toEqual([3, 0, 0, 0]);
    expect([...mc.slice(8, 16)]).toEqual([0x21, 0, 0, 0, 0, 0, 0, 0xc1]);
  });

  it('Xen: answers as mm.c does — 0 and all done; -ENOSYS at the first bad command; -ESRCH for another domain; -EINVAL in the hole', () => {
    const ops = encodeMmuextOps([
      { cmd: MMUEXT.PIN_L2_TABLE, arg1: 7, arg2: 0 },
      { cmd: MMUEXT.NEW_BASEPTR, arg1: 7, arg2: 0 },
      { cmd: 14, arg1: 0, arg2: 0 },
    ]);
    expect(doMmuextOp(ops, 2, DOMID_SELF, false)).toEqual([0, 2]);
    expect(doMmuextOp(ops, 3, DOMID_SELF, false)).toEqual([-XEN_ERRNO.ENOSYS, 2]);
    expect(doMmuextOp(ops, 2, 5, false)).toEqual([-XEN_ERRNO.ESRCH, 0]);
    expect(doMmuextOp(ops, 2, 5, true)).toEqual([0, 2]);
    // Non-PAE i386 has no L3/L4 tables to pin.
    expect(
      doMmuextOp(encodeMmuextOps([{ cmd: MMUEXT.PIN_L3_TABLE, arg1: 1, arg2: 0 }]), 1, DOMID_SELF, false)[0],
    ).toBe(-XEN_ERRNO.ENOSYS);
    const reqs = encodeMmuUpdates([
      { ptr: 0x1000n, val: 0x2067n },
      { ptr: 0x2001n, val: 5n },
      { ptr: 0x3002n, val: 0n },
    ]);
    expect(doMmuUpdate(reqs, 2, DOMID_SELF, false)).toEqual([0, 2]);
    expect(doMmuUpdate(reqs, 3, DOMID_SELF, false)).toEqual([-XEN_ERRNO.ENOSYS, 2]);
    expect(doMmuUpdate(reqs, 4, DOMID_SELF, false)).toEqual([-XEN_ERRNO.EFAULT, 0]);
    expect(doUpdateVaMapping(0x08048000, 0x1067n, 0)).toBe(0);
    expect(doUpdateVaMapping(0xfc000000, 0x1067n, 0)).toBe(-XEN_ERRNO.EINVAL);
  });

  it('Xen fork: 300 emulated COW writes, a TLB flush, the child pinned with its 300 copied PTEs; 307 traps, 24 bytes, 1,029,024 cycles', () => {
    const m = byName(xen, 'fork');
    expect(counts(m)).toEqual({
      [XEN_MMU_CALL.ptwr]: 300,
      [XEN_MMU_CALL.flushMulti]: 1,
      [XEN_MMU_CALL.uvmPtRo]: 4,
      [XEN_MMU_CALL.uvmPgdFlush]: 1,
      [XEN_MMU_CALL.pin]: 1,
    });
    expect(total(m, (r) => r.effects?.transitions ?? 0)).toBe(307);
    expect(total(m, (r) => r.effects?.bytes ?? 0)).toBe(24);
    // By hand at p4-2006: 300 × (1,000 + 2,000 + 200) + (1,000 + 12) + 4 × 1,000 + 1,000
    // + (1,000 + 12 + 4 × 500 + 300 × 200): pinning validates only the PTEs fork copied.
    expect(total(m, (r) => r.cycles)).toBe(960_000 + 1012 + 4000 + 1000 + 63_012);
  });

  it('Xen context switch: NEW_BASEPTR, then one multicall of two 32-byte entries', () => {
    const m = byName(xen, 'context-switch');
    expect(counts(m)).toEqual({ [XEN_MMU_CALL.newBase]: 1, [XEN_MMU_CALL.switchMulticall]: 1 });
    expect(m.get(XEN_MMU_CALL.switchMulticall)!.effects?.bytes).toBe(64);
    expect(total(m, (r) => r.effects?.transitions ?? 0)).toBe(2);
    expect(total(m, (r) => r.cycles)).toBe(1012 + 1064);
  });

  it('Xen faults: a bounced trap and one update_va_mapping each; exit unpins; munmap is emulated per PTE', () => {
    expect(counts(byName(xen, 'demand-fault'))).toEqual({
      [XEN_MMU_CALL.fault]: 1,
      [XEN_MMU_CALL.uvmPte]: 1,
    });
    expect(counts(byName(xen, 'cow-fault'))).toEqual({
      [XEN_MMU_CALL.fault]: 1,
      [XEN_MMU_CALL.uvmInvlpg]: 1,
    });
    expect(counts(byName(xen, 'exit'))).toEqual({
      [XEN_MMU_CALL.newBase]: 1,
      [XEN_MMU_CALL.uvmPtRo]: 4,
      [XEN_MMU_CALL.uvmPgdFlush]: 1,
      [XEN_MMU_CALL.unpin]: 1,
    });
    expect(counts(byName(xen, 'munmap'))).toEqual({ [XEN_MMU_CALL.ptwr]: 16, [XEN_MMU_CALL.flushMulti]: 1 });
    const exec = byName(xen, 'exec');
    expect(exec.get(XEN_MMU_CALL.pin)!.count).toBe(1);
    expect(exec.get(XEN_MMU_CALL.unpin)!.count).toBe(1);
  });
});

describe('TLB-shootdown paths', () => {
  const P4 = COST_PRESETS['p4-2006'];
  const shootdownCalls = (h: ReturnType<typeof recordingHost>) =>
    h.calls.map((c) => [c.vcpu, c.call, c.count, c.effects?.path, c.effects?.transitions ?? 0]);

  it('VMI: per flush, APICRead then ICR2 and ICR writes for the mask (one exit), and the sender waits', () => {
    const h = recordingHost();
    const delivered: [readonly number[], string, number | undefined][] = [];
    const ops = make(INTERFACES.vmi!, {
      ...h.hv,
      deliverIpi: (_g, to, kind, n) => void delivered.push([to, kind, n]),
    });
    expect(ops.flushTlbOthers(0, [1, 3], 2)).toBe(true);
    expect(shootdownCalls(h)).toEqual([
      [0, 'APICRead', 2, 'shootdown', 0],
      [0, 'APICWrite', 2, 'shootdown', 0],
      [0, 'APICWrite', 2, 'shootdown', 2],
    ]);
    expect(delivered).toEqual([[[1, 3], 'tlb-shootdown', 2]]);
    // APICRead 64, APICWrite 63 (vmi.h).
    expect([VMI_CALL.APICRead, VMI_CALL.APICWrite]).toEqual([64, 63]);
    // No target: flush_tlb_mm stays local, nothing is sent, nothing to wait for.
    expect(ops.flushTlbOthers(0, [], 1)).toBe(false);
  });

  it('VMI: the target runs smp_invalidate_interrupt — FlushTLB, then the EOI — for every IPI, even descheduled', () => {
    const h = recordingHost();
    const ops = make(INTERFACES.vmi!, h.hv);
    h.setNow(10);
    h.enter(1, 1); // runnable: a device interrupt would merge, a shootdown never does
    ops.ackInterrupt(1, 'tlb-shootdown', 3);
    expect(shootdownCalls(h)).toEqual([
      [1, 'FlushTLB(VMI_FLUSH_TLB) IPI handler', 3, 'shootdown', 3],
      [1, 'APICWrite(EOI)', 3, 'shootdown', 3],
    ]);
    expect(h.calls[0]!.cycles).toBe(3 * (P4.vmiCallCycles + P4.exitCycles));
    expect(VMI_CALL.FlushTLB).toBe(47);
  });

  it('Xen: no IPI and nothing to wait for; the flush is the mmu path\u2019s mmuext_op(TLB_FLUSH_MULTI)', () => {
    const h = recordingHost();
    const ops = make(INTERFACES.xen!, h.hv);
    expect(ops.flushTlbOthers(0, [1, 2, 3], 4)).toBe(false);
    expect([h.calls, h.effects]).toEqual([[], []]);
    // The events that flush other CPUs (fork, munmap) carry the mmuext_op themselves.
    for (const e of ['fork', 'munmap'] as const) {
      const r = recordingHost();
      make(INTERFACES.xen!, r.hv).mmu(0, e, 1, {
        residentPages: 10,
        writableShare: 0.5,
        pageTablePages: 1,
        pagesPerMunmap: 4,
        tlsEntriesChangedPerSwitch: 1,
      });
      expect(r.calls.filter((c) => c.call === XEN_MMU_CALL.flushMulti).map((c) => c.count)).toEqual([1]);
    }
    expect(MMUEXT.TLB_FLUSH_MULTI).toBe(8);
  });

  it('native: one trapped ICR write per flush, a trapped CR3 reload in each handler, and the sender waits', () => {
    const h = recordingHost();
    const ops = make(FALLBACK_INTERFACE, h.hv);
    expect(ops.flushTlbOthers(2, [0], 1)).toBe(true);
    ops.ackInterrupt(0, 'tlb-shootdown', 1);
    expect(shootdownCalls(h)).toEqual([
      [2, 'APIC ICR write (trapped)', 1, 'shootdown', 1],
      [0, 'MOV CR3 (trapped) IPI handler', 1, 'shootdown', 1],
      [0, 'APIC EOI write (trapped)', 1, 'shootdown', 1],
    ]);
    expect(h.effects).toEqual(['ipi 0']);
  });
});

describe('balloon paths', () => {
  const P4 = COST_PRESETS['p4-2006'];
  const byCall = (h: ReturnType<typeof recordingHost>) => {
    const m = new Map<string, { count: number; cycles: number; path: unknown; bytes: number }>();
    for (const c of h.calls) {
      const b = m.get(c.call) ?? { count: 0, cycles: 0, path: c.effects?.path, bytes: 0 };
      m.set(c.call, {
        count: b.count + c.count,
        cycles: b.cycles + c.cycles,
        path: b.path,
        bytes: b.bytes + (c.effects?.bytes ?? 0),
      });
    }
    return m;
  };

  it('Xen decrease: an update_va_mapping per lowmem page, a TLB_FLUSH_ALL and a decrease_reservation per 1,024 pages', () => {
    const h = recordingHost();
    expect(make(INTERFACES.xen!, h.hv).balloonInflate(2048, 1500)).toBe(2048);
    const m = byCall(h);
    expect(m.get('update_va_mapping(balloon: unmap lowmem page)')).toEqual({
      count: 1500,
      cycles: 1500 * (P4.hypercallCycles + P4.pteUpdateCycles),
      path: 'balloon',
      bytes: 0,
    });
    expect(m.get('mmuext_op(TLB_FLUSH_ALL)')).toEqual({
      count: 2,
      cycles: 2 * (P4.hypercallCycles + 12 * P4.copyCyclesPerByte),
      path: 'balloon',
      bytes: 24,
    });
    expect(m.get('memory_op(decrease_reservation)')).toMatchObject({
      count: 2,
      path: 'balloon',
      bytes: 2 * 20 + 2048 * 4,
    });
    // update_va_mapping 14, mmuext_op 26, memory_op 12 (xen.h); MMUEXT_TLB_FLUSH_ALL 10.
    expect([XEN_HYPERCALL.update_va_mapping, XEN_HYPERCALL.mmuext_op, XEN_HYPERCALL.memory_op]).toEqual([
      14, 26, 12,
    ]);
    expect(MMUEXT.TLB_FLUSH_ALL).toBe(10);
    // Highmem only: no update_va_mapping, still the flush.
    const hi = recordingHost();
    make(INTERFACES.xen!, hi.hv).balloonInflate(100, 0);
    expect(byCall(hi).has('update_va_mapping(balloon: unmap lowmem page)')).toBe(false);
    expect(byCall(hi).get('mmuext_op(TLB_FLUSH_ALL)')!.count).toBe(1);
  });

  it('Xen increase: populate_physmap, then a re-link per lowmem page Xen gave (lowmem first), no flush', () => {
    const h = recordingHost({ freePages: 1000 });
    expect(make(INTERFACES.xen!, h.hv).balloonDeflate(2048, 1500)).toBe(1000);
    const m = byCall(h);
    expect(m.get('memory_op(populate_physmap)')).toMatchObject({ count: 2, path: 'balloon' });
    expect(m.get('update_va_mapping(balloon: relink lowmem page)')).toMatchObject({
      count: 1000,
      path: 'balloon',
    });
    expect(m.has('mmuext_op(TLB_FLUSH_ALL)')).toBe(false);
  });

  it('VMI: one port access per page whatever its zone, on the balloon path; no flush, no IPI', () => {
    const h = recordingHost();
    const ops = make(INTERFACES.vmi!, h.hv);
    ops.balloonTarget();
    expect(ops.balloonInflate(300, 200)).toBe(300);
    const m = byCall(h);
    expect(m.get('BalloonLock')).toMatchObject({ count: 300, path: 'balloon' });
    expect(m.get('BalloonGetTarget')).toMatchObject({ count: 1, path: 'balloon' });
    expect([...m.keys()].sort()).toEqual(['BalloonGetTarget', 'BalloonLock']);
    expect(h.effects).toEqual(['inflated 300']);
  });
});
