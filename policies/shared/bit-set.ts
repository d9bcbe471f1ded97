/**
 * A fixed-size set of small integers (pCPU indexes) as bits in 32-bit words, for schedulers that
 * must visit "the pCPUs with X" in index order without walking all of them: finding the next
 * member costs one step per 32 indexes skipped, not one per index.
 */
export class BitSet {
  private readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  set(i: number, on: boolean): void {
    if (on) this.words[i >>> 5]! |= 1 << (i & 31);
    else this.words[i >>> 5]! &= ~(1 << (i & 31));
  }

  /** The smallest member ≥ `from` and < `to`, or −1. */
  next(from: number, to: number): number {
    if (from >= to) return -1;
    let w = from >>> 5;
    // Members of the first word below `from` are masked off.
    let bits = this.words[w]! & (~0 << (from & 31));
    const last = (to - 1) >>> 5;
    for (;;) {
      if (bits !== 0) {
        // The lowest set bit: bits & −bits isolates it, 31 − clz32 is its index.
        const i = (w << 5) + 31 - Math.clz32(bits & -bits);
        return i < to ? i : -1;
      }
      if (++w > last) return -1;
      bits = this.words[w]!;
    }
  }
}
