/**
 * The timekeeping choice of a guest kernel that a run specification names beside its clock: how
 * the clock is kept in step with true time (sim/guest/timekeeping.ts models it). It lives with the
 * specification, below the guest model, so the experiment loader, the spec and the model share one
 * list. The clocks themselves are declared by the paravirtual interfaces (sim/abi/registry.ts).
 */
export const TIME_SYNCS = ['none', 'ntp', 'tools'] as const;
export type TimeSync = (typeof TIME_SYNCS)[number];
