/**
 * The guest's side of Xen: ParavirtOps carried out as hypercalls and shared-memory reads, the
 * way a 2006 PV i386 Linux guest does them (reference/time-cpu-abi.md §2, memory-balloon.md §3):
 *  - idle: set_timer_op(absolute ns) then sched_op(SCHEDOP_block) (stop_hz_timer, §2.5), 0
 *    cancels; the wake-up arrives as a VIRQ_TIMER event upcall (ackInterrupt);
 *  - clocks: no call at all — time and runstate are values Xen keeps in shared memory
 *    (vcpu_time_info read with the pvclock formula from the TSC; vcpu_runstate_info), which is
 *    the "time as a value" side of the 2006 debate;
 *  - balloon target: a xenstore read of memory/target (KiB), one event-channel notification;
 *  - balloon: the guest lists the frames itself — memory_op(decrease_reservation) to give pages,
 *    populate_physmap to take them back, at most 1,024 frames per hypercall on i386 (one page of
 *    4-byte frame numbers), each frame number copied in (4 bytes) and each page costed; the pages
 *    Xen took or gave are reported to the host's memory.
 * Every hypercall is charged `hypercallCycles` plus its copies and pages (sim/abi/costs.ts).
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
import { type Idt } from '../i386/idt.js';
import { xenLinuxTrapTable } from './trap-info.js';
import { xenBootSequence } from './boot.js';
import { xenIrqFlag } from './irq-flag.js';
import { EVTCHN_BYTES } from './boot-structs.js';
import { PendingEdges } from '../pending-edges.js';
import { nsToCycles } from '../vmi/vmi-ops.js';
import { RUNSTATE_offline, RUNSTATE_runnable, SCHEDOP, XEN_HYPERCALL, XENMEM } from './constants.js';
import { xenHypercall, type HypercallResult } from './dispatch.js';
import { XEN_MEMORY_RESERVATION } from './structs.js';
import { pvclockNs, xenTimeScale, type XenTimeScale } from './pvclock.js';
import { MmuCharger, type MmuEvent, type ProcessShape } from '../mmu.js';
import { xenMmuCalls } from './mmu.js';
import { MMUEXT_OP } from './mmu-abi.js';

/** Hypercall names by number, for counting raw calls. */
const HYPERCALL_NAME = new Map<number, string>(Object.entries(XEN_HYPERCALL).map(([k, v]) => [v, k]));

/** Frames per memory_op call: PAGE_SIZE / sizeof(unsigned long) on i386 (balloon.c frame_list). */
export const FRAMES_PER_HYPERCALL = 1024;
/** Bytes of one frame number copied into the hypervisor (xen_pfn_t on i386). */
export const FRAME_NUMBER_BYTES = 4;
/** Xen recalibrates each vCPU's time info once a second (EPOCH, xen/arch/x86/time.c). */
export const TIME_EPOCH_NS = 1_000_000_000;

const DRIVER_VCPU = 0;

export const XEN_CALL = {
  setTrapTable: 'set_trap_table',
  block: 'sched_op(block)',
  setTimer: 'set_timer_op',
  xenstoreNotify: 'event_channel_op(send) xenstore',
  ipiSend: 'event_channel_op(send) IPI',
  ioNotify: 'event_channel_op(send) device',
  upcall: 'shared event upcall',
  merged: 'event merged (port already pending)',
  decrease: 'memory_op(decrease_reservation)',
  populate: 'memory_op(populate_physmap)',
  uvmUnmap: 'update_va_mapping(balloon: unmap lowmem page)',
  uvmRelink: 'update_va_mapping(balloon: relink lowmem page)',
  flushAll: 'mmuext_op(TLB_FLUSH_ALL)',
  sharedClockRead: 'shared vcpu_time_info/runstate read',
} as const;

