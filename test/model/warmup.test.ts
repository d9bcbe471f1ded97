// `warmup:` leaves the start of each run out of the summaries: every cumulative figure of a 30 s
// run with a 10 s warmup equals the same run's figure less that of its first 10 s (a 10 s run is
// the same simulation's prefix), shares are recomputed over the 20 s window, and the simulation
// itself — its time series — is unchanged by the warmup.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { spec, experiment } from '../helpers/experiment.js';
import type { RunResult } from '../../sim/results/types.js';

const yaml = (duration: string, warmup: string) => `name: t
duration: ${duration}
warmup: ${warmup}
host: { pcpus: 1, memory: 2GiB, balloon: { policy: static, fraction: 0.2 } }
guests:
  - { name: 'g-{i}', count: 2, vcpus: 2, memory: 768MiB, workload: { type: on-off, dutyCycle: 0.8, on: 3s, off: 2s, resident: 300MiB, wake: io } }
`;
const run = (duration: string, warmup: string): RunResult => simulate(spec(yaml(duration, warmup)));

describe('warmup', () => {
  const whole = run('30s', '0s');
  const first = run('10s', '0s');
  const windowed = run('30s', '10s');

  it('leaves the simulation itself alone: the same time series', () => {
    expect(windowed.series).toEqual(whole.series);
  });

  it('counts cumulative figures from the end of the warmup', () => {
    for (let i = 0; i < 2; i++) {
      const [w, a, f] = [windowed, whole, first].map((r) => r.summary!.guests[i]!);
      expect(w!.runningNs).toBe(a!.runningNs - f!.runningNs);
      expect(w!.runnableNs).toBe(a!.runnableNs - f!.runnableNs);
      expect(w!.workDoneCpuS).toBeCloseTo(a!.workDoneCpuS - f!.workDoneCpuS, 5);
      expect(w!.interfaceTransitions).toBe(a!.interfaceTransitions - f!.interfaceTransitions);
      expect(w!.majorFaults).toBe(a!.majorFaults - f!.majorFaults);
      // Shares over the 20 s window of 2 vCPUs.
      expect(w!.stealPct).toBeCloseTo((100 * (w!.runnableNs + w!.offlineNs)) / (20e9 * 2), 5);
      expect(w!.cpuPcpus).toBeCloseTo(w!.runningNs / 20e9, 5);
      // End-of-run states are not windowed.
      expect(w!.balloonActualMiB).toBe(a!.balloonActualMiB);
    }
    const [mw, ma, mf] = [windowed, whole, first].map((r) => r.summary!.metrics);
    expect(mw!.host_swap_out_pages).toBe(ma!.host_swap_out_pages! - mf!.host_swap_out_pages!);
    const calls = (r: RunResult) => r.summary!.metrics.interface_calls_per_s!;
    expect(calls(windowed)).toBeCloseTo((calls(whole) * 30 - calls(first) * 10) / 20, 3);
    // The host's mean free memory over the samples after 10 s only.
    const s = whole.series!;
    const free = s.values[s.columns.findIndex((c) => c.name === 'host_free_MiB')]!;
    const after = free.filter((_, r) => s.timeS[r]! > 10);
    expect(mw!.host_free_mean_MiB).toBeCloseTo(after.reduce((a, b) => a + b, 0) / after.length, 4);
  });

  it('must be shorter than the run and a whole number of sample intervals', () => {
    expect(() => experiment(yaml('30s', '30s'))).toThrow(
      /warmup: warmup must be shorter than the duration and a whole number of sample intervals \(1s\)/,
    );
    expect(() => experiment(yaml('30s', '1500ms'))).toThrow(/warmup: warmup must be shorter/);
  });
});
