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
//    tick-counting kernels, whose timers do not depend on the interface).
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
  | { op: 'ackInterrupt'; vcpu: number; count: number; source: 'timer' | 'device' }
  | { op: 'submitIo'; vcpu: number; inNs: number }
  | { op: 'balloonTarget' | 'installIdt' }
  | { op: 'balloonInflate' | 'balloonDeflate'; pages: number }
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
    source: fc.constantFrom('timer' as const, 'device' as const),
  }),
  fc.record({ op: fc.constant('submitIo' as const), vcpu, inNs: fc.integer({ min: 1, max: 1e8 }) }),
  fc.record({ op: fc.constantFrom('balloonTarget' as const, 'installIdt' as const) }),
  fc.record({
    op: fc.constantFrom('balloonInflate' as const, 'balloonDeflate' as const),
    pages: fc.integer({ min: 1, max: 5000 }),
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
    case 'balloonInflate':
      return void ops.balloonInflate(o.pages);
    case 'balloonDeflate':
      return void ops.balloonDeflate(o.pages);
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
          const pages = runOps(d, seq, only('pageCycles'));
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
  // of a call.
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
    workload: { type: web, ratePerS: 300, service: 2ms, resident: 200MiB }
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
      expect(column(r, 'host_free_MiB')).toEqual(column(first!, 'host_free_MiB'));
    }
  });
});
