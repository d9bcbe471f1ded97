// The Xen boot sequence and event paths, against XenLinux 3.0.4 and Xen 3.0.4 (xen-project/xen @
// 3.0.4-branched), worked by hand from the sources:
//  - do_xen_version (xen/common/kernel.c): compile_info copies the 144-byte xen_compile_info out
//    and returns 0; platform_parameters copies { virt_start = HYPERVISOR_VIRT_START } (4 B,
//    0xFC000000 non-PAE) out; version returns major << 16 | minor; the null call
//    force_evtchn_callback makes is xen_version(0, NULL).
//  - setup_arch_post.h: callback_op(CALLBACKOP_register) for event, failsafe, NMI; set_callbacks
//    and nmi_op only when callback_op is −ENOSYS (CONFIG_XEN_COMPAT_030002).
//  - traps-xen.c trap_table: 19 entries (exceptions and int 0x80) + terminator = 160 B.
//  - the per-vCPU binds: register_runstate_memory_area, bind_virq(VIRQ_TIMER), bind_ipi × 2.
import { describe, expect, it } from 'vitest';
import { xenHypercall, MODELLED_COMPILE_INFO } from '../../../sim/abi/xen/dispatch.js';
import { XEN_ERRNO, XEN_HYPERCALL, XENVER, EVTCHNOP, VCPUOP } from '../../../sim/abi/xen/constants.js';
import { CALLBACKOP, CALLBACKTYPE } from '../../../sim/abi/xen/boot-structs.js';
import { decodeXenCompileInfo } from '../../../sim/abi/xen/structs.js';
import { xenBootSequence } from '../../../sim/abi/xen/boot.js';
import { xenLinuxTrapTable, XEN_TI_IF } from '../../../sim/abi/xen/trap-info.js';
import { linuxBootIdt } from '../../../sim/guest/linux-idt.js';
import { xenInterface } from '../../../sim/abi/xen/xen-interface.js';
import { COST_PRESETS } from '../../../sim/abi/costs.js';
import type { CallEffects } from '../../../sim/abi/types.js';
import { stubHypervisor } from '../../helpers/stub-hypervisor.js';

const env = (domid: number, vcpu = 0) => ({
  nowNs: 0,
  vcpu,
  domain: { domid, totPages: 1000, maxPages: 1000, privileged: domid === 0 },
  hostFreePages: 0,
});

describe('xen_version as Xen 3.0.4 answers it', () => {
  it('compile_info: 0, and the 144-byte struct copied out', () => {
    const r = xenHypercall(env(1), XEN_HYPERCALL.xen_version, [XENVER.compile_info]);
    expect(r.ret).toBe(0);
    expect(r.copied).toBe(144);
    expect(r.out!.length).toBe(144);
    expect(decodeXenCompileInfo(r.out!)).toEqual(MODELLED_COMPILE_INFO);
  });

  it('platform_parameters: virt_start 0xFC000000 (non-PAE hole), 4 bytes out', () => {
    const r = xenHypercall(env(1), XEN_HYPERCALL.xen_version, [XENVER.platform_parameters]);
    expect(r.ret).toBe(0);
    expect(r.copied).toBe(4);
    expect(new DataView(r.out!.buffer).getUint32(0, true)).toBe(0xfc000000);
  });

  it('version (force_evtchn_callback’s null call) copies nothing; an unknown command is −ENOSYS', () => {
    expect(xenHypercall(env(1), XEN_HYPERCALL.xen_version, [XENVER.version])).toEqual({
      ret: 0x00030000,
      effect: { kind: 'none' },
    });
    expect(xenHypercall(env(1), XEN_HYPERCALL.xen_version, [99]).ret).toBe(-XEN_ERRNO.ENOSYS);
  });
});

describe('callback_op, event_channel_op and vcpu_op as a booting guest issues them', () => {
  it('event and failsafe callbacks register; the NMI one only for dom 0 vCPU 0', () => {
    const reg = (domid: number, type: number, vcpu = 0) =>
      xenHypercall(env(domid, vcpu), XEN_HYPERCALL.callback_op, [CALLBACKOP.register, type]);
    expect(reg(1, CALLBACKTYPE.event)).toMatchObject({ ret: 0, copied: 12 });
    expect(reg(1, CALLBACKTYPE.failsafe).ret).toBe(0);
    expect(reg(1, CALLBACKTYPE.nmi).ret).toBe(-XEN_ERRNO.EINVAL);
    expect(reg(0, CALLBACKTYPE.nmi).ret).toBe(0);
    expect(reg(0, CALLBACKTYPE.nmi, 1).ret).toBe(-XEN_ERRNO.EINVAL);
    // sysenter needs a supervisor-mode-kernel build: the default case, −ENOSYS.
    expect(reg(1, CALLBACKTYPE.sysenter).ret).toBe(-XEN_ERRNO.ENOSYS);
  });

  it('binds copy their struct in and back out; a send copies its port in', () => {
    const ev = (cmd: number) => xenHypercall(env(1), XEN_HYPERCALL.event_channel_op, [cmd]);
    expect(ev(EVTCHNOP.bind_virq)).toMatchObject({ ret: 0, copied: 24 });
    expect(ev(EVTCHNOP.bind_ipi)).toMatchObject({ ret: 0, copied: 16 });
    expect(ev(EVTCHNOP.alloc_unbound)).toMatchObject({ ret: 0, copied: 16 });
    expect(ev(EVTCHNOP.send)).toMatchObject({ ret: 0, copied: 4 });
    const rs = xenHypercall(env(1), XEN_HYPERCALL.vcpu_op, [VCPUOP.register_runstate_memory_area, 0]);
    expect(rs).toMatchObject({ ret: 0, copied: 8 + 44 });
  });
});

