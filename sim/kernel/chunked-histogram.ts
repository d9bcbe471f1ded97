/**
 * An HdrHistogram whose counts live in fixed-size chunks allocated on first use, so a histogram
 * costs memory only for the value ranges it has seen. The bucket layout, the index of each value
 * and every query (count, percentiles, max) are hdr-histogram-js's own (this class stores the
 * counts, and finds a value's index by a cheaper computation that gives the same index), so results
 * are the same as with its plain 32-bit counts; only the storage differs.
 *
 * Why: the plain layout allocates every count of 1 ns to 1 h at 3 digits up front (about 33,800
 * counts, 135 KiB), two per guest — 1 GiB of the peak RSS at 4,000 guests and a fifth of the CPU
 * time of a short 1,000-guest run, spent zeroing them (bench/README.md, "Where the time goes").
 * hdr-histogram-js's packed layout saves the memory too but made each record much slower.
 */
// The class alone, not the package's index: that also loads its WebAssembly build, compression and
// log reader and writer, none of which the simulator uses, and costs about 640 M instructions
// (0.7 G against 0.1 G, callgrind) at the start of every process and worker thread.
import { JsHistogram } from 'hdr-histogram-js/dist/JsHistogram.js';

/** Counts per chunk (1 KiB of 32-bit counts): a power of two, so a chunk is `index >>> CHUNK_BITS`. */
const CHUNK_BITS = 8;
const CHUNK_LENGTH = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_LENGTH - 1;
/** Largest count a chunk holds, as Uint32Array (the plain layout's 32-bit counts). */
const MAX_COUNT = 0xffff_ffff;

export class ChunkedHistogram extends JsHistogram {
  /** Chunk k holds the counts of indexes k·CHUNK_LENGTH onwards; undefined until one is set. */
  private chunks: (Uint32Array | undefined)[];

  constructor(
    lowestDiscernibleValue: number,
    highestTrackableValue: number,
    numberOfSignificantValueDigits: number,
  ) {
    super(lowestDiscernibleValue, highestTrackableValue, numberOfSignificantValueDigits);
    this._totalCount = 0;
    this.chunks = new Array<Uint32Array | undefined>(chunkCount(this.countsArrayLength)).fill(undefined);
  }

  /**
   * The counts index of `value`, equal to hdr-histogram-js's countsArrayIndex(value), or −1 when
   * this shortcut does not apply (the caller then takes the library's own path).
   *
   * The library computes bucket = max(⌊log2 value⌋ − subBucketHalfCountMagnitude − unitMagnitude, 0),
   * subBucket = ⌊value / 2^(bucket + unitMagnitude)⌋ and index = (bucket + 1)·subBucketHalfCount +
   * subBucket − subBucketHalfCount, with a Math.log2 and two Math.pow per value (calls into the
   * C library). For an integer 1 ≤ value < 2^32, ⌊log2 value⌋ is 31 − clz32(value) exactly
   * (Math.log2 is exact at powers of two, and log2(2^k − 1) lies about 1.44·2^−k ≥ 3·10^−10 below
   * k, far more than its rounding error; the test checks both sides of every power of two), and
   * the division by a power of two is a shift, so the index is the same.
   */
  indexOf(value: number): number {
    if (!(value >= 1 && value <= 0xffff_ffff && value === Math.floor(value))) return -1;
    const bucket = Math.max(
      31 - Math.clz32(value) - this.subBucketHalfCountMagnitude - this.unitMagnitude,
      0,
    );
    const index = bucket * this.subBucketHalfCount + (value >>> (bucket + this.unitMagnitude));
    return index < this.countsArrayLength ? index : -1;
  }

  /**
   * Records `value`, whose counts index is `index` (from indexOf, ≥ 0 and in range), as the
   * library's recordSingleValue does: count, minimum and maximum, total. Lets a caller that keeps
   * several histograms of one layout compute the index once for all of them.
   */
  recordAtIndex(index: number, value: number): void {
    this.incrementCountAtIndex(index);
    this.updateMinAndMax(value);
    this.incrementTotalCount();
  }

