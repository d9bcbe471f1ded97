/**
 * What a guest kernel may ask of its hypervisor, independent of the interface that carries it.
 * The guest model is written against `ParavirtOps` only; each ABI (sim/abi/vmi, later xen)
 * implements it by issuing its own calls — counted and costed — to the host's
 * `HypervisorServices`. So the same guest runs over either interface and the two can be
 * compared on identical work. What else an interface tells the rest of the simulator about itself
 * (its clock, its balloon driver, its call catalogue) is its declaration, sim/abi/interface.ts.
 */

import type { Idt } from './i386/idt.js';
import type { HostClockFaults } from '../spec/run-spec.js';
import type { MmuEvent, ProcessShape } from './mmu.js';

/** Why a guest interrupts its other vCPUs. */
export type IpiKind = 'tlb-shootdown' | 'reschedule';

/** What raised an interrupt the guest must acknowledge: another vCPU, or a virtual device. */
export type InterruptSource = IpiKind | 'device' | 'timer';

/** Time as the guest's per-vCPU counters report it, converted to ns by the guest. */
export interface GuestClocks {
  /** Elapsed since the guest started. */
  realNs: number;
  /** Running + halted time of this vCPU. */
  availableNs: number;
  /** Time this vCPU wanted to run but could not (runnable + offline). */
  stolenNs: number;
  /** VMI only: REAL and AVAILABLE as read and STOLEN = REAL − AVAILABLE, in cycles. */
  cycles?: { real: number; available: number; stolen: number };
  /** Xen only: the vCPU's vcpu_runstate_info as the guest read it (a VMI guest sees counters). */
  runstate?: RunstateArea;
}

/**
 * A vcpu_runstate_info in ns (reference/time-cpu-abi.md §2.5): the current RUNSTATE_*, the system
 * time it was entered (state_entry_time), and time[RUNSTATE_*] accounted up to that entry — the
 * current state's open interval is added at the next change, so Σ timeNs = stateEntryNs.
 */
export interface RunstateArea {
  state: number;
  stateEntryNs: number;
  timeNs: readonly [number, number, number, number];
}

