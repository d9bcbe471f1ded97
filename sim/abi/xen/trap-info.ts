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

// ---- The trap table a XenLinux kernel hands Xen -------------------------------------------------

/**
 * XenLinux 3.0.4's `trap_table` (linux-2.6-xen-sparse/arch/i386/kernel/traps-xen.c), verbatim:
 * vector and flags (DPL | 4 where the handler runs with events masked). Exceptions and int 0x80
 * only: NMI comes through callback_op (CALLBACKTYPE_nmi), double fault is Xen's own, and device
 * interrupts are event channels, so no external vector appears. 18 (machine check) is there
 * under CONFIG_X86_MCE, which the model's kernels have. 19 entries plus the terminator: 160 B.
 */
export const XENLINUX_TRAP_TABLE: readonly { vector: number; flags: number }[] = [
  { vector: 0, flags: 0 },
  { vector: 1, flags: 0 | XEN_TI_IF },
  { vector: 3, flags: 3 | XEN_TI_IF },
  { vector: 4, flags: 3 },
  { vector: 5, flags: 0 },
  { vector: 6, flags: 0 },
  { vector: 7, flags: 0 | XEN_TI_IF },
  { vector: 9, flags: 0 },
  { vector: 10, flags: 0 },
  { vector: 11, flags: 0 },
  { vector: 12, flags: 0 },
  { vector: 13, flags: 0 },
  { vector: 14, flags: 0 | XEN_TI_IF },
  { vector: 15, flags: 0 },
  { vector: 16, flags: 0 },
  { vector: 17, flags: 0 },
  { vector: 18, flags: 0 },
  { vector: 19, flags: 0 },
  { vector: 0x80, flags: 3 },
];

/**
 * The trap table a XenLinux kernel builds for the guest whose handlers `idt` holds: the entries
 * of XENLINUX_TRAP_TABLE whose vector has a present interrupt or trap gate in `idt` (the handler
 * address is the gate's), with the flags of traps-xen.c and the gate's selector (Xen puts RPL 1
 * on it, fixup_guest_code_selector). Vectors outside the table are not handed over at all.
 */
export function xenLinuxTrapTable(idt: Idt): XenTrapTable {
  const all = toXenTrapInfo(idt);
  const byVector = new Map(all.entries.map((e) => [e.vector, e]));
  const entries: XenTrapInfo[] = [];
  for (const t of XENLINUX_TRAP_TABLE) {
    const g = byVector.get(t.vector);
    if (g !== undefined) entries.push({ ...g, flags: t.flags });
  }
  return { entries, skipped: [], bytes: (entries.length + 1) * XEN_TRAP_INFO_BYTES };
}
