// VMI short sleeps (issue 21, fidelity review S4): 2.6.21's vmi_stop_hz_timer stays periodic when
// the next timer is at most HZ/CONFIG_VMI_ALARM_HZ jiffies away, so a 5 ms sleep halts with the
// 100 Hz AVAILABLE alarm armed and wakes at the next alarm, not at its expiry. Xen guests arm a
// one-shot for every sleep, at the jiffy the sleep expires in.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

const MS = 1_000_000;

/**
 * One 1-vCPU guest alone on two pCPUs (it never waits for a pCPU, so AVAILABLE = REAL), HZ 1000,
 * waking every 5 ms on a fixed grid for 100 us of work (the `idle` workload with tick 5ms).
 */
const loop = (abi: string) => `
name: t
duration: 2s
host: { pcpus: 2, memory: 4GiB, abi: ${abi} }
guests:
  - { name: g, memory: 512MiB, kernel: { hz: 1000 }, workload: { type: idle, tick: 5ms, work: 100us } }
`;

function run(abi: string) {
  const wakes: number[] = [];
  const r = simulate(spec(loop(abi)), {
    checkInvariants: true,
    subscribe: (t) => t.on('vcpu.wake-to-run', (e) => void wakes.push(e.atNs)),
  });
  expect(r.status, r.error).toBe('ok');
  return { wakes, g: r.summary!.guests[0]! };
}

describe('a 5 ms sleep loop', () => {
  it('over VMI wakes at the 100 Hz alarm boundaries, and the lateness is counted as timer delay', () => {
    // By hand: the alarm runs on AVAILABLE from boot, every 10 ms; alone on the host, AVAILABLE is
    // real time, so alarms fall at 10, 20, 30 … ms. Each wake-up works 100 us (plus its handlers'
    // few µs) and sleeps until the next 5 ms grid point: at most 5 jiffies ≤ HZ/100 = 10, so the
    // kernel stays periodic and the sleep ends at the next alarm. One wake-up per 10 ms: 200 in
    // 2 s, each on a multiple of 10 ms. Each is late by 10 ms − (grid point − alarm), and the grid
    // point lies 0.1 to 5.1 ms after the alarm: lateness between 4.9 and 9.9 ms each.
    const { wakes, g } = run('vmi');
    expect(wakes.length).toBeGreaterThanOrEqual(199);
    expect(wakes.length).toBeLessThanOrEqual(201);
    for (const at of wakes.slice(1)) expect(at % (10 * MS)).toBe(0);
    const perWakeMs = (g.timerDelayS * 1000) / (wakes.length - 1);
    expect(perWakeMs).toBeGreaterThanOrEqual(4.9);
    expect(perWakeMs).toBeLessThan(9.9);
    // No CancelAlarm: the kernel never went tickless.
    expect(g.interfaceCalls.CancelAlarm ?? 0).toBe(0);
  });

  it('over Xen wakes on the jiffy after each 5 ms grid point (a one-shot per sleep), less than a jiffy late', () => {
    // 2 s / 5 ms = 400 sleeps, expiring on the grid φ + k·5 ms. Each one-shot goes at the 1 ms
    // jiffy its expiry falls in (jiffies_to_st), so every wake-up is on a whole ms (Xen fires it
    // when the guest's pvclock reads it, up to 1 ns later: rounded to the µs). Where φ lies just
    // past a whole ms, jiffies not yet advanced at sleep time put a first one-shot a jiffy early;
    // it only re-arms. Each sleep is late by ⌈E⌉ − E < 1 ms, the same for every sleep.
    const { wakes, g } = run('xen');
    expect(wakes.length).toBeGreaterThanOrEqual(399);
    expect(wakes.length).toBeLessThanOrEqual(801);
    for (const at of wakes.slice(1)) expect(Math.round(at / 1000) % 1000).toBe(0);
    const perSleepMs = (g.timerDelayS * 1000) / 399;
    expect(perSleepMs).toBeGreaterThan(0);
    expect(perSleepMs).toBeLessThan(1);
  });
});