/** The calls of the balloon driver: its xenstore read, its unmaps and relinks, flushes, reservations. */
const BALLOON_CALLS: ReadonlySet<string> = new Set([
  XEN_CALL.xenstoreNotify,
  XEN_CALL.decrease,
  XEN_CALL.populate,
  XEN_CALL.uvmUnmap,
  XEN_CALL.uvmRelink,
  XEN_CALL.flushAll,
]);

export class XenOps implements ParavirtOps {
  readonly abi = 'xen';
  private readonly scale: XenTimeScale;
  private readonly edges: PendingEdges;
  private readonly irqFlagCalls: (vcpu: number, work: IrqFlagWork) => void;

  /** Page-table events' call sequences, built once per event (sim/abi/mmu.ts). */
  private readonly mmuCharger: MmuCharger;

  constructor(
    private readonly hv: HypervisorServices,
    private readonly guest: number,
    private readonly costs: CostModel,
  ) {
    // TSC ticks per second of Xen's system time: the CPU clock over the platform timer's rate.
    const drift = hv.clockFaults?.platformDriftPpm ?? 0;
    this.scale = xenTimeScale(Math.round((hv.cpuMHz * 1_000_000) / (1 + drift / 1e6)));
    this.edges = new PendingEdges(hv, guest);
    this.irqFlagCalls = xenIrqFlag(hv, guest, costs);
    this.mmuCharger = new MmuCharger(hv, guest, (event, shape) => xenMmuCalls(event, shape, costs));
  }

  private hypercall(vcpu: number, name: string, count: number, extraCycles = 0, bytes = 0, errors = 0): void {
    this.hv.chargeCall(this.guest, vcpu, name, count, count * this.costs.hypercallCycles + extraCycles, {
      transitions: count,
      bytes,
      errors,
      // The balloon driver's calls (all on its vCPU) are totalled as their own path.
      ...(BALLOON_CALLS.has(name) ? { path: 'balloon' as const } : {}),
    });
  }

  installIdt(idt: Idt): void {
    // set_trap_table: XenLinux's trap_table — exceptions and int 0x80, not the native IDT's
    // external vectors (events are event channels) — which Xen copies in entry by entry up to the
    // terminating zero entry, 8 bytes each, in one hypercall (trap-info.ts xenLinuxTrapTable).
    const table = xenLinuxTrapTable(idt);
    this.hv.chargeCall(
      this.guest,
      0,
      XEN_CALL.setTrapTable,
      1,
      this.costs.hypercallCycles + table.bytes * this.costs.copyCyclesPerByte,
      { transitions: 1, bytes: table.bytes, path: 'boot' },
    );
  }

  /** XenLinux's boot sequence after its trap table (boot.ts), each hypercall decoded and counted. */
  bootVcpus(vcpus: number): void {
    xenBootSequence((name, nr, args) => {
      const r = this.decode(0, nr, args);
      const copied = r.copied ?? 0;
      this.hv.chargeCall(
        this.guest,
        0,
        name,
        1,
        this.costs.hypercallCycles + copied * this.costs.copyCyclesPerByte,
        { transitions: 1, bytes: copied, errors: r.ret < 0 ? 1 : 0, path: 'boot' },
      );
      return r.ret;
    }, vcpus);
  }

  /** The virtual interrupt flag in vcpu_info and force_evtchn_callback (irq-flag.ts). */
  irqFlag(vcpu: number, work: IrqFlagWork): void {
    this.irqFlagCalls(vcpu, work);
  }

  /**
   * Issues hypercall `nr` with raw arguments, as a guest kernel (or a fuzzing test) may, and
   * returns EAX. Served through the decoder in dispatch.ts: bad numbers and arguments come back
   * as negative errno and are counted as errors; nothing throws. A timer effect is applied; block
   * and page effects are returned, not applied, since they belong to the guest's scheduler and
   * balloon driver.
   */
  rawHypercall(vcpu: number, nr: number, args: readonly number[]): HypercallResult {
    const r = this.decode(vcpu, nr, args);
    this.hypercall(vcpu, HYPERCALL_NAME.get(nr) ?? `hypercall ${nr}`, 1, 0, 0, r.ret < 0 ? 1 : 0);
    if (r.effect.kind === 'timer') this.apply(vcpu, r, args);
    return r;
  }

