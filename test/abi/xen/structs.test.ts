// i386 layouts of the Xen structs. Every expected size and offset below is a literal taken from
// reference/time-cpu-abi.md (§2.3 trap_info, §2.4 vcpu_time_info, §2.5 vcpu_runstate_info,
// §2.6 xen_memory_reservation, §2.9 xen_compile_info), not from the constants under test.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeTrapInfo,
  decodeTrapTable,
  decodeVcpuRunstateInfo,
  decodeVcpuTimeInfo,
  decodeXenCompileInfo,
  decodeXenMemoryReservation,
  encodeTrapInfo,
  encodeTrapTable,
  encodeVcpuRunstateInfo,
  encodeVcpuTimeInfo,
  encodeXenCompileInfo,
  encodeXenMemoryReservation,
  TRAP_INFO,
  tiGetDpl,
  tiGetIf,
  VCPU_RUNSTATE_INFO,
  VCPU_TIME_INFO,
  XEN_COMPILE_INFO,
  XEN_MEMORY_RESERVATION,
  type TrapInfo,
  type VcpuRunstateInfo,
  type VcpuTimeInfo,
} from '../../../sim/abi/xen/structs.js';
import { FLAT_RING1_CS } from '../../../sim/abi/xen/constants.js';

const u8 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint8(at);
const i8 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getInt8(at);
const u16 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint16(at, true);
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const i32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getInt32(at, true);
const u64 = (b: Uint8Array, at: number): bigint =>
  new DataView(b.buffer, b.byteOffset).getBigUint64(at, true);

const u64Arb = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const u32Arb = fc.integer({ min: 0, max: 0xffffffff });

describe('trap_info (§2.3: 8 bytes; vector u8 @0, flags u8 @1, cs u16 @2, address u32 @4)', () => {
  const ti: TrapInfo = { vector: 0x80, flags: 0x07, cs: FLAT_RING1_CS, address: 0xc0102030 };

  it('has the documented size and offsets', () => {
    expect(TRAP_INFO).toEqual({ SIZE: 8, VECTOR: 0, FLAGS: 1, CS: 2, ADDRESS: 4 });
    const b = encodeTrapInfo(ti);
    expect(b.byteLength).toBe(8);
    expect(u8(b, 0)).toBe(0x80);
    expect(u8(b, 1)).toBe(0x07);
    expect(u16(b, 2)).toBe(0xe019);
    expect(u32(b, 4)).toBe(0xc0102030);
    expect([...b]).toEqual([0x80, 0x07, 0x19, 0xe0, 0x30, 0x20, 0x10, 0xc0]);
  });
  it('round-trips', () => {
    fc.assert(
      fc.property(
        fc.record({
          vector: fc.integer({ min: 0, max: 255 }),
          flags: fc.integer({ min: 0, max: 255 }),
          cs: fc.integer({ min: 0, max: 0xffff }),
          address: u32Arb,
        }),
        fc.integer({ min: 0, max: 16 }),
        (t, offset) => {
          const b = encodeTrapInfo(t, new Uint8Array(offset + 8), offset);
          expect(decodeTrapInfo(b, offset)).toEqual(t);
        },
      ),
    );
  });
  it('TI_GET_DPL = flags & 3, TI_GET_IF = flags & 4', () => {
    expect(tiGetDpl({ flags: 0 })).toBe(0);
    expect(tiGetDpl({ flags: 3 })).toBe(3);
    expect(tiGetDpl({ flags: 7 })).toBe(3);
    expect(tiGetIf({ flags: 3 })).toBe(false);
    expect(tiGetIf({ flags: 4 })).toBe(true);
    expect(tiGetIf({ flags: 5 })).toBe(true);
  });
  it('rejects out-of-range fields and short buffers', () => {
    expect(() => encodeTrapInfo({ ...ti, vector: 256 })).toThrow(/trap_info.vector/);
    expect(() => encodeTrapInfo({ ...ti, address: -1 })).toThrow(/trap_info.address/);
    expect(() => decodeTrapInfo(new Uint8Array(7))).toThrow(/trap_info: needs 8 bytes at offset 0.*only 7/);
    expect(() => decodeTrapInfo(new Uint8Array(8), 1)).toThrow(/needs 8 bytes at offset 1/);
  });
});

