/**
 * The discrete-event engine of one run: a clock in integer nanoseconds, the pending-event queue,
 * the run's random streams and its trace bus.
 *
 * Models register one handler per kind of event and schedule small numeric events
 * (kind, target, arg) instead of closures, which keeps the event loop allocation-free and its
 * dispatch a single array lookup. Everything a run needs hangs off one Simulator instance, so two
 * simulators in one process never share state.
 */

import { EventQueue, type EventHandle, type TieOrder } from './event-queue.js';
import { RunRng } from './rng.js';
import { describeBadTime } from './time.js';
import { TraceBus } from './trace-bus.js';

/**
 * Handles one kind of event. `target` and `arg` are whatever the scheduler passed: by convention
 * `target` identifies the entity the event is for, and `arg` carries a small payload.
 */
export type EventHandler = (target: number, arg: number) => void;

/** Says in words what an event of one kind is, for error messages (the model names what it concerns). */
export type EventDescriber = (target: number, arg: number) => string;

/** Construction options of a Simulator. */
export interface SimulatorOptions {
  /** Run seed (non-negative safe integer) from which every random stream is derived. */
  seed: number;
  /** Initial event-queue capacity (it grows by doubling); a hint, default 1024. */
  initialQueueCapacity?: number;
  /** How events at equal time and priority are ordered (event-queue.ts TieOrder); default `insertion`. */
  tieOrder?: TieOrder;
}

/**
 * Discrete-event simulator of one run: owns the clock, the event queue, the run's random streams
 * (`rng`) and its trace bus (`trace`, typed by `TraceMap`).
 *
 * Contract:
 * - Events run in (time, priority, insertion) order — or (time, priority, kind, target, arg,
 *   insertion) with the `entity` tie order; lower priority values run first at equal times. An
 *   event may schedule others at the current time; they run in the same `runUntil`.
 * - `nowNs` only moves forward: to each event's time as it runs, and to `endNs` when `runUntil`
 *   finishes normally. Scheduling before `nowNs` throws.
 * - Handlers run synchronously and must not call `runUntil` (re-entrancy throws).
 * - An exception thrown by a handler or by the after-event check propagates out of `runUntil`;
 *   `nowNs` is then the time of the failing event, `failedEvent()` describes it, and the
 *   simulator should be discarded.
 */
export class Simulator<TraceMap extends object = Record<string, unknown>> {
  /** The run's random streams. */
  readonly rng: RunRng;
  /** The run's typed trace bus. */
  readonly trace: TraceBus<TraceMap>;

  private readonly queue: EventQueue;
  private readonly handlers: EventHandler[] = [];
  private readonly describers: (EventDescriber | undefined)[] = [];
  /** The event during which (or after which, in the after-event check) `runUntil` threw. */
  private failed: { kind: number; target: number; arg: number } | undefined = undefined;
  private now = 0;
  private processed = 0;
  private running = false;
  private stopRequested = false;
  private afterEvent: (() => void) | undefined = undefined;

  constructor(options: SimulatorOptions) {
    this.rng = new RunRng(options.seed);
    this.trace = new TraceBus<TraceMap>();
    this.queue = new EventQueue(options.initialQueueCapacity ?? 1024, options.tieOrder);
  }

  /** Current simulated time, integer ns. */
  get nowNs(): number {
    return this.now;
  }

  /** Number of events run so far (cancelled events are not counted). */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Number of events scheduled and not yet run or cancelled. */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /**
   * Registers a handler and returns its kind id (0, 1, 2, ... in registration order).
   * `describe` says what such an event is, for the message of an error thrown during one.
   */
  registerHandler(fn: EventHandler, describe?: EventDescriber): number {
    if (typeof fn !== 'function') throw new Error('registerHandler expects a function');
    this.describers.push(describe);
    return this.handlers.push(fn) - 1;
  }

  /**
   * The event a `runUntil` that threw was running (its handler or the after-event check that
   * followed it), in words; undefined if none threw or the kind has no describer.
   */
  failedEvent(): string | undefined {
    const f = this.failed;
    return f === undefined ? undefined : this.describers[f.kind]?.(f.target, f.arg);
  }

  /**
   * Schedules an event of `kind` for `target` at absolute time `atNs` (>= nowNs, integer ns).
   * `priority` (int32, default 0) orders events at equal times, lower first.
   */
  schedule(atNs: number, kind: number, target: number, arg = 0, priority = 0): EventHandle {
    if (!(atNs >= this.now && Number.isSafeInteger(atNs))) throw new Error(this.badTime(atNs));
    if (this.handlers[kind] === undefined) throw new Error(this.badKind(kind));
    return this.queue.push(atNs, priority, kind, target, arg);
  }

