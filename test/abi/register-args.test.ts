// Arguments passed in registers are counted apart from bytes copied: each interface's table of
// argument words (the XenLinux 3.0.4 _hypercallN wrappers; the 2.6.21 VMI calls' C prototypes)
// fills in CallEffects.registerBytes for the calls its ops charge, by name or by the name's stem.
import { describe, expect, it } from 'vitest';
import { argWords, withRegisterArgs } from '../../sim/abi/register-args.js';
import { callCharger } from '../../sim/abi/call-ids.js';
import { XEN_ARG_WORDS } from '../../sim/abi/xen/arg-words.js';
import { VMI_ARG_WORDS } from '../../sim/abi/vmi/arg-words.js';
import type { CallEffects } from '../../sim/abi/types.js';
import { stubHypervisor } from '../helpers/stub-hypervisor.js';

describe('argument words', () => {
  it('by full name, then by the stem before “(” or a space; 0 for what is not a call', () => {
    expect(argWords(XEN_ARG_WORDS, 'memory_op(decrease_reservation)')).toBe(2);
    expect(argWords(XEN_ARG_WORDS, 'event_channel_op(send) IPI')).toBe(2);
    expect(argWords(XEN_ARG_WORDS, 'set_timer_op')).toBe(2); // a 64-bit timeout in two registers
    expect(argWords(XEN_ARG_WORDS, 'update_va_mapping')).toBe(4);
    expect(argWords(XEN_ARG_WORDS, 'shared event upcall')).toBe(0);
    expect(argWords(VMI_ARG_WORDS, 'APICWrite(EOI)')).toBe(2);
    expect(argWords(VMI_ARG_WORDS, 'SetAlarm')).toBe(5); // u32 flags, u64 expiry, u64 period
    expect(argWords(VMI_ARG_WORDS, 'device I/O port write')).toBe(2);
  });

  it('fills registerBytes unless the caller gave them, and leaves every other service as it was', () => {
    const seen: (CallEffects | undefined)[] = [];
    let halted = -1;
    const base = stubHypervisor({
      chargeCall: (_g, _v, _c, _n, _y, e) => void seen.push(e),
      haltVcpu: (_g, v) => void (halted = v),
    });
    const hv = withRegisterArgs(base, XEN_ARG_WORDS);
    hv.chargeCall(0, 0, 'vcpu_op(register_runstate_memory_area)', 2, 0, { transitions: 2 });
    hv.chargeCall(0, 0, 'xen_version(0)', 1, 0, { registerBytes: 0 });
    hv.chargeCall(0, 0, 'shared evtchn_upcall_mask write', 5, 0);
    expect(seen).toEqual([{ transitions: 2, registerBytes: 2 * 3 * 4 }, { registerBytes: 0 }, undefined]);
    hv.haltVcpu(0, 3);
    expect(halted).toBe(3);
    expect(hv.cpuMHz).toBe(base.cpuMHz);
  });

  it('charges by id (callId, chargeCallId) with the same registerBytes as by name', () => {
    // A hypervisor with call ids, whose ids are not those the wrapper would guess: 100 + order asked.
    // By id, the table's bytes travel as their own argument (no effects object is copied per call);
    // the host counts effects.registerBytes when the caller gave them, else that argument.
    const names: string[] = [];
    const seen: [string, number, CallEffects | undefined, number][] = [];
    const base = stubHypervisor({
      callId: (call) => 100 + (names.includes(call) ? names.indexOf(call) : names.push(call) - 1),
      chargeCallId: (_g, _v, id, n, _y, e, r) =>
        void seen.push([names[id - 100]!, n, e, e?.registerBytes ?? r!]),
    });
    const hv = withRegisterArgs(base, VMI_ARG_WORDS);
    const alarm = hv.callId!('SetAlarm');
    hv.chargeCallId!(0, 0, alarm, 2, 0, { path: 'interrupt' });
    hv.chargeCall(0, 0, 'SetAlarm', 2, 0, { path: 'interrupt' });
    hv.chargeCall(0, 0, 'APICWrite(EOI)', 1, 0);
    hv.chargeCallId!(0, 0, hv.callId!('APICWrite(EOI)'), 3, 0, { registerBytes: 1 });
    // SetAlarm: 5 words; APICWrite: 2.
    expect(seen).toEqual([
      ['SetAlarm', 2, { path: 'interrupt' }, 2 * 5 * 4],
      ['SetAlarm', 2, { path: 'interrupt' }, 2 * 5 * 4],
      ['APICWrite(EOI)', 1, undefined, 2 * 4],
      ['APICWrite(EOI)', 3, { registerBytes: 1 }, 1],
    ]);
  });

  it('charges a batch by id with each entry’s bytes from the table, and callCharger falls back on one charge per entry', () => {
    const seen: [number, number, number][] = [];
    const base = stubHypervisor({
      callId: (call) => (call === 'SetAlarm' ? 7 : 9),
      chargeCallId: () => {},
      chargeCallIds: (_g, _v, ids, counts, _y, n, _e, r) => {
        for (let i = 0; i < n; i++) seen.push([ids[i]!, counts[i]!, r![i]!]);
      },
    });
    const hv = withRegisterArgs(base, VMI_ARG_WORDS);
    const [alarm, eoi] = [hv.callId!('SetAlarm'), hv.callId!('APICWrite(EOI)')];
    // Only the first n entries count: the third is left over from an earlier batch.
    hv.chargeCallIds!(0, 0, [alarm, eoi, alarm], [2, 3, 99], [0, 0, 0], 2, { path: 'interrupt' });
    // SetAlarm: 5 words; APICWrite: 2.
    expect(seen).toEqual([
      [7, 2, 2 * 5 * 4],
      [9, 3, 3 * 2 * 4],
    ]);
    // Without chargeCallIds, a batch is its charges one by one, in order.
    const single: [number, number][] = [];
    const c = callCharger(
      stubHypervisor({ callId: (x) => x.length, chargeCallId: (_g, _v, id, n) => void single.push([id, n]) }),
    );
    c.chargeMany(0, 0, [c.id('ab'), c.id('abc')], [4, 5], [0, 0], 2);
    expect(single).toEqual([
      [2, 4],
      [3, 5],
    ]);
  });
});
