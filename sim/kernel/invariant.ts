/**
 * A broken model invariant, as people should read it: what is wrong (`subject`: the guest, vCPU
 * or host it concerns, named as the experiment names it), what was found and the invariant in
 * words. Models throw it from their checks; the run adds the simulated time and the event
 * (sim/host/run.ts). Nothing here knows what a guest is: subjects are plain text.
 */
export class InvariantError extends Error {
  constructor(
    /** Who it concerns, e.g. `guest web-3`, `guest web-3 vCPU 1`, `host`. */
    readonly subject: string,
    /** What was found, e.g. `host-swapped pages -12, outside 0..40`. */
    readonly found: string,
    /** The invariant in words, e.g. `0 ≤ host-swapped ≤ memory − balloon − untouched`. */
    readonly invariant: string,
  ) {
    super(`${subject}: ${found} (invariant: ${invariant})`);
    this.name = 'InvariantError';
  }
}
