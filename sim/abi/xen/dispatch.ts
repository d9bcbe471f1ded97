/**
 * Raw hypercalls by number, as a guest kernel issues them (EAX = number, EBX.. = arguments),
 * decoded the way Xen 3.0.4 decodes them: the calls the simulator models are served by the pure
 * handlers in hypercalls.ts; every other number — defined but not modelled, or not defined at
 * all — returns −ENOSYS, as Xen does for an empty hypercall-table slot. A bad call never throws:
 * it returns Xen's negative errno, and the caller counts it.
 */
import {
  DOMID_SELF,
  EVTCHNOP,
  HYPERVISOR_VIRT_START_NONPAE,
  SCHEDOP,
  VCPUOP,
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
import {
  CALLBACK_REGISTER_BYTES,
  CALLBACKOP,
  CALLBACKTYPE,
  EVTCHN_BYTES,
  RUNSTATE_AREA_HANDLE_BYTES,
  VCPU_RUNSTATE_INFO_BYTES,
  XEN_FEATURE_INFO_BYTES,
  XEN_PLATFORM_PARAMETERS_BYTES,
} from './boot-structs.js';
import { encodeXenCompileInfo, XEN_COMPILE_INFO, type XenCompileInfo } from './structs.js';

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
  /**
   * Bytes Xen copied between guest memory and itself for this call, either way (copy_from_guest
   * of an argument struct, copy_to_guest of an answer); absent: none, or the caller counts them
   * (memory_op's frame lists).
   */
  copied?: number;
  /** What Xen wrote into guest memory, where the model keeps it (xen_version's compile_info). */
  out?: Uint8Array;
}

const NONE: HypercallEffect = { kind: 'none' };
const fail = (errno: number): HypercallResult => ({ ret: -errno, effect: NONE });

/** Xen 3.0 as this model presents itself to XENVER_version. */
export const MODELLED_XEN_VERSION = xenVersionWord(3, 0);

/**
 * What the modelled hypervisor answers to XENVER_compile_info: the strings of a build, which
 * depend on who built Xen where; these name the model, dated at 3.0.4-branched (2006-12-19).
 */
export const MODELLED_COMPILE_INFO: XenCompileInfo = {
  compiler: 'gcc version 4.1.2 (vmisim model of Xen 3.0.4)',
  compileBy: 'vmisim',
  compileDomain: 'model',
  compileDate: 'Tue Dec 19 2006',
};
const PAGE_SIZE = 4096;

/** do_xen_version (xen/common/kernel.c @ 3.0.4-branched) for the commands a guest asks at boot or on the hot path. */
function xenVersion(cmd: number): HypercallResult {
  switch (cmd) {
    case XENVER.version:
      return { ret: MODELLED_XEN_VERSION, effect: NONE };
    case XENVER.compile_info:
      return {
        ret: 0,
        effect: NONE,
        copied: XEN_COMPILE_INFO.SIZE,
        out: encodeXenCompileInfo(MODELLED_COMPILE_INFO),
      };
    case XENVER.platform_parameters: {
      // { .virt_start = HYPERVISOR_VIRT_START }: the non-PAE hole the model's guests have.
      const out = new Uint8Array(XEN_PLATFORM_PARAMETERS_BYTES);
      new DataView(out.buffer).setUint32(0, HYPERVISOR_VIRT_START_NONPAE, true);
      return { ret: 0, effect: NONE, copied: XEN_PLATFORM_PARAMETERS_BYTES, out };
    }
    case XENVER.get_features:
      // Submap 0 only (else -EINVAL); a non-PAE, non-translated PV guest gets no feature bits.
      return { ret: 0, effect: NONE, copied: 2 * XEN_FEATURE_INFO_BYTES };
    case XENVER.pagesize:
      return { ret: PAGE_SIZE, effect: NONE };
    default:
      return fail(XEN_ERRNO.ENOSYS);
  }
}

/**
 * callback_op (xen/arch/x86/x86_32/traps.c @ 3.0.4, do_callback_op): the struct is copied in,
 * then register_guest_callback stores the event or failsafe callback, and the NMI callback obeys
 * register_guest_nmi_callback's rule (dom 0, vCPU 0 only: a domU gets -EINVAL, which XenLinux's
 * setup_arch_post.h ignores). sysenter needs CONFIG_X86_SUPERVISOR_MODE_KERNEL, which a standard
 * build lacks, so it falls to the default, -ENOSYS, as unknown types do. Unregistering the event
 * or failsafe callback is refused (-EINVAL); the NMI one succeeds.
 */
function callbackOp(env: HypercallEnv, cmd: number, type: number): HypercallResult {
  const copied = CALLBACK_REGISTER_BYTES;
  if (cmd === CALLBACKOP.register) {
    if (type === CALLBACKTYPE.event || type === CALLBACKTYPE.failsafe)
      return { ret: 0, effect: NONE, copied };
    if (type === CALLBACKTYPE.nmi)
      return { ret: nmiRegisterCallback(env.domain.domid, env.vcpu), effect: NONE, copied };
    return { ret: -XEN_ERRNO.ENOSYS, effect: NONE, copied };
  }
  if (cmd === CALLBACKOP.unregister) {
    // struct callback_unregister { u16 type; u16 _unused; }: 4 bytes in.
    if (type === CALLBACKTYPE.event || type === CALLBACKTYPE.failsafe)
      return { ret: -XEN_ERRNO.EINVAL, effect: NONE, copied: 4 };
    if (type === CALLBACKTYPE.nmi) return { ret: 0, effect: NONE, copied: 4 };
    return { ret: -XEN_ERRNO.ENOSYS, effect: NONE, copied: 4 };
  }
  return fail(XEN_ERRNO.ENOSYS);
}

/** event_channel_op: the struct is copied in, and for the binds copied back out with the port. */
function eventChannelOp(cmd: number): HypercallResult {
  switch (cmd) {
    case EVTCHNOP.bind_virq:
      return { ret: 0, effect: NONE, copied: 2 * EVTCHN_BYTES.bind_virq };
    case EVTCHNOP.bind_ipi:
      return { ret: 0, effect: NONE, copied: 2 * EVTCHN_BYTES.bind_ipi };
    case EVTCHNOP.alloc_unbound:
      return { ret: 0, effect: NONE, copied: 2 * EVTCHN_BYTES.alloc_unbound };
    case EVTCHNOP.send:
      return { ret: 0, effect: NONE, copied: EVTCHN_BYTES.send };
    case EVTCHNOP.unmask:
      return { ret: 0, effect: NONE, copied: EVTCHN_BYTES.unmask };
    default:
      return fail(XEN_ERRNO.ENOSYS);
  }
}

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
      return xenVersion(a(0));
    case XEN_HYPERCALL.callback_op:
      return callbackOp(env, a(0), a(1));
    case XEN_HYPERCALL.set_callbacks:
      // The 3.0.2-compatible registration of the event and failsafe callbacks: all by value.
      return { ret: 0, effect: NONE };
    case XEN_HYPERCALL.event_channel_op:
      return eventChannelOp(a(0));
    case XEN_HYPERCALL.vcpu_op:
      // register_runstate_memory_area: the handle in, then the current runstate out at once.
      if (a(0) === VCPUOP.register_runstate_memory_area)
        return { ret: 0, effect: NONE, copied: RUNSTATE_AREA_HANDLE_BYTES + VCPU_RUNSTATE_INFO_BYTES };
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