/** Guest-facing operations; `vcpu` is the guest-local vCPU index. */
export interface ParavirtOps {
  readonly abi: string;
  /** Boot: hand the hypervisor the guest's interrupt descriptor table (from vCPU 0). */
  installIdt(idt: Idt): void;
  /** Idle the vCPU until an interrupt (its wake-up timer). */
  halt(vcpu: number): void;
  /**
   * Arm this vCPU's one-shot wake-up timer for absolute simulated time `atNs`. `Infinity`: the
   * kernel has no timer pending and arms it as far ahead as its interface lets it (VMI: a SetAlarm
   * that never falls due in a run; Xen: jiffies_to_st's 0, which set_timer_op takes as cancel).
   */
  armWakeup(vcpu: number, atNs: number): void;
  cancelWakeup(vcpu: number): void;
  /**
   * Tickless idle (NO_IDLE_HZ): the guest stops its periodic timer interrupt before it halts, and
   * restarts it when the halt ends. VMI cancels and re-arms its alarm on AVAILABLE
   * (HypervisorServices.periodicAlarm, sim/host/vtimer.ts mode `available`); an interface with no
   * such call does nothing.
   */
  stopPeriodicTimer(vcpu: number): void;
  restartPeriodicTimer(vcpu: number): void;
  /**
   * Reads the vCPU's clocks; `times` > 1 charges that many reads (one per interrupt handled).
   * `atNs` (default now): the instant of the last of those interrupts, for timer interrupts the
   * host hands over in a batch after they fell due (sim/host/vtimer.ts); it lies within the
   * vCPU's current runstate. `into`: an earlier answer of this interface that the caller no longer
   * needs, which it may fill and return instead of making a new object (a guest keeps the last
   * read of each vCPU, so a new object per read would make every read allocate).
   */
  readClocks(vcpu: number, times?: number, atNs?: number, into?: GuestClocks): GuestClocks;
  /**
   * An inter-processor interrupt from vCPU `from` to vCPUs `to` (guest-local), e.g. the
   * reschedule IPI of a wake-up on another vCPU's run queue.
   */
  sendIpi(from: number, to: readonly number[], kind: IpiKind): void;
  /**
   * flush_tlb_others: `count` flushes of the current mm on `from` (flush_tlb_mm after fork's
   * write-protect and after munmap) while vCPUs `to` may hold its translations. Returns true if
   * the sender must then wait until every target has run its flush handler and acknowledged —
   * the native i386 path of Linux 2.6.21 (arch/i386/kernel/smp.c flush_tlb_others: the
   * invalidate IPI, then a spin until flush_cpumask is empty), which a VMI guest keeps; false if
   * the hypervisor did the other CPUs' flushes inside the flush call the interface's mmu sequence
   * already made (XenLinux 3.0.4: mmuext_op(MMUEXT_TLB_FLUSH_MULTI), one hypercall, no IPI).
   */
  flushTlbOthers(from: number, to: readonly number[], count: number): boolean;
  /** The interrupt handler on `vcpu` acknowledges `count` interrupts (default 1) from `source`. */
  ackInterrupt(vcpu: number, source: InterruptSource, count?: number): void;
  /**
   * What the guest's clocksource reads at `nowNs`, ns since boot — for measuring clock error,
   * so not counted or charged as a call.
   */
  clockNs(nowNs: number): number;
  /**
   * Starts an I/O request from `vcpu` on the guest's virtual device; its completion interrupt
   * arrives at `completeAtNs` on the vCPU device interrupts are routed to (vCPU 0).
   */
  submitIo(vcpu: number, completeAtNs: number): void;
  /** The balloon size the host asks for, in pages. */
  balloonTarget(): number;
  /**
   * Hands up to `pages` pages to the host (inflate) or takes them back (deflate); returns how
   * many moved (an interface may complete partially, e.g. Xen when the host has no frames). The
   * pages that moved are reported to the host (HypervisorServices.balloonInflated / Deflated) as
   * part of the call: the guest's memory counts must already hold the pages it hands over.
   */
  balloonInflate(pages: number, lowmemPages?: number): number;
  /**
   * `lowmemPages` (default 0): how many of the pages are in the guest's lowmem zone (inflate: among
   * those handed over; deflate: those the driver takes back first) — a Xen guest re-maps or unmaps
   * each of them in its kernel's direct map with its own hypercall.
   */
  balloonDeflate(pages: number, lowmemPages?: number): number;
  /**
   * Page-table work: `count` times `event` of a process of shape `shape` on `vcpu` (fork, exec,
   * exit, context switch, faults, munmap), made as the interface's kernel made it
   * (sim/abi/mmu.ts; the sequences are in each interface's mmu.ts).
   */
  mmu(vcpu: number, event: MmuEvent, count: number, shape: ProcessShape): void;

  // ---- Boot per interface and the interrupt-flag path --------------------------------------

  /**
   * Boot, after installIdt: what the kernel tells its hypervisor once per guest and once per vCPU
   * (VMI: SetIDT per CPU; Xen: callbacks, xen_version queries, runstate areas, event-channel
   * binds). Charged to vCPU 0, counted under the `boot` path.
   */
  bootVcpus(vcpus: number): void;
  /** Interrupt-flag work on `vcpu` (see IrqFlagWork), counted under the `interrupt` path. */
  irqFlag(vcpu: number, work: IrqFlagWork): void;
}

/**
 * How a vCPU's periodic timer interrupts fall due (sim/host/vtimer.ts delivers them):
 * `periodic` on real time at HZ (a tick-counting kernel), `available` on the vCPU's running time
 * (VMI's alarm on the AVAILABLE counter), `virq` on system time while running, merged into one
 * pending event while descheduled (Xen's periodic VIRQ_TIMER).
 */