  /** Schedules an event `delayNs` (non-negative integer ns) after nowNs; see `schedule`. */
  scheduleIn(delayNs: number, kind: number, target: number, arg = 0, priority = 0): EventHandle {
    const atNs = this.now + delayNs;
    // Checked here rather than by delegating to schedule(): one call less on the hottest path.
    if (!(delayNs >= 0 && Number.isSafeInteger(delayNs) && Number.isSafeInteger(atNs))) {
      throw new Error(this.badDelay(delayNs));
    }
    if (this.handlers[kind] === undefined) throw new Error(this.badKind(kind));
    return this.queue.push(atNs, priority, kind, target, arg);
  }

  /** Cancels a pending event; false if it already ran, was cancelled, or is unknown. */
  cancel(handle: EventHandle): boolean {
    return this.queue.cancel(handle);
  }

  /** True iff the event is scheduled and has neither run nor been cancelled. */
  isPending(handle: EventHandle): boolean {
    return this.queue.isPending(handle);
  }

  /**
   * Runs every event with time <= endNs (including events scheduled meanwhile), then sets
   * nowNs = endNs. If `stop()` is called by an event, returns right after that event and nowNs
   * stays at its time. endNs must be >= nowNs.
   */
  runUntil(endNs: number): void {
    if (!(endNs >= this.now && Number.isSafeInteger(endNs))) {
      throw new Error(
        `runUntil end must be an integer ns time >= now (${this.now}): ${describeBadTime(endNs, 'end')}`,
      );
    }
    if (this.running) throw new Error('runUntil called from inside an event handler');
    this.running = true;
    this.stopRequested = false;
    const queue = this.queue;
    const handlers = this.handlers;
    try {
      while (queue.popIfAtOrBefore(endNs)) {
        this.now = queue.timeNs;
        const fn = handlers[queue.kind] as EventHandler;
        fn(queue.target, queue.arg);
        this.processed++;
        if (this.afterEvent !== undefined) this.afterEvent();
        if (this.stopRequested) return;
      }
      this.now = endNs;
    } catch (e) {
      // Only events run inside the loop, so the queue's last popped record is the failing one.
      this.failed = { kind: queue.kind, target: queue.target, arg: queue.arg };
      throw e;
    } finally {
      this.running = false;
      this.stopRequested = false;
    }
  }

  /**
   * Under the `entity` tie order: true if an event with this key would run before the event in
   * progress (time, then priority, kind, target, arg); outside `runUntil`, if it is due at or before
   * nowNs. A model that settles an event lazily instead of scheduling it asks this to know whether
   * the event would already have run (sim/host/cpu.ts look-ahead). Two events with equal keys would
   * run in insertion order, so a model asks only about keys no scheduled event shares.
   */
  runsBeforeCurrent(atNs: number, priority: number, kind: number, target: number, arg = 0): boolean {
    if (!this.running) return atNs <= this.now;
    const q = this.queue;
    if (atNs !== this.now) return atNs < this.now;
    if (priority !== q.priority) return priority < q.priority;
    if (kind !== q.kind) return kind < q.kind;
    if (target !== q.target) return target < q.target;
    return arg < q.arg;
  }

  /** Makes the current `runUntil` return after the event in progress; no effect outside a run. */
  stop(): void {
    if (this.running) this.stopRequested = true;
  }

  /**
   * Installs (or with undefined removes) a check called after every event, e.g. invariant checks
   * in debug mode. It may throw to abort the run.
   */
  setAfterEvent(fn: (() => void) | undefined): void {
    this.afterEvent = fn;
  }

  private badTime(atNs: number): string {
    if (Number.isSafeInteger(atNs) && atNs >= 0) {
      return `cannot schedule an event in the past: at ${atNs} ns, but now is ${this.now} ns`;
    }
    return describeBadTime(atNs, 'event time');
  }

  private badDelay(delayNs: number): string {
    if (Number.isSafeInteger(delayNs) && delayNs >= 0) {
      return `event delay ${delayNs} ns from now (${this.now} ns) passes 2^53 ns, the limit of exact integer time`;
    }
    return describeBadTime(delayNs, 'event delay');
  }

  private badKind(kind: number): string {
    const known =
      this.handlers.length === 0
        ? 'no handler is registered'
        : `registered kinds are 0..${this.handlers.length - 1}`;
    return `unknown event kind ${String(kind)}: ${known} (use the id returned by registerHandler)`;
  }
}
