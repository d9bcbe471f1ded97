/**
 * XenLinux 3.0.4's balloon driver (linux-2.6-xen-sparse drivers/xen/balloon/balloon.c; reference
 * memory-balloon.md §3.2 and fidelity-review.md S5), as the guest runs it:
 *  - its target comes from a xenbus watch on memory/target: watch_target → set_new_target →
 *    schedule_work(balloon_process), so the driver acts when the target changes (`targetChanged`),
 *    not at a poll;
 *  - balloon_process loops `credit = target − current` until it is at its target or a step
 *    reports need_sleep, moving at most one page of frame numbers (1,024 on i386) per step:
 *    decrease_reservation (the balloon grows) allocates pages with alloc_page(GFP_HIGHUSER), which
 *    may reclaim — no rate limit — and stops at the first that fails; increase_reservation (the
 *    balloon shrinks) takes them back with populate_physmap and stops if Xen gives fewer;
 *  - the per-page work of each step is the interface's (ParavirtOps.balloonInflate/Deflate with the
 *    lowmem pages among them: one update_va_mapping per lowmem page, flush_tlb_all per decrease;
 *    sim/abi/xen/xen-ops.ts);
 *  - if it is not at its target when the loop ends, mod_timer(&balloon_timer, jiffies + HZ)
 *    runs it again after a fixed `retryNs` (`retry`), however often it failed.
 * Lowmem: GFP_HIGHUSER takes highmem first, so a step's lowmem pages are those by which the
 * balloon's lowmem part grows (GuestMemory.balloonLowmemPages); balloon_append queues lowmem pages
 * at the head of the list, so increase_reservation gives lowmem back first.
 */
import type { ParavirtOps } from '../abi/types.js';
import type { GuestMemory } from './memory.js';

export interface XenBalloonRun {
  /** Pages moved either way. */
  moved: number;
  /** True if the driver is not at its target: its timer runs it again after retryNs. */
  retry: boolean;
}

export class XenBalloonDriver {
  /** target_pages as the driver last read it from memory/target, as a balloon size (pages). */
  private targetBalloonPages: number;
  /** Runs that ended with need_sleep (an allocation or Xen refused). */
  failures = 0;

  constructor(
    private readonly mem: GuestMemory,
    private readonly ops: ParavirtOps,
    private readonly batchPages: number,
  ) {
    this.targetBalloonPages = mem.balloonPages;
  }

  /** The watch fired: read memory/target (a xenstore read), then balloon_process. */
  targetChanged(): XenBalloonRun {
    this.targetBalloonPages = this.ops.balloonTarget();
    return this.process();
  }

  /** The balloon timer expired: balloon_process with the target it has. */
  retry(): XenBalloonRun {
    return this.process();
  }

  private process(): XenBalloonRun {
    const mem = this.mem;
    let moved = 0;
    let needSleep = false;
    while (!needSleep && mem.balloonPages !== this.targetBalloonPages) {
      if (this.targetBalloonPages > mem.balloonPages) {
        const n = Math.min(this.targetBalloonPages - mem.balloonPages, this.batchPages);
        const lowBefore = mem.balloonLowmemPages;
        const got = mem.inflate(n, n);
        const done = got > 0 ? this.ops.balloonInflate(got, mem.balloonLowmemPages - lowBefore) : 0;
        // Pages the hypervisor did not take go back to the guest's free memory.
        if (done < got) mem.deflate(got - done);
        moved += done;
        needSleep = got < n || done < got;
      } else {
        const n = Math.min(mem.balloonPages - this.targetBalloonPages, this.batchPages);
        const done = mem.deflate(this.ops.balloonDeflate(n, Math.min(n, mem.balloonLowmemPages)));
        moved += done;
        needSleep = done < n;
      }
    }
    if (needSleep) this.failures += 1;
    return { moved, retry: mem.balloonPages !== this.targetBalloonPages };
  }
}
