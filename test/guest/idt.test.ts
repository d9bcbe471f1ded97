// i386 IDT gates in the hardware format (Intel SDM Vol. 3 §6.11) and their conversion to Xen
// trap_info entries (reference/time-cpu-abi.md §2.3), with the bytes each ABI copies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Idt, IDT_BYTES, type GateType, type IdtGate } from '../../sim/abi/i386/idt.js';
import { vmiIdtCopyBytes } from '../../sim/abi/vmi/idt-copy.js';
import { encodeXenTrapTable, toXenTrapInfo } from '../../sim/abi/xen/trap-info.js';

const gate = (over: Partial<IdtGate> = {}): IdtGate => ({
  offset: 0xc0101234,
  selector: 0x0060,
  type: 'interrupt',
  dpl: 0,
  present: true,
  ...over,
});

describe('Idt gate bytes', () => {
  it('encodes the worked example: 0xC0101234, sel 0x0060, interrupt, DPL 0, present', () => {
    const idt = new Idt();
    expect(idt.setGate(0x20, gate())).toEqual({ ok: true, value: undefined });
    expect([...idt.bytes.subarray(0x20 * 8, 0x20 * 8 + 8)]).toEqual([
      0x34, 0x12, 0x60, 0x00, 0x00, 0x8e, 0x10, 0xc0,
    ]);
    expect(idt.getGate(0x20)).toEqual({ ok: true, value: gate() });
  });

  it('encodes trap gates (0xF), DPL 3 and not-present in byte 5', () => {
    const idt = new Idt();
    idt.setGate(0x80, gate({ type: 'trap', dpl: 3 }));
    expect(idt.bytes[0x80 * 8 + 5]).toBe(0x80 | (3 << 5) | 0xf); // 0xEF
    idt.setGate(1, gate({ present: false }));
    expect(idt.bytes[1 * 8 + 5]).toBe(0x0e);
    idt.setGate(8, { offset: 0, selector: 0x00f8, type: 'task', dpl: 0, present: true });
    expect([...idt.bytes.subarray(64, 72)]).toEqual([0, 0, 0xf8, 0, 0, 0x85, 0, 0]);
  });

  it('is a 2048-byte table of 256 gates', () => {
    expect(IDT_BYTES).toBe(2048);
    expect(new Idt().bytes.length).toBe(2048);
    expect(() => new Idt(new Uint8Array(2040))).toThrow(RangeError);
  });

  it('round-trips any valid gate at any vector', () => {
    const arbGate = fc.oneof(
      fc.record({
        offset: fc.integer({ min: 0, max: 0xffffffff }),
        selector: fc.integer({ min: 0, max: 0xffff }),
        type: fc.constantFrom<GateType>('interrupt', 'trap'),
        dpl: fc.constantFrom<IdtGate['dpl']>(0, 1, 2, 3),
        present: fc.boolean(),
      }),
      fc.record({
        offset: fc.constant(0),
        selector: fc.integer({ min: 0, max: 0xffff }),
        type: fc.constant<GateType>('task'),
        dpl: fc.constantFrom<IdtGate['dpl']>(0, 1, 2, 3),
        present: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), arbGate, (vector, g) => {
        const idt = new Idt();
        expect(idt.setGate(vector, g).ok).toBe(true);
        expect(idt.getGate(vector)).toEqual({ ok: true, value: g });
        // Only that gate's 8 bytes changed.
        const nonzeroOutside = idt.bytes.some((b, i) => b !== 0 && Math.floor(i / 8) !== vector);
        expect(nonzeroOutside).toBe(false);
      }),
    );
  });

  it('returns typed errors, without touching the table, for bad vectors and fields', () => {
    const idt = new Idt();
    const before = idt.bytes.slice();
    const code = (r: ReturnType<Idt['setGate']>): string | undefined => (r.ok ? undefined : r.error.code);
    expect(code(idt.setGate(256, gate()))).toBe('vector-out-of-range');
    expect(code(idt.setGate(-1, gate()))).toBe('vector-out-of-range');
    expect(code(idt.setGate(1.5, gate()))).toBe('vector-out-of-range');
    expect(code(idt.setGate(3, gate({ offset: 2 ** 32 })))).toBe('bad-offset');
    expect(code(idt.setGate(3, gate({ selector: 0x10000 })))).toBe('bad-selector');
    expect(code(idt.setGate(3, gate({ dpl: 4 as IdtGate['dpl'] })))).toBe('bad-dpl');
    expect(code(idt.setGate(3, gate({ type: 'call' as GateType })))).toBe('bad-type');
    expect(code(idt.setGate(3, gate({ type: 'task' })))).toBe('bad-offset'); // task gates have no offset
    expect(idt.bytes).toEqual(before);
    const r = idt.getGate(256);
    expect(r.ok ? undefined : r.error).toMatchObject({ code: 'vector-out-of-range', vector: 256 });
    expect(idt.getGate(0)).toMatchObject({ ok: false, error: { code: 'not-a-gate' } }); // all-zero entry
  });
});

