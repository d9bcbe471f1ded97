/**
 * Interface calls charged by numeric id (HypervisorServices.callId / chargeCallId): a caller on
 * the hot path (the interrupt-flag calls of every interrupt) resolves its call names once, when
 * its guest's interface is made, and the host then counts each charge without a name lookup. A
 * hypervisor that charges only by name (a test double) gets the names back from the ids here.
 */
import type { CallEffects, HypervisorServices } from './types.js';

export interface CallCharger {
  /** The id to charge call name `call` by. */
  id(call: string): number;
  charge(guest: number, vcpu: number, id: number, count: number, cycles: number, effects?: CallEffects): void;
  /** `n` charges with the same effects (HypervisorServices.chargeCallIds), in order. */
  chargeMany: NonNullable<HypervisorServices['chargeCallIds']>;
}

export function callCharger(hv: HypervisorServices): CallCharger {
  const { callId, chargeCallId, chargeCallIds } = hv;
  if (callId !== undefined && chargeCallId !== undefined) {
    const charge = chargeCallId.bind(hv);
    return {
      id: callId.bind(hv),
      charge,
      chargeMany:
        chargeCallIds !== undefined
          ? (guest, vcpu, ids, counts, cycles, n, effects) =>
              chargeCallIds.call(hv, guest, vcpu, ids, counts, cycles, n, effects)
          : (guest, vcpu, ids, counts, cycles, n, effects) => {
              for (let i = 0; i < n; i++) charge(guest, vcpu, ids[i]!, counts[i]!, cycles[i]!, effects);
            },
    };
  }
  const names: string[] = [];
  const charge: CallCharger['charge'] = (guest, vcpu, id, count, cycles, effects) =>
    hv.chargeCall(guest, vcpu, names[id]!, count, cycles, effects);
  return {
    id: (call) => names.push(call) - 1,
    charge,
    chargeMany: (guest, vcpu, ids, counts, cycles, n, effects) => {
      for (let i = 0; i < n; i++) charge(guest, vcpu, ids[i]!, counts[i]!, cycles[i]!, effects);
    },
  };
}
