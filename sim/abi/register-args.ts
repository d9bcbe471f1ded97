/**
 * Arguments passed in registers, counted apart from bytes copied out of guest memory (issue 20
 * item 3): a Xen hypercall takes up to five words in EBX, ECX, EDX, ESI, EDI (the XenLinux 3.0.4
 * `_hypercallN` wrappers, include/asm-i386/mach-xen/asm/hypercall.h), and a VMI call is a near
 * call into the ROM with the kernel's regparm(3) convention (EAX, EDX, ECX, further words on the
 * stack). What a hypervisor reads through a pointer — a trap table, a frame list, an argument
 * struct — is a copy (CallEffects.bytes, priced per byte); arguments by value are not, and cost
 * nothing beyond the call (they are already in the trap frame).
 *
 * Each interface names its calls; a table of argument words per call name (the name up to its
 * first `(` or space, e.g. `memory_op(decrease_reservation)` → `memory_op`) fills in
 * CallEffects.registerBytes for every call its ops charge, so that a call added later is counted
 * as soon as its name is in the table. A call the table does not name passes nothing by value
 * (shared-memory reads and writes, which are not calls into the hypervisor at all).
 */
import type { CallEffects, HypervisorServices } from './types.js';

/** Bytes of one argument word on i386. */
export const WORD_BYTES = 4;

/** Argument words by call name (or by the name's stem before `(` or a space). */
export type ArgWordsTable = Readonly<Record<string, number>>;

/** The argument words `table` gives call `name`: by its full name, else by its stem; 0 if absent. */
export function argWords(table: ArgWordsTable, name: string): number {
  if (Object.hasOwn(table, name)) return table[name]!;
  const stem = /^[^( ]*/.exec(name)![0];
  return Object.hasOwn(table, stem) ? table[stem]! : 0;
}

/**
 * Every member of HypervisorServices, so the wrapper below can be a plain object: the type check
 * fails when a member is added to the interface and not here.
 */
const HV_MEMBERS = [
  'cpuMHz',
  'nowNs',
  'clockFaults',
  'pcpuOf',
  'haltVcpu',
  'setTimer',
  'cancelTimer',
  'deliverIpi',
  'completeIoAt',
  'periodicAlarm',
  'clocks',
  'runstateArea',
  'balloonTargetPages',
  'domainPages',
  'hostFreePages',
  'balloonInflated',
  'balloonDeflated',
  'chargeCall',
  'callId',
  'chargeCallId',
  'chargeCallIds',
] as const satisfies readonly (keyof HypervisorServices)[];
type Unlisted = Exclude<keyof HypervisorServices, (typeof HV_MEMBERS)[number]>;
const allListed: [Unlisted] extends [never] ? true : Unlisted = true;
void allListed;

/**
 * `hv` with its chargeCall filling in registerBytes (count × words × 4) from `table` where the
 * caller did not give them. Every other member is `hv`'s own: a method bound to `hv` once, a
 * value read from `hv` when asked (a getter), so the wrapper sees `hv` as it is now. A plain object
 * rather than a Proxy: calls are on the hot path, and a Proxy's trap runs on every member read.
 */
export function withRegisterArgs(hv: HypervisorServices, table: ArgWordsTable): HypervisorServices {
  const { callId, chargeCallId } = hv;
  const wrapper: Record<string, unknown> =
    callId !== undefined && chargeCallId !== undefined
      ? chargingById(hv, table, callId.bind(hv), chargeCallId.bind(hv))
      : chargingByName(hv, table);
  const members = hv as unknown as Record<string, unknown>;
  for (const name of HV_MEMBERS) {
    if (name === 'chargeCall' || name === 'callId' || name === 'chargeCallId' || name === 'chargeCallIds')
      continue;
    const v = members[name];
    if (typeof v === 'function') wrapper[name] = (v as (...a: unknown[]) => unknown).bind(hv);
    else if (v !== undefined || name in hv)
      Object.defineProperty(wrapper, name, { get: () => members[name], enumerable: true });
  }
  return wrapper as unknown as HypervisorServices;
}

/** `effects` with `registerBytes` filled in (undefined when there is nothing to say). */
function withRegisterBytes(effects: CallEffects | undefined, registerBytes: number): CallEffects | undefined {
  if (effects !== undefined) {
    // A plain copy, then one field set: V8 clones `{ ...x }` on a fast path, `{ ...x, y }` not.
    const e = { ...effects };
    e.registerBytes = registerBytes;
    return e;
  }
  return registerBytes !== 0 ? { registerBytes } : undefined;
}

/** The wrapper's charging members for a hypervisor that charges by name only (test doubles). */
function chargingByName(hv: HypervisorServices, table: ArgWordsTable): Record<string, unknown> {
  // Each call name's words looked up once: calls are charged on the hot path, by a few dozen names.
  const wordsByName = new Map<string, number>();
  const chargeCall: HypervisorServices['chargeCall'] = (guest, vcpu, call, count, cycles, effects) => {
    if (effects?.registerBytes !== undefined) return hv.chargeCall(guest, vcpu, call, count, cycles, effects);
    let words = wordsByName.get(call);
    if (words === undefined) {
      words = argWords(table, call);
      wordsByName.set(call, words);
    }
    hv.chargeCall(guest, vcpu, call, count, cycles, withRegisterBytes(effects, count * words * WORD_BYTES));
  };
  return { chargeCall };
}

/**
 * The wrapper's charging members for a hypervisor with call ids: a name's words are found when its
 * id is (every id a caller holds came through this wrapper's callId), and a charge by name is one
 * id lookup, then the charge by id.
 */
function chargingById(
  hv: HypervisorServices,
  table: ArgWordsTable,
  hvCallId: (call: string) => number,
  hvChargeCallId: NonNullable<HypervisorServices['chargeCallId']>,
): Record<string, unknown> {
  const wordsById: number[] = [];
  const callId = (call: string): number => {
    const id = hvCallId(call);
    while (wordsById.length <= id) wordsById.push(-1);
    if (wordsById[id] === -1) wordsById[id] = argWords(table, call);
    return id;
  };
  const chargeCallId: NonNullable<HypervisorServices['chargeCallId']> = (
    guest,
    vcpu,
    id,
    count,
    cycles,
    effects,
    registerBytes,
  ) =>
    hvChargeCallId(
      guest,
      vcpu,
      id,
      count,
      cycles,
      effects,
      registerBytes ?? count * wordsById[id]! * WORD_BYTES,
    );
  const hvChargeCallIds = hv.chargeCallIds?.bind(hv);
  // One scratch array per wrapper: the hypervisor reads it during the call and keeps nothing.
  const bytesScratch: number[] = [];
  const chargeCallIds: HypervisorServices['chargeCallIds'] =
    hvChargeCallIds === undefined
      ? undefined
      : (guest, vcpu, ids, counts, cycles, n, effects, registerBytes) => {
          if (registerBytes === undefined) {
            for (let i = 0; i < n; i++) bytesScratch[i] = counts[i]! * wordsById[ids[i]!]! * WORD_BYTES;
            registerBytes = bytesScratch;
          }
          hvChargeCallIds(guest, vcpu, ids, counts, cycles, n, effects, registerBytes);
        };
  const chargeCall: HypervisorServices['chargeCall'] = (guest, vcpu, call, count, cycles, effects) =>
    chargeCallId(guest, vcpu, callId(call), count, cycles, effects);
  return { chargeCall, callId, chargeCallId, chargeCallIds };
}
