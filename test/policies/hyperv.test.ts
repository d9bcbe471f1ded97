// Hyper-V Dynamic Memory's balancer on hand-made hosts. Rules from reference/memory-balloon.md §5:
// buffer 20 % by default (allowed 5–2000), target ≈ committed · (1 + buffer/100) clamped to
// [Minimum, Maximum], memory above demand (the buffer, and no more) only if the host has it,
// divided by weight under contention, rebalanced about every second. Weight is WMI Weight (1–10000, default 5000).
import { describe, expect, it } from 'vitest';
import { hypervPolicy, hypervWant, weightedFill, type HypervOptions } from '../../policies/balloon/hyperv.js';
import { MIB, guestView, observation, decideOnce, made } from '../helpers/balloon-obs.js';

const O: HypervOptions = hypervPolicy.options.parse({});

/** A VM with Minimum `min`, Maximum `max` and `committed` MiB of demand. */
const vm = (min: number, max: number, committed: number, weight = 5000) =>
  guestView({
    minPages: min * MIB,
    memoryPages: max * MIB,
    committedPages: committed * MIB,
    anonPages: 0,
    weight,
  });

/** Memory (MiB) each guest keeps under the policy on a host of `hostMiB`. */
function memoryMiB(guests: ReturnType<typeof vm>[], hostMiB: number, o = O): number[] {
  const d = decideOnce(hypervPolicy, o, observation({ guests, hostTotalPages: hostMiB * MIB }));
  return d.map((t, i) => (guests[i]!.memoryPages - t) / MIB);
}

describe('hyperv', () => {
  it('declares buffer 20 % and a 1 s period (§5); the buffer is bounded to 5–2000', () => {
    expect(O.buffer).toBe(20);
    expect(made(hypervPolicy, O).periodNs).toBe(1e9);
    expect(hypervPolicy.options.safeParse({ buffer: 4 }).success).toBe(false);
    expect(hypervPolicy.options.safeParse({ buffer: 2001 }).success).toBe(false);
  });

  it('sizes a VM at committed · (1 + buffer/100): 1000 MiB of demand wants 1200 MiB (§5)', () => {
    expect(hypervWant(vm(512, 4096, 1000), 20)).toBe(1200 * MIB);
    expect(hypervWant(vm(512, 4096, 1000), 50)).toBe(1500 * MIB);
    // A host that holds exactly the wants: each VM gets its demand plus buffer, no more.
    expect(memoryMiB([vm(512, 4096, 1000), vm(256, 4096, 500)], 1800)).toEqual([1200, 600]);
  });

  it('never sizes below Minimum or above Maximum (§5)', () => {
    expect(hypervWant(vm(512, 4096, 100), 20)).toBe(512 * MIB); // 120 MiB < Minimum
    expect(hypervWant(vm(512, 2048, 3000), 20)).toBe(2048 * MIB); // 3600 MiB > Maximum
    // Plenty of host memory: each VM gets its clamped want, 1200 MiB and Maximum 1024 (< 1200).
    expect(memoryMiB([vm(512, 2048, 1000), vm(256, 1024, 1000)], 64 * 1024)).toEqual([1200, 1024]);
  });

  it('hands out no spare host memory beyond the buffer (§5: the buffer is the memory above demand)', () => {
    // Wants 1200 + 600 on 2400 MiB: the 600 MiB spare stay with the host, whatever the weights;
    // on a host of 8 GiB the same. Each VM's balloon holds Maximum − want: 2896 and 3496 MiB.
    const guests = [vm(256, 4096, 1000, 10_000), vm(256, 4096, 500, 5000)];
    expect(memoryMiB(guests, 2400)).toEqual([1200, 600]);
    expect(memoryMiB(guests, 8192)).toEqual([1200, 600]);
  });

  it('divides memory by weight under contention: 2048 MiB at 2:1 → 1365.3 and 682.7 MiB (§5)', () => {
    const guests = [vm(256, 2048, 2000, 10_000), vm(256, 2048, 2000, 5000)];
    const m = memoryMiB(guests, 2048);
    expect(m[0]).toBeCloseTo(1365.3, 1);
    expect(m[1]).toBeCloseTo(682.7, 1);
    expect(m[0]! + m[1]!).toBeLessThanOrEqual(2048);
  });

  it('under contention a light VM keeps its Minimum and a heavy one never gets more than it wants', () => {
    // Weight 100 alone would give ~10 MiB: held at its 256 MiB Minimum; the other takes the rest.
    expect(memoryMiB([vm(256, 2048, 2000, 10_000), vm(256, 2048, 2000, 100)], 1024)).toEqual([768, 256]);
    // The heavy VM wants only 600 MiB: capped there, the rest goes to the light one.
    expect(memoryMiB([vm(256, 2048, 500, 10_000), vm(256, 2048, 2000, 100)], 1600)).toEqual([600, 1000]);
  });

  it('gives every VM its Minimum when even the Minimums do not fit', () => {
    expect(memoryMiB([vm(256, 2048, 2000), vm(256, 2048, 2000)], 300)).toEqual([256, 256]);
    expect(weightedFill([1, 1], [10, 10], [50, 50], 5)).toEqual([10, 10]);
  });

  it('keeps the host reserve out of the guests’ share', () => {
    const o = hypervPolicy.options.parse({ hostReserve: '448MiB' });
    // 2048 − 448 = 1600 MiB at 1 : 1 → 800 each.
    expect(memoryMiB([vm(256, 2048, 2000), vm(256, 2048, 2000)], 2048, o)).toEqual([800, 800]);
  });
});
