// The local APIC's interrupt command register, per the Intel SDM's xAPIC layout: the writes an
// IPI takes, their fields, and the vCPUs they reach.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  APIC_ICR_HIGH,
  APIC_ICR_LOW,
  decodeIcr,
  icrTargets,
  INVALIDATE_TLB_VECTOR,
  ipiWrites,
  ipiWritesPhysical,
} from '../../sim/abi/i386/local-apic.js';

describe('ICR', () => {
  it('a TLB shootdown from vCPU 0 to vCPUs 1 and 3: high (mask 0b1010 in bits 31:24), then low', () => {
    const w = ipiWrites([1, 3], INVALIDATE_TLB_VECTOR);
    // Worked by hand: mask 0x0A << 24 = 0x0A000000; low = vector 0xFD | logical (1 << 11) = 0x8FD.
    expect(w).toEqual([
      { register: APIC_ICR_HIGH, value: 0x0a000000 },
      { register: APIC_ICR_LOW, value: 0x8fd },
    ]);
    const icr = decodeIcr(w[0]!.value, w[1]!.value);
    expect(icr).toEqual({ vector: 0xfd, deliveryMode: 0, logical: true, shorthand: 0, destination: 0x0a });
    expect(icrTargets(icr, 0, 4)).toEqual([1, 3]);
  });

  it('shorthands: self, all, all but self; physical destination', () => {
    const at = (low: number, high = 0) => icrTargets(decodeIcr(high, low), 2, 4);
    expect(at(0xfc | (1 << 18))).toEqual([2]);
    expect(at(0xfc | (2 << 18))).toEqual([0, 1, 2, 3]);
    expect(at(0xfc | (3 << 18))).toEqual([0, 1, 3]);
    expect(at(0xfc, 1 << 24)).toEqual([1]);
  });

  it('round-trips any target set of up to 8 vCPUs', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 7 })),
        fc.integer({ min: 0, max: 255 }),
        (targets, vector) => {
          const [high, low] = ipiWrites(targets, vector);
          const icr = decodeIcr(high!.value, low!.value);
          return (
            icr.vector === vector &&
            icrTargets(icr, 0, 8).join() === [...targets].sort((a, b) => a - b).join()
          );
        },
      ),
    );
  });

  it('refuses a vCPU flat logical mode cannot address', () => {
    expect(() => ipiWrites([8], 0xfd)).toThrow(/0\.\.7/);
  });
});

describe('guests beyond flat logical mode', () => {
  it('send one physical-mode IPI per target', () => {
    const w = ipiWritesPhysical([9, 12], INVALIDATE_TLB_VECTOR);
    expect(w).toHaveLength(4);
    expect(icrTargets(decodeIcr(w[0]!.value, w[1]!.value), 0, 16)).toEqual([9]);
    expect(icrTargets(decodeIcr(w[2]!.value, w[3]!.value), 0, 16)).toEqual([12]);
  });
});
