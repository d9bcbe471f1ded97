/**
 * The i386 interrupt descriptor table in the hardware format, as a guest kernel builds it. Each
 * interface tells the hypervisor about it its own way: VMI hands over hardware gates
 * (sim/abi/vmi/idt-copy.ts), Xen its own `trap_info` array (sim/abi/xen/trap-info.ts) — the 2006
 * "copy trap tables versus use the hardware IDT format" contrast, in bytes.
 *
 * Gate format: Intel SDM Vol. 3, §6.11 (IDT descriptors), 8 bytes, little-endian:
 *   offset[15:0] u16 @0 | selector u16 @2 | reserved u8 @4 |
 *   type/attributes u8 @5 = P (bit 7) | DPL (bits 6..5) | 0 (bit 4, S = system) | type (bits 3..0)
 *   | offset[31:16] u16 @6,
 * with type 0xE = 32-bit interrupt gate, 0xF = 32-bit trap gate, 0x5 = task gate (whose offset
 * is reserved: it names a TSS by selector). 256 vectors × 8 = 2048 bytes.
 * Worked example: offset 0xC0101234, selector 0x0060, interrupt gate, DPL 0, present →
 *   34 12 60 00 00 8E 10 C0  (byte 5 = 0x80 | 0 << 5 | 0xE = 0x8E).
 */

export const IDT_VECTORS = 256;
export const IDT_GATE_BYTES = 8;
export const IDT_BYTES = IDT_VECTORS * IDT_GATE_BYTES; // 2048

/** Gate-type codes in bits 3..0 of byte 5 (SDM Vol. 3 §6.11). */
export const GATE_TYPE_CODE = { interrupt: 0xe, trap: 0xf, task: 0x5 } as const;
export type GateType = keyof typeof GATE_TYPE_CODE;

/** The present bit of the type/attributes byte. */
export const ATTR_PRESENT = 0x80;
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
