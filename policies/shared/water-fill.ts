/**
 * Entitlement under full contention, shared by the CPU schedulers and by balloon policies that
 * divide memory the same way: the host's pCPUs divided among
 * guests in proportion to their weights, no guest getting more than its ceiling (its vCPU count,
 * or a cap or limit), the excess going to the others in proportion again ("water-filling", as
 * Xen credit's accounting hands a capped domain's surplus to the domains after it and as ESX
 * divides a limited VM's unused entitlement):
 *   share_i = min(ceiling_i, T_left × w_i / Σ_{j not fixed} w_j), repeated until nobody is over.
 * Example: 2 pCPUs, weights 256 / 256 / 512, one vCPU each (ceiling 1): the 512 guest would get
 * 1, which fits; the others 0.5 each.
 */

/** Per guest: a weight ≥ 0 and a ceiling ≥ 0, both in the same unit as `totalPcpus`. */
export function waterFill(
  weights: readonly number[],
  ceilings: readonly number[],
  totalPcpus: number,
): number[] {
  const out = weights.map(() => 0);
  const open = new Set(weights.map((_, i) => i).filter((i) => weights[i]! > 0 && ceilings[i]! > 0));
  let left = totalPcpus;
  for (;;) {
    let wsum = 0;
    for (const i of open) wsum += weights[i]!;
    if (open.size === 0 || left <= 0 || wsum <= 0) return out;
    const over = [...open].filter((i) => (left * weights[i]!) / wsum >= ceilings[i]!);
    if (over.length === 0) {
      for (const i of open) out[i] = (left * weights[i]!) / wsum;
      return out;
    }
    for (const i of over) {
      out[i] = ceilings[i]!;
      left -= ceilings[i]!;
      open.delete(i);
    }
  }
}
