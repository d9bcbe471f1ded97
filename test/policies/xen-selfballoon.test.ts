// Xen selfballooning driven call by call. Numbers are the worked example of
// reference/memory-balloon.md §3.3 (drivers/xen/xen-selfballoon.c): a 256 MB guest (65 536 pages),
// Committed_AS 80 MB, totalreserve 2 MB → goal 20 992, first step 59 968 pages, floor 17 600 pages.
import { describe, expect, it } from 'vitest';
import {
  selfballoonFloor,
  selfballoonStep,
  xenSelfballoonPolicy,
  type XenSelfballoonOptions,
} from '../../policies/balloon/xen-selfballoon.js';
import { MIB, guestView, observation, decideOnce, made } from '../helpers/balloon-obs.js';

const O: XenSelfballoonOptions = xenSelfballoonPolicy.options.parse({});

// §3.3: 256 MB guest, Committed_AS = 80 MB, reserve = 2 MB.
const example = (o: Parameters<typeof guestView>[0] = {}) =>
  guestView({ memoryPages: 65_536, reservedPages: 2 * MIB, committedPages: 80 * MIB, anonPages: 0, ...o });

describe('xen-selfballoon', () => {
  it('declares the driver defaults: down 8, up 1, every 5 s, no min_usable, no reserved', () => {
    expect(O).toEqual({ downHysteresis: 8, upHysteresis: 1, interval: 5e9, minUsable: 0, reserved: 0 });
    expect(made(xenSelfballoonPolicy, O).periodNs).toBe(5e9);
  });

  it('first step of the 256 MB example: 65 536 − 44 544/8 = 59 968 pages (§3.3)', () => {
    expect(selfballoonStep(65_536, 20_992, 8, 1)).toBe(59_968);
    const d = decideOnce(xenSelfballoonPolicy, O, observation({ guests: [example()] }));
    expect(d).toEqual([65_536 - 59_968]);
  });

  it('piecewise floor of the 256 MB example: 17 600 pages (§3.3)', () => {
    expect(selfballoonFloor(65_536, 512)).toBe(17_600);
  });

  it('floor branches: not worth ballooning below 16 MB useful, ~3 % slope above 512 MB, min_usable', () => {
    expect(selfballoonFloor(10 * MIB, 512)).toBe(10 * MIB);
    expect(selfballoonFloor(32 * MIB, 0)).toBe(16 * MIB + 8 * MIB); // 16 MB + (32 − 16)/2
    expect(selfballoonFloor(1123 * MIB, 0)).toBe(99 * MIB + 32 * MIB); // 99 MB + (1123 − 99)/32
    expect(selfballoonFloor(65_536, 512, 100 * MIB)).toBe(512 + 100 * MIB);
  });

  it('never goes below the floor: a guest whose goal is under it is held at 17 600 pages', () => {
    // Holding 17 700 pages with a goal of 1 MB + 2 MB, the step would go down to ~15 600 pages.
    const tiny = example({ committedPages: 1 * MIB, balloonPages: 65_536 - 17_700 });
    const d = decideOnce(xenSelfballoonPolicy, O, observation({ guests: [tiny] }));
    expect(d).toEqual([65_536 - 17_600]);
  });

  it('up-hysteresis 1 jumps the whole gap in one step (§3.3)', () => {
    expect(selfballoonStep(30_000, 50_000, 8, 1)).toBe(50_000);
    // The guest holds 30 000 pages and its goal is 50 000 + 512: the balloon shrinks at once.
    const g = example({ committedPages: 50_000, balloonPages: 65_536 - 30_000 });
    const d = decideOnce(xenSelfballoonPolicy, O, observation({ guests: [g] }));
    expect(d).toEqual([65_536 - 50_512]);
  });

  it('down-hysteresis 8 gives back 1/8 of the excess per step (§3.3)', () => {
    expect(selfballoonStep(28_992, 20_992, 8, 1)).toBe(28_992 - 1000);
    // Repeated steps approach the goal geometrically: excess × (7/8)^k.
    let cur = 65_536;
    for (let k = 0; k < 3; k++) cur = selfballoonStep(cur, 20_992, 8, 1);
    expect(cur).toBe(59_968 - 4_872 - 4_263); // 44 544 → 38 976 → 34 104 → 29 841 excess
    expect(cur - 20_992).toBe(29_841);
  });

  it('the reserved option raises the goal; a goal above the configured size leaves no balloon', () => {
    const o = xenSelfballoonPolicy.options.parse({ reserved: '16MiB' });
    expect(o.reserved).toBe(16 * 2 ** 20);
    const big = example({ committedPages: 70_000, balloonPages: 10_000 });
    expect(decideOnce(xenSelfballoonPolicy, o, observation({ guests: [big] }))).toEqual([0]);
  });
});