export type TimerMode = 'periodic' | 'available' | 'virq';

/** The periodic timer interrupts a vCPU's kernel asks the hypervisor for. */
export interface VcpuTimer {
  mode: TimerMode;
  /** Interrupts per second, per stream. */
  hz: number;
  /**
   * Identical interrupt streams on this vCPU: 2 on vCPU 0 of a tick-counting guest (the global
   * timer that advances jiffies, and the local APIC timer), so an n-vCPU guest asks for
   * (n+1) × HZ interrupts per second (reference/time-cpu-abi.md §4.1, DOC-3580); else 1.
   */
  streams: number;
}

/** A guest as a Xen-style domain sees its page allowance. */
export interface DomainPages {
  domid: number;
  /** Pages the domain holds now (Xen's `tot_pages`). */
  totPages: number;
  /** Its ceiling (`max_pages`, set by `xm mem-max`). */
  maxPages: number;
  /** Domain 0 may act on other domains; others only on DOMID_SELF. */
  privileged: boolean;
}

/**
 * Kernel paths whose interface calls the statistics total apart: `boot` (the guest's boot
 * sequence, ParavirtOps.installIdt and bootVcpus), `interrupt` (interrupt delivery, handler exit,
 * EOIs and the interrupt-flag work of ParavirtOps.irqFlag), `mmu` (page-table work,
 * ParavirtOps.mmu), `shootdown` (cross-CPU TLB flushes: ParavirtOps.flushTlbOthers's IPIs and the
 * targets' flush handlers), `balloon` (the balloon driver's calls).
 */
export type CallPath = 'boot' | 'interrupt' | 'mmu' | 'shootdown' | 'balloon';

/**
 * Interrupt-flag work a vCPU's kernel did (sim/guest/irq-flag.ts decides how much): `returns`
 * interrupt handlers returned (VMI's IRET ROM call; a XenLinux upcall returns with a plain iret);
 * `disables` local_irq_disable/enable pairs; `saves` local_irq_save/restore pairs; `deferred`
 * interrupts that arrived while the vCPU had them masked and were delivered when the section
 * ended (Xen: force_evtchn_callback's xen_version(0) each).
 */
export interface IrqFlagWork {
  returns: number;
  disables: number;
  saves: number;
  deferred: number;
}

/** What calls did besides costing cycles, for the interface statistics. */
export interface CallEffects {
  /** Times the guest left for the hypervisor (traps, exits, hypercalls). */
  transitions?: number;
  /**
   * Bytes the hypervisor copied between guest memory and itself, either way (copy_from_guest of
   * tables, frame lists and argument structs; copy_to_guest of answers such as xen_compile_info).
   */
  bytes?: number;
  /**
   * Bytes of arguments the call passed by value (registers; a VMI call's words past the third
   * travel on the stack of its near call and count here too), kept apart from `bytes`: they
   * cost nothing beyond the call itself (they are in the trap frame), where a copy costs
   * `copyCyclesPerByte` each. Absent: what the interface's table of argument words says
   * (sim/abi/register-args.ts).
   */
  registerBytes?: number;
  /** The kernel path the call belongs to, for the interface statistics by path (absent: `other`). */
  path?: CallPath;
  /** Calls that returned an error. */
  errors?: number;
}

