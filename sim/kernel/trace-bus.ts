/**
 * The one typed trace stream of a run: models emit typed events, statistics and reports
 * subscribe. Models never learn who listens, and listeners never reach into models.
 *
 * Emitting is on hot paths, so `has(type)` lets an emitter skip building a payload nobody reads,
 * and each type's listener list is copy-on-write so `emit` iterates a plain array without
 * allocating, even when listeners (un)subscribe during delivery.
 */

/** Listener for one trace event type. */
export type TraceListener<T> = (ev: T) => void;

/**
 * A synchronous publish/subscribe bus over an event map `M` (event type name → payload type).
 *
 * Contract:
 * - Listeners of a type are called synchronously by `emit`, in subscription order; the same
 *   function subscribed twice is called twice.
 * - Subscribing or unsubscribing during an `emit` takes effect from the next `emit`.
 * - A listener that throws aborts the `emit` and the exception propagates to the emitter (a broken
 *   listener must fail the run, not silently drop statistics).
 * - Payloads are passed by reference; listeners must not mutate them.
 */
export class TraceBus<M extends object> {
  private readonly listeners = new Map<keyof M, TraceListener<never>[]>();
  private readonly ids = new Map<keyof M, number[]>();
  private nextId = 1;

  /** Subscribes `fn` to events of `type`; returns a function that unsubscribes (idempotent). */
  on<K extends keyof M>(type: K, fn: TraceListener<M[K]>): () => void {
    const id = this.nextId++;
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
    this.ids.set(type, [...(this.ids.get(type) ?? []), id]);
    return () => this.off(type, id);
  }

  /** Delivers `ev` to every current listener of `type`. */
  emit<K extends keyof M>(type: K, ev: M[K]): void {
    const fns = this.listeners.get(type) as TraceListener<M[K]>[] | undefined;
    if (fns === undefined) return;
    for (let i = 0; i < fns.length; i++) (fns[i] as TraceListener<M[K]>)(ev);
  }

  /** True iff at least one listener is subscribed to `type`. */
  has(type: keyof M): boolean {
    return this.listeners.has(type);
  }

  private off(type: keyof M, id: number): void {
    const ids = this.ids.get(type);
    const fns = this.listeners.get(type);
    if (ids === undefined || fns === undefined) return;
    const i = ids.indexOf(id);
    if (i < 0) return;
    if (ids.length === 1) {
      // Deleting the entry keeps has() a single map lookup.
      this.ids.delete(type);
      this.listeners.delete(type);
      return;
    }
    this.ids.set(
      type,
      ids.filter((_, j) => j !== i),
    );
    this.listeners.set(
      type,
      fns.filter((_, j) => j !== i),
    );
  }
}
