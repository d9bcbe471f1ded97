// The settings that define time, in every run's results (issue 21): the host's CPU clock and
// lost-tick policy, each guest's tick rate, time sync and periodic timer, and the runstate totals
// of each vCPU over the window.
import { describe, expect, it } from 'vitest';
import { resultsOf } from '../helpers/experiment.js';
import { ResultsFileSchema } from '../../sim/results/schema.js';

const yaml = `
name: t
duration: 10s
warmup: 2s
host:
  pcpus: 1
  cpuMHz: 2000
  memory: 4GiB
  abi: vmi
  timer: { delivery: catch-up, giveUpAfter: 30s, speedup: 2 }
guests:
  - { name: pv, vcpus: 2, memory: 512MiB, workload: { type: constant, dutyCycle: 0.6, burst: 5ms, resident: 64MiB } }
  - { name: ticker, memory: 512MiB, kernel: { clock: tick-counting, hz: 250, timeSync: ntp }, workload: { type: idle } }
`;

describe('time settings in results.json', () => {
  const file = resultsOf(yaml);
  const run = file.runs[0]!;
  const s = run.summary!;

  it('names the host CPU clock and the lost-tick policy with its options', () => {
    expect(s.time).toEqual({
      cpuMHz: 2000,
      timerDelivery: { policy: 'catch-up', options: { giveUpAfter: 30e9, speedup: 2 } },
    });
  });

  it('names each guest’s tick rate, time sync and the periodic timer it asks for', () => {
    const [pv, ticker] = s.guests;
    // VMI: the alarm on AVAILABLE at 100 Hz (the default alarm rate), HZ 250 by default.
    expect(pv!.timeSource).toEqual({
      hz: 250,
      timeSync: 'none',
      periodicTimer: 'available',
      periodicTimerHz: 100,
    });
    expect(ticker!.timeSource).toEqual({
      hz: 250,
      timeSync: 'ntp',
      periodicTimer: 'periodic',
      periodicTimerHz: 250,
    });
  });

  it('gives each vCPU’s runstates over the window (10 s − 2 s warmup), adding up to the guest’s', () => {
    for (const g of s.guests) {
      expect(g.vcpuRunstates).toHaveLength(g.vcpus);
      for (const r of g.vcpuRunstates!)
        expect(r.runningNs + r.runnableNs + r.blockedNs + r.offlineNs).toBe(8e9);
      const sum = (k: 'runningNs' | 'runnableNs' | 'blockedNs' | 'offlineNs') =>
        g.vcpuRunstates!.reduce((a, r) => a + r[k], 0);
      expect([sum('runningNs'), sum('runnableNs'), sum('blockedNs'), sum('offlineNs')]).toEqual([
        g.runningNs,
        g.runnableNs,
        g.blockedNs,
        g.offlineNs,
      ]);
    }
    // One pCPU, demand 1.2 + a little: the two pv vCPUs wait for it.
    expect(s.guests[0]!.vcpuRunstates![0]!.runnableNs).toBeGreaterThan(0);
  });

  it('is valid results.json by the published schema', () => {
    expect(ResultsFileSchema.safeParse(JSON.parse(JSON.stringify(file))).success).toBe(true);
  });
});
