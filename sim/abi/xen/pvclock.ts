/**
 * Xen's paravirtual clock (pvclock), i386 semantics: how a guest turns a TSC reading into ns
 * since boot with the vcpu_time_info Xen publishes, how Xen picks that record's mul/shift for a
 * TSC rate, and the version protocol that keeps a reader from using a half-written record.
 * Source: reference/time-cpu-abi.md §2.4 (xen.h comment, Linux pvclock_scale_delta(), Xen
 * set_time_scale() in xen/arch/x86/time.c).
 *
 *   delta = (tsc_now − tsc_timestamp) mod 2^64
 *   delta = tsc_shift ≥ 0 ? (delta << tsc_shift) mod 2^64 : delta >> −tsc_shift
 *   ns    = (system_time + ((delta × tsc_to_system_mul) >> 32)) mod 2^64
 *
 * The product is 64 × 32 → 96 bits and the result is its bits 32..95, which always fit in 64
 * bits. All arithmetic is u64 in C, so a negative TSC difference and a left shift that pushes
 * bits out both wrap modulo 2^64 here too. Worked example (a test repeats it): at 2.4 GHz Xen
 * picks shift −1, mul 3579139413, and 2.4×10^9 ticks scale to 999 999 999 ns (mul is rounded
 * down, so the clock runs slow by less than 1 part in 2^31, plus < 1 ns of truncation).
 */
import { decodeVcpuTimeInfo, VCPU_TIME_INFO, type VcpuTimeInfo } from './structs.js';

const TWO32 = 2 ** 32;
const NS_PER_S = 1_000_000_000;
const U64 = 64;

/** High 32 bits of a × b for u32 a, b, exact: 16-bit halves keep every partial sum < 2^35. */
function mulHi32(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const ll = aL * bL;
  const mid = aL * bH + aH * bL + (ll >>> 16);
  return aH * bH + Math.floor(mid / 65536);
}

function checkShift(shift: number): void {
  // C leaves shifts by ≥ 64 undefined; Xen's own shifts stay within about ±32.
  if (!Number.isInteger(shift) || shift < -63 || shift > 63)
    throw new RangeError(`tsc_shift must be an integer in [-63, 63], got ${shift}`);
}

function checkMul(mul: number): void {
  if (!Number.isInteger(mul) || mul < 0 || mul >= TWO32)
    throw new RangeError(`tsc_to_system_mul must be an integer in [0, 2^32), got ${mul}`);
}

/**
 * pvclock_scale_delta(): ((delta shifted by `shift`) × mul) >> 32, with delta taken mod 2^64.
 * Done in 32-bit words held in plain numbers, as the i386 assembly does it: hi × mul plus the
 * high word of lo × mul (two 32 × 32 → 64 multiplies and one carry).
 */
export function pvclockScaleDelta(delta: bigint, mul: number, shift: number): bigint {
  checkMul(mul);
  checkShift(shift);
  const d = BigInt.asUintN(U64, delta);
  let hi = Number(d >> 32n);
  let lo = Number(d & 0xffffffffn);
  if (shift > 0) {
    if (shift >= 32) {
      hi = (lo << (shift - 32)) >>> 0;
      lo = 0;
    } else {
      hi = ((hi << shift) | (lo >>> (32 - shift))) >>> 0;
      lo = (lo << shift) >>> 0;
    }
  } else if (shift < 0) {
    const r = -shift;
    if (r >= 32) {
      lo = hi >>> (r - 32);
      hi = 0;
    } else {
      lo = ((lo >>> r) | (hi << (32 - r))) >>> 0;
      hi = hi >>> r;
    }
  }
  // (hi·2^32 + lo) × mul >> 32 = hi × mul + ⌊lo × mul / 2^32⌋; the sum is < 2^64, no wrap.
  const low = (Math.imul(hi, mul) >>> 0) + mulHi32(lo, mul); // < 2^33
  const carry = low >= TWO32 ? 1 : 0;
  return (BigInt(mulHi32(hi, mul) + carry) << 32n) | BigInt(low - carry * TWO32);
}

/** The vcpu_time_info fields the clock needs. */
export type PvclockParams = Pick<VcpuTimeInfo, 'tscTimestamp' | 'systemTime' | 'tscToSystemMul' | 'tscShift'>;

/** ns since boot at TSC value `tscNow`: system_time + scale(tsc_now − tsc_timestamp), mod 2^64. */
export function pvclockNs(info: PvclockParams, tscNow: bigint): bigint {
  const delta = BigInt.asUintN(U64, tscNow - info.tscTimestamp);
  return BigInt.asUintN(U64, info.systemTime + pvclockScaleDelta(delta, info.tscToSystemMul, info.tscShift));
}