/** The hypervisor side: what an ABI adapter calls after decoding a guest's request. */
export interface HypervisorServices {
  readonly cpuMHz: number;
  nowNs(): number;
  /** Faults of the host's clock hardware (host.clock); absent: a perfect clock. */
  readonly clockFaults?: HostClockFaults;
  /** The pCPU the vCPU runs on, or last ran on (0 before it first ran); absent: always 0. */
  pcpuOf?(guest: number, vcpu: number): number;
  haltVcpu(guest: number, vcpu: number): void;
  setTimer(guest: number, vcpu: number, atNs: number): void;
  cancelTimer(guest: number, vcpu: number): void;
  /**
   * Delivers `count` IPIs (default 1) to guest-local vCPUs `to`, waking any that were halted.
   */
  deliverIpi(guest: number, to: readonly number[], kind: IpiKind, count?: number): void;
  /**
   * The virtual device completes a request of guest-local vCPU `forVcpu` at `atNs`; the
   * completion interrupt goes to the guest's vCPU 0.
   */
  completeIoAt(guest: number, forVcpu: number, atNs: number): void;
  /**
   * The guest cancelled (false) or set again (true) the vCPU's periodic alarm on AVAILABLE
   * (VMI's tickless idle, vmitime.c vmi_stop_hz_timer / vmi_reenable_hz_timer).
   */
  periodicAlarm(guest: number, vcpu: number, armed: boolean): void;
  /**
   * The vCPU's clocks at `atNs` (default now; not before its last runstate change). The answer may
   * be an object the hypervisor fills again at its next call: read it at once, do not keep it.
   */
  clocks(guest: number, vcpu: number, atNs?: number): GuestClocks;
  /** The vCPU's vcpu_runstate_info as Xen last wrote it (read only by a Xen guest). */
  runstateArea(guest: number, vcpu: number): RunstateArea;
  balloonTargetPages(guest: number): number;
  /** The guest as a domain: pages held, ceiling (its configured memory), privilege. */
  domainPages(guest: number): DomainPages;
  /** Machine frames free for guests right now. */
  hostFreePages(): number;
  /**
   * The guest's balloon handed `pages` pages to the hypervisor; the guest's page counts already
   * hold them in its balloon. Which of them held frames, were host-swapped or were never touched
   * is the host's own knowledge (sim/host/memory.ts onInflate).
   */
  balloonInflated(guest: number, pages: number): void;
  /**
   * The hypervisor gave `pages` pages back to the guest's balloon driver: fresh pages, which hold
   * no frame until the guest writes them.
   */
  balloonDeflated(guest: number, pages: number): void;
  /**
   * Records `count` interface calls (by their ABI name) made by a vCPU and charges their
   * `cycles` to it as CPU time it must spend before its workload goes on.
   */
  chargeCall(
    guest: number,
    vcpu: number,
    call: string,
    count: number,
    cycles: number,
    effects?: CallEffects,
  ): void;
  /**
   * The numeric id of call name `call` in this run (the same name, the same id). With
   * chargeCallId, a caller on the hot path names a call once and charges it by id, so the host
   * looks nothing up per charge. Optional: callers reach both through sim/abi/call-ids.ts, which
   * falls back on chargeCall for a hypervisor without them (test doubles).
   */
  callId?(call: string): number;
  /**
   * chargeCall by an id from callId. `registerBytes`: the bytes passed by value when `effects`
   * does not say (effects.registerBytes wins), as the interface's table of argument words gives
   * them (sim/abi/register-args.ts); a separate argument so that no effects object is copied per
   * call on the hot path.
   */
  chargeCallId?(
    guest: number,
    vcpu: number,
    id: number,
    count: number,
    cycles: number,
    effects?: CallEffects,
    registerBytes?: number,
  ): void;
  /**
   * `n` calls with the same effects, charged as chargeCallId(guest, vcpu, ids[i], counts[i],
   * cycles[i], effects, registerBytes?.[i]) for i = 0 … n − 1 would be, in that order: the
   * interrupt-flag calls of each batch of interrupts (five ROM calls on VMI) share one look-up of
   * what they have in common.
   */
  chargeCallIds?(
    guest: number,
    vcpu: number,
    ids: ArrayLike<number>,
    counts: ArrayLike<number>,
    cycles: ArrayLike<number>,
    n: number,
    effects?: CallEffects,
    registerBytes?: ArrayLike<number>,
  ): void;
}
