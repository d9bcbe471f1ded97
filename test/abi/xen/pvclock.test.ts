// pvclock arithmetic against exact BigInt math, Xen's set_time_scale against the worked examples
// of reference/time-cpu-abi.md §2.4, and the version (seqlock) protocol of the same section.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  pvclockNs,
  pvclockScaleDelta,
  readConsistent,
  readVcpuTimeInfoConsistent,
  versionBeginUpdate,
  versionEndUpdate,
  xenTimeScale,
  xenTimeScaleToHz,
} from '../../../sim/abi/xen/pvclock.js';
import { encodeVcpuTimeInfo, type VcpuTimeInfo } from '../../../sim/abi/xen/structs.js';

const M64 = (1n << 64n) - 1n;

/**
 * The C semantics with u64 delta: the shift wraps mod 2^64 (left) or drops bits (right), then
 * the 96-bit product's bits 32..95. BigInt has no width, so the wrap is explicit here.
 */
function exactScale(delta: bigint, mul: number, shift: number): bigint {
  let d = delta & M64;
  d = shift >= 0 ? (d << BigInt(shift)) & M64 : d >> BigInt(-shift);
  return ((d * BigInt(mul)) >> 32n) & M64;
}

const u64Arb = fc.oneof(
  fc.bigInt({ min: 0n, max: M64 }),
  fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }), // realistic deltas: minutes of TSC
  fc.constantFrom(0n, 1n, 0xffffffffn, 1n << 32n, M64, 1n << 63n),
);
const u32Arb = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 2 ** 31, 0xffffffff));

describe('pvclockScaleDelta: ((delta shifted) × mul) >> 32 in 32-bit words', () => {
  it('equals exact BigInt math for shifts in [-8, 8]', () => {
    fc.assert(
      fc.property(u64Arb, u32Arb, fc.integer({ min: -8, max: 8 }), (delta, mul, shift) => {
        expect(pvclockScaleDelta(delta, mul, shift)).toBe(exactScale(delta, mul, shift));
      }),
      { numRuns: 5000 },
    );
  });
  it('equals exact BigInt math over the whole accepted shift range [-63, 63]', () => {
    fc.assert(
      fc.property(u64Arb, u32Arb, fc.integer({ min: -63, max: 63 }), (delta, mul, shift) => {
        expect(pvclockScaleDelta(delta, mul, shift)).toBe(exactScale(delta, mul, shift));
      }),
      { numRuns: 2000 },
    );
  });
  it('wraps left shifts mod 2^64 and takes negative deltas mod 2^64, as u64 C code does', () => {
    // Bit 63 shifted left by 1 is gone: 0 × mul = 0.
    expect(pvclockScaleDelta(1n << 63n, 0xffffffff, 1)).toBe(0n);
    expect(pvclockScaleDelta(-1n, 2 ** 31, 0)).toBe(M64 >> 1n);
    // The largest product: (2^64 − 1)(2^32 − 1) >> 32 still fits in 64 bits.
    expect(pvclockScaleDelta(M64, 0xffffffff, 0)).toBe((M64 * 0xffffffffn) >> 32n);
  });
  it('scales one second of a 2.4 GHz TSC to 999 999 999 ns (the header example)', () => {
    expect(pvclockScaleDelta(2_400_000_000n, 3579139413, -1)).toBe(999_999_999n);
  });
  it('rejects shifts C leaves undefined and muls that are not u32', () => {
    expect(() => pvclockScaleDelta(1n, 1, 64)).toThrow(/tsc_shift/);
    expect(() => pvclockScaleDelta(1n, 1, -64)).toThrow(/tsc_shift/);
    expect(() => pvclockScaleDelta(1n, 1.5, 0)).toThrow(/tsc_to_system_mul/);
    expect(() => pvclockScaleDelta(1n, 2 ** 32, 0)).toThrow(/tsc_to_system_mul/);
  });
});