/** mul/shift such that ns = ((ticks << shift) × mul) >> 32 (or >> −shift for negative shift). */
export interface XenTimeScale {
  tscShift: number;
  tscToSystemMul: number;
}

/**
 * Xen's set_time_scale(): halve the rate (shift−−) while it is above 2×10^9, double it (shift++)
 * while it is at most 10^9, then mul = ⌊(10^9 << 32) / rate⌋. The rate ends in (10^9, 2×10^9],
 * so mul lies in [2^31, 2^32). The lower bound is strict: at exactly 10^9 the quotient would be
 * 2^32, which does not fit in u32 (Xen's divl would fault), so 1 GHz becomes shift 1, mul 2^31.
 * Examples: 2.4 GHz → (−1, 3579139413); 2.6 GHz → (−1, 3303820996); 3.0 GHz → (−1, 2863311530).
 */
export function xenTimeScale(ticksPerSecond: number): XenTimeScale {
  if (!Number.isSafeInteger(ticksPerSecond) || ticksPerSecond <= 0)
    throw new RangeError(`ticks per second must be a positive safe integer, got ${ticksPerSecond}`);
  let tps = BigInt(ticksPerSecond);
  let shift = 0;
  while (tps > 2n * BigInt(NS_PER_S)) {
    tps >>= 1n;
    shift--;
  }
  while (tps <= BigInt(NS_PER_S)) {
    tps <<= 1n;
    shift++;
  }
  return { tscShift: shift, tscToSystemMul: Number((BigInt(NS_PER_S) << 32n) / tps) };
}

/**
 * The TSC rate a mul/shift pair stands for: Hz = ⌊(10^9 << 32) / mul⌋ >> shift (a negative
 * shift shifts left), as Linux's pvclock_tsc_khz() does. For a pair from xenTimeScale(f) the
 * answer is f with its low −shift bits cleared (exactly f when shift ≥ 0).
 */
export function xenTimeScaleToHz(tscToSystemMul: number, tscShift: number): number {
  checkMul(tscToSystemMul);
  checkShift(tscShift);
  if (tscToSystemMul === 0) throw new RangeError('tsc_to_system_mul 0 stands for no rate');
  const base = (BigInt(NS_PER_S) << 32n) / BigInt(tscToSystemMul);
  const hz = tscShift < 0 ? base << BigInt(-tscShift) : base >> BigInt(tscShift);
  if (hz > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`rate ${hz} Hz exceeds 2^53`);
  return Number(hz);
}

// ---------------------------------------------------------------------------------------------
// The version protocol (seqlock): Xen makes version odd, rewrites the record, makes it even.

/** Writer, before the update: version = (version + 1) | 1 (odd = update in progress), as u32. */
export function versionBeginUpdate(version: number): number {
  return ((version + 1) | 1) >>> 0;
}

/** Writer, after the update: version++ (even again, and different from before), as u32. */
export function versionEndUpdate(version: number): number {
  return (version + 1) >>> 0;
}

/** What a consistent read returns: the fields, and how many tries it took (1 = no retry). */
export interface ConsistentRead<T> {
  value: T;
  attempts: number;
}

/**
 * The reader's side: read version, read the fields, read version again; retry if the first was
 * odd or the two differ. Gives up after `maxAttempts` with an error, since in a simulation a
 * version that never settles is a bug in the writer, not a race to wait out.
 */
export function readConsistent<T>(
  readVersion: () => number,
  readFields: () => T,
  maxAttempts = 64,
): ConsistentRead<T> {
  for (let attempts = 1; attempts <= maxAttempts; attempts++) {
    const before = readVersion();
    const value = readFields();
    if ((before & 1) === 0 && readVersion() === before) return { value, attempts };
  }
  throw new Error(`version did not settle (odd or changing) in ${maxAttempts} attempts`);
}

/** readConsistent over the vcpu_time_info at `offset` in `buf` (e.g. within a shared_info page). */
export function readVcpuTimeInfoConsistent(
  buf: Uint8Array,
  offset = 0,
  maxAttempts = 64,
): ConsistentRead<VcpuTimeInfo> {
  decodeVcpuTimeInfo(buf, offset); // bounds check, with the decoder's error message
  const view = new DataView(buf.buffer, buf.byteOffset + offset, VCPU_TIME_INFO.SIZE);
  return readConsistent(
    () => view.getUint32(VCPU_TIME_INFO.VERSION, true),
    () => decodeVcpuTimeInfo(buf, offset),
    maxAttempts,
  );
}
