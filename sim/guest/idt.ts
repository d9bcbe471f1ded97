/**
 * The guest's i386 interrupt descriptor table in the hardware format, and what each ABI copies
 * to tell the hypervisor about it: VMI hands over hardware gates (WriteIDTEntry per gate, or
 * SetIDT for the whole table), Xen wants its own `trap_info` array (set_trap_table). This is the
 * 2006 "copy trap tables versus use the hardware IDT format" contrast, in bytes.
 *
 * Gate format: Intel SDM Vol. 3, §6.11 (IDT descriptors), 8 bytes, little-endian:
 *   offset[15:0] u16 @0 | selector u16 @2 | reserved u8 @4 |
 *   type/attributes u8 @5 = P (bit 7) | DPL (bits 6..5) | 0 (bit 4, S = system) | type (bits 3..0)
 *   | offset[31:16] u16 @6,
 * with type 0xE = 32-bit interrupt gate, 0xF = 32-bit trap gate, 0x5 = task gate (whose offset
 * is reserved: it names a TSS by selector). 256 vectors × 8 = 2048 bytes.
 * Worked example: offset 0xC0101234, selector 0x0060, interrupt gate, DPL 0, present →
 *   34 12 60 00 00 8E 10 C0  (byte 5 = 0x80 | 0 << 5 | 0xE = 0x8E).
 *
 * Xen side: reference/time-cpu-abi.md §2.3 — `struct trap_info { u8 vector; u8 flags; u16 cs;
 * unsigned long address; }`, 8 bytes on i386, flags = DPL (bits 1..0) | 4 if the handler is
 * entered with events masked (interrupt-gate semantics), array terminated by address == 0.
 * VMI calls: reference §1.4 (SetIDT 5, WriteIDTEntry 13).
 */

export const IDT_VECTORS = 256;
export const IDT_GATE_BYTES = 8;
export const IDT_BYTES = IDT_VECTORS * IDT_GATE_BYTES; // 2048

/** Gate-type codes in bits 3..0 of byte 5 (SDM Vol. 3 §6.11). */
export const GATE_TYPE_CODE = { interrupt: 0xe, trap: 0xf, task: 0x5 } as const;
export type GateType = keyof typeof GATE_TYPE_CODE;

const ATTR_PRESENT = 0x80;
const ATTR_DPL_SHIFT = 5;
const ATTR_S = 0x10; // must be 0 for a gate (system descriptor)

/** A decoded gate. For a task gate `offset` is 0 (the field is reserved). */
export interface IdtGate {
  offset: number;
  selector: number;
  type: GateType;
  dpl: 0 | 1 | 2 | 3;
  present: boolean;
}

export type IdtErrorCode =
  'vector-out-of-range' | 'bad-offset' | 'bad-selector' | 'bad-dpl' | 'bad-type' | 'not-a-gate';
/** Why a gate could not be written or read; returned, not thrown, so callers can count them. */
export interface IdtError {
  code: IdtErrorCode;
  vector: number;
  message: string;
}
export type IdtResult<T> = { ok: true; value: T } | { ok: false; error: IdtError };

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

const fail = (code: IdtErrorCode, vector: number, message: string): { ok: false; error: IdtError } => ({
  ok: false,
  error: { code, vector, message },
});

function isVector(vector: number): boolean {
  return Number.isInteger(vector) && vector >= 0 && vector < IDT_VECTORS;
}

