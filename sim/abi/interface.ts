/**
 * What a paravirtual interface declares about itself: its name and description, the factory of its
 * guest side (ParavirtOps), and everything the rest of the simulator needs to know about it — the
 * clock a guest keeps over it, how its balloon driver retries, whether the guest accepts it at boot
 * and what its calls are — so that no code outside sim/abi asks which interface it is. Each
 * interface declares itself in its own folder (sim/abi/vmi, sim/abi/xen, sim/abi/native);
 * sim/abi/registry.ts lists them by the name `host.abi` takes.
 */
import type { CostModel } from '../spec/cost-model.js';
import type { HostSpec } from '../spec/run-spec.js';
import type { HypervisorServices, ParavirtOps, VcpuTimer } from './types.js';

/** What an interface's guest side is built with: the host it calls, the guest's index, the prices. */
export interface InterfaceContext {
  readonly hv: HypervisorServices;
  readonly guest: number;
  readonly costs: CostModel;
}

/** The guest kernel's timer settings a clock's periodic interrupts depend on. */
export interface KernelTimerSettings {
  /** The kernel's tick rate, Hz. */
  readonly hz: number;
  /** VMI guests: the periodic alarm's rate on AVAILABLE (CONFIG_VMI_ALARM_HZ). */
  readonly vmiAlarmHz: number;
}

/**
 * A way the guest kernel keeps time (`guests[].kernel.clock`; sim/guest/timekeeping.ts models it).
 * Every interface names the clock its guests keep; the native interface's is tick counting, which
 * a guest can keep over any interface.
 */
export interface GuestClockDecl {
  /** As written in `guests[].kernel.clock`. */
  readonly name: string;
  /** What the schema's description says beside the name (e.g. `REAL/AVAILABLE counters`), if anything. */
  readonly gloss?: string;
  /**
   * True: time comes through the interface (ParavirtOps.readClocks at each timer interrupt,
   * clockNs for the wall clock) and the kernel stops its periodic tick while idle (tickless). False:
   * the kernel counts its periodic ticks (jiffies) and never goes tickless.
   */
  readonly paravirtual: boolean;
  /**
   * Leaving tickless idle, the kernel accounts the idle time and restarts its periodic timer
   * (VMI's vmi_account_time_restart_hz_timer); false: the halt just ends.
   */
  readonly accountsOnIdleExit: boolean;
  /**
   * A tickless kernel that stays periodic for short sleeps: when the next timer is at most this
   * many jiffies away (at `hz`), it halts with its periodic timer running, and the sleep ends at
   * the first periodic interrupt at or after its expiry. Absent: every idle halt is tickless.
   */
  readonly periodicSleepJiffies?: (hz: number) => number;
  /**
   * A kernel that checks its clock never steps back at each timer interrupt warns when the time it
   * reads is more than this many ns behind the time it has already processed (XenLinux's
   * permitted_clock_jitter); absent: no such check.
   */
  readonly backwardJitterNs?: number;
  /** The periodic interrupts guest-local vCPU `local` asks the host for. */
  periodicTimer(kernel: KernelTimerSettings, local: number): VcpuTimer;
}

/**
 * How an interface's balloon driver learns its target and paces itself (absent: `poll`):
 *  - `poll`: vmw_balloon's — it reads its target once a second and moves within its rate limits
 *    (sim/guest/guest.ts balloonPoll);
 *  - `watch`: XenLinux 3.0.4 balloon.c's — a xenbus watch on memory/target runs the driver when the
 *    target changes; it moves `batchPages` per hypercall until it is there or an allocation (or
 *    the hypervisor) refuses, and then retries after `retryNs` (sim/guest/xen-balloon.ts).
 */
export type BalloonDriverDecl =
  | { readonly kind: 'poll' }
  | { readonly kind: 'watch'; readonly batchPages: number; readonly retryNs: number };

/** What the guest decided at boot about the interface the host offers. */
export type BootCheck = { accepted: true } | { accepted: false; reason: string };

/** A paravirtual interface, as registered under its name (sim/abi/registry.ts). */
export interface InterfaceDecl {
  /** Registry key, as written in `host.abi`; also the `interface` of each guest's results. */
  readonly name: string;
  /** One line shown by `vmisim list`. */
  readonly description: string;
  /**
   * For the report's interface comparison: the interface's name in prose and what its guests'
   * interface calls count (e.g. `Xen` — `hypercalls, and its shared-memory clock reads …`).
   */
  readonly catalogue?: { readonly label: string; readonly counts: string };
  /** The clock a guest keeps over this interface when its kernel asks for `auto`. */
  readonly clock: GuestClockDecl;
  /**
   * The hypervisor's memory semantics (sim/spec/memory-semantics.ts) a host offering this interface
   * has unless `host.memorySemantics` says otherwise: `esx` for VMI, `xen-pv` for Xen.
   */
  readonly memorySemantics: string;
  /**
   * The hole the hypervisor keeps at the top of a guest kernel's address space, bytes
   * (reserve_top_address): it shrinks the guest's lowmem (sim/guest/lowmem.ts). Absent: none.
   */
  hypervisorHoleBytes?(host: Pick<HostSpec, 'vmiRom'>, pae: boolean): number;
  /** Its balloon driver (absent: `poll`). */
  readonly balloonDriver?: BalloonDriverDecl;
  /**
   * The guest's boot-time check of what the host offers (e.g. check_vmi_rom on the VMI ROM); a
   * refused interface leaves the guest on the fallback interface (sim/abi/registry.ts). Absent:
   * always accepted.
   */
  bootCheck?(host: HostSpec): BootCheck;
  /** The guest side of one guest: its ParavirtOps over the host's services. */
  create(ctx: InterfaceContext): ParavirtOps;
}
