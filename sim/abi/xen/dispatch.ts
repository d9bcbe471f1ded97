/**
 * Raw hypercalls by number, as a guest kernel issues them (EAX = number, EBX.. = arguments),
 * decoded the way Xen 3.0.4 decodes them: the calls the simulator models are served by the pure
 * handlers in hypercalls.ts; every other number — defined but not modelled, or not defined at
 * all — returns −ENOSYS, as Xen does for an empty hypercall-table slot. A bad call never throws:
 * it returns Xen's negative errno, and the caller counts it.
 */
import {
  DOMID_SELF,
  SCHEDOP,
  XEN_ERRNO,
  XEN_HYPERCALL,
  XENMEM,
  XENNMI,
  XENVER,
  xenVersionWord,
} from './constants.js';
import {
  decreaseReservation,
  increaseReservation,
  nmiRegisterCallback,
  setTimerOp,
  type DomainPages,
  type TimerAction,
} from './hypercalls.js';

/** What a hypercall may do to the calling vCPU and its domain (applied by the caller). */
export interface HypercallEnv {
  nowNs: number;
  vcpu: number;
  domain: DomainPages;
  hostFreePages: number;
  /** Frames the guest listed (for decrease_reservation); all of them its own unless said. */
  frames?: readonly number[];
  isOwned?: (gmfn: number) => boolean;
}

export type HypercallEffect =
  | { kind: 'none' }
  | { kind: 'timer'; action: TimerAction }
  | { kind: 'block' }
  | { kind: 'pages'; delta: number };

export interface HypercallResult {
  /** EAX: ≥ 0 on success (for reservations, extents done), negative errno on failure. */
  ret: number;
  effect: HypercallEffect;
}

const NONE: HypercallEffect = { kind: 'none' };
const fail = (errno: number): HypercallResult => ({ ret: -errno, effect: NONE });

/** Xen 3.0 as this model presents itself to XENVER_version. */
export const MODELLED_XEN_VERSION = xenVersionWord(3, 0);

export function xenHypercall(env: HypercallEnv, nr: number, args: readonly number[]): HypercallResult {
  const a = (i: number) => args[i] ?? 0;
  switch (nr) {
    case XEN_HYPERCALL.set_timer_op:
      return { ret: 0, effect: { kind: 'timer', action: setTimerOp(env.nowNs, a(0)) } };
    case XEN_HYPERCALL.sched_op:
      if (a(0) === SCHEDOP.block) return { ret: 0, effect: { kind: 'block' } };
      if (a(0) === SCHEDOP.yield) return { ret: 0, effect: NONE };
      return fail(XEN_ERRNO.ENOSYS);
    case XEN_HYPERCALL.nmi_op:
      if (a(0) === XENNMI.register_callback)
        return { ret: nmiRegisterCallback(env.domain.domid, env.vcpu), effect: NONE };
      if (a(0) === XENNMI.unregister_callback) return { ret: 0, effect: NONE };
      return fail(XEN_ERRNO.ENOSYS);
    case XEN_HYPERCALL.xen_version:
      if (a(0) === XENVER.version) return { ret: MODELLED_XEN_VERSION, effect: NONE };
      return fail(XEN_ERRNO.ENOSYS);
    case XEN_HYPERCALL.memory_op: {
      // memory_op(cmd, &reservation): the reservation's fields arrive decoded as args 1..3.
      const res = { nrExtents: a(1), extentOrder: a(2), domid: args[3] ?? DOMID_SELF };
      if (a(0) === XENMEM.decrease_reservation) {
        const frames = env.frames ?? Array.from({ length: res.nrExtents }, (_, i) => i << res.extentOrder);
        const r = decreaseReservation(env.domain, res, frames, env.isOwned ?? (() => true));
        return { ret: r.ret, effect: r.pages > 0 ? { kind: 'pages', delta: -r.pages } : NONE };
      }
      if (a(0) === XENMEM.increase_reservation || a(0) === XENMEM.populate_physmap) {
        const r = increaseReservation(env.domain, res, env.hostFreePages);
        return { ret: r.ret, effect: r.pages > 0 ? { kind: 'pages', delta: r.pages } : NONE };
      }
      return fail(XEN_ERRNO.ENOSYS);
    }
    default:
      return fail(XEN_ERRNO.ENOSYS);
  }
}
