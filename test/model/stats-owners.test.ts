// The statistics own their accumulators: wake-to-run latency is kept from the dispatcher's
// `vcpu.wake-to-run` trace events and clock error from samples and `guest.time-sync` events, each
// restarted by the statistics themselves; the models only emit and answer reads.
import { describe, expect, it } from 'vitest';
import { TraceBus } from '../../sim/kernel/index.js';
import type { HostTrace } from '../../sim/host/host.js';
import { WakeLatencyStats } from '../../sim/host/stats/wake-latency.js';
import { ClockErrorStats } from '../../sim/host/stats/clock-error.js';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';

const wake = (guest: number, waitedNs: number) => ({ atNs: 0, guest, vcpu: guest, waitedNs });

describe('wake-to-run latency statistics', () => {
  it('record every wake-up event into the window and the interval, and restart each on its own', () => {
    const bus = new TraceBus<HostTrace>();
    const s = new WakeLatencyStats(bus, 2);
    bus.emit('vcpu.wake-to-run', wake(0, 0));
    bus.emit('vcpu.wake-to-run', wake(0, 5000));
    bus.emit('vcpu.wake-to-run', wake(1, 7000));
    expect([s.window[0]!.totalCount, s.window[1]!.totalCount]).toEqual([2, 1]);
    // A vCPU placed at once counts as 1 ns, within the histogram's 3 significant digits.
    expect(s.window[0]!.getValueAtPercentile(1)).toBe(1);
    s.restartInterval();
    expect(s.interval.map((h) => h.totalCount)).toEqual([0, 0]);
    expect(s.window.map((h) => h.totalCount)).toEqual([2, 1]);
    bus.emit('vcpu.wake-to-run', wake(1, 9000));
    s.restartWindow();
    expect(s.window.map((h) => h.totalCount)).toEqual([0, 0]);
    expect(s.interval.map((h) => h.totalCount)).toEqual([0, 1]);
  });

  it('see one event per wake-up the dispatcher places, matching the run’s count', () => {
    const waited: number[] = [];
    const r = simulate(
      spec(`name: t
duration: 3s
host: { pcpus: 1, memory: 2GiB }
guests:
  - { name: 'g-{i}', count: 2, vcpus: 1, memory: 512MiB, workload: { type: on-off, dutyCycle: 0.5, on: 20ms, off: 20ms, resident: 100MiB, wake: io } }
`),
      { subscribe: (t) => t.on('vcpu.wake-to-run', (e) => waited.push(e.guest, e.waitedNs)) },
    );
    const count = r.summary!.guests.reduce((a, g) => a + g.wakeLatencyUs.count, 0);
    expect(count).toBeGreaterThan(0);
    expect(waited.length / 2).toBe(count);
    // Two guests on one pCPU: some wake-ups had to wait.
    expect(waited.filter((_, i) => i % 2 === 1).some((ns) => ns > 0)).toBe(true);
  });
});

describe('clock error statistics', () => {
  it('keep the largest |error| from samples, time-sync rounds and reads, and the RMS from samples only', () => {
    const bus = new TraceBus<HostTrace>();
    let now = [2e6, -1e6];
    const s = new ClockErrorStats(bus, 2, (g) => now[g]!);
    s.sample();
    expect([s.sampledErrorNs(0), s.sampledErrorNs(1)]).toEqual([2e6, -1e6]);
    // A time-sync round measured 5 ms on guest 1: into its maximum, not its RMS.
    bus.emit('guest.time-sync', { atNs: 0, guest: 1, errorNs: -5e6 });
    now = [4e6, 3e6];
    s.sample();
    expect(s.maxAbsMs(0)).toBe(4);
    expect(s.maxAbsMs(1)).toBe(5);
    expect(s.rmsMs(0)).toBeCloseTo(Math.sqrt((2 ** 2 + 4 ** 2) / 2), 12);
    expect(s.rmsMs(1)).toBeCloseTo(Math.sqrt((1 ** 2 + 3 ** 2) / 2), 12);
    // A summary's read of 9 ms: the maximum, but neither the RMS nor the sampled value.
    now = [9e6, 0];
    expect(s.readNow(0)).toBe(9e6);
    expect(s.maxAbsMs(0)).toBe(9);
    expect(s.rmsMs(0)).toBeCloseTo(Math.sqrt(10), 12);
    expect(s.sampledErrorNs(0)).toBe(4e6);
  });
});
