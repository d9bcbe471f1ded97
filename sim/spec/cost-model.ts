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
  /**
   * The hypervisor's work on one page-table entry the guest changed, beyond the call that carried
   * it: Xen validating it (get_page_from_l1e, type counts), VMware's monitor updating its shadow.
   */
  pteUpdateCycles: number;
  /**
   * Xen emulating one guest write that faulted on a pinned page table (ptwr_do_page_fault,
   * x86_emulate), beyond the fault's trap (`hypercallCycles`) and the entry's `pteUpdateCycles`.
   */
  ptwrEmulateCycles: number;
}