  /** Decodes hypercall `nr` as Xen would (dispatch.ts): the one path every hypercall takes. */
  private decode(vcpu: number, nr: number, args: readonly number[]): HypercallResult {
    const env = {
      nowNs: this.hv.nowNs(),
      vcpu,
      domain: this.hv.domainPages(this.guest),
      hostFreePages: this.hv.hostFreePages(),
    };
    return xenHypercall(env, nr, args);
  }

  /**
   * Applies what a hypercall did to the vCPU's timer or runstate. A timer armed at the deadline the
   * guest asked for (`args[0]`, system time) rings when the guest's clock reads it; one Xen chose
   * itself from NOW() (the 100 ms fallback, or now for a deadline already past) rings then.
   */
  private apply(vcpu: number, r: HypercallResult, args: readonly number[]): void {
    if (r.effect.kind === 'timer') {
      const a = r.effect.action;
      if (a.kind === 'cancel') this.hv.cancelTimer(this.guest, vcpu);
      else this.hv.setTimer(this.guest, vcpu, a.atNs === args[0] ? this.trueTimeOf(a.atNs, vcpu) : a.atNs);
    } else if (r.effect.kind === 'block') {
      this.hv.haltVcpu(this.guest, vcpu);
    }
  }

  /** A hypercall the guest makes for itself: decoded, counted under `name`, its effect applied. */
  private call(vcpu: number, name: string, nr: number, args: readonly number[]): void {
    const r = this.decode(vcpu, nr, args);
    this.hypercall(vcpu, name, 1, 0, 0, r.ret < 0 ? 1 : 0);
    this.apply(vcpu, r, args);
  }

  halt(vcpu: number): void {
    this.call(vcpu, XEN_CALL.block, XEN_HYPERCALL.sched_op, [SCHEDOP.block]);
  }

  armWakeup(vcpu: number, atNs: number): void {
    // No timer pending: time-xen.c jiffies_to_st turns the far-off jiffy into 0 ("there is no
    // pending timer. We indicate this to Xen by passing zero timeout"), which set_timer_op cancels.
    this.call(vcpu, XEN_CALL.setTimer, XEN_HYPERCALL.set_timer_op, [Number.isFinite(atNs) ? atNs : 0]);
  }

  cancelWakeup(vcpu: number): void {
    this.call(vcpu, XEN_CALL.setTimer, XEN_HYPERCALL.set_timer_op, [0]);
  }

  /**
   * No call. The reference gives the XenLinux idle as `stop_hz_timer()` → set_timer_op(next timer)
   * then SCHEDOP_block (time-cpu-abi.md §2.5), nothing that stops a periodic timer; the 3.0.4
   * ABI has no periodic-timer hypercall (VCPUOP_set/stop_periodic_timer came with Xen 3.1, §2.5).
   */
  stopPeriodicTimer(_vcpu: number): void {}

  /**
   * No call: the reference is silent on any re-arming when a XenLinux vCPU leaves its block
   * (its VIRQ_TIMER upcall is charged by ackInterrupt), so none is modelled.
   */
  restartPeriodicTimer(_vcpu: number): void {}

