// The guest's masked sections and the interrupts that wait for them (sim/guest/irq-flag.ts), by
// the header's worked example: 2,000 cycles per section on a 3,000 MHz host is 2/3 µs masked; with
// 2,000 sections over 1 s of CPU the vCPU is masked 1.333 ms per s, so 1,000 interrupts on a busy
// vCPU defer 1.333 of them: 1 delivery, 0.333 carried — and 2,000 more defer 2.667 + 0.333 = 3.
import { describe, expect, it } from 'vitest';
import { IrqFlagModel, IRQ_FLAG_ASSUMPTIONS } from '../../sim/guest/irq-flag.js';
import type { IrqFlagWork, ParavirtOps } from '../../sim/abi/types.js';

function recorder() {
  const work: { vcpu: number; w: IrqFlagWork }[] = [];
  const ops = {
    irqFlag: (vcpu: number, w: IrqFlagWork) => void work.push({ vcpu, w }),
  } as unknown as ParavirtOps;
  return { ops, work };
}

const A = IRQ_FLAG_ASSUMPTIONS;

describe('masked sections and deferred interrupts', () => {
  it('defers interrupts on a busy vCPU in proportion to its masked time, carrying the fraction', () => {
    const { ops, work } = recorder();
    const m = new IrqFlagModel(ops, 2, 3000);
    // 2,000 sections: 500 bursts of 4 system calls, one save pair each.
    for (let i = 0; i < 500; i++) m.burst(0);
    expect(A.syscallsPerBurst * A.savesPerSyscall).toBe(4);
    work.length = 0;
    m.interrupts(0, 1000, 1e9);
    expect(work).toEqual([{ vcpu: 0, w: { returns: 1000, disables: 1000, saves: 1000, deferred: 1 } }]);
    // The 1,000 interrupts' own 2,000 sections mask 4,000 × 2/3 µs = 2.667 ms over 2 s of CPU:
    // p = 1/750; 2,000 more defer 2.667 + 0.333 carried = 3.
    m.interrupts(0, 2000, 2e9);
    expect(work[1]!.w.deferred).toBe(3);
  });

  it('defers nothing on a halted vCPU, and nothing on another vCPU than the one masking', () => {
    const { ops, work } = recorder();
    const m = new IrqFlagModel(ops, 2, 3000);
    for (let i = 0; i < 500; i++) m.burst(0);
    m.interrupts(0, 1000, 0);
    m.interrupts(1, 1000, 1e9);
    expect(work.slice(-2).map((x) => x.w.deferred)).toEqual([0, 0]);
  });

  it('prices sleeps and IPIs sent as the kernel paths they stand for', () => {
    const { ops, work } = recorder();
    const m = new IrqFlagModel(ops, 1, 3000);
    m.sleep(0);
    m.ipiSent(0);
    expect(work.map((x) => x.w)).toEqual([
      { returns: 0, disables: 2, saves: 1, deferred: 0 },
      { returns: 0, disables: 0, saves: 1, deferred: 0 },
    ]);
  });
});
