// The interface cost model: presets and overrides from YAML, and costs charged as the calling
// vCPU's CPU time (exact at 3000 MHz, where 3 cycles = 1 ns).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { COST_PRESETS } from '../../sim/abi/costs.js';

const exp = (costs: string) => `
name: t
duration: 20s
host: { pcpus: 2, memory: 4GiB, cpuMHz: 3000${costs === '' ? '' : `, costs: ${costs}`} }
guests:
  - { name: a, memory: 1GiB, workload: { type: constant, dutyCycle: 0.4, burst: 2ms, resident: 100MiB } }
`;

describe('host.costs in experiment files', () => {
  it('defaults to the p4-2006 preset; presets and per-field overrides', () => {
    expect(spec(exp('')).host.costs).toEqual(COST_PRESETS['p4-2006']);
    expect(spec(exp('modern')).host.costs).toEqual(COST_PRESETS.modern);
    expect(spec(exp('{ preset: modern, exitCycles: 2000 }')).host.costs).toEqual({
      ...COST_PRESETS.modern,
      exitCycles: 2000,
    });
  });

  it('an unknown preset or key is an error with a suggestion', () => {
    expect(() => experiment(exp('moden'))).toThrow(
      /host\.costs: unknown cost preset 'moden'; expected one of p4-2006, modern, zero; did you mean 'modern'\?/,
    );
    expect(() => experiment(exp('{ exitCycle: 5 }'))).toThrow(
      /host\.costs\.exitCycle: unknown key 'exitCycle'.*did you mean 'exitCycles'\?/,
    );
    expect(() => experiment(exp('{ exitCycles: -1 }'))).toThrow(/host\.costs\.exitCycles: /);
  });
});

describe('costs become guest CPU time', () => {
  it('with zero costs nothing is charged and no CPU goes to transitions', () => {
    const r = simulate(spec(exp('zero')), { checkInvariants: true });
    expect(r.summary!.metrics.interface_cpu_s).toBe(0);
    expect(r.summary!.metrics.interface_Mcycles).toBe(0);
    const g = r.summary!.guests[0]!;
    // All running time went to the workload; only the burst in progress at the end is not yet
    // credited (bursts average 2 ms, so 100 ms is a wide bound).
    expect(g.workDoneCpuS * 1e9).toBeLessThanOrEqual(g.runningNs + 1000);
    expect(g.runningNs - g.workDoneCpuS * 1e9).toBeLessThan(100e6);
  });

  it('charged CPU time is cycles ÷ clock, and it comes out of the running time, not the work', () => {
    const r = simulate(spec(exp('p4-2006')), { checkInvariants: true });
    const g = r.summary!.guests[0]!;
    // p4-2006: Halt, CancelAlarm and SetAlarm leave the guest (3,000 cycles each), a counter read
    // is 50 cycles, a balloon-port GetTarget 3,000. At 3000 MHz every charge is a whole number of
    // ns. (A tickless sleep cancels the periodic alarm, vmi_stop_hz_timer: CancelAlarm per sleep.)
    const calls = g.interfaceCalls;
    const expectedCycles =
      3000 * (calls.Halt! + calls.CancelAlarm! + calls.SetAlarm! + calls.BalloonGetTarget!) +
      50 * calls.GetCycleCounter! +
      // Each timer interrupt (periodic or wake-up alarm) ends with an EOI: a ROM call that leaves the guest.
      (50 + 3000) * calls['APICWrite(EOI)']! +
      // Boot: one WriteIDTEntry per gate, a ROM call whose gate travels in its arguments (nothing
      // copied), and SetIDT per CPU, a ROM call reading the 6-byte descriptor at 1 cycle per byte.
      50 * calls.WriteIDTEntry! +
      (50 + 6) * calls.SetIDT! +
      // The interrupt-flag path: ROM calls (IRET, the enable/disable and save/restore calls) and an
      // exit for each interrupt that waited for a masked section to end.
      50 *
        (calls.IRET! +
          calls.DisableInterrupts! +
          calls.EnableInterrupts! +
          calls.GetInterruptMask! +
          calls.SetInterruptMask!) +
      3000 * (calls['EnableInterrupts (pending interrupt, exit)'] ?? 0);
    expect(g.interfaceCycles).toBe(expectedCycles);
    // The metric is in seconds to 6 decimals, so compare to within 1 µs. Each charge is also
    // rounded up to whole ns (host chargeCall): the 3,000-cycle exits are exact, but an EOI
    // (3,050 cycles) or a time accounting's two counter reads (100 cycles) round up by < 1 ns.
    const overheadNs = r.summary!.metrics.interface_cpu_s! * 1e9;
    // The interrupt-flag charges are batched per interrupt or section: each batch rounds up by < 1 ns.
    const flagCalls = calls.IRET! + calls.DisableInterrupts! + calls.GetInterruptMask!;
    const roundingNs = calls['APICWrite(EOI)']! + calls.GetCycleCounter! / 2 + flagCalls + 1;
    expect(overheadNs - expectedCycles / 3).toBeGreaterThanOrEqual(-1000);
    expect(overheadNs - expectedCycles / 3).toBeLessThanOrEqual(roundingNs + 1000);
    // Running time = work + transitions (less any transition still owed at the end).
    const workNs = g.workDoneCpuS * 1e9;
    // At most one sleep's CancelAlarm + SetAlarm + Halt (3 µs) and a counter read can still be
    // owed at the end.
    expect(g.runningNs - workNs).toBeGreaterThanOrEqual(overheadNs - 10_000);
    expect(g.runningNs - workNs).toBeLessThan(overheadNs + 100e6);
  });
});