  readClocks(vcpu: number, times = 1, atNs?: number): GuestClocks {
    // Shared memory: no transition. Counted (0 cycles) so the comparison shows what replaced
    // VMI's two GetCycleCounter calls (REAL, AVAILABLE).
    this.hv.chargeCall(this.guest, vcpu, XEN_CALL.sharedClockRead, times, 0);
    const c = this.hv.clocks(this.guest, vcpu, atNs);
    // The time info Xen last wrote, at the start of the current 1 s epoch, read through pvclock.
    const realNs = this.pvclockAt(c.realNs, vcpu);
    // vcpu_runstate_info gives running/runnable/blocked/offline times up to state_entry_time;
    // steal = time[runnable] + time[offline] (time-xen.c timer_interrupt; xen_steal_clock). While
    // the vCPU runs (when a real guest reads it) those two states are closed, so this is all of it.
    const rs = this.hv.runstateArea(this.guest, vcpu);
    const stolenNs = rs.timeNs[RUNSTATE_runnable] + rs.timeNs[RUNSTATE_offline];
    return { realNs, availableNs: realNs - stolenNs, stolenNs, runstate: rs };
  }

  sendIpi(from: number, to: readonly number[], kind: IpiKind): void {
    // Event channels: one EVTCHNOP_send per target vCPU's IPI port (bound with EVTCHNOP_bind_ipi).
    // Each send copies its 4-byte evtchn_send in.
    if (to.length === 0) return;
    const bytes = to.length * EVTCHN_BYTES.send;
    this.hypercall(from, XEN_CALL.ipiSend, to.length, bytes * this.costs.copyCyclesPerByte, bytes);
    this.hv.deliverIpi(this.guest, to, kind);
  }

  /**
   * XenLinux 3.0.4 flushes other CPUs' TLBs through Xen, not with IPIs: flush_tlb_mm →
   * xen_tlb_flush_mask(&mm->cpu_vm_mask) → one mmuext_op(MMUEXT_TLB_FLUSH_MULTI)
   * (linux-2.6-xen-sparse arch/i386/kernel/smp-xen.c, its `#else` XEN branch;
   * arch/i386/mm/hypervisor.c), which the fork and munmap sequences already hold (sim/abi/xen/mmu.ts).
   * Xen flushes the other pCPUs itself before the hypercall returns: no IPI, nothing to wait for.
   */
  flushTlbOthers(_from: number, _to: readonly number[], _count: number): boolean {
    return false;
  }

  /**
   * An event arrives as an upcall; the handler clears the pending bits in shared_info
   * (reference/time-cpu-abi.md §2.7) — no hypercall. Counted at 0 cycles so the comparison shows
   * what replaced VMI's EOI write. A device or IPI event on a port already pending while the vCPU
   * is not running is merged into it (pending-edges.ts) and runs no handler of its own.
   */
  ackInterrupt(vcpu: number, source: InterruptSource, count = 1): void {
    const handled = source === 'timer' ? count : this.edges.arrive(vcpu, source, count);
    if (handled > 0) this.hv.chargeCall(this.guest, vcpu, XEN_CALL.upcall, handled, 0, { path: 'interrupt' });
    if (handled < count)
      this.hv.chargeCall(this.guest, vcpu, XEN_CALL.merged, count - handled, 0, { path: 'interrupt' });
  }

  /** The wall clock as vCPU 0 reads it (the error statistics' view of the guest's time). */
  clockNs(nowNs: number): number {
    return this.pvclockAt(nowNs, 0);
  }

  /**
   * The first true instant at which `vcpu` reads system time `systemNs` or later: Xen fires a
   * set_timer_op deadline on its own system time, which the guest reads through the same pvclock
   * record, so a guest woken at its deadline never reads a time before it (without this, the
   * pvclock's rounding of a few ns would put a deadline on a jiffy boundary one jiffy short, and
   * with `host.clock` drift or skew the deadline would fall on the wrong clock). pvclock rises
   * 1 ns per ns to within its scaling, so a few steps settle it; at an epoch's recalibration jump
   * the search stops after 64 steps, at most 64 ns off.
   */
  private trueTimeOf(systemNs: number, vcpu: number): number {
    let t = Math.max(0, systemNs - (this.pvclockAt(systemNs, vcpu) - systemNs));
    for (let i = 0; i < 64 && this.pvclockAt(t, vcpu) < systemNs; i++) t++;
    for (let i = 0; i < 64 && t > 0 && this.pvclockAt(t - 1, vcpu) >= systemNs; i++) t--;
    return t;
  }

