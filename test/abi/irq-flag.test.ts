// The interrupt-flag path as each 2006 kernel patched or wrote it, priced call by call:
//  VMI (2.6.21 vmi.c vmi_patch): local_irq_disable/enable → DisableInterrupts/EnableInterrupts;
//    local_irq_save → GetInterruptMask + DisableInterrupts, local_irq_restore → SetInterruptMask;
//    iret → IRET; all ROM calls (50 cycles at p4-2006); an interrupt that waited for the section
//    → one exit (3,000). 3 returns, 2 disable pairs, 1 save pair, 1 deferred:
//    50 × (3 + 2 × 2 + 3) + 3,000 = 3,500 cycles, 1 transition.
//  Xen (XenLinux 3.0.4 system.h, evtchn.c:204): each section writes evtchn_upcall_mask twice in
//    shared memory (0 cycles); each deferred event costs force_evtchn_callback's xen_version(0,
//    NULL): a hypercall (1,000 cycles) passing 2 words in registers, nothing copied.
import { describe, expect, it } from 'vitest';
import { vmiInterface } from '../../sim/abi/vmi/vmi-interface.js';
import { xenInterface } from '../../sim/abi/xen/xen-interface.js';
import { COST_PRESETS } from '../../sim/abi/costs.js';
import type { CallEffects } from '../../sim/abi/types.js';
import type { InterfaceDecl } from '../../sim/abi/interface.js';
import { stubHypervisor } from '../helpers/stub-hypervisor.js';

function run(d: InterfaceDecl) {
  const calls: Record<string, { count: number; cycles: number; e: CallEffects | undefined }> = {};
  const hv = stubHypervisor({
    chargeCall: (_g, _v, call, count, cycles, e) => void (calls[call] = { count, cycles, e }),
  });
  d.create({ hv, guest: 0, costs: COST_PRESETS['p4-2006'] }).irqFlag(1, {
    returns: 3,
    disables: 2,
    saves: 1,
    deferred: 1,
  });
  return calls;
}

describe('interrupt-flag path', () => {
  it('VMI: ROM calls for every mask change and return, one exit per deferred interrupt', () => {
    const c = run(vmiInterface);
    const counts = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.count]));
    expect(counts).toEqual({
      IRET: 3,
      DisableInterrupts: 3,
      EnableInterrupts: 2,
      GetInterruptMask: 1,
      SetInterruptMask: 1,
      'EnableInterrupts (pending interrupt, exit)': 1,
    });
    expect(Object.values(c).reduce((a, v) => a + v.cycles, 0)).toBe(3500);
    expect(Object.values(c).reduce((a, v) => a + (v.e?.transitions ?? 0), 0)).toBe(1);
  });

  it('Xen: mask writes in shared memory, one xen_version(0) per deferred event', () => {
    const c = run(xenInterface);
    expect(c['shared evtchn_upcall_mask write']).toMatchObject({ count: 6, cycles: 0 });
    expect(c['xen_version(0) force_evtchn_callback']).toEqual({
      count: 1,
      cycles: 1000,
      e: { transitions: 1, path: 'interrupt', registerBytes: 8 },
    });
    expect(Object.keys(c).length).toBe(2);
  });
});