describe('trap table: terminated by an entry with address 0', () => {
  const entries: TrapInfo[] = [
    { vector: 0, flags: 0, cs: FLAT_RING1_CS, address: 0xc0100000 },
    { vector: 3, flags: 3, cs: FLAT_RING1_CS, address: 0xc0100010 },
    { vector: 14, flags: 4, cs: FLAT_RING1_CS, address: 0xc0100020 },
    { vector: 0x80, flags: 3, cs: FLAT_RING1_CS, address: 0xc0100030 },
  ];

  it('encodes the entries followed by an all-zero terminator', () => {
    const b = encodeTrapTable(entries);
    expect(b.byteLength).toBe(5 * 8);
    expect([...b.subarray(32)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(decodeTrapTable(b)).toEqual(entries);
    expect(decodeTrapTable(encodeTrapTable([]))).toEqual([]);
  });
  it('stops at the first address-0 entry even when data follows it', () => {
    const b = new Uint8Array(8 * 8);
    b.set(encodeTrapTable(entries.slice(0, 2)));
    encodeTrapInfo(entries[2]!, b, 3 * 8); // after the terminator: never read
    const withVectorOnly = encodeTrapInfo({ vector: 9, flags: 1, cs: 1, address: 0 });
    expect(decodeTrapTable(b)).toEqual(entries.slice(0, 2));
    // A terminator only needs address 0; its other fields do not matter.
    const c = new Uint8Array(2 * 8);
    encodeTrapInfo(entries[0]!, c, 0);
    c.set(withVectorOnly, 8);
    expect(decodeTrapTable(c)).toEqual([entries[0]]);
  });
  it('reads from an offset', () => {
    const b = new Uint8Array(4 + 5 * 8);
    b.set(encodeTrapTable(entries), 4);
    expect(decodeTrapTable(b, 4)).toEqual(entries);
  });
  it('rejects a table without a terminator, and an entry that would end it early', () => {
    const b = encodeTrapTable(entries).subarray(0, 4 * 8);
    expect(() => decodeTrapTable(b)).toThrow(/no terminating entry.*after 4 entries/);
    expect(() => encodeTrapTable([entries[0]!, { ...entries[1]!, address: 0 }])).toThrow(
      /entry 1.*address 0/,
    );
  });
  it('round-trips any table of non-zero addresses', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            vector: fc.integer({ min: 0, max: 255 }),
            flags: fc.integer({ min: 0, max: 255 }),
            cs: fc.integer({ min: 0, max: 0xffff }),
            address: fc.integer({ min: 1, max: 0xffffffff }),
          }),
          { maxLength: 40 },
        ),
        (t) => {
          expect(decodeTrapTable(encodeTrapTable(t))).toEqual(t);
        },
      ),
    );
  });
});