describe('toXenTrapInfo: hardware IDT → Xen trap_info (reference §2.3)', () => {
  it('sets flags = DPL | 4 for interrupt gates, DPL only for trap gates', () => {
    const idt = new Idt();
    idt.setGate(0x0e, gate({ offset: 0xc0100e00, type: 'interrupt', dpl: 0 })); // page fault
    idt.setGate(0x03, gate({ offset: 0xc0100300, type: 'trap', dpl: 3 })); // int3 from user
    idt.setGate(0x80, gate({ offset: 0xc0108000, type: 'trap', dpl: 3 })); // system call
    idt.setGate(0x81, gate({ offset: 0xc0108100, type: 'interrupt', dpl: 3 }));
    idt.setGate(0x00, gate({ offset: 0xc0100000, type: 'trap', dpl: 0 }));
    const t = toXenTrapInfo(idt);
    expect(t.entries).toEqual([
      { vector: 0x00, flags: 0, cs: 0x60, address: 0xc0100000 },
      { vector: 0x03, flags: 3, cs: 0x60, address: 0xc0100300 },
      { vector: 0x0e, flags: 4, cs: 0x60, address: 0xc0100e00 },
      { vector: 0x80, flags: 3, cs: 0x60, address: 0xc0108000 },
      { vector: 0x81, flags: 7, cs: 0x60, address: 0xc0108100 },
    ]);
    expect(t.skipped).toEqual([]);
    // 5 entries + the terminating zero entry, 8 bytes each.
    expect(t.bytes).toBe(48);
    expect(encodeXenTrapTable(t.entries).length).toBe(t.bytes);
  });

  it('skips not-present gates silently and reports what trap_info cannot express', () => {
    const idt = new Idt();
    idt.setGate(2, gate({ present: false }));
    idt.setGate(8, { offset: 0, selector: 0xf8, type: 'task', dpl: 0, present: true }); // double fault
    idt.setGate(9, gate({ offset: 0 }));
    const t = toXenTrapInfo(idt);
    expect(t.entries).toEqual([]);
    expect(t.skipped.map((s) => s.vector)).toEqual([8, 9]);
    expect(t.bytes).toBe(8); // just the terminator
  });

  it('encodes trap_info as vector u8, flags u8, cs u16, address u32, then a zero entry', () => {
    const b = encodeXenTrapTable([{ vector: 0x80, flags: 3, cs: 0xe019, address: 0xc0108000 }]);
    expect([...b]).toEqual([0x80, 0x03, 0x19, 0xe0, 0x00, 0x80, 0x10, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => encodeXenTrapTable([{ vector: 1, flags: 0, cs: 0x60, address: 0 }])).toThrow(RangeError);
  });

  it('compares the bytes copied: VMI 8 per changed gate or 2048 for SetIDT, Xen 8 × (n + 1)', () => {
    expect(vmiIdtCopyBytes(1)).toEqual({
      writeIdtEntry: { calls: 1, bytes: 8 },
      setIdt: { calls: 1, bytes: 2048 },
    });
    expect(vmiIdtCopyBytes(256).writeIdtEntry.bytes).toBe(2048);
    expect(() => vmiIdtCopyBytes(257)).toThrow(RangeError);
    const idt = new Idt();
    for (let v = 0; v < 256; v++) idt.setGate(v, gate({ offset: 0xc0100000 + v * 16 }));
    expect(toXenTrapInfo(idt).bytes).toBe(257 * 8);
  });
});
