// MEB's balancing step on hand-made miss-ratio curves (reference/memory-balloon.md §6: WSS = the
// smallest memory whose miss ratio falls below a threshold; if Σ WSS fits, each VM gets its WSS and
// the spare is shared ∝ WSS; otherwise a greedy step moves one chunk at a time to the VM with the
// largest A_i · ΔMRC_i, minimising Σ A_i · MRC_i(m_i) subject to Σ m_i ≤ M). The worked example is
// the one in policies/balloon/meb.ts: curves falling linearly to 0 at 512 MiB (A) and 256 MiB (B).
import { describe, expect, it } from 'vitest';
import {
  mebAllocate,
  mebPolicy,
  missRatioAt,
  workingSetPages,
  type MebOptions,
} from '../../policies/balloon/meb.js';
import { MIB, guestView, observation, decideOnce, made } from '../helpers/balloon-obs.js';

const O: MebOptions = mebPolicy.options.parse({});

/** A 1 GiB guest, no kernel reserve, Minimum 64 MiB, whose miss ratio falls linearly to 0 at `kneeMiB`. */
function vm(kneeMiB: number, accessesPerS = 1000, o: Parameters<typeof guestView>[0] = {}) {
  const points = kneeMiB / 64;
  return guestView({
    memoryPages: 1024 * MIB,
    minPages: 64 * MIB,
    reservedPages: 0,
    anonPages: 0,
    mrc: Array.from({ length: points + 1 }, (_, i) => 1 - i / points),
    mrcStepPages: 64 * MIB,
    accessesPerS,
    ...o,
  });
}

/** Memory (MiB) each guest keeps with `hostMiB` of host memory. */
function memoryMiB(guests: ReturnType<typeof vm>[], hostMiB: number, o = O): number[] {
  const d = decideOnce(mebPolicy, o, observation({ guests, hostTotalPages: hostMiB * MIB }));
  return d.map((t, i) => (guests[i]!.memoryPages - t) / MIB);
}

describe('meb', () => {
  it('declares its defaults: 5 s period, threshold 0.01, 1 MiB chunks', () => {
    expect(made(mebPolicy, O).periodNs).toBe(5e9);
    expect(O.threshold).toBe(0.01);
    expect(O.chunk).toBe(2 ** 20);
  });

  it('reads the curve linearly between points and flat past its end', () => {
    const a = vm(512);
    expect(missRatioAt(a, 0)).toBe(1);
    expect(missRatioAt(a, 32 * MIB)).toBeCloseTo(1 - 32 / 512, 12);
    expect(missRatioAt(a, 4096 * MIB)).toBe(0);
    expect(missRatioAt(vm(64, 1000, { mrc: [1, 0.5] }), 4096 * MIB)).toBe(0.5);
  });

  it('WSS is where the miss ratio reaches the threshold: 0.99 × 512 MiB for curve A', () => {
    expect(workingSetPages(vm(512), 0.01)).toBe(Math.ceil(0.99 * 512 * MIB));
    expect(workingSetPages(vm(256), 0.01)).toBe(Math.ceil(0.99 * 256 * MIB));
    // Never reaching the threshold: the whole curve's extent (more memory would not help).
    expect(workingSetPages(vm(64, 1000, { mrc: [1, 0.5, 0.5] }), 0.01)).toBe(128 * MIB);
  });

  it('when everything fits, each gets its WSS and the spare is shared ∝ WSS (§6)', () => {
    // WSS 506.9 and 253.4 MiB on 1024 MiB: the spare 263.7 MiB goes 2 : 1 → 682.7 and 341.3 MiB.
    const m = memoryMiB([vm(512), vm(256)], 1024);
    expect(m[0]).toBeCloseTo(682.7, 1);
    expect(m[1]).toBeCloseTo(341.3, 1);
    expect(m[0]! + m[1]!).toBeLessThanOrEqual(1024);
  });

  it('shares the spare without passing anyone’s configured size', () => {
    // Ample host: both at their 1 GiB maximum; nothing is ballooned.
    const d = decideOnce(
      mebPolicy,
      O,
      observation({ guests: [vm(512), vm(256)], hostTotalPages: 8192 * MIB }),
    );
    expect(d).toEqual([0, 0]);
  });

  it('greedy gives memory to the steeper curve first (§6)', () => {
    // 256 MiB: both start at their 64 MiB Minimum; B loses 1/256 of its accesses per MiB, A only
    // 1/512, so all 128 spare MiB go to B.
    expect(memoryMiB([vm(512), vm(256)], 256)).toEqual([64, 192]);
    // 512 MiB: B is filled up to its 256 MiB knee (192 MiB), after which it gains nothing; A gets
    // the other 192 MiB.
    expect(memoryMiB([vm(512), vm(256)], 512)).toEqual([256, 256]);
  });

  it('weighs the curve by the access rate: A at 4000 accesses/s outbids the steeper B', () => {
    // A saves 4000/512 ≈ 7.8 misses/s per MiB, B 1000/256 ≈ 3.9: all 384 spare MiB go to A.
    expect(memoryMiB([vm(512, 4000), vm(256, 1000)], 512)).toEqual([448, 64]);
  });

  it('counts the kernel reserve on top of the working set', () => {
    // 32 MiB reserve + WSS 253.4 MiB; with no spare to share (host = Σ need) that is all it gets.
    const g = vm(256, 1000, { reservedPages: 32 * MIB });
    const need = 32 * MIB + workingSetPages(g, 0.01);
    expect(mebAllocate([g], need, O)).toEqual([need]);
  });

  it('never goes below the Minimum even when the host is short', () => {
    expect(memoryMiB([vm(512), vm(256)], 100)).toEqual([64, 64]);
  });
});
