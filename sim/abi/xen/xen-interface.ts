/**
 * Xen as a registered interface (sim/abi/interface.ts): hypercalls and shared memory through
 * XenOps, the `xen-pvclock` clock (vcpu_time_info and the runstate area), a periodic VIRQ_TIMER,
 * and XenLinux's balloon driver (a xenbus watch on memory/target, batches of 1,024 frames, a fixed
 * 1 s retry).
 */
import type { GuestClockDecl, InterfaceDecl } from '../interface.js';
import { XEN_ARG_WORDS } from './arg-words.js';
import { withRegisterArgs } from '../register-args.js';
import { FRAMES_PER_HYPERCALL, XenOps } from './xen-ops.js';

/** Xen's periodic vCPU timer: 10 ms (a 100 Hz tick for PV guests). */
export const XEN_PERIODIC_TIMER_HZ = 100;
/**
 * XenLinux 3.0.4 balloon.c: balloon_process re-arms its timer with mod_timer(&balloon_timer,
 * jiffies + HZ) while it is not at its target — a fixed 1 s, with no doubling (the 1 → 32 s
 * backoff came with the 2011 mainline driver; reference fidelity-review.md, S5 notes).
 */
export const XEN_BALLOON_RETRY_NS = 1_000_000_000;

/** XenLinux's permitted_clock_jitter: 10 ms (time-xen.c, Xen 3.0.4's linux-2.6-xen-sparse). */
export const PERMITTED_CLOCK_JITTER_NS = 10_000_000;

/**
 * 2.6.18-xen time-xen.c (sim/guest/timekeeping.ts): pvclock time and runstate steal read at each
 * timer event, tickless idle through set_timer_op + SCHEDOP_block, nothing re-armed on wake
 * (reference/time-cpu-abi.md §2.5). Ticks due while descheduled merge into one pending event.
 */
export const XEN_CLOCK: GuestClockDecl = {
  name: 'xen-pvclock',
  paravirtual: true,
  accountsOnIdleExit: false,
  backwardJitterNs: PERMITTED_CLOCK_JITTER_NS,
  periodicTimer: () => ({ mode: 'virq', hz: XEN_PERIODIC_TIMER_HZ, streams: 1 }),
};

export const xenInterface: InterfaceDecl = {
  name: 'xen',
  description: 'Xen hypercalls (int $0x82 traps), shared-memory event channels and runstate areas',
  catalogue: {
    label: 'Xen',
    counts:
      'hypercalls, and its shared-memory clock reads, event upcalls and event-mask writes (no transition, 0 cycles)',
  },
  clock: XEN_CLOCK,
  memorySemantics: 'xen-pv',
  // HYPERVISOR_VIRT_START: 0xFC000000 without PAE, 0xF5800000 with (reference fidelity-review.md M18).
  hypervisorHoleBytes: (_host, pae) => (pae ? 168 : 64) * 1024 * 1024,
  balloonDriver: { kind: 'watch', batchPages: FRAMES_PER_HYPERCALL, retryNs: XEN_BALLOON_RETRY_NS },
  create: ({ hv, guest, costs }) => new XenOps(withRegisterArgs(hv, XEN_ARG_WORDS), guest, costs),
};
