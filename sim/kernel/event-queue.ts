/**
 * The pending-event set of the simulator: a binary min-heap over integer-ns times, with
 * deterministic tie-breaking and cancellation by handle.
 *
 * Why this shape: the event loop is the hottest code in every run, so events are small numeric
 * records kept in typed arrays, never objects or closures; push/pop allocate nothing once the
 * arrays have grown to the working-set size.
 *
 * Layout. The heap is two parallel typed arrays, (time, slot), so the sift loops touch only dense
 * numeric arrays. Each event owns a *slot*: a fixed 32-byte record in one typed-array buffer
 * holding its payload, priority, insertion sequence, state and generation. The record is read
 * once at pop (priority and sequence also when two times are equal), and packing it makes that
 * one cache-line access instead of one per field: measured 10-20% faster on PHOLD than a
 * separate array per field, because with 10^4+ pending events the popped event's slot is cold.
 * Sift loops move a hole instead of swapping and load a slot id only when it must move.
 *
 * Cancellation is lazy: cancel marks the slot dead in O(1) and the entry is dropped when it
 * reaches the root. `size` counts live events only, and when dead entries outnumber live ones the
 * heap is rebuilt without them (O(n), amortised O(1) per cancel), so memory is reclaimed even if
 * cancelled events lie far in the future. True removal would need a slot->heap-position map
 * updated on every sift step, which measured 10-15% slower on PHOLD.
 */

import { describeBadTime } from './time.js';

/**
 * Opaque identifier of one scheduled event, for cancellation. Encodes (slot, generation): a slot's
 * generation changes when its event is popped or cancelled, so a handle kept afterwards never
 * matches the slot's next occupant. Always a positive safe integer; 0 is never a valid handle, so
 * callers may store 0 (NO_EVENT) to mean "none".
 */
export type EventHandle = number;

/** A value that is never a valid EventHandle. */
export const NO_EVENT: EventHandle = 0;

const SLOT_BITS = 24;
/** Slots are addressed with 24 bits: at most ~16.7 M events may be in the heap at once. */
const SLOT_LIMIT = 2 ** SLOT_BITS;
/**
 * Generations count from 1 and take 28 bits (stored as generation*4 + state in an int32; the
 * handle, generation*2^24 + slot, stays below 2^52). A slot whose generation reaches the limit is
 * retired (never reused) rather than wrapped, so a stale handle can never alias a live event,
 * however long the run; a retired slot costs 40 bytes.
 */
const GEN_LIMIT = 2 ** 28;
/** Rebuild only when at least this many entries are dead, so small queues never thrash. */
const MIN_DEAD_FOR_COMPACTION = 64;

const RECORD_BYTES = 32;

