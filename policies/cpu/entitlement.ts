/**
 * vCPU counts per guest, shared by the schedulers' entitlement figures (the water-filling itself is
 * in policies/shared/water-fill.ts, which balloon policies use too).
 */

/** vCPU counts per guest, from a topology's vCPU list. */
export function vcpusPerGuest(guests: number, vcpus: readonly { guest: number }[]): number[] {
  const n = new Array<number>(guests).fill(0);
  for (const v of vcpus) n[v.guest]! += 1;
  return n;
}
