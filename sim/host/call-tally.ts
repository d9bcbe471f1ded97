/**
 * Interface calls and their cycles per guest, by call name, in typed arrays indexed by a numeric
 * id given to each name when it is first charged: one name → id lookup per charge instead of two
 * string-keyed map updates (chargeCall was a fifth to a third of the run time, bench/README.md
 * "Where the time goes"); a caller that has the id (from `id`, sim/abi/call-ids.ts) charges with
 * no lookup at all (`addId`). Ids are the tally's own and never reach the results. Each guest keeps the order in which it first charged each name, so the
 * maps it hands out, and every sum over them, are those the per-guest maps used to hold.
 */
export class CallTally {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** Per guest, by call id: calls and cycles charged (0 for a name it never charged). */
  private readonly counts: Float64Array[] = [];
  private readonly cycles: Float64Array[] = [];
  /** Per guest: the ids it charged, in the order of its first charge of each (a name charged 0 times counts). */
  private readonly order: number[][] = [];
  /** Per guest, by call id: 1 once it is in `order`. */
  private readonly charged: Uint8Array[] = [];

  addGuest(): void {
    this.counts.push(new Float64Array(8));
    this.cycles.push(new Float64Array(8));
    this.order.push([]);
    this.charged.push(new Uint8Array(8));
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
    if (id >= this.counts[guest]!.length) this.grow(guest, id);
    const charged = this.charged[guest]!;
    if (charged[id] === 0) {
      charged[id] = 1;
      this.order[guest]!.push(id);
    }
    this.counts[guest]![id]! += count;
    this.cycles[guest]![id]! += cycles;
  }

  /** Calls of guest g by name, in the order it first charged each. */
  callsOf(g: number): Map<string, number> {
    return this.byName(g, this.counts[g]!);
  }

  /** Cycles of guest g by call name, in the order it first charged each. */
  cyclesOf(g: number): Map<string, number> {
    return this.byName(g, this.cycles[g]!);
  }

  /** All calls of guest g, summed in the order it first charged each name. */
  totalCalls(g: number): number {
    const counts = this.counts[g]!;
    let s = 0;
    for (const id of this.order[g]!) s += counts[id]!;
    return s;
  }

  private byName(g: number, values: Float64Array): Map<string, number> {
    return new Map(this.order[g]!.map((id) => [this.names[id]!, values[id]!]));
  }

  private grow(guest: number, id: number): void {
    const length = Math.max(2 * this.counts[guest]!.length, id + 1);
    this.counts[guest] = widened(new Float64Array(length), this.counts[guest]!);
    this.cycles[guest] = widened(new Float64Array(length), this.cycles[guest]!);
    this.charged[guest] = widened(new Uint8Array(length), this.charged[guest]!);
  }
}

function widened<T extends Float64Array | Uint8Array>(to: T, from: T): T {
  to.set(from);
  return to;
}
