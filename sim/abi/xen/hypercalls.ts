/**
 * The hypervisor's side of the Xen hypercalls the simulator serves, as pure functions of their
 * arguments and the domain's state: what Xen 3.0.4 does, including its special cases and error
 * returns (negative errno). Sources: reference/time-cpu-abi.md §2.2 (set_timer_op), §2.6
 * (memory_op), §2.8 (nmi_op) and reference/memory-balloon.md §3.1 (reservation semantics).
 */
import type { DomainPages } from '../types.js';
import { DOMID_SELF, SET_TIMER_OP_FALLBACK_NS, SET_TIMER_OP_MAX_AHEAD_NS, XEN_ERRNO } from './constants.js';

export type { DomainPages };

/** What set_timer_op asks of the vCPU's single-shot timer. */
export type TimerAction = { kind: 'cancel' } | { kind: 'arm'; atNs: number };

/**
 * set_timer_op(timeout): `timeout` is absolute Xen system time in ns; 0 cancels. A negative
 * timeout, or one more than 2^50 ns ahead of now, fires in 100 ms instead — Xen's workaround for
 * Linux guests whose jiffies arithmetic wrapped (schedule.c do_set_timer_op). A timeout already
 * past fires at once.
 */
export function setTimerOp(nowNs: number, timeoutNs: number): TimerAction {
  if (timeoutNs === 0) return { kind: 'cancel' };
  if (timeoutNs < 0 || timeoutNs > nowNs + SET_TIMER_OP_MAX_AHEAD_NS) {
    return { kind: 'arm', atNs: nowNs + SET_TIMER_OP_FALLBACK_NS };
  }
  return { kind: 'arm', atNs: Math.max(timeoutNs, nowNs) };
}

/**
 * nmi_op(XENNMI_register_callback): "only makes sense for domain 0, vcpu 0. All other callers
 * will be returned EINVAL" (nmi.h). Returns 0 or −EINVAL.
 */
export function nmiRegisterCallback(domid: number, vcpu: number): number {
  return domid === 0 && vcpu === 0 ? 0 : -XEN_ERRNO.EINVAL;
}

/** Arguments of a reservation call (struct xen_memory_reservation, without the guest handle). */
export interface ReservationArgs {
  domid: number;
  nrExtents: number;
  extentOrder: number;
}

/** Result: extents done (≥ 0, possibly fewer than asked) or a negative errno; pages moved. */
export interface ReservationResult {
  ret: number;
  pages: number;
}

/** Highest extent order the host grants a PV guest (2006: order 0 only without multipage permission). */
export const DEFAULT_MAX_EXTENT_ORDER = 0;

/**
 * Checks shared by both directions: the caller may act on the domain, the counts are sane, and
 * the host grants the extent order (an order it refuses does nothing: 0 extents). Returns the
 * result to give back at once, or undefined to go on.
 */
function refuse(
  dom: DomainPages,
  args: ReservationArgs,
  maxExtentOrder: number,
): ReservationResult | undefined {
  if (args.domid !== DOMID_SELF && args.domid !== dom.domid && !dom.privileged)
    return { ret: -XEN_ERRNO.EPERM, pages: 0 };
  if (!Number.isInteger(args.nrExtents) || args.nrExtents < 0) return { ret: -XEN_ERRNO.EINVAL, pages: 0 };
  if (!Number.isInteger(args.extentOrder) || args.extentOrder < 0)
    return { ret: -XEN_ERRNO.EINVAL, pages: 0 };
  if (args.extentOrder > maxExtentOrder) return { ret: 0, pages: 0 };
  return undefined;
}

/**
 * increase_reservation / populate_physmap: per extent of 2^order pages, stop at the first that
 * would take the domain past max_pages or that the host cannot supply; return the count done.
 */
export function increaseReservation(
  dom: DomainPages,
  args: ReservationArgs,
  hostFreePages: number,
  maxExtentOrder = DEFAULT_MAX_EXTENT_ORDER,
): ReservationResult {
  const refused = refuse(dom, args, maxExtentOrder);
  if (refused !== undefined) return refused;
  const per = 2 ** args.extentOrder;
  let done = 0;
  let tot = dom.totPages;
  let free = hostFreePages;
  while (done < args.nrExtents && tot + per <= dom.maxPages && per <= free) {
    done++;
    tot += per;
    free -= per;
  }
  return { ret: done, pages: done * per };
}

/**
 * decrease_reservation: the guest lists the frames (GMFNs) to give back; Xen frees extent after
 * extent and stops at the first frame it cannot take — one not aligned to the extent order, or
 * not the domain's (`isOwned`) — returning the count done so far.
 */
export function decreaseReservation(
  dom: DomainPages,
  args: ReservationArgs,
  frames: readonly number[],
  isOwned: (gmfn: number) => boolean,
  maxExtentOrder = DEFAULT_MAX_EXTENT_ORDER,
): ReservationResult {
  const refused = refuse(dom, args, maxExtentOrder);
  if (refused !== undefined) return refused;
  const per = 2 ** args.extentOrder;
  let done = 0;
  for (; done < args.nrExtents && done < frames.length; done++) {
    const gmfn = frames[done]!;
    if (gmfn % per !== 0 || !isOwned(gmfn)) break;
  }
  return { ret: done, pages: done * per };
}
