/**
 * Interface calls per guest: calls and cycles by call name, and the guest's totals (cycles,
 * transitions, bytes copied, errors, bytes passed by value, and the same by kernel path). Every
 * charge of every guest lands here (Host.chargeCallId), so the layout is chosen for it:
 *  - by call name: one shared array, guest by guest, a (calls, cycles) pair per numeric id given to
 *    each name when it is first charged — one id lookup per charge by name, none by id (`addId`,
 *    ids from sim/abi/call-ids.ts);
 *  - totals: one shared array, a row of TOTAL_FIELDS numbers per guest.
 * One array each, not one per guest: with thousands of guests a charge then costs a cache miss or
 * two on the row it updates rather than a chain of per-guest objects and their buffers
 * (bench/README.md, "Cost per guest in the steady state"). Ids are the tally's own and never reach
 * the results. Each guest keeps the order in which it first charged each name and each path, so the
 * maps it hands out, and every sum over them, are those that per-guest maps updated call by call
 * held.
 */
import type { CallPath } from '../abi/types.js';
import type { InterfacePathTotals } from '../results/types.js';

/** The kernel paths calls are counted under (CallEffects.path), in the order of their rows. */
export const CALL_PATHS = ['boot', 'interrupt', 'mmu', 'shootdown', 'balloon'] as const;
type Listed = (typeof CALL_PATHS)[number];
const everyPathListed: [Exclude<CallPath, Listed>] extends [never] ? true : never = true;
void everyPathListed;
const PATH_INDEX: Readonly<Record<CallPath, number>> = Object.fromEntries(
  CALL_PATHS.map((p, i) => [p, i]),
) as Record<CallPath, number>;

/** The row of a path's totals, `-1` for none. */
export function pathIndex(path: CallPath | undefined): number {
  return path === undefined ? -1 : PATH_INDEX[path];
}

// A guest's row of totals: its own five, then five per path.
const CYCLES = 0;
const TRANSITIONS = 1;
const BYTES = 2;
const ERRORS = 3;
const REGISTER_BYTES = 4;
const GUEST_FIELDS = 5;
// Within a path's five: calls, cycles, transitions, bytes copied, register bytes.
const PATH_FIELDS = 5;
const TOTAL_FIELDS = GUEST_FIELDS + PATH_FIELDS * CALL_PATHS.length;

export class CallTally {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private guests = 0;
  /** Room for guests in the shared arrays. */
  private guestCapacity = 16;
  /** Ids each guest's share of `byId` has room for (a power of two). */
  private idStride = 8;
  /** Guest g, id i: calls at 2·(g·idStride + i), cycles just after. */
  private byId = new Float64Array(2 * this.guestCapacity * this.idStride);
  /** Guest g, id i: 1 once i is in g's `order` (a name charged 0 times counts). */
  private charged = new Uint8Array(this.guestCapacity * this.idStride);
  /** Per guest: the ids it charged, in the order of its first charge of each. */
  private readonly order: number[][] = [];
  /** Guest g's totals at TOTAL_FIELDS·g onwards. */
  private totals = new Float64Array(TOTAL_FIELDS * this.guestCapacity);
  /** Per guest: the paths it charged (indexes into CALL_PATHS), in the order of first charge. */
  private readonly pathOrder: number[][] = [];
  /** Guest g, path p: 1 once p is in g's pathOrder. */
  private pathUsed = new Uint8Array(CALL_PATHS.length * this.guestCapacity);

  addGuest(): void {
    if (this.guests === this.guestCapacity) this.growGuests();
    this.guests += 1;
    this.order.push([]);
    this.pathOrder.push([]);
  }