  /**
   * System time as the guest computes it on `vcpu` at `nowNs`: pvclock over the vcpu_time_info Xen
   * last wrote for it. Xen 3.0.4 (xen/arch/x86/time.c) recalibrates each pCPU's local time every
   * EPOCH (1 s) against the platform timer (local_time_calibration) and copies the pCPU's record —
   * local_tsc_stamp, stime_local_stamp, its mul/shift — into the vCPU's whenever they differ
   * (update_vcpu_system_time, at calibration and when the vCPU is switched onto another pCPU). So
   * a vCPU reads the local time of the pCPU it runs on, and with `host.clock`:
   *  - pCPU p's local time runs p × tscOffsetPerPcpuNs ahead of pCPU 0's. The TSC offset itself
   *    cancels (tsc_timestamp is stamped from the same pCPU's TSC); what is left, and modelled, is
   *    the difference in local time it shows as — a vCPU moving from pCPU p to q steps by
   *    (q − p) × the offset. The skew is held constant: real calibration pulls each pCPU's local
   *    time toward the platform's every epoch ("Local time warps forward if it lags behind master
   *    time"), so a real skew is bounded and varies; this is a what-if of a given size, not a
   *    prediction of one.
   *  - Xen's system time follows the platform timer, so a timer D ppm fast makes every epoch's
   *    stime D µs per second ahead: stime(E) = E + round(E × D / 10^6); local_time_calibration
   *    also fits the mul to the platform's rate (TSC ticks per platform second = f / (1 + D/10^6)),
   *    so between epochs the clock gains at the same rate. Worked example: D = 100, after 30 s the
   *    guest reads 30 s + 3 ms (error −3 ms), to within the mul's rounding (< 1 ns per 1 s epoch).
   * Both 0: stime(E) = E and the mul is the TSC's, exactly the perfect clock.
   */
  private pvclockAt(nowNs: number, vcpu: number): number {
    const epochNs = nowNs - (nowNs % TIME_EPOCH_NS);
    const f = this.hv.clockFaults;
    const driftNs = f === undefined ? 0 : Math.round((epochNs * f.platformDriftPpm) / 1e6);
    const offsetNs = f === undefined ? 0 : (this.hv.pcpuOf?.(this.guest, vcpu) ?? 0) * f.tscOffsetPerPcpuNs;
    const info = {
      tscTimestamp: BigInt(nsToCycles(epochNs, this.hv.cpuMHz)),
      systemTime: BigInt(epochNs + driftNs + offsetNs),
      tscToSystemMul: this.scale.tscToSystemMul,
      tscShift: this.scale.tscShift,
    };
    return Number(pvclockNs(info, BigInt(nsToCycles(nowNs, this.hv.cpuMHz))));
  }

  /** A split driver: the request goes on a shared ring, then one EVTCHNOP_send to the backend. */
  submitIo(vcpu: number, completeAtNs: number): void {
    this.hypercall(
      vcpu,
      XEN_CALL.ioNotify,
      1,
      EVTCHN_BYTES.send * this.costs.copyCyclesPerByte,
      EVTCHN_BYTES.send,
    );
    this.hv.completeIoAt(this.guest, vcpu, completeAtNs);
  }

  balloonTarget(): number {
    // memory/target is in KiB; the driver converts with >> (PAGE_SHIFT − 10).
    this.hypercall(
      DRIVER_VCPU,
      XEN_CALL.xenstoreNotify,
      1,
      EVTCHN_BYTES.send * this.costs.copyCyclesPerByte,
      EVTCHN_BYTES.send,
    );
    const targetKiB = this.hv.balloonTargetPages(this.guest) * 4;
    return targetKiB >> 2;
  }