describe('vcpu_time_info (§2.4: 32 bytes)', () => {
  const t: VcpuTimeInfo = {
    version: 0x11223344,
    tscTimestamp: 0x0102030405060708n,
    systemTime: 0x1112131415161718n,
    tscToSystemMul: 3579139413,
    tscShift: -1,
    flags: 0x05,
  };

  it('has version @0, pad0 @4, tsc_timestamp @8, system_time @16, mul @24, shift @28, pad1 @29', () => {
    expect(VCPU_TIME_INFO).toEqual({
      SIZE: 32,
      VERSION: 0,
      PAD0: 4,
      TSC_TIMESTAMP: 8,
      SYSTEM_TIME: 16,
      TSC_TO_SYSTEM_MUL: 24,
      TSC_SHIFT: 28,
      FLAGS: 29,
    });
    const b = encodeVcpuTimeInfo(t, new Uint8Array(32).fill(0xaa));
    expect(b.byteLength).toBe(32);
    expect(u32(b, 0)).toBe(0x11223344);
    expect(u32(b, 4)).toBe(0); // pad0 is cleared
    expect(u64(b, 8)).toBe(0x0102030405060708n);
    expect(u64(b, 16)).toBe(0x1112131415161718n);
    expect(u32(b, 24)).toBe(3579139413);
    expect(i8(b, 28)).toBe(-1);
    expect(u8(b, 28)).toBe(0xff);
    expect(u8(b, 29)).toBe(0x05);
    expect([u8(b, 30), u8(b, 31)]).toEqual([0, 0]);
  });
  it('round-trips', () => {
    fc.assert(
      fc.property(
        fc.record({
          version: u32Arb,
          tscTimestamp: u64Arb,
          systemTime: u64Arb,
          tscToSystemMul: u32Arb,
          tscShift: fc.integer({ min: -128, max: 127 }),
          flags: fc.integer({ min: 0, max: 255 }),
        }),
        (x) => {
          expect(decodeVcpuTimeInfo(encodeVcpuTimeInfo(x))).toEqual(x);
        },
      ),
    );
  });
  it('rejects out-of-range fields and short buffers', () => {
    expect(() => encodeVcpuTimeInfo({ ...t, tscShift: 128 })).toThrow(/tsc_shift/);
    expect(() => encodeVcpuTimeInfo({ ...t, systemTime: 1n << 64n })).toThrow(/system_time/);
    expect(() => encodeVcpuTimeInfo({ ...t, tscTimestamp: -1n })).toThrow(/tsc_timestamp/);
    expect(() => decodeVcpuTimeInfo(new Uint8Array(31))).toThrow(/vcpu_time_info: needs 32 bytes/);
  });
});

describe('vcpu_runstate_info (§2.5: i386 44 bytes; state @0, state_entry_time @4, time[4] @12)', () => {
  const r: VcpuRunstateInfo = {
    state: 1,
    stateEntryTime: 0x8000000000000123n,
    time: [0x0a0a0a0a0a0a0a0an, 0x0b0b0b0b0b0b0b0bn, 0x0c0c0c0c0c0c0c0cn, 0x0d0d0d0d0d0d0d0dn],
  };

  it('packs u64s at 4-byte alignment', () => {
    expect(VCPU_RUNSTATE_INFO.SIZE).toBe(44);
    expect(VCPU_RUNSTATE_INFO.STATE).toBe(0);
    expect(VCPU_RUNSTATE_INFO.STATE_ENTRY_TIME).toBe(4);
    expect(VCPU_RUNSTATE_INFO.TIME).toBe(12);
    const b = encodeVcpuRunstateInfo(r);
    expect(b.byteLength).toBe(44);
    expect(i32(b, 0)).toBe(1);
    expect(u64(b, 4)).toBe(0x8000000000000123n);
    expect(u64(b, 12)).toBe(0x0a0a0a0a0a0a0a0an);
    expect(u64(b, 20)).toBe(0x0b0b0b0b0b0b0b0bn);
    expect(u64(b, 28)).toBe(0x0c0c0c0c0c0c0c0cn);
    expect(u64(b, 36)).toBe(0x0d0d0d0d0d0d0d0dn);
  });
  it('round-trips', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        u64Arb,
        fc.tuple(u64Arb, u64Arb, u64Arb, u64Arb),
        (state, stateEntryTime, time) => {
          const x: VcpuRunstateInfo = { state, stateEntryTime, time };
          expect(decodeVcpuRunstateInfo(encodeVcpuRunstateInfo(x))).toEqual(x);
        },
      ),
    );
  });
  it('rejects short buffers and wrong time arrays', () => {
    expect(() => decodeVcpuRunstateInfo(new Uint8Array(43))).toThrow(/vcpu_runstate_info: needs 44 bytes/);
    const bad = { ...r, time: [1n, 2n, 3n] as unknown as VcpuRunstateInfo['time'] };
    expect(() => encodeVcpuRunstateInfo(bad)).toThrow(/4 entries/);
  });
});

