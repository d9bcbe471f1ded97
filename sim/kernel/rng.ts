/**
 * Seeded randomness for one run: one run seed, split into named, independent streams.
 *
 * Why named streams: a model that draws from `rng.stream('arrivals:web-3')` gets the same numbers
 * whatever other models do, in whatever order streams are created, so adding a new random source
 * (or a new guest) does not perturb every other sequence in the run. Each stream's generator
 * seed is sha256(run seed, stream name); the generator is pure-rand's xoroshiro128+ (v8 steps it
 * in place, so a draw creates no generator objects). Derivation costs a hash, so streams are
 * meant to be created once and kept, not looked up per draw.
 */

import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** Bumped if the derivation of stream seeds ever changes (it changes every sequence). */
const DERIVATION_TAG = 'vmisim-rng-v1';

const TWO_POW_26 = 2 ** 26;
const TWO_POW_MINUS_53 = 2 ** -53;

/**
 * One independent sequence of random numbers. Every method consumes a fixed number of underlying
 * draws for given arguments except `nextInt` (rejection sampling), so sequences are reproducible
 * from (run seed, stream name) alone. Methods throw on invalid parameters.
 */
export class RandomStream {
  /** The stream's name within its run. */
  readonly name: string;
  private readonly gen: RandomGenerator;

  /** Use RunRng.stream() instead; exposed for tests and tools that need a bare stream. */
  constructor(name: string, gen: RandomGenerator) {
    this.name = name;
    this.gen = gen;
  }

  /**
   * Uniform double in [0, 1) with 53 random bits (a multiple of 2^-53).
   *
   * Takes the *high* 27 and 26 bits of two 32-bit outputs: the lowest bits of xoroshiro128+ are
   * its weakest (low linear complexity), and pure-rand's uniformFloat64 uses the low ones.
   */
  nextFloat(): number {
    const hi = this.gen.next() >>> 5;
    const lo = this.gen.next() >>> 6;
    return (hi * TWO_POW_26 + lo) * TWO_POW_MINUS_53;
  }

  /** Uniform integer in [minIncl, maxIncl], both safe integers with minIncl <= maxIncl (unbiased). */
  nextInt(minIncl: number, maxIncl: number): number {
    if (!(Number.isSafeInteger(minIncl) && Number.isSafeInteger(maxIncl) && minIncl <= maxIncl)) {
      throw badParam(
        this.name,
        'nextInt bounds must be safe integers with min <= max',
        `[${minIncl}, ${maxIncl}]`,
      );
    }
    return uniformInt(this.gen, minIncl, maxIncl);
  }

  /**
   * Exponentially distributed value with the given mean (> 0), by inverse CDF:
   * -mean * ln(1 - U). Since U < 1, the logarithm's argument is in (0, 1] and never 0, so the
   * result is finite (at most ~36.7 means) and >= 0.
   */
  exponential(mean: number): number {
    if (!(mean > 0 && mean < Infinity)) {
      throw badParam(this.name, 'exponential mean must be a finite positive number', mean);
    }
    return -mean * Math.log(1 - this.nextFloat());
  }

  /** True with probability p (0 <= p <= 1). Always consumes one draw, even for p = 0 or 1. */
  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw badParam(this.name, 'bernoulli probability must be in [0, 1]', p);
    return this.nextFloat() < p;
  }
}

/** Builds a parameter error out of line, keeping the hot methods small enough for V8 to inline. */
function badParam(stream: string, expected: string, got: unknown): Error {
  const shown = Array.isArray(got) ? `[${got.join(', ')}]` : String(got);
  return new Error(`${expected}, got ${shown} (stream '${stream}')`);
}

/**
 * The random source of one run. `stream(name)` returns the stream for that name, creating it on
 * first use; the same name always yields the same object, and its sequence depends only on
 * (seed, name). Holds no global state: two RunRng instances never interact.
 */
export class RunRng {
  /** The run seed, a non-negative safe integer. */
  readonly seed: number;
  private readonly streams = new Map<string, RandomStream>();

  constructor(seed: number) {
    if (!(Number.isSafeInteger(seed) && seed >= 0)) {
      throw new Error(`run seed must be a non-negative safe integer, got ${String(seed)}`);
    }
    this.seed = seed;
  }

  /** The stream called `name` (any non-empty string), created on first use. */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      if (typeof name !== 'string' || name.length === 0) {
        throw new Error(`stream name must be a non-empty string, got ${JSON.stringify(name)}`);
      }
      s = new RandomStream(name, xoroshiro128plusFromState(deriveState(this.seed, name)));
      this.streams.set(name, s);
    }
    return s;
  }
}

/**
 * 128 bits of generator state from sha256(tag, seed, name). The fields are NUL-separated and the
 * seed is decimal, so distinct (seed, name) pairs always hash distinct inputs.
 */
function deriveState(seed: number, name: string): number[] {
  const digest = createHash('sha256').update(`${DERIVATION_TAG}\0${seed}\0${name}`, 'utf8').digest();
  const w0 = digest.readInt32LE(0);
  const w1 = digest.readInt32LE(4);
  const w2 = digest.readInt32LE(8);
  const w3 = digest.readInt32LE(12);
  // xoroshiro's all-zero state is a fixed point; astronomically unlikely, but never allow it.
  return [(w0 | w1 | w2 | w3) === 0 ? 1 : w0, w1, w2, w3];
}