describe('the XenLinux boot sequence', () => {
  it('registers callbacks with callback_op, and per vCPU a runstate area, VIRQ_TIMER and 2 IPIs', () => {
    const names: string[] = [];
    xenBootSequence((name, nr, args) => {
      names.push(name);
      return xenHypercall(env(1), nr, args).ret;
    }, 2);
    expect(names).toEqual([
      'xen_version(get_features)',
      'callback_op(register)',
      'callback_op(register)',
      'callback_op(register)',
      'xen_version(platform_parameters)',
      ...[0, 1].flatMap(() => [
        'vcpu_op(register_runstate_memory_area)',
        'event_channel_op(bind_virq)',
        'event_channel_op(bind_ipi)',
        'event_channel_op(bind_ipi)',
      ]),
      'event_channel_op(alloc_unbound)',
    ]);
  });

  it('falls back to set_callbacks and nmi_op on a hypervisor without callback_op (−ENOSYS)', () => {
    const names: string[] = [];
    xenBootSequence((name, nr, args) => {
      names.push(name);
      return nr === XEN_HYPERCALL.callback_op ? -XEN_ERRNO.ENOSYS : xenHypercall(env(1), nr, args).ret;
    }, 1);
    // The event callback fails, so the failsafe one is not tried through callback_op.
    expect(names.slice(0, 6)).toEqual([
      'xen_version(get_features)',
      'callback_op(register)',
      'set_callbacks',
      'callback_op(register)',
      'nmi_op(register_callback)',
      'xen_version(platform_parameters)',
    ]);
  });

  it('hands Xen traps-xen.c’s 19-entry trap table (160 B), not the 244-gate native IDT', () => {
    const t = xenLinuxTrapTable(linuxBootIdt());
    expect(t.entries.map((e) => e.vector)).toEqual([
      0, 1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0x80,
    ]);
    expect(t.bytes).toBe(160);
    // Events masked on entry for debug, int3, device-not-available and page fault; DPL 3 for
    // int3, overflow and the system call.
    const flags = Object.fromEntries(t.entries.map((e) => [e.vector, e.flags]));
    expect([flags[1], flags[3], flags[7], flags[14]]).toEqual([
      XEN_TI_IF,
      3 | XEN_TI_IF,
      XEN_TI_IF,
      XEN_TI_IF,
    ]);
    expect([flags[4], flags[0x80], flags[13]]).toEqual([3, 3, 0]);
  });

  it('over XenOps: the boot of a 2-vCPU guest after its trap table is 14 hypercalls, 288 B copied, one refused NMI callback', () => {
    const calls: { call: string; count: number; cycles: number; e: CallEffects | undefined }[] = [];
    const hv = stubHypervisor({
      chargeCall: (_g, _v, call, count, cycles, e) => void calls.push({ call, count, cycles, e }),
    });
    xenInterface.create({ hv, guest: 0, costs: COST_PRESETS['p4-2006'] }).bootVcpus(2);
    const total = (f: (e: CallEffects) => number) => calls.reduce((a, c) => a + f(c.e ?? {}), 0);
    expect(calls.length).toBe(14);
    expect(total((e) => e.transitions ?? 0)).toBe(14);
    // get_features 16 + callbacks 3 × 12 + platform 4 + per vCPU (52 + 24 + 2 × 16) + alloc 16.
    expect(total((e) => e.bytes ?? 0)).toBe(16 + 36 + 4 + 2 * (52 + 24 + 32) + 16);
    expect(total((e) => e.errors ?? 0)).toBe(1);
    // Arguments in registers: xen_version 2 words, callback_op 2, vcpu_op 3, event_channel_op 2.
    expect(total((e) => e.registerBytes ?? 0)).toBe(4 * (2 + 3 * 2 + 2 + 2 * (3 + 2 + 2 * 2) + 2));
    // Each a hypercall trap plus its copies at 1 cycle per byte.
    expect(calls.reduce((a, c) => a + c.cycles, 0)).toBe(14 * 1000 + 288);
  });
});