  /**
   * decrease_reservation (XenLinux 3.0.4 balloon.c), per batch of ≤ 1,024 pages: each lowmem page's
   * direct-map PTE cleared with HYPERVISOR_update_va_mapping(va, __pte_ma(0), 0) — one hypercall
   * per page, its arguments in registers, one entry validated (`pteUpdateCycles`), as the MMU
   * path's update_va_mapping (sim/abi/xen/mmu.ts); highmem pages have no such mapping — then
   * kmap_flush_unused(); flush_tlb_all() → xen_tlb_flush_all → one
   * mmuext_op(MMUEXT_TLB_FLUSH_ALL) (smp-xen.c, hypervisor.c; its 12-byte struct mmuext_op
   * copied in), and the XENMEM_decrease_reservation. No IPI: Xen flushes every pCPU itself.
   */
  balloonInflate(pages: number, lowmemPages = 0): number {
    if (pages <= 0) return 0;
    this.uvm(XEN_CALL.uvmUnmap, Math.min(lowmemPages, pages));
    const flushes = Math.ceil(pages / FRAMES_PER_HYPERCALL);
    this.hypercall(
      DRIVER_VCPU,
      XEN_CALL.flushAll,
      flushes,
      flushes * MMUEXT_OP.SIZE * this.costs.copyCyclesPerByte,
      flushes * MMUEXT_OP.SIZE,
    );
    const r = this.decode(DRIVER_VCPU, XEN_HYPERCALL.memory_op, [XENMEM.decrease_reservation, pages, 0]);
    const done = r.effect.kind === 'pages' ? -r.effect.delta : 0;
    this.chargeBatches(XEN_CALL.decrease, pages, done, r.ret < 0);
    this.hv.balloonInflated(this.guest, done);
    return done;
  }

  /**
   * increase_reservation: XENMEM_populate_physmap, then each lowmem page Xen gave re-linked into
   * the direct map with update_va_mapping(va, pfn_pte_ma(mfn, PAGE_KERNEL), 0); the driver gives
   * lowmem back first (balloon_append/balloon_retrieve), so min(done, lowmemPages) of them.
   */
  balloonDeflate(pages: number, lowmemPages = 0): number {
    const r = this.decode(DRIVER_VCPU, XEN_HYPERCALL.memory_op, [XENMEM.populate_physmap, pages, 0]);
    const done = r.effect.kind === 'pages' ? r.effect.delta : 0;
    this.chargeBatches(XEN_CALL.populate, pages, done, r.ret < 0);
    this.uvm(XEN_CALL.uvmRelink, Math.min(done, lowmemPages));
    this.hv.balloonDeflated(this.guest, done);
    return done;
  }

  /** `n` update_va_mapping hypercalls of the balloon driver, one direct-map PTE each. */
  private uvm(name: string, n: number): void {
    if (n > 0) this.hypercall(DRIVER_VCPU, name, n, n * this.costs.pteUpdateCycles);
  }

  /**
   * Batches of ≤ 1,024 listed frames: one hypercall each, copying its 20-byte
   * xen_memory_reservation and 4 bytes per frame, plus a page cost per frame moved.
   */
  private chargeBatches(name: string, listed: number, done: number, failed: boolean): void {
    const calls = Math.ceil(listed / FRAMES_PER_HYPERCALL);
    const bytes = calls * XEN_MEMORY_RESERVATION.SIZE + listed * FRAME_NUMBER_BYTES;
    const extra = bytes * this.costs.copyCyclesPerByte + done * this.costs.pageCycles;
    this.hypercall(DRIVER_VCPU, name, calls, extra, bytes, failed ? 1 : 0);
  }

  /** Page-table work as XenLinux 3.0.4 did it (sim/abi/xen/mmu.ts). */
  mmu(vcpu: number, event: MmuEvent, count: number, shape: ProcessShape): void {
    if (count > 0) this.mmuCharger.charge(vcpu, event, count, shape);
  }
}
