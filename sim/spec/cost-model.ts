/**
 * The cost model's shape: how many cycles each kind of paravirtual transition costs. A run
 * specification carries the resolved numbers; the presets and their sources are in
 * sim/abi/costs.ts, which charges them.
 */
/** Cycles charged per kind of transition. All fields ≥ 0. */
export interface CostModel {
  /** A VMI call completed by the ROM in the guest's address space (no world switch). */
  vmiCallCycles: number;
  /** A transition that leaves the guest: a VMI call that must exit, an I/O-port access. */
  exitCycles: number;
  /** A Xen hypercall trap and return. */
  hypercallCycles: number;
  /** Copying guest memory into the hypervisor (trap tables, extent lists), per byte. */
  copyCyclesPerByte: number;
  /** Handing one page to the hypervisor or taking it back, beyond the call itself. */
  pageCycles: number;
}