  override recordSingleValue(value: number): void {
    const index = this.indexOf(value);
    if (index >= 0) this.recordAtIndex(index, value);
    // Out of range (widens the histogram), fractional, zero or negative: the library's own path.
    else super.recordSingleValue(value);
  }

  /**
   * hdr-histogram-js's getValueAtPercentile (JsHistogram.js), the same answer found by skipping
   * the chunks never written: the library adds up the counts from index 0 until the total
   * reaches the percentile's count, one getCountAtIndex per index (about 11,000 for a 1 ms
   * latency, for each percentile of each guest in every summary). The total only grows at a
   * non-zero count and the count sought is at least 1, so an absent chunk never holds the answer.
   */
  override getValueAtPercentile(percentile: number): number {
    // The count sought, exactly as the library rounds it (its ulp(x) = 2^(⌊log2 x⌋ − 52)).
    const fpCountAtPercentile = (Math.min(percentile, 100) / 100.0) * this.totalCount;
    const ulp = Math.pow(2, Math.floor(Math.log2(fpCountAtPercentile)) - 52);
    const countAtPercentile = Math.max(Math.ceil(fpCountAtPercentile - ulp), 1);
    let total = 0;
    for (let k = 0; k < this.chunks.length; k++) {
      const chunk = this.chunks[k];
      if (chunk === undefined) continue;
      const first = k << CHUNK_BITS;
      const end = Math.min(CHUNK_LENGTH, this.countsArrayLength - first);
      for (let i = 0; i < end; i++) {
        total += chunk[i]!;
        if (total >= countAtPercentile) {
          const valueAtIndex = this.valueFromIndex(first + i);
          return percentile === 0.0
            ? this.lowestEquivalentValue(valueAtIndex)
            : this.highestEquivalentValue(valueAtIndex);
        }
      }
    }
    return 0;
  }

  getCountAtIndex(index: number): number {
    const chunk = this.chunks[index >>> CHUNK_BITS];
    return chunk === undefined ? 0 : chunk[index & CHUNK_MASK]!;
  }

  /** Every recorded value comes here: one chunk lookup when its chunk exists. */
  incrementCountAtIndex(index: number): void {
    const chunk = this.chunks[index >>> CHUNK_BITS];
    const i = index & CHUNK_MASK;
    if (chunk !== undefined && chunk[i]! < MAX_COUNT) chunk[i]! += 1;
    else this.addToCountAtIndex(index, 1);
  }

  addToCountAtIndex(index: number, value: number): void {
    this.setCountAtIndex(index, this.getCountAtIndex(index) + value);
  }

  setCountAtIndex(index: number, value: number): void {
    if (value < 0 || value > MAX_COUNT) throw new Error(`${value} would overflow a 32-bit histogram count`);
    const k = index >>> CHUNK_BITS;
    let chunk = this.chunks[k];
    if (chunk === undefined) {
      if (value === 0) return;
      chunk = new Uint32Array(CHUNK_LENGTH);
      this.chunks[k] = chunk;
    }
    chunk[index & CHUNK_MASK] = value;
  }

  /** Zeroes the chunks in place: a histogram restarted each sample reuses them rather than reallocating. */
  clearCounts(): void {
    for (const chunk of this.chunks) chunk?.fill(0);
  }

  resize(newHighestTrackableValue: number): void {
    this.establishSize(newHighestTrackableValue);
    while (this.chunks.length < chunkCount(this.countsArrayLength)) this.chunks.push(undefined);
  }

  protected _getEstimatedFootprintInBytes(): number {
    let bytes = 1024 + 8 * this.chunks.length;
    for (const chunk of this.chunks) if (chunk !== undefined) bytes += chunk.byteLength;
    return bytes;
  }

  copyCorrectedForCoordinatedOmission(expectedIntervalBetweenValueSamples: number): ChunkedHistogram {
    const copy = new ChunkedHistogram(
      this.lowestDiscernibleValue,
      this.highestTrackableValue,
      this.numberOfSignificantValueDigits,
    );
    copy.addWhileCorrectingForCoordinatedOmission(this, expectedIntervalBetweenValueSamples);
    return copy;
  }
}

function chunkCount(countsArrayLength: number): number {
  return Math.ceil(countsArrayLength / CHUNK_LENGTH);
}
