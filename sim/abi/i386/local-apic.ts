/**
 * The guest's local APIC, as far as inter-processor interrupts go: the interrupt command
 * register (ICR) a vCPU writes to interrupt others. xAPIC layout (Intel SDM Vol. 3, "Interrupt
 * Command Register"): ICR low at offset 0x300 — vector in bits 7:0, delivery mode 10:8 (000
 * fixed), destination mode bit 11 (0 physical, 1 logical), level 14, trigger 15, destination
 * shorthand 19:18 (00 none, 01 self, 10 all including self, 11 all excluding self); ICR high at
 * 0x310 — destination in bits 31:24. Writing ICR low sends the interrupt, so Linux writes high
 * first. In flat logical mode (what Linux 2.6.21 i386 uses up to 8 CPUs) the destination is a
 * bit mask of logical APIC IDs, CPU n being 1 << n, so one write pair reaches any set of vCPUs.
 * Vectors 0xFC (reschedule) and 0xFD (TLB invalidate) are Linux i386's, recalled, not from the
 * reference.
 */

export const APIC_ICR_LOW = 0x300;
export const APIC_ICR_HIGH = 0x310;
export const RESCHEDULE_VECTOR = 0xfc;
export const INVALIDATE_TLB_VECTOR = 0xfd;
/** Flat logical mode addresses at most 8 CPUs (an 8-bit mask). */
export const FLAT_LOGICAL_MAX_CPUS = 8;

const DEST_LOGICAL = 1 << 11;

export interface ApicWrite {
  register: number;
  value: number;
}

export interface IcrFields {
  vector: number;
  deliveryMode: number;
  logical: boolean;
  shorthand: number;
  destination: number;
}

/** The flat logical destination mask of vCPUs `targets`; throws for one that mode cannot reach. */
export function flatLogicalMask(targets: readonly number[]): number {
  let mask = 0;
  for (const t of targets) {
    if (!Number.isInteger(t) || t < 0 || t >= FLAT_LOGICAL_MAX_CPUS) {
      throw new RangeError(`flat logical mode reaches vCPUs 0..${FLAT_LOGICAL_MAX_CPUS - 1}, not ${t}`);
    }
    mask |= 1 << t;
  }
  return mask;
}

/** The two register writes that send `vector` to vCPUs `targets` (flat logical mode). */
export function ipiWrites(targets: readonly number[], vector: number): ApicWrite[] {
  const mask = flatLogicalMask(targets);
  return [
    { register: APIC_ICR_HIGH, value: (mask << 24) >>> 0 },
    { register: APIC_ICR_LOW, value: (vector & 0xff) | DEST_LOGICAL },
  ];
}

/**
 * The writes for a guest too large for flat logical mode: one physical-mode IPI per target, as
 * Linux's send_IPI_mask_sequence does (destination = APIC ID = vCPU index, up to 255).
 */
export function ipiWritesPhysical(targets: readonly number[], vector: number): ApicWrite[] {
  return targets.flatMap((t) => [
    { register: APIC_ICR_HIGH, value: ((t & 0xff) << 24) >>> 0 },
    { register: APIC_ICR_LOW, value: vector & 0xff },
  ]);
}

export function decodeIcr(high: number, low: number): IcrFields {
  return {
    vector: low & 0xff,
    deliveryMode: (low >>> 8) & 7,
    logical: (low & DEST_LOGICAL) !== 0,
    shorthand: (low >>> 18) & 3,
    destination: high >>> 24,
  };
}

/** The vCPUs an ICR write reaches, for a sender `self` in a guest of `vcpus` vCPUs. */
export function icrTargets(icr: IcrFields, self: number, vcpus: number): number[] {
  const all = Array.from({ length: vcpus }, (_, i) => i);
  switch (icr.shorthand) {
    case 1:
      return [self];
    case 2:
      return all;
    case 3:
      return all.filter((v) => v !== self);
    default:
      return icr.logical
        ? all.filter((v) => v < FLAT_LOGICAL_MAX_CPUS && (icr.destination & (1 << v)) !== 0)
        : all.filter((v) => v === icr.destination);
  }
}
