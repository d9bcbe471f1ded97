// VMI relocation records (struct vmi_relocation_info, 8 bytes) and how a call binds, per
// reference/time-cpu-abi.md §1.3.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VMI_CALL, type VmiCallName } from '../../../sim/abi/vmi/constants.js';
import {
  bindingOf,
  decodeRelocation,
  encodeRelocation,
  mustBePatched,
  relocationFromU64,
  relocationToU64,
  VMI_RELOCATION_CALL_REL,
  VMI_RELOCATION_JUMP_REL,
  VMI_RELOCATION_NONE,
  VMI_RELOCATION_NOP,
} from '../../../sim/abi/vmi/relocation.js';

describe('vmi_relocation_info encoding', () => {
  it('uses the kinds of vmi.h', () => {
    expect([
      VMI_RELOCATION_NONE,
      VMI_RELOCATION_CALL_REL,
      VMI_RELOCATION_JUMP_REL,
      VMI_RELOCATION_NOP,
    ]).toEqual([0, 1, 2, 3]);
  });

  it('lays out eip u32 @0, type u8 @4, reserved[3] @5 (8 bytes)', () => {
    const b = encodeRelocation({ eip: 0xc0012345, type: VMI_RELOCATION_CALL_REL });
    expect([...b]).toEqual([0x45, 0x23, 0x01, 0xc0, 0x01, 0, 0, 0]);
    expect(decodeRelocation(b)).toEqual({ eip: 0xc0012345, type: 1, reserved: [0, 0, 0] });
  });

  it('decodes at an offset and refuses a short buffer', () => {
    const buf = new Uint8Array(12);
    buf.set(encodeRelocation({ eip: 0xdeadbeef, type: 3 }), 4);
    expect(decodeRelocation(buf, 4)).toMatchObject({ eip: 0xdeadbeef, type: 3 });
    expect(() => decodeRelocation(buf, 5)).toThrow(RangeError);
    expect(() => encodeRelocation({ eip: 2 ** 32, type: 0 })).toThrow(RangeError);
  });

  it('round-trips through bytes and through get_reloc’s u64', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 255 }),
        fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)),
        (eip, type, reserved) => {
          const info = { eip, type, reserved };
          expect(decodeRelocation(encodeRelocation(info))).toEqual(info);
          const u64 = relocationToU64(info);
          expect(u64 & 0xffffffffn).toBe(BigInt(eip)); // low half = eip
          expect((u64 >> 32n) & 0xffn).toBe(BigInt(type));
          expect(relocationFromU64(u64)).toEqual(info);
        },
      ),
    );
  });
});

describe('bindingOf (reference §1.3)', () => {
  const rom = 0xffc00100;

  it('CALL_REL is a direct 5-byte near call into the ROM, through the ops table', () => {
    expect(bindingOf('SetAlarm', { eip: rom, type: VMI_RELOCATION_CALL_REL })).toEqual({
      kind: 'call',
      call: 'SetAlarm',
      via: 'ops-table',
      target: rom,
      siteBytes: 5,
    });
  });

  it('NOP obliterates the op; NONE leaves the native instruction', () => {
    expect(bindingOf('WBINVD', { eip: 0, type: VMI_RELOCATION_NOP })).toMatchObject({
      kind: 'nop',
      siteBytes: 0,
    });
    expect(bindingOf('CPUID', { eip: 0, type: VMI_RELOCATION_NONE })).toMatchObject({
      kind: 'native',
      via: 'ops-table',
    });
  });

  it('IRET and SYSEXIT must be patched, and only they may bind by JUMP_REL', () => {
    expect(mustBePatched('IRET')).toBe(true);
    expect(mustBePatched('SYSEXIT')).toBe(true);
    expect(bindingOf('IRET', { eip: rom, type: VMI_RELOCATION_JUMP_REL })).toEqual({
      kind: 'jump',
      call: 'IRET',
      via: 'patch-site',
      target: rom,
      siteBytes: 5,
    });
    expect(bindingOf('SYSEXIT', { eip: rom, type: VMI_RELOCATION_CALL_REL })).toMatchObject({
      kind: 'call',
      via: 'patch-site',
    });
    const others = (Object.keys(VMI_CALL) as VmiCallName[]).filter((c) => c !== 'IRET' && c !== 'SYSEXIT');
    for (const call of others) {
      expect(mustBePatched(call)).toBe(false);
      expect(bindingOf(call, { eip: rom, type: VMI_RELOCATION_JUMP_REL })).toMatchObject({
        kind: 'invalid',
        reason: expect.stringMatching(/only for IRET and SYSEXIT/),
      });
    }
  });

  it('an unknown relocation type is invalid, not thrown', () => {
    expect(bindingOf('Halt', { eip: rom, type: 4 })).toMatchObject({ kind: 'invalid', reason: /unknown/ });
  });
});
