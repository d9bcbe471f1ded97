/**
 * Xen's `trap_info` array, what set_trap_table copies instead of the hardware IDT: reference
 * time-cpu-abi.md §2.3 — `struct trap_info { u8 vector; u8 flags; u16 cs; unsigned long
 * address; }`, 8 bytes on i386, flags = DPL (bits 1..0) | 4 if the handler is entered with events
 * masked (interrupt-gate semantics), array terminated by address == 0.
 */
import { ATTR_PRESENT, IDT_GATE_BYTES, IDT_VECTORS, type Idt } from '../i386/idt.js';

/** One Xen `trap_info` entry (reference §2.3). */
export interface XenTrapInfo {
  vector: number;
  /** DPL | (interrupt gate ? 4 : 0). */
  flags: number;
  cs: number;
  address: number;
}
export const XEN_TRAP_INFO_BYTES = 8;
/** TI_GET_IF: handler entered with event delivery masked, like an interrupt gate. */
export const XEN_TI_IF = 4;

/** Result of converting an IDT to a Xen trap table. */
export interface XenTrapTable {
  /** One entry per present interrupt/trap gate, in vector order. */
  entries: XenTrapInfo[];
  /** Present entries trap_info cannot express, with the reason. */
  skipped: { vector: number; reason: string }[];
  /** Bytes set_trap_table copies: 8 per entry plus the terminating zero entry. */
  bytes: number;
}

/**
 * Xen `trap_info` entries for the present gates of `idt`: vector, flags = DPL | (interrupt gate ?
 * 4 : 0), cs = the gate's selector (copied as is; a real Xen guest would use its ring-1
 * selectors), address = the gate's offset. Not expressible, hence skipped: task gates (trap_info
 * has no TSS form), gates with offset 0 (address 0 terminates the array), and entries that are
 * not gates at all.
 */
export function toXenTrapInfo(idt: Idt): XenTrapTable {
  const entries: XenTrapInfo[] = [];
  const skipped: { vector: number; reason: string }[] = [];
  for (let vector = 0; vector < IDT_VECTORS; vector++) {
    const attr = idt.bytes[vector * IDT_GATE_BYTES + 5]!;
    if ((attr & ATTR_PRESENT) === 0) continue;
    const r = idt.getGate(vector);
    if (!r.ok) {
      skipped.push({ vector, reason: r.error.message });
      continue;
    }
    const g = r.value;
    if (g.type === 'task') {
      skipped.push({ vector, reason: 'task gate: trap_info has no task-gate form' });
    } else if (g.offset === 0) {
      skipped.push({ vector, reason: 'handler address 0 would terminate the trap table' });
    } else {
      entries.push({
        vector,
        flags: g.dpl | (g.type === 'interrupt' ? XEN_TI_IF : 0),
        cs: g.selector,
        address: g.offset,
      });
    }
  }
  return { entries, skipped, bytes: (entries.length + 1) * XEN_TRAP_INFO_BYTES };
}

/**
 * The trap table as set_trap_table reads it on i386: vector u8 @0, flags u8 @1, cs u16 @2,
 * address u32 @4 per entry, then an all-zero terminating entry.
 */
export function encodeXenTrapTable(entries: readonly XenTrapInfo[]): Uint8Array {
  const out = new Uint8Array((entries.length + 1) * XEN_TRAP_INFO_BYTES);
  const v = new DataView(out.buffer);
  entries.forEach((e, i) => {
    if (e.address === 0) throw new RangeError(`trap_info[${i}] has address 0, which terminates the table`);
    for (const [name, value, max] of [
      ['vector', e.vector, 0xff],
      ['flags', e.flags, 0xff],
      ['cs', e.cs, 0xffff],
      ['address', e.address, 0xffffffff],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > max) {
        throw new RangeError(`trap_info[${i}].${name} = ${value} does not fit 0..${max}`);
      }
    }
    const at = i * XEN_TRAP_INFO_BYTES;
    v.setUint8(at, e.vector);
    v.setUint8(at + 1, e.flags);
    v.setUint16(at + 2, e.cs, true);
    v.setUint32(at + 4, e.address, true);
  });
  return out;
}
