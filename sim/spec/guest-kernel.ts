/**
 * The timekeeping choices of a guest kernel that a run specification names: how the guest keeps
 * its clock and how it is kept in step with true time (sim/guest/timekeeping.ts models both).
 * They live with the specification, below the guest model, so the experiment loader, the spec and
 * the model share one list.
 */
export const CLOCK_KINDS = ['tick-counting', 'vmi', 'xen-pvclock'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];
export const TIME_SYNCS = ['none', 'ntp', 'tools'] as const;
export type TimeSync = (typeof TIME_SYNCS)[number];