/** A 256-gate IDT over a 2048-byte buffer (hardware layout; the buffer is the table). */
export class Idt {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  /** Wraps `bytes` (must be exactly 2048 bytes) or a fresh zeroed table. */
  constructor(bytes: Uint8Array = new Uint8Array(IDT_BYTES)) {
    if (bytes.length !== IDT_BYTES) throw new RangeError(`an IDT is ${IDT_BYTES} bytes, got ${bytes.length}`);
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, IDT_BYTES);
  }

  /** Write gate `vector`. Leaves the table unchanged and returns an error for a bad field. */
  setGate(vector: number, gate: IdtGate): IdtResult<void> {
    if (!isVector(vector)) return fail('vector-out-of-range', vector, `vector ${vector} is not in 0..255`);
    if (!Object.hasOwn(GATE_TYPE_CODE, gate.type)) {
      return fail('bad-type', vector, `gate type ${String(gate.type)} is not interrupt, trap or task`);
    }
    const isTask = gate.type === 'task';
    const maxOffset = isTask ? 0 : 0xffffffff;
    if (!Number.isInteger(gate.offset) || gate.offset < 0 || gate.offset > maxOffset) {
      const why = isTask ? 'a task gate has no offset (reserved, must be 0)' : 'must be a u32';
      return fail('bad-offset', vector, `offset ${gate.offset}: ${why}`);
    }
    if (!Number.isInteger(gate.selector) || gate.selector < 0 || gate.selector > 0xffff) {
      return fail('bad-selector', vector, `selector ${gate.selector} must be a u16`);
    }
    if (!Number.isInteger(gate.dpl) || gate.dpl < 0 || gate.dpl > 3) {
      return fail('bad-dpl', vector, `DPL ${gate.dpl} must be 0..3`);
    }
    const at = vector * IDT_GATE_BYTES;
    const attr = (gate.present ? ATTR_PRESENT : 0) | (gate.dpl << ATTR_DPL_SHIFT) | GATE_TYPE_CODE[gate.type];
    this.view.setUint16(at, gate.offset & 0xffff, true);
    this.view.setUint16(at + 2, gate.selector, true);
    this.view.setUint8(at + 4, 0);
    this.view.setUint8(at + 5, attr);
    this.view.setUint16(at + 6, gate.offset >>> 16, true);
    return { ok: true, value: undefined };
  }

  /** Read gate `vector`. An entry whose type bits are not a 32-bit gate (e.g. all zero) is `not-a-gate`. */
  getGate(vector: number): IdtResult<IdtGate> {
    if (!isVector(vector)) return fail('vector-out-of-range', vector, `vector ${vector} is not in 0..255`);
    const at = vector * IDT_GATE_BYTES;
    const attr = this.view.getUint8(at + 5);
    const code = attr & 0x0f;
    const type = (Object.keys(GATE_TYPE_CODE) as GateType[]).find((t) => GATE_TYPE_CODE[t] === code);
    if (type === undefined || (attr & ATTR_S) !== 0) {
      return fail(
        'not-a-gate',
        vector,
        `type/attributes byte 0x${attr.toString(16).padStart(2, '0')} is not a gate`,
      );
    }
    const offset =
      type === 'task'
        ? 0
        : (this.view.getUint16(at + 6, true) * 0x10000 + this.view.getUint16(at, true)) >>> 0;
    return {
      ok: true,
      value: {
        offset,
        selector: this.view.getUint16(at + 2, true),
        type,
        dpl: ((attr >> ATTR_DPL_SHIFT) & 3) as IdtGate['dpl'],
        present: (attr & ATTR_PRESENT) !== 0,
      },
    };
  }
}

/** Number of gates whose present bit is set. */
export function presentGates(idt: Idt): number {
  let n = 0;
  for (let v = 0; v < IDT_VECTORS; v++) if ((idt.bytes[v * IDT_GATE_BYTES + 5]! & ATTR_PRESENT) !== 0) n++;
  return n;
}

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

/**
 * Bytes VMI copies for an IDT update: WriteIDTEntry carries one 8-byte hardware gate per changed
 * vector (calls = changedGates, bytes = 8 × changedGates); SetIDT hands over the whole table
 * (1 call, 2048 bytes).
 */
export function vmiIdtCopyBytes(changedGates: number): {
  writeIdtEntry: { calls: number; bytes: number };
  setIdt: { calls: number; bytes: number };
} {
  if (!Number.isInteger(changedGates) || changedGates < 0 || changedGates > IDT_VECTORS) {
    throw new RangeError(`changedGates must be an integer in 0..${IDT_VECTORS}, got ${changedGates}`);
  }
  return {
    writeIdtEntry: { calls: changedGates, bytes: changedGates * IDT_GATE_BYTES },
    setIdt: { calls: 1, bytes: IDT_BYTES },
  };
}
