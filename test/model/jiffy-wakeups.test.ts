// Wake-ups on jiffy boundaries (issue 21, fidelity review S4): a sleeping task's timer expires in
// the timer interrupt of the jiffy it falls in, so a guest wakes at a jiffy boundary, not at the
// instant it asked for. Tickless kernels arm their one-shot at that jiffy (XenLinux stop_hz_timer:
// set_timer_op(jiffies_to_st(next)); 2.6.21 vmi_stop_hz_timer: real_cycles_accounted_system +
// (next − jiffies) × cycles_per_jiffy), a tick-counting kernel wakes at its periodic tick. Guests
// whose sleeps end within the same jiffy therefore wake together, and the scheduler sees them
// runnable at once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import { scratch } from '../helpers/cli.js';

const MS = 1_000_000;

/**
 * A `trace` workload at 10 % of one vCPU in slots of `quantumMs`: each slot runs 0.1 × quantum of
 * work from its start, then sleeps to the slot's end (workloads/trace.ts).
 */
function traceFile(): string {
  const f = join(scratch(), 'ten-percent.csv');
  writeFileSync(f, 'time_s,cpu_pct,memory_mib\n0,10,16\n1,10,16\n');
  return f;
}

/** Guests on one pCPU, HZ 100, each with the 10 % trace in slots of the given lengths. */
function host(abi: string, clock: string, quantaMs: number[]): string {
  const file = traceFile();
  const guests = quantaMs
    .map(
      (q, i) =>
        `  - { name: g${i}, memory: 256MiB, kernel: { hz: 100, clock: ${clock} }, workload: { type: trace, file: '${file}', quantum: ${q}ms } }`,
    )
    .join('\n');
  return `
name: t
duration: 1s
sampleInterval: 100ms
host: { pcpus: 1, memory: 4GiB, abi: ${abi} }
guests:
${guests}
`;
}

/**
 * Per guest, each instant a vCPU was made runnable and how long it then waited for the pCPU. The
 * instants are rounded to the µs: Xen fires a deadline when the guest's pvclock reads it, which
 * its scaling can put 1 ns after the true instant (sim/abi/xen/xen-ops.ts trueTimeOf).
 */
function wakes(yaml: string) {
  const out: { guest: number; wokeNs: number; waitedNs: number }[] = [];
  const r = simulate(spec(yaml), {
    checkInvariants: true,
    subscribe: (t) =>
      t.on(
        'vcpu.wake-to-run',
        (e) =>
          void out.push({
            guest: e.guest,
            wokeNs: Math.round((e.atNs - e.waitedNs) / 1000) * 1000,
            waitedNs: e.waitedNs,
          }),
      ),
  });
  expect(r.status, r.error).toBe('ok');
  return { out, summary: r.summary! };
}

const KERNELS: [string, string][] = [
  ['xen', 'xen-pvclock'],
  ['vmi', 'vmi'],
  ['xen', 'tick-counting'],
];

describe('a sleep ends at the jiffy its timer expires in', () => {
  for (const [abi, clock] of KERNELS) {
    it(`${clock} over ${abi}: a sleep from 1.5 ms to 15 ms at HZ 100 wakes at 20 ms`, () => {
      // By hand: one guest, slots of 15 ms: it runs 1.5 ms (plus its boot's few µs of interface
      // calls) and sleeps until 15 ms. Jiffies are 10 ms; nothing has advanced them since boot (no
      // alarm, VIRQ or tick before 10 ms), so jiffies = 0. Tickless: next = 0 + ⌈13.5 / 10⌉ = 2
      // jiffies, over VMI's HZ/100 = 1 (so not kept periodic): the one-shot goes at 2 × 10 = 20 ms.
      // Tick-counting: the ticks at 10 and 20 ms wake the halted vCPU; the hrtimer has expired at
      // the second. Before, the guest woke at 15 ms. Timer delay: 20 − 15 = 5 ms.
      const { out } = wakes(host(abi, clock, [15]));
      const woke = out.map((w) => w.wokeNs).filter((t) => t > 10 * MS && t <= 20 * MS);
      expect(woke).toEqual([20 * MS]);
    });
  }

  it('reports the lateness as timer delay (Xen: 5 ms for the first sleep)', () => {
    // The first sleep's 5 ms (above); the run's later sleeps add theirs. Slots of 15 ms: the next
    // one's work starts at 20 ms (late), runs to 21.5 ms, and sleeps to 30 ms: jiffies 2,
    // ⌈8.5 / 10⌉ = 1, a one-shot at 30 ms, on time. Then 45 → 50 (5 ms), 60 on time, … : 5 ms per
    // 30 ms, so 1 s holds 33 such delays (expiries 15, 45, …, 975 ms; 1005 ms is past the run), 165 ms in all.
    const { summary } = wakes(host('xen', 'xen-pvclock', [15]));
    expect(summary.guests[0]!.timerDelayS * 1000).toBeCloseTo(165, 6);
  });
});

describe('sleeps ending within one jiffy wake together', () => {
  for (const [abi, clock] of KERNELS) {
    it(`${clock} over ${abi}: three guests due at 14, 15 and 16 ms all wake at 20 ms, and queue`, () => {
      // By hand: slots of 14, 15 and 16 ms, so 1.4, 1.5 and 1.6 ms of work, one after the other on
      // the one pCPU from boot (vCPU order: 0–1.4, 1.4–2.9, 2.9–4.5 ms). Each then sleeps to its
      // slot's end, 14, 15 and 16 ms, with jiffies still 0: ⌈(14 − 1.4)/10⌉ = ⌈(15 − 2.9)/10⌉ =
      // ⌈(16 − 4.5)/10⌉ = 2 jiffies, so all three one-shots (or the tick) are at 20 ms. Before,
      // they woke at 14, 15 and 16 ms, each to an idle pCPU. Now they are runnable together: one
      // runs at once, the second waits for the first's 1.4–1.6 ms, the third for both.
      const { out } = wakes(host(abi, clock, [14, 15, 16]));
      const at20 = out.filter((w) => w.wokeNs > 10 * MS && w.wokeNs <= 20 * MS);
      expect(at20.map((w) => w.wokeNs)).toEqual([20 * MS, 20 * MS, 20 * MS]);
      expect(new Set(at20.map((w) => w.guest)).size).toBe(3);
      const waited = at20.map((w) => w.waitedNs).sort((a, b) => a - b);
      expect(waited[0]).toBe(0);
      expect(waited[1]).toBeGreaterThanOrEqual(1.4 * MS);
      expect(waited[2]).toBeGreaterThanOrEqual(2.8 * MS);
    });
  }
});