  /** The id of call name `call`, given when first asked for. */
  id(call: string): number {
    let id = this.ids.get(call);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(call, id);
      this.names.push(call);
    }
    return id;
  }

  add(guest: number, call: string, count: number, cycles: number): void {
    this.addId(guest, this.id(call), count, cycles);
  }

  /** add by an id from `id`. */
  addId(guest: number, id: number, count: number, cycles: number): void {
    if (id >= this.idStride) this.growIds(id);
    const slot = guest * this.idStride + id;
    if (this.charged[slot] === 0) {
      this.charged[slot] = 1;
      this.order[guest]!.push(id);
    }
    this.byId[2 * slot]! += count;
    this.byId[2 * slot + 1]! += cycles;
  }

  /**
   * A charge's share of guest `guest`'s totals; `path` from pathIndex (−1: none). `withEffects`
   * false: the call said nothing of transitions, copies or errors (those totals are not touched).
   */
  addTotals(
    guest: number,
    path: number,
    count: number,
    cycles: number,
    withEffects: boolean,
    transitions: number,
    bytes: number,
    errors: number,
    registerBytes: number,
  ): void {
    const t = this.totals;
    const row = TOTAL_FIELDS * guest;
    t[row + CYCLES]! += cycles;
    // Adding 0 leaves a total as it was: the totals start at +0 and only grow.
    t[row + REGISTER_BYTES]! += registerBytes;
    if (!withEffects) return;
    t[row + TRANSITIONS]! += transitions;
    t[row + BYTES]! += bytes;
    t[row + ERRORS]! += errors;
    if (path < 0) return;
    const used = CALL_PATHS.length * guest + path;
    if (this.pathUsed[used] === 0) {
      this.pathUsed[used] = 1;
      this.pathOrder[guest]!.push(path);
    }
    const p = row + GUEST_FIELDS + PATH_FIELDS * path;
    t[p]! += count;
    t[p + 1]! += cycles;
    t[p + 2]! += transitions;
    t[p + 3]! += bytes;
    t[p + 4]! += registerBytes;
  }

  /** Calls of guest g by name, in the order it first charged each. */
  callsOf(g: number): Map<string, number> {
    return this.byName(g, 0);
  }

  /** Cycles of guest g by call name, in the order it first charged each. */
  cyclesOf(g: number): Map<string, number> {
    return this.byName(g, 1);
  }

  /** All calls of guest g, summed in the order it first charged each name. */
  totalCalls(g: number): number {
    let s = 0;
    for (const id of this.order[g]!) s += this.byId[2 * (g * this.idStride + id)]!;
    return s;
  }

  /** Guest g's interface cycles, transitions, bytes copied, errors and bytes passed by value. */
  cycles(g: number): number {
    return this.totals[TOTAL_FIELDS * g + CYCLES]!;
  }
  transitions(g: number): number {
    return this.totals[TOTAL_FIELDS * g + TRANSITIONS]!;
  }
  bytesCopied(g: number): number {
    return this.totals[TOTAL_FIELDS * g + BYTES]!;
  }
  errors(g: number): number {
    return this.totals[TOTAL_FIELDS * g + ERRORS]!;
  }
  registerBytes(g: number): number {
    return this.totals[TOTAL_FIELDS * g + REGISTER_BYTES]!;
  }

  /** Guest g's totals by path, for the paths it charged, in the order it first charged each. */
  paths(g: number): Map<string, InterfacePathTotals> {
    return new Map(this.pathOrder[g]!.map((p) => [CALL_PATHS[p]!, this.pathTotals(g, p)]));
  }

  /** Guest g's cycles on `path` (0 if it never charged that path). */
  pathCycles(g: number, path: CallPath): number {
    return this.totals[TOTAL_FIELDS * g + GUEST_FIELDS + PATH_FIELDS * PATH_INDEX[path] + 1]!;
  }

  private pathTotals(g: number, path: number): InterfacePathTotals {
    const p = TOTAL_FIELDS * g + GUEST_FIELDS + PATH_FIELDS * path;
    const t = this.totals;
    return {
      calls: t[p]!,
      cycles: t[p + 1]!,
      transitions: t[p + 2]!,
      bytesCopied: t[p + 3]!,
      registerBytes: t[p + 4]!,
    };
  }

  private byName(g: number, field: 0 | 1): Map<string, number> {
    return new Map(
      this.order[g]!.map((id) => [this.names[id]!, this.byId[2 * (g * this.idStride + id) + field]!]),
    );
  }

  /** Room for id `id` in every guest's share: the shares move apart, each keeping its values. */
  private growIds(id: number): void {
    let stride = this.idStride;
    while (stride <= id) stride *= 2;
    const byId = new Float64Array(2 * this.guestCapacity * stride);
    const charged = new Uint8Array(this.guestCapacity * stride);
    for (let g = 0; g < this.guests; g++) {
      byId.set(this.byId.subarray(2 * g * this.idStride, 2 * (g + 1) * this.idStride), 2 * g * stride);
      charged.set(this.charged.subarray(g * this.idStride, (g + 1) * this.idStride), g * stride);
    }
    this.idStride = stride;
    this.byId = byId;
    this.charged = charged;
  }

  /** Twice the room for guests; the layout is guest-major, so every value keeps its place. */
  private growGuests(): void {
    this.guestCapacity *= 2;
    this.byId = widened(new Float64Array(2 * this.guestCapacity * this.idStride), this.byId);
    this.charged = widened(new Uint8Array(this.guestCapacity * this.idStride), this.charged);
    this.totals = widened(new Float64Array(TOTAL_FIELDS * this.guestCapacity), this.totals);
    this.pathUsed = widened(new Uint8Array(CALL_PATHS.length * this.guestCapacity), this.pathUsed);
  }
}

function widened<T extends Float64Array | Uint8Array>(to: T, from: T): T {
  to.set(from);
  return to;
}
