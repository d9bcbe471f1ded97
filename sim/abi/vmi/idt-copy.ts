/**
 * What VMI copies to tell the hypervisor about the guest's IDT: hardware gates as they are
 * (reference time-cpu-abi.md §1.4: SetIDT 5, WriteIDTEntry 13).
 */
import { IDT_BYTES, IDT_GATE_BYTES, IDT_VECTORS } from '../i386/idt.js';

/** struct Xgt_desc_struct { u16 size; u32 address; } (packed): what load_idt points SetIDT to. */
export const XGT_DESC_BYTES = 6;

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
