// Bad calls: unknown numbers and malformed arguments return the interface's own error (Xen's
// negative errno, a failed VMI call), are counted as errors, and never throw.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CallEffects, GuestClocks } from '../../sim/abi/types.js';
import { stubHypervisor } from '../helpers/stub-hypervisor.js';
import { XenOps } from '../../sim/abi/xen/xen-ops.js';
import { VmiOps } from '../../sim/abi/vmi/vmi-ops.js';
import { COST_PRESETS } from '../../sim/abi/costs.js';
import { XEN_HYPERCALL, XENMEM, XENNMI, XENVER } from '../../sim/abi/xen/constants.js';

/** Services that record what the interface reports, for a domain with 1,000 of 1,010 pages. */
function recorder() {
  const calls: { call: string; effects: CallEffects | undefined }[] = [];
  const timers: (number | 'cancel')[] = [];
  const hv = stubHypervisor({
    nowNs: () => 5e9,
    setTimer: (_g, _v, at) => void timers.push(at),
    cancelTimer: () => void timers.push('cancel'),
    clocks: (): GuestClocks => ({ realNs: 5e9, availableNs: 5e9, stolenNs: 0 }),
    runstateArea: () => ({ state: 0, stateEntryNs: 5e9, timeNs: [5e9, 0, 0, 0] }),
    domainPages: () => ({ domid: 3, totPages: 1000, maxPages: 1010, privileged: false }),
    hostFreePages: () => 1e6,
    chargeCall: (_g, _v, call, _n, _c, effects) => void calls.push({ call, effects }),
  });
  const errors = () => calls.reduce((a, c) => a + (c.effects?.errors ?? 0), 0);
  return { hv, calls, timers, errors };
}

describe('Xen: bad hypercalls', () => {
  it('an unknown or unmodelled number returns −ENOSYS (−38) and is counted', () => {
    const { hv, calls, errors } = recorder();
    const xen = new XenOps(hv, 0, COST_PRESETS['p4-2006']);
    expect(xen.rawHypercall(0, 99, []).ret).toBe(-38);
    expect(xen.rawHypercall(0, XEN_HYPERCALL.mmu_update, [0, 0]).ret).toBe(-38);
    expect(calls.map((c) => c.call)).toEqual(['hypercall 99', 'mmu_update']);
    expect(errors()).toBe(2);
  });

  it('an unprivileged guest registering an NMI callback gets −EINVAL; xen_version answers 3.0', () => {
    const { hv, errors } = recorder();
    const xen = new XenOps(hv, 0, COST_PRESETS['p4-2006']);
    expect(xen.rawHypercall(0, XEN_HYPERCALL.nmi_op, [XENNMI.register_callback]).ret).toBe(-22);
    expect(xen.rawHypercall(0, XEN_HYPERCALL.xen_version, [XENVER.version]).ret).toBe(0x00030000);
    expect(errors()).toBe(1);
  });

  it('a reservation past max_pages completes partially; a foreign domain is −EPERM', () => {
    const { hv, errors } = recorder();
    const xen = new XenOps(hv, 0, COST_PRESETS['p4-2006']);
    const inc = xen.rawHypercall(0, XEN_HYPERCALL.memory_op, [XENMEM.increase_reservation, 25, 0]);
    expect(inc).toEqual({ ret: 10, effect: { kind: 'pages', delta: 10 } });
    expect(xen.rawHypercall(0, XEN_HYPERCALL.memory_op, [XENMEM.decrease_reservation, 4, 0, 7]).ret).toBe(-1);
    // An extent order the host refuses: nothing done, not an error.
    expect(xen.rawHypercall(0, XEN_HYPERCALL.memory_op, [XENMEM.increase_reservation, 2, 3]).ret).toBe(0);
    expect(errors()).toBe(1);
  });

  it('set_timer_op through the decoder: special cases applied to the timer', () => {
    const { hv, timers } = recorder();
    const xen = new XenOps(hv, 0, COST_PRESETS['p4-2006']);
    xen.rawHypercall(0, XEN_HYPERCALL.set_timer_op, [0]);
    xen.rawHypercall(0, XEN_HYPERCALL.set_timer_op, [-5]);
    xen.rawHypercall(0, XEN_HYPERCALL.set_timer_op, [6e9]);
    expect(timers).toEqual(['cancel', 5e9 + 100e6, 6e9]);
  });

  it('random hypercalls never throw', () => {
    const { hv } = recorder();
    const xen = new XenOps(hv, 0, COST_PRESETS['p4-2006']);
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 300 }),
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), { maxLength: 5 }),
        (nr, args) => Number.isInteger(xen.rawHypercall(0, nr, args).ret),
      ),
    );
  });
});

describe('VMI: bad calls', () => {
  it('an undefined call number and a vector over 255 fail and are counted', () => {
    const { hv, calls, errors } = recorder();
    const vmi = new VmiOps(hv, 0, COST_PRESETS['p4-2006']);
    expect(vmi.rawCall(0, 50, [])).toBe(-1); // 49–60 are not defined by vmi.h
    expect(vmi.rawCall(0, 13, [256, 0, 0])).toBe(-1); // WriteIDTEntry
    expect(vmi.rawCall(0, 13, [255, 0, 0])).toBe(0);
    expect(calls.map((c) => c.call)).toEqual(['VMI call 50', 'WriteIDTEntry', 'WriteIDTEntry']);
    expect(errors()).toBe(2);
  });
});
