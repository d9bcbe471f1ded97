// Xen i386 ABI numbers against reference/time-cpu-abi.md §2.2 and §2.5–2.9 (Xen 3.0.4 headers).
import { describe, expect, it } from 'vitest';
import {
  DOMID_SELF,
  EVTCHNOP,
  NR_EVENT_CHANNELS,
  NR_VIRQS,
  RUNSTATE_blocked,
  RUNSTATE_offline,
  RUNSTATE_runnable,
  RUNSTATE_running,
  SCHEDOP,
  VCPUOP,
  VCPUOP_ADDED_IN_3_1,
  VCPUOP_XEN_3_0_4,
  VIRQ_TIMER,
  XEN_ERRNO,
  XEN_HYPERCALL,
  XEN_HYPERCALL_CURRENT_ONLY,
  XENMEM,
  XENNMI,
  XENVER,
  xenVersionWord,
} from '../../../sim/abi/xen/constants.js';

describe('Xen hypercall numbers (reference §2.2)', () => {
  it('match xen.h for the hypercalls the simulator uses', () => {
    expect(XEN_HYPERCALL.set_trap_table).toBe(0);
    expect(XEN_HYPERCALL.set_callbacks).toBe(4);
    expect(XEN_HYPERCALL.memory_op).toBe(12);
    expect(XEN_HYPERCALL.set_timer_op).toBe(15);
    expect(XEN_HYPERCALL.xen_version).toBe(17);
    expect(XEN_HYPERCALL.vcpu_op).toBe(24);
    expect(XEN_HYPERCALL.nmi_op).toBe(28);
    expect(XEN_HYPERCALL.sched_op).toBe(29);
    expect(XEN_HYPERCALL.event_channel_op).toBe(32);
    expect(XEN_HYPERCALL.kexec_op).toBe(37);
  });
  it('are distinct, skip 11, and put arch_0..7 at 48..55', () => {
    const nums = Object.values(XEN_HYPERCALL);
    expect(new Set(nums).size).toBe(nums.length);
    expect(nums).not.toContain(11);
    for (let i = 0; i < 8; i++) expect(XEN_HYPERCALL[`arch_${i}` as keyof typeof XEN_HYPERCALL]).toBe(48 + i);
    expect([...nums].sort((a, b) => a - b)).toEqual([
      ...Array.from({ length: 11 }, (_, i) => i),
      ...Array.from({ length: 26 }, (_, i) => 12 + i),
      ...Array.from({ length: 8 }, (_, i) => 48 + i),
    ]);
  });
  it('keeps the current-tree additions 38..42 apart from the 3.0.4 set', () => {
    expect(Object.values(XEN_HYPERCALL_CURRENT_ONLY)).toEqual([38, 39, 40, 41, 42]);
    for (const n of Object.values(XEN_HYPERCALL_CURRENT_ONLY))
      expect(Object.values(XEN_HYPERCALL)).not.toContain(n);
  });
});

describe('Xen sub-command numbers', () => {
  it('VIRQs, domids and event channels (§2.2)', () => {
    expect(VIRQ_TIMER).toBe(0);
    expect(NR_VIRQS).toBe(24);
    expect(DOMID_SELF).toBe(0x7ff0);
    // sizeof(unsigned long)^2 * 64 with a 4-byte long.
    expect(NR_EVENT_CHANNELS).toBe(4 * 4 * 64);
  });
  it('sched_op (§2.2)', () => {
    expect(SCHEDOP).toEqual({ yield: 0, block: 1, shutdown: 2, poll: 3, remote_shutdown: 4 });
  });
  it('vcpu_op and runstates (§2.5)', () => {
    expect(VCPUOP.get_runstate_info).toBe(4);
    expect(VCPUOP.register_runstate_memory_area).toBe(5);
    expect(VCPUOP.set_periodic_timer).toBe(6);
    expect(VCPUOP.set_singleshot_timer).toBe(8);
    expect(VCPUOP.register_vcpu_time_phys_area).toBe(15);
    expect(VCPUOP_XEN_3_0_4.map((n) => VCPUOP[n])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(VCPUOP_ADDED_IN_3_1.map((n) => VCPUOP[n])).toEqual([6, 7, 8, 9]);
    expect([RUNSTATE_running, RUNSTATE_runnable, RUNSTATE_blocked, RUNSTATE_offline]).toEqual([0, 1, 2, 3]);
  });
  it('memory_op, event_channel_op, nmi_op, xen_version (§2.6–2.9)', () => {
    expect(XENMEM.increase_reservation).toBe(0);
    expect(XENMEM.decrease_reservation).toBe(1);
    expect(XENMEM.maximum_ram_page).toBe(2);
    expect(XENMEM.populate_physmap).toBe(6);
    expect(XENMEM.set_memory_map).toBe(13);
    expect(EVTCHNOP.bind_virq).toBe(1);
    expect(EVTCHNOP.send).toBe(4);
    expect(EVTCHNOP.bind_ipi).toBe(7);
    expect(EVTCHNOP.unmask).toBe(9);
    expect(XENNMI).toEqual({ register_callback: 0, unregister_callback: 1 });
    expect(XENVER.version).toBe(0);
    expect(XENVER.extraversion).toBe(1);
    expect(XENVER.compile_info).toBe(2);
    expect(XENVER.guest_handle).toBe(8);
  });
  it('errno values are Xen errno.h (= Linux) numbers', () => {
    expect(XEN_ERRNO).toEqual({
      EPERM: 1,
      ENOENT: 2,
      ESRCH: 3,
      ENOMEM: 12,
      EFAULT: 14,
      EINVAL: 22,
      ENOSYS: 38,
    });
  });
  it('XENVER_version packs major << 16 | minor', () => {
    expect(xenVersionWord(3, 0)).toBe(0x00030000);
    expect(xenVersionWord(0xffff, 0xffff)).toBe(0xffffffff);
    expect(() => xenVersionWord(3, 0x10000)).toThrow(/minor/);
  });
});