describe('pvclockNs = system_time + scale(tsc_now − tsc_timestamp)', () => {
  const info = {
    tscTimestamp: 10_000_000_000n,
    systemTime: 5_000_000_000n,
    tscToSystemMul: 3579139413,
    tscShift: -1,
  };

  it('adds the scaled delta to system_time', () => {
    expect(pvclockNs(info, info.tscTimestamp)).toBe(5_000_000_000n);
    expect(pvclockNs(info, info.tscTimestamp + 2_400_000_000n)).toBe(5_999_999_999n);
  });
  it('matches exact math, with the u64 wrap of both the difference and the sum', () => {
    fc.assert(
      fc.property(
        u64Arb,
        u64Arb,
        u64Arb,
        u32Arb,
        fc.integer({ min: -8, max: 8 }),
        (ts, sys, now, mul, shift) => {
          const p = { tscTimestamp: ts, systemTime: sys, tscToSystemMul: mul, tscShift: shift };
          expect(pvclockNs(p, now)).toBe((sys + exactScale(now - ts, mul, shift)) & M64);
        },
      ),
    );
  });
});

describe("xenTimeScale: Xen's set_time_scale", () => {
  it('reproduces the worked examples of reference §2.4', () => {
    expect(xenTimeScale(2_400_000_000)).toEqual({ tscShift: -1, tscToSystemMul: 3579139413 });
    expect(xenTimeScale(2_600_000_000)).toEqual({ tscShift: -1, tscToSystemMul: 3303820996 });
    expect(xenTimeScale(3_000_000_000)).toEqual({ tscShift: -1, tscToSystemMul: 2863311530 });
  });
  it('handles the range edges: 2 GHz stays, 1 GHz doubles (mul 2^32 would not fit), slow clocks shift left', () => {
    expect(xenTimeScale(2_000_000_000)).toEqual({ tscShift: 0, tscToSystemMul: 2 ** 31 });
    // 2 GHz + 1 halves to exactly 10^9, which doubles back: the low bit is lost, as in Xen.
    expect(xenTimeScale(2_000_000_001)).toEqual({ tscShift: 0, tscToSystemMul: 2 ** 31 });
    expect(xenTimeScale(2_000_000_002)).toEqual({
      tscShift: -1,
      tscToSystemMul: Number(((10n ** 9n) << 32n) / 1_000_000_001n),
    });
    expect(xenTimeScale(1_000_000_000)).toEqual({ tscShift: 1, tscToSystemMul: 2 ** 31 });
    expect(xenTimeScale(1_000_000_001).tscShift).toBe(0);
    expect(xenTimeScale(1)).toEqual({
      tscShift: 30,
      tscToSystemMul: Number(((10n ** 9n) << 32n) / (1n << 30n)),
    });
  });
  it('keeps mul in [2^31, 2^32) and a shift that fits in an int8', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (hz) => {
        const { tscShift, tscToSystemMul } = xenTimeScale(hz);
        expect(tscToSystemMul).toBeGreaterThanOrEqual(2 ** 31);
        expect(tscToSystemMul).toBeLessThan(2 ** 32);
        expect(tscShift).toBeGreaterThanOrEqual(-128);
        expect(tscShift).toBeLessThanOrEqual(127);
      }),
    );
  });
  it('turns one second of ticks into 10^9 ns, within 1 part in 2^31 plus truncation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000, max: 10_000_000_000 }), (hz) => {
        const { tscShift, tscToSystemMul } = xenTimeScale(hz);
        const ns = pvclockScaleDelta(BigInt(hz), tscToSystemMul, tscShift);
        // Right shifts drop up to 2^-shift − 1 ticks, each worth < 1 ns at ≥ 1 GHz.
        const slack = 2n + (tscShift < 0 ? 1n << BigInt(-tscShift) : 0n);
        expect(ns).toBeLessThanOrEqual(1_000_000_000n);
        expect(1_000_000_000n - ns).toBeLessThanOrEqual(slack);
      }),
    );
  });
  it('rejects rates that are not positive safe integers', () => {
    expect(() => xenTimeScale(0)).toThrow(/positive safe integer/);
    expect(() => xenTimeScale(2.5e9 + 0.5)).toThrow(/positive safe integer/);
  });
});

