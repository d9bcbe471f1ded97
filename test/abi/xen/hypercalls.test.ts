// Hypervisor-side hypercall semantics: set_timer_op's special cases, the nmi_op rule, and
// reservation partial completion (reference/time-cpu-abi.md §2.2, §2.6, §2.8;
// reference/memory-balloon.md §3.1).
import { describe, expect, it } from 'vitest';
import {
  decreaseReservation,
  increaseReservation,
  nmiRegisterCallback,
  setTimerOp,
  type DomainPages,
} from '../../../sim/abi/xen/hypercalls.js';
import { DOMID_SELF } from '../../../sim/abi/xen/constants.js';

const NOW = 5e9;

describe('set_timer_op', () => {
  it('0 cancels', () => expect(setTimerOp(NOW, 0)).toEqual({ kind: 'cancel' }));
  it('an absolute time ahead arms the timer for it', () =>
    expect(setTimerOp(NOW, NOW + 4e6)).toEqual({ kind: 'arm', atNs: NOW + 4e6 }));
  it('a time already past fires now', () =>
    expect(setTimerOp(NOW, NOW - 1)).toEqual({ kind: 'arm', atNs: NOW }));
  it('negative fires in 100 ms', () =>
    expect(setTimerOp(NOW, -1)).toEqual({ kind: 'arm', atNs: NOW + 100e6 }));
  it('more than 2^50 ns ahead fires in 100 ms; exactly 2^50 ahead is honoured', () => {
    expect(setTimerOp(NOW, NOW + 2 ** 50 + 1)).toEqual({ kind: 'arm', atNs: NOW + 100e6 });
    expect(setTimerOp(NOW, NOW + 2 ** 50)).toEqual({ kind: 'arm', atNs: NOW + 2 ** 50 });
  });
});

describe('nmi_op(XENNMI_register_callback)', () => {
  it('succeeds only for domain 0, vCPU 0; EINVAL (−22) otherwise', () => {
    expect(nmiRegisterCallback(0, 0)).toBe(0);
    expect(nmiRegisterCallback(0, 1)).toBe(-22);
    expect(nmiRegisterCallback(3, 0)).toBe(-22);
  });
});

const dom = (over: Partial<DomainPages> = {}): DomainPages => ({
  domid: 3,
  totPages: 1000,
  maxPages: 1010,
  privileged: false,
  ...over,
});

describe('memory_op reservations', () => {
  it('increase stops at max_pages and returns the extents done', () => {
    const r = increaseReservation(dom(), { domid: DOMID_SELF, nrExtents: 25, extentOrder: 0 }, 1e6);
    expect(r).toEqual({ ret: 10, pages: 10 });
  });

  it('increase stops when the host runs out of frames', () => {
    const r = increaseReservation(
      dom({ maxPages: 5000 }),
      { domid: DOMID_SELF, nrExtents: 25, extentOrder: 0 },
      7,
    );
    expect(r).toEqual({ ret: 7, pages: 7 });
  });

  it('an extent order the host refuses does nothing', () => {
    const r = increaseReservation(
      dom({ maxPages: 5000 }),
      { domid: DOMID_SELF, nrExtents: 4, extentOrder: 2 },
      1e6,
    );
    expect(r).toEqual({ ret: 0, pages: 0 });
    // With order-2 extents allowed, each extent is 4 pages.
    expect(
      increaseReservation(
        dom({ maxPages: 1010 }),
        { domid: DOMID_SELF, nrExtents: 4, extentOrder: 2 },
        1e6,
        2,
      ),
    ).toEqual({
      ret: 2,
      pages: 8,
    });
  });

  it('an unprivileged guest naming another domain gets EPERM (−1); dom0 may', () => {
    expect(increaseReservation(dom(), { domid: 7, nrExtents: 1, extentOrder: 0 }, 1e6).ret).toBe(-1);
    expect(
      increaseReservation(dom({ privileged: true }), { domid: 7, nrExtents: 1, extentOrder: 0 }, 1e6).ret,
    ).toBe(1);
  });

  it('decrease completes partially at the first frame that is not the domain’s, or unaligned', () => {
    const owned = new Set([10, 11, 12, 13, 20, 24]);
    const args = { domid: DOMID_SELF, nrExtents: 4, extentOrder: 0 };
    expect(decreaseReservation(dom(), args, [10, 11, 99, 12], (f) => owned.has(f))).toEqual({
      ret: 2,
      pages: 2,
    });
    expect(decreaseReservation(dom(), args, [10, 11, 12, 13], (f) => owned.has(f))).toEqual({
      ret: 4,
      pages: 4,
    });
    // Order 2 (4-page extents): frame 20 is aligned, 13 is not.
    const a2 = { domid: DOMID_SELF, nrExtents: 2, extentOrder: 2 };
    expect(decreaseReservation(dom(), a2, [20, 13], (f) => owned.has(f), 2)).toEqual({ ret: 1, pages: 4 });
  });
});
