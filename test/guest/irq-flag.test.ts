// The guest's masked sections and the interrupts that wait for them (sim/guest/irq-flag.ts), by
// the header's worked example: at 5 ‰, the 200th device interrupt or IPI reaching a busy vCPU is
// the first deferred and 1,000 defer 5, however they are batched; halted vCPUs and timer
// interrupts defer none.
import { describe, expect, it } from 'vitest';
import { IrqFlagModel, IRQ_FLAG_ASSUMPTIONS } from '../../sim/guest/irq-flag.js';
import type { IrqFlagWork, ParavirtOps } from '../../sim/abi/types.js';

function recorder() {
  const work: { vcpu: number; w: IrqFlagWork }[] = [];
  const ops = {
    irqFlag: (vcpu: number, w: IrqFlagWork) => void work.push({ vcpu, w }),
  } as unknown as ParavirtOps;
  const deferred = (vcpu: number) =>
    work.filter((x) => x.vcpu === vcpu).reduce((a, x) => a + x.w.deferred, 0);
  return { ops, work, deferred };
}

describe('masked sections and deferred interrupts', () => {
  it('defers 5 ‰ of the events that reach a busy vCPU, the 200th first, whatever the batching', () => {
    expect(IRQ_FLAG_ASSUMPTIONS.maskedPerMille).toBe(5);
    const one = recorder();
    const m = new IrqFlagModel(one.ops, 2);
    for (let i = 0; i < 199; i++) m.interrupts(0, 1, true);
    expect(one.deferred(0)).toBe(0);
    m.interrupts(0, 1, true);
    expect(one.deferred(0)).toBe(1);
    for (let i = 0; i < 800; i++) m.interrupts(0, 1, true);
    expect(one.deferred(0)).toBe(5);
    const batched = recorder();
    const b = new IrqFlagModel(batched.ops, 2);
    b.interrupts(0, 137, true);
    b.interrupts(0, 863, true);
    expect(batched.deferred(0)).toBe(5);
    // Each interrupt: its return, one disable pair and one save pair on the way out.
    expect(batched.work[0]!.w).toEqual({ returns: 137, disables: 137, saves: 137, deferred: 0 });
  });

  it('defers nothing on a halted vCPU or for timer interrupts, and counts per vCPU', () => {
    const { ops, deferred } = recorder();
    const m = new IrqFlagModel(ops, 2);
    m.interrupts(0, 1000, false);
    m.interrupts(1, 199, true);
    expect([deferred(0), deferred(1)]).toEqual([0, 0]);
  });

  it('prices sleeps, bursts and IPIs sent as the kernel paths they stand for', () => {
    const { ops, work } = recorder();
    const m = new IrqFlagModel(ops, 1);
    m.sleep(0);
    m.burst(0);
    m.ipiSent(0);
    expect(work.map((x) => x.w)).toEqual([
      { returns: 0, disables: 2, saves: 1, deferred: 0 },
      { returns: 0, disables: 0, saves: 4, deferred: 0 },
      { returns: 0, disables: 0, saves: 1, deferred: 0 },
    ]);
  });
});