describe('xenTimeScaleToHz: ((10^9 << 32) / mul) >> shift', () => {
  it('recovers the worked examples', () => {
    expect(xenTimeScaleToHz(3579139413, -1)).toBe(2_400_000_000);
    expect(xenTimeScaleToHz(3303820996, -1)).toBe(2_600_000_000);
    expect(xenTimeScaleToHz(2863311530, -1)).toBe(3_000_000_000);
  });
  it('inverts xenTimeScale up to the bits the right shift dropped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 52 }), (hz) => {
        const { tscShift, tscToSystemMul } = xenTimeScale(hz);
        const back = xenTimeScaleToHz(tscToSystemMul, tscShift);
        const dropped = tscShift < 0 ? 2 ** -tscShift : 1;
        expect(back).toBe(Math.floor(hz / dropped) * dropped);
      }),
    );
  });
  it('rejects mul 0', () => {
    expect(() => xenTimeScaleToHz(0, 0)).toThrow(/no rate/);
  });
});

describe('version protocol (seqlock)', () => {
  it('writer: odd while updating, even and different after, as u32', () => {
    expect(versionBeginUpdate(0)).toBe(1);
    expect(versionEndUpdate(1)).toBe(2);
    expect(versionBeginUpdate(2)).toBe(3);
    // A writer interrupted while odd still lands on odd: (3 + 1) | 1 = 5.
    expect(versionBeginUpdate(3)).toBe(5);
    expect(versionBeginUpdate(0xfffffffe)).toBe(0xffffffff);
    expect(versionEndUpdate(0xffffffff)).toBe(0);
  });
  it('reader retries on an odd version, then on a changed one', () => {
    const versions = [1, 2, 2, 4, 4, 4];
    let i = 0;
    const r = readConsistent(
      () => versions[i++]!,
      () => i,
    );
    // Try 1 sees 1 (odd) and stops there; try 2 sees 2 before and after the fields.
    expect(r).toEqual({ value: 2, attempts: 2 });
    const changing = [2, 4, 4, 4];
    let j = 0;
    expect(
      readConsistent(
        () => changing[j++]!,
        () => j,
      ),
    ).toEqual({ value: 3, attempts: 2 });
  });
  it('gives up on a version that never settles', () => {
    expect(() =>
      readConsistent(
        () => 7,
        () => 0,
        5,
      ),
    ).toThrow(/did not settle.*5 attempts/);
  });
  it('never returns a half-updated record, however writer steps interleave with reads', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (schedule) => {
        const mem = { version: 2, a: 1, b: 1 };
        const writer = [
          () => (mem.version = versionBeginUpdate(mem.version)),
          () => (mem.a = 2),
          () => (mem.b = 2),
          () => (mem.version = versionEndUpdate(mem.version)),
        ];
        let step = 0;
        let turn = 0;
        // Before each memory access, maybe let the writer take one step.
        const maybeWrite = (): void => {
          if (schedule[turn++ % schedule.length] && step < writer.length) writer[step++]!();
        };
        const { value } = readConsistent(
          () => (maybeWrite(), mem.version),
          () => {
            maybeWrite();
            const a = mem.a;
            maybeWrite();
            return [a, mem.b] as const;
          },
          1000,
        );
        expect(value[0]).toBe(value[1]);
      }),
    );
  });
  it('readVcpuTimeInfoConsistent reads a record in a larger page', () => {
    const t: VcpuTimeInfo = {
      version: 6,
      tscTimestamp: 1n,
      systemTime: 2n,
      tscToSystemMul: 3,
      tscShift: -1,
      flags: 0,
    };
    const page = new Uint8Array(64);
    encodeVcpuTimeInfo(t, page, 32); // vcpu_info.time sits at +32 (§2.4)
    expect(readVcpuTimeInfoConsistent(page, 32)).toEqual({ value: t, attempts: 1 });
    encodeVcpuTimeInfo({ ...t, version: 7 }, page, 32);
    expect(() => readVcpuTimeInfoConsistent(page, 32, 3)).toThrow(/did not settle/);
    expect(() => readVcpuTimeInfoConsistent(page, 40)).toThrow(/vcpu_time_info: needs 32 bytes/);
  });
});
