/**
 * The host's side of an event-driven balloon driver (XenLinux's, sim/guest/xen-balloon.ts): when
 * the balloon policy changes a guest's target, the toolstack writes memory/target and the guest's
 * xenbus watch fires — modelled as an event at that instant that runs the driver; while the
 * driver is not at its target it re-arms its own timer for Guest.balloonRetryNs later (mod_timer(jiffies +
 * HZ)), which replaces any expiry still pending, as mod_timer does. A timer still pending when a
 * new target arrives stays armed and runs the driver again when it expires (balloon.c never
 * deletes it; a run at its target does nothing). Guests whose driver polls are left alone.
 */
import type { Simulator } from '../kernel/index.js';
import { NO_EVENT, type EventHandle } from '../kernel/event-queue.js';
import type { Guest } from '../guest/guest.js';

export class BalloonWatch {
  private readonly kindWatch: number;
  private readonly kindTimer: number;
  private readonly timer: EventHandle[];

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly sim: Simulator<any>,
    private readonly guests: readonly Guest[],
    /** Called after a run that moved pages (the host settles the guest's frames). */
    private readonly moved: (gi: number) => void,
    private readonly prio: number,
  ) {
    this.timer = guests.map(() => NO_EVENT);
    const name = (gi: number) => `guest ${guests[gi]?.name ?? gi}`;
    this.kindWatch = sim.registerHandler(
      (gi) => this.run(gi, 'target'),
      (gi) => `${name(gi)}'s balloon driver, woken by its memory/target watch`,
    );
    this.kindTimer = sim.registerHandler(
      (gi) => {
        this.timer[gi] = NO_EVENT;
        this.run(gi, 'timer');
      },
      (gi) => `${name(gi)}'s balloon driver, woken by its 1 s retry timer`,
    );
  }

  /** Guest `gi`'s target changed now. */
  targetChanged(gi: number): void {
    if (this.guests[gi]!.balloonWatches) this.sim.schedule(this.sim.nowNs, this.kindWatch, gi, 0, this.prio);
  }

  private run(gi: number, cause: 'target' | 'timer'): void {
    const r = this.guests[gi]!.balloonRun(cause);
    if (r.moved > 0) this.moved(gi);
    if (!r.retry) return;
    if (this.timer[gi] !== NO_EVENT) this.sim.cancel(this.timer[gi]!);
    this.timer[gi] = this.sim.schedule(
      this.sim.nowNs + this.guests[gi]!.balloonRetryNs,
      this.kindTimer,
      gi,
      0,
      this.prio,
    );
  }
}
