/**
 * How a VMI call binds at boot. The guest asks the ROM's get_reloc(callnum) for a
 * `struct vmi_relocation_info` and then either stores the ROM entry address in its paravirt_ops
 * table (para_fill), binary-patches the call site (vmi_patch), leaves the native instruction,
 * or turns the op into a no-op. Source: reference/time-cpu-abi.md §1.3 (include/asm-i386/vmi.h,
 * arch/i386/kernel/vmi.c, Linux 2.6.21).
 *
 * Wire format (i386, 8 bytes, little-endian): eip u32 @0, type u8 @4, reserved u8[3] @5.
 * get_reloc returns it as a u64 in edx:eax, so the u64 = eip + type × 2^32 + reserved × 2^40.
 */
import type { VmiCallName } from './constants.js';

export const VMI_RELOCATION_NONE = 0; // leave the native instruction
export const VMI_RELOCATION_CALL_REL = 1; // patch "call rel32" to rel->eip (5 bytes)
export const VMI_RELOCATION_JUMP_REL = 2; // patch "jmp rel32" (only IRET/SYSEXIT)
export const VMI_RELOCATION_NOP = 3; // obliterate: the op is a no-op

export const VMI_RELOCATION_INFO_BYTES = 8;
/** Length of the near call/jmp rel32 written at a patch site (opcode + rel32). */
export const REL32_INSTRUCTION_BYTES = 5;

/**
 * Sentinels vmi.c stores in paravirt_ops.iret / irq_enable_sysexit: those two ops are never
 * called through the table, so they must be bound by patching their sites.
 */
export const IRET_SENTINEL = 0xbadbab0;
export const SYSEXIT_SENTINEL = 0xfeedbab0;

/** The calls whose only binding is by patching (JUMP_REL is legal only for these). */
export const PATCH_ONLY_CALLS: readonly VmiCallName[] = ['IRET', 'SYSEXIT'];

/** `struct vmi_relocation_info`. `type` is a raw u8: a ROM may return an undefined kind. */
export interface VmiRelocationInfo {
  /** Target in the ROM (guest linear address), u32. */
  eip: number;
  /** One of VMI_RELOCATION_*, or any other u8 from a bad ROM. */
  type: number;
  /** The three reserved bytes; zero unless a ROM says otherwise. */
  reserved?: readonly [number, number, number];
}

function checkUint(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`);
  }
}

/** The 8 bytes of a relocation record. Throws RangeError for a value that does not fit. */
export function encodeRelocation(info: VmiRelocationInfo): Uint8Array {
  checkUint('eip', info.eip, 0xffffffff);
  checkUint('type', info.type, 0xff);
  const out = new Uint8Array(VMI_RELOCATION_INFO_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, info.eip, true);
  v.setUint8(4, info.type);
  const r = info.reserved ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    checkUint(`reserved[${i}]`, r[i]!, 0xff);
    out[5 + i] = r[i]!;
  }
  return out;
}

/** Read a relocation record at `offset`. Throws RangeError if fewer than 8 bytes remain. */
export function decodeRelocation(bytes: Uint8Array, offset = 0): VmiRelocationInfo {
  if (!Number.isInteger(offset) || offset < 0 || offset + VMI_RELOCATION_INFO_BYTES > bytes.length) {
    throw new RangeError(`need ${VMI_RELOCATION_INFO_BYTES} bytes at offset ${offset} of ${bytes.length}`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, VMI_RELOCATION_INFO_BYTES);
  return {
    eip: v.getUint32(0, true),
    type: v.getUint8(4),
    reserved: [v.getUint8(5), v.getUint8(6), v.getUint8(7)],
  };
}

/** The record as get_reloc's u64 return value (little-endian: the low 32 bits are eip). */
export function relocationToU64(info: VmiRelocationInfo): bigint {
  return new DataView(encodeRelocation(info).buffer).getBigUint64(0, true);
}

/** Inverse of relocationToU64. */
export function relocationFromU64(value: bigint): VmiRelocationInfo {
  if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`not a u64: ${value}`);
  const b = new Uint8Array(VMI_RELOCATION_INFO_BYTES);
  new DataView(b.buffer).setBigUint64(0, value, true);
  return decodeRelocation(b);
}

/**
 * How one call ends up bound:
 *  - `call`: a direct near call into the ROM at `target` (5-byte call rel32, or the ROM address
 *    stored straight into the ops table) — no trap, the cost is the ROM's own work;
 *  - `jump`: a 5-byte jmp rel32 into the ROM at `target` (IRET/SYSEXIT only);
 *  - `nop`: the op is obliterated (patch sites shrink to 0 bytes; the table gets vmi_nop);
 *  - `native`: the native instruction stays;
 *  - `invalid`: the ROM's answer cannot be used (JUMP_REL for another call, or an unknown type:
 *    vmi.c warns in para_fill and BUG()s in patch_internal).
 * `via` says where the binding lives: `patch-site` for IRET/SYSEXIT, whose paravirt_ops entries
 * are sentinels, `ops-table` for every other call.
 */
export type VmiBinding =
  | { kind: 'call'; call: VmiCallName; via: BindingSite; target: number; siteBytes: 5 }
  | { kind: 'jump'; call: VmiCallName; via: 'patch-site'; target: number; siteBytes: 5 }
  | { kind: 'nop'; call: VmiCallName; via: BindingSite; siteBytes: 0 }
  | { kind: 'native'; call: VmiCallName; via: BindingSite }
  | { kind: 'invalid'; call: VmiCallName; reason: string };

export type BindingSite = 'ops-table' | 'patch-site';

/** True for the calls that must be bound by patching (IRET, SYSEXIT). */
export function mustBePatched(call: VmiCallName): boolean {
  return PATCH_ONLY_CALLS.includes(call);
}

/** Describe how `call` binds given the ROM's relocation record for it (reference §1.3). */
export function bindingOf(call: VmiCallName, rel: VmiRelocationInfo): VmiBinding {
  const via: BindingSite = mustBePatched(call) ? 'patch-site' : 'ops-table';
  switch (rel.type) {
    case VMI_RELOCATION_CALL_REL:
      return { kind: 'call', call, via, target: rel.eip >>> 0, siteBytes: REL32_INSTRUCTION_BYTES };
    case VMI_RELOCATION_JUMP_REL:
      if (via !== 'patch-site') {
        return {
          kind: 'invalid',
          call,
          reason: `JUMP_REL is allowed only for IRET and SYSEXIT, not ${call}`,
        };
      }
      return { kind: 'jump', call, via, target: rel.eip >>> 0, siteBytes: REL32_INSTRUCTION_BYTES };
    case VMI_RELOCATION_NOP:
      return { kind: 'nop', call, via, siteBytes: 0 };
    case VMI_RELOCATION_NONE:
      return { kind: 'native', call, via };
    default:
      return { kind: 'invalid', call, reason: `unknown relocation type ${rel.type} for ${call}` };
  }
}