const FREE = 0;
const PENDING = 1;
const DEAD = 2;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * How events at equal time and priority are ordered. `insertion`: in the order they were scheduled
 * (the default). `entity`: by kind, target and arg (the registration index of the handler and the
 * event's own numbers), and only then by insertion — an order that does not depend on when an event
 * was scheduled, so a model that settles an event lazily instead of scheduling it can tell exactly
 * which events at the same instant it would have come before. Ties are common: on the dense host
 * and the huge host's mix about a quarter of all events run at the same ns as the one before them,
 * nearly every guest wake-up alarm among them on the huge host's mix (`node dist/bench/profile.js
 * --growth 1000 --duration 10s --count-events`).
 */
export type TieOrder = 'insertion' | 'entity';

/**
 * Min-priority queue of events ordered by (timeNs asc, priority asc, insertion order asc), or, with
 * the `entity` tie order, by (timeNs, priority, kind, target, arg, insertion order) — each asc.
 *
 * Contract:
 * - `push` accepts timeNs as a non-negative safe integer, priority/kind/target as int32 values and
 *   arg as any number (stored as a double); it returns a handle usable with `cancel`.
 * - `pop` removes the first pending event and exposes it through the read-only fields `timeNs`,
 *   `priority`, `kind`, `target`, `arg` until the next successful pop. It returns false when empty.
 * - A cancelled event is never popped and no longer counted by `size`.
 * - The queue knows nothing about "now": ordering of pushes relative to the current time is the
 *   caller's business (the Simulator enforces it).
 */
export class EventQueue {
  // Heap positions 0..heapLength-1, live and dead entries alike.
  private heapTime: Float64Array;
  private heapSlot: Int32Array;
  private heapLength = 0;
  private deadCount = 0;
  /**
   * Slot records, 32 bytes each, viewed two ways over one buffer. As int32 at slot*8:
   * +0 priority, +1 kind, +2 target, +3 generation*4 + state. As float64 at slot*4: +2 arg,
   * +3 insertion sequence. One record is one cache line access at pop, where separate arrays
   * cost one miss per field.
   */
  private recI32: Int32Array;
  private recF64: Float64Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotHighWater = 0;
  private cap: number;
  private nextSeq = 0;
  /** 1 with the `entity` tie order (class contract, TieOrder). */
  private readonly entityTies: boolean;

  private outTimeNs = 0;
  private outPriority = 0;
  private outKind = 0;
  private outTarget = 0;
  private outArg = 0;

  /**
   * @param initialCapacity events held before the first growth (capacity doubles as needed).
   * @param tieOrder how events at equal time and priority are ordered (TieOrder).
   */
  constructor(initialCapacity = 1024, tieOrder: TieOrder = 'insertion') {
    this.entityTies = tieOrder === 'entity';
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1 || initialCapacity > SLOT_LIMIT) {
      throw new Error(`EventQueue initialCapacity must be an integer in [1, ${SLOT_LIMIT}]`);
    }
    const cap = initialCapacity;
    this.cap = cap;
    this.heapTime = new Float64Array(cap);
    this.heapSlot = new Int32Array(cap);
    const records = new ArrayBuffer(cap * RECORD_BYTES);
    this.recI32 = new Int32Array(records);
    this.recF64 = new Float64Array(records);
    this.freeSlots = new Int32Array(cap);
  }

  /** Number of pending (pushed, not yet popped or cancelled) events. */
  get size(): number {
    return this.heapLength - this.deadCount;
  }

  /**
   * Events (pending or cancelled-but-not-yet-dropped) the queue holds before it must grow. Stays
   * bounded when events are repeatedly scheduled and cancelled; exposed for diagnostics and tests.
   */
  get capacity(): number {
    return this.cap;
  }

  /** Time of the event returned by the last successful pop. */
  get timeNs(): number {
    return this.outTimeNs;
  }
  /** Priority of the event returned by the last successful pop. */
  get priority(): number {
    return this.outPriority;
  }
  /** Kind of the event returned by the last successful pop. */
  get kind(): number {
    return this.outKind;
  }
  /** Target of the event returned by the last successful pop. */
  get target(): number {
    return this.outTarget;
  }
  /** Argument of the event returned by the last successful pop. */
  get arg(): number {
    return this.outArg;
  }

  /** Time of the first pending event, or Infinity when there is none. */
  peekTimeNs(): number {
    return this.dropDeadRoots() ? (this.heapTime[0] as number) : Infinity;
  }

  /** Adds an event; see the class contract for argument ranges. */
  push(timeNs: number, priority: number, kind: number, target: number, arg: number): EventHandle {
    if (!(Number.isSafeInteger(timeNs) && timeNs >= 0))
      throw new Error(describeBadTime(timeNs, 'event time'));
    if ((priority | 0) !== priority || (kind | 0) !== kind || (target | 0) !== target) {
      throw new Error(badIntMessage(priority, kind, target));
    }
    let slot: number;
    let gen: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount] as number;
      gen = (this.recI32[(slot << 3) + 3] as number) >> 2;
    } else {
      if (this.slotHighWater === this.cap) this.grow();
      slot = this.slotHighWater++;
      gen = 1;
    }
    const rec = this.recI32;
    const i = slot << 3;
    rec[i] = priority;
    rec[i + 1] = kind;
    rec[i + 2] = target;
    rec[i + 3] = (gen << 2) | PENDING;
    const f = slot << 2;
    this.recF64[f + 2] = arg;
    this.recF64[f + 3] = this.nextSeq++;
    this.siftUp(this.heapLength++, timeNs, slot);
    return gen * SLOT_LIMIT + slot;
  }

  /**
   * Removes the first pending event, exposing it via `timeNs`, `priority`, `kind`, `target`,
   * `arg`. Returns false (leaving those fields unchanged) when there is none.
   */
  pop(): boolean {
    return this.popIfAtOrBefore(Infinity);
  }

  /**
   * Like `pop`, but only if the first pending event's time is <= limitNs; otherwise leaves the
   * queue unchanged and returns false. This is the event loop's single call per event.
   */
  popIfAtOrBefore(limitNs: number): boolean {
    if (this.heapLength === 0) return false;
    let slot = this.heapSlot[0] as number;
    const rec = this.recI32;
    // Dead roots are rare; keeping their loop out of line keeps this path small enough to inline.
    if (((rec[(slot << 3) + 3] as number) & 3) !== PENDING) {
      if (!this.dropDeadRoots()) return false;
      slot = this.heapSlot[0] as number;
    }
    const time = this.heapTime[0] as number;
    if (time > limitNs) return false;
    const i = slot << 3;
    this.outTimeNs = time;
    this.outPriority = rec[i] as number;
    this.outKind = rec[i + 1] as number;
    this.outTarget = rec[i + 2] as number;
    this.outArg = this.recF64[(slot << 2) + 2] as number;
    this.release(slot, ((rec[i + 3] as number) >> 2) + 1);
    this.removeRoot();
    return true;
  }

  /**
   * Cancels a pending event. Returns true if it was pending (it will never be popped), false if the
   * handle is unknown, already popped or already cancelled.
   */
  cancel(handle: EventHandle): boolean {
    const slot = this.pendingSlot(handle);
    if (slot < 0) return false;
    // The handle goes stale now (new generation); the slot is recycled when its entry is dropped.
    const i = (slot << 3) + 3;
    this.recI32[i] = ((((this.recI32[i] as number) >> 2) + 1) << 2) | DEAD;
    this.deadCount++;
    if (this.deadCount >= MIN_DEAD_FOR_COMPACTION && this.deadCount * 2 > this.heapLength) this.compact();
    return true;
  }

  /** True iff `handle` names an event that is still pending. */
  isPending(handle: EventHandle): boolean {
    return this.pendingSlot(handle) >= 0;
  }

  /** Removes every pending event; outstanding handles become stale. */
  clear(): void {
    while (this.heapLength > 0) {
      const slot = this.heapSlot[--this.heapLength] as number;
      const word = this.recI32[(slot << 3) + 3] as number;
      this.release(slot, (word & 3) === PENDING ? (word >> 2) + 1 : word >> 2);
    }
    this.deadCount = 0;
  }

  private pendingSlot(handle: EventHandle): number {
    if (!(Number.isSafeInteger(handle) && handle > 0)) return -1;
    const slot = handle % SLOT_LIMIT;
    const gen = (handle - slot) / SLOT_LIMIT;
    if (gen >= GEN_LIMIT || slot >= this.slotHighWater) return -1;
    if (this.recI32[(slot << 3) + 3] !== ((gen << 2) | PENDING)) return -1;
    return slot;
  }

  /** Drops cancelled entries from the root; returns whether a pending event remains. */
  private dropDeadRoots(): boolean {
    while (this.heapLength > 0) {
      const slot = this.heapSlot[0] as number;
      const word = this.recI32[(slot << 3) + 3] as number;
      if ((word & 3) === PENDING) return true;
      this.removeRoot();
      this.deadCount--;
      this.release(slot, word >> 2);
    }
    return false;
  }

  /** Marks the slot free with generation `gen` and makes it reusable, unless `gen` is exhausted. */
  private release(slot: number, gen: number): void {
    this.recI32[(slot << 3) + 3] = (gen << 2) | FREE;
    if (gen < GEN_LIMIT) this.freeSlots[this.freeCount++] = slot;
  }

  private removeRoot(): void {
    const last = --this.heapLength;
    if (last > 0) this.siftDown(0, this.heapTime[last] as number, this.heapSlot[last] as number, last);
  }

  /** Rebuilds the heap from its pending entries only (Floyd's O(n) heapify). */
  private compact(): void {
    const heapTime = this.heapTime;
    const heapSlot = this.heapSlot;
    let n = 0;
    for (let i = 0; i < this.heapLength; i++) {
      const slot = heapSlot[i] as number;
      const word = this.recI32[(slot << 3) + 3] as number;
      if ((word & 3) === PENDING) {
        heapTime[n] = heapTime[i] as number;
        heapSlot[n] = slot;
        n++;
      } else {
        this.release(slot, word >> 2);
      }
    }
    this.heapLength = n;
    this.deadCount = 0;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, heapTime[i] as number, heapSlot[i] as number, n);
  }

  /**
   * Equal-time order: priority, then (`entity` tie order) kind, target and arg, then insertion
   * sequence (unique, so never a tie).
   */
  private tieBefore(a: number, b: number): boolean {
    const rec = this.recI32;
    const pa = rec[a << 3] as number;
    const pb = rec[b << 3] as number;
    if (pa !== pb) return pa < pb;
    const fa = a << 2;
    const fb = b << 2;
    if (this.entityTies) {
      const i = a << 3;
      const j = b << 3;
      const ka = rec[i + 1] as number;
      const kb = rec[j + 1] as number;
      if (ka !== kb) return ka < kb;
      const ta = rec[i + 2] as number;
      const tb = rec[j + 2] as number;
      if (ta !== tb) return ta < tb;
      const xa = this.recF64[fa + 2] as number;
      const xb = this.recF64[fb + 2] as number;
      if (xa !== xb) return xa < xb;
    }
    return (this.recF64[fa + 3] as number) < (this.recF64[fb + 3] as number);
  }

  /** Places (time, slot) at hole `pos` or above it, moving later parents down. */
  private siftUp(pos: number, time: number, slot: number): void {
    const heapTime = this.heapTime;
    const heapSlot = this.heapSlot;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = heapTime[parent] as number;
      if (pt < time || (pt === time && !this.tieBefore(slot, heapSlot[parent] as number))) break;
      heapTime[pos] = pt;
      heapSlot[pos] = heapSlot[parent] as number;
      pos = parent;
    }
    heapTime[pos] = time;
    heapSlot[pos] = slot;
  }

  /**
   * Places (time, slot) at hole `pos` or below it, within a heap of `n` entries.
   *
   * The left/right choice is computed branch-free (`+(rt < lt)`): it is a coin flip the CPU
   * cannot predict, and removing that branch made the queue ~20% faster under PHOLD. The loop
   * runs while both children exist; a lone last child is handled after it.
   */
  private siftDown(pos: number, time: number, slot: number, n: number): void {
    const heapTime = this.heapTime;
    const heapSlot = this.heapSlot;
    let child = 2 * pos + 1;
    while (child + 1 < n) {
      const lt = heapTime[child] as number;
      const rt = heapTime[child + 1] as number;
      if (rt === lt) {
        if (this.tieBefore(heapSlot[child + 1] as number, heapSlot[child] as number)) child++;
      } else {
        child += +(rt < lt);
      }
      const ct = heapTime[child] as number;
      if (time < ct || (time === ct && this.tieBefore(slot, heapSlot[child] as number))) break;
      heapTime[pos] = ct;
      heapSlot[pos] = heapSlot[child] as number;
      pos = child;
      child = 2 * pos + 1;
    }
    if (child + 1 === n) {
      const ct = heapTime[child] as number;
      if (ct < time || (ct === time && this.tieBefore(heapSlot[child] as number, slot))) {
        heapTime[pos] = ct;
        heapSlot[pos] = heapSlot[child] as number;
        pos = child;
      }
    }
    heapTime[pos] = time;
    heapSlot[pos] = slot;
  }

  private grow(): void {
    if (this.cap >= SLOT_LIMIT) {
      throw new Error(`EventQueue is full: more than ${SLOT_LIMIT} events held at once`);
    }
    const cap = Math.min(this.cap * 2, SLOT_LIMIT);
    this.heapTime = growF64(this.heapTime, cap);
    this.heapSlot = growI32(this.heapSlot, cap);
    const records = new ArrayBuffer(cap * RECORD_BYTES);
    new Uint8Array(records).set(new Uint8Array(this.recI32.buffer));
    this.recI32 = new Int32Array(records);
    this.recF64 = new Float64Array(records);
    this.freeSlots = growI32(this.freeSlots, cap);
    this.cap = cap;
  }
}

function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

function growI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

function badIntMessage(priority: number, kind: number, target: number): string {
  const bad = (x: number) => !Number.isInteger(x) || x < INT32_MIN || x > INT32_MAX;
  const [field, value] = bad(priority)
    ? ['priority', priority]
    : bad(kind)
      ? ['kind', kind]
      : ['target', target];
  return `event ${field} must be a 32-bit signed integer, got ${String(value)}`;
}