describe('xen_memory_reservation (§2.6: i386 20 bytes, domid @16)', () => {
  it('has extent_start @0, nr_extents @4, extent_order @8, address_bits @12, domid @16', () => {
    expect(XEN_MEMORY_RESERVATION).toEqual({
      SIZE: 20,
      EXTENT_START: 0,
      NR_EXTENTS: 4,
      EXTENT_ORDER: 8,
      ADDRESS_BITS: 12,
      DOMID: 16,
    });
    const b = encodeXenMemoryReservation(
      { extentStart: 0xc1234560, nrExtents: 512, extentOrder: 9, addressBits: 32, domid: 0x7ff0 },
      new Uint8Array(20).fill(0xee),
    );
    expect(u32(b, 0)).toBe(0xc1234560);
    expect(u32(b, 4)).toBe(512);
    expect(u32(b, 8)).toBe(9);
    expect(u32(b, 12)).toBe(32);
    expect(u16(b, 16)).toBe(0x7ff0);
    expect(u16(b, 18)).toBe(0); // tail padding cleared
  });
  it('round-trips', () => {
    fc.assert(
      fc.property(
        fc.record({
          extentStart: u32Arb,
          nrExtents: u32Arb,
          extentOrder: u32Arb,
          addressBits: u32Arb,
          domid: fc.integer({ min: 0, max: 0xffff }),
        }),
        (x) => {
          expect(decodeXenMemoryReservation(encodeXenMemoryReservation(x))).toEqual(x);
        },
      ),
    );
  });
  it('rejects short buffers and a domid beyond u16', () => {
    expect(() => decodeXenMemoryReservation(new Uint8Array(19))).toThrow(/needs 20 bytes/);
    expect(() =>
      encodeXenMemoryReservation({
        extentStart: 0,
        nrExtents: 0,
        extentOrder: 0,
        addressBits: 0,
        domid: 0x10000,
      }),
    ).toThrow(/domid/);
  });
});

describe('xen_compile_info (§2.9: char[64] + char[16] + char[32] + char[32] = 144 bytes)', () => {
  const ci = {
    compiler: 'gcc version 4.1.2',
    compileBy: 'root',
    compileDomain: 'example.org',
    compileDate: 'Tue Dec 19 2006',
  };

  it('puts compiler @0, compile_by @64, compile_domain @80, compile_date @112', () => {
    expect(XEN_COMPILE_INFO.SIZE).toBe(144);
    expect([
      XEN_COMPILE_INFO.COMPILER,
      XEN_COMPILE_INFO.COMPILE_BY,
      XEN_COMPILE_INFO.COMPILE_DOMAIN,
      XEN_COMPILE_INFO.COMPILE_DATE,
    ]).toEqual([0, 64, 80, 112]);
    const b = encodeXenCompileInfo(ci, new Uint8Array(144).fill(0xff));
    const str = (at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));
    expect(str(0, 17)).toBe('gcc version 4.1.2');
    expect(b.subarray(17, 64).every((x) => x === 0)).toBe(true);
    expect(str(64, 4)).toBe('root');
    expect(str(80, 11)).toBe('example.org');
    expect(str(112, 15)).toBe('Tue Dec 19 2006');
    expect(u8(b, 143)).toBe(0);
  });
  it('round-trips strings that fit with their NUL', () => {
    const s = (n: number) =>
      fc.string({
        unit: fc.integer({ min: 1, max: 0xff }).map((c) => String.fromCharCode(c)),
        maxLength: n - 1,
      });
    fc.assert(
      fc.property(
        fc.record({ compiler: s(64), compileBy: s(16), compileDomain: s(32), compileDate: s(32) }),
        (x) => {
          expect(decodeXenCompileInfo(encodeXenCompileInfo(x))).toEqual(x);
        },
      ),
    );
  });
  it('reads a field with no NUL as its full length, and rejects strings that do not fit', () => {
    const b = encodeXenCompileInfo(ci);
    b.fill(0x41, 64, 80); // compile_by: 16 × 'A', no terminator
    expect(decodeXenCompileInfo(b).compileBy).toBe('A'.repeat(16));
    expect(() => encodeXenCompileInfo({ ...ci, compileBy: 'x'.repeat(16) })).toThrow(
      /compile_by holds at most 15/,
    );
    expect(() => encodeXenCompileInfo({ ...ci, compiler: 'a\u0000b' })).toThrow(/compiler: character 1/);
    expect(() => encodeXenCompileInfo({ ...ci, compiler: 'π' })).toThrow(/not a non-NUL single byte/);
    expect(() => decodeXenCompileInfo(new Uint8Array(143))).toThrow(/needs 144 bytes/);
  });
});
