// `constant`'s page-cache demand (`cache`, workloads/constant.ts).
import { describe, expect, it } from 'vitest';
import { constantWorkload } from '../../workloads/constant.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { runSpecs } from '../../sim/experiment/load.js';
import { exp, make } from './fake-ctx.js';

describe('constant workload: cache', () => {
  it('keeps no page cache by default and `cache` bytes when asked', () => {
    expect(make(constantWorkload, {}).cachePages!(0)).toBe(0);
    expect(make(constantWorkload, { cache: '100MiB' }).cachePages!(5e9)).toBe(100 * 256);
  });

  it('fills the page cache in a whole run with invariants on', () => {
    const r = simulate(
      spec(
        exp(
          `  - { name: a, memory: 1GiB, workload: { type: constant, resident: 100MiB, cache: 200MiB } }`,
          '5s',
        ),
      ),
      { checkInvariants: true },
    );
    expect(r.summary!.guests[0]!.cacheMiB).toBeCloseTo(200, 0);
  });
});

describe('constant workload: page accesses (pageAccessesPerS)', () => {
  it('makes 2000 page accesses per busy vCPU-second by default, and pageAccessesPerS when set', () => {
    expect(make(constantWorkload, {}).accessesPerCpuS!()).toBe(2000);
    expect(make(constantWorkload, { pageAccessesPerS: 50_000 }).accessesPerCpuS!()).toBe(50_000);
  });

  /**
   * ESX's first sampling period of a busy guest (one vCPU, dutyCycle 1) with a 200 MiB working
   * set, all hot (51 200 pages), in 256 MiB: it closes at the memory tick at 30.5 s, after 30.5 s
   * of busy time. At 2000/s: 61 000 accesses touch 51 200·(1 − e^(−61000/51200)) = 35 640 pages =
   * 139.2 MiB; at 20 000/s all 200 MiB. The esx policy deciding every second reports that sample
   * × 256 MiB at 31 s. One sample of 100 pages has σ = √(f(1 − f)/100) × 256 MiB (12.7 and
   * 11.0 MiB); the mean of 4 seeds half that; the bound is 3σ of the mean.
   */
  it('a higher rate touches more of the working set in a sampling period', () => {
    const firstSample = (rate: number) => {
      const yaml = `
name: t
duration: 31s
sampleInterval: 1s
seeds: 4
host: { pcpus: 1, memory: 2GiB, balloon: { policy: esx, balancePeriod: 1s } }
guests:
  - name: g
    memory: 256MiB
    kernel: { reserved: 16MiB, minFree: 4MiB }
    workload: { type: constant, dutyCycle: 1, resident: 200MiB, hotFraction: 1, pageAccessesPerS: ${rate} }
`;
      const got = runSpecs(experiment(yaml)).map((s) => {
        const ser = simulate(s, { checkInvariants: false }).series!;
        const c = ser.columns.findIndex((x) => x.name === 'g_esx_working_set_MiB');
        return ser.values[c]![ser.timeS.findIndex((t) => t >= 31)]!;
      });
      return got.reduce((a, b) => a + b, 0) / got.length;
    };
    const bound = (mib: number) => (3 * Math.sqrt(((mib / 256) * (1 - mib / 256)) / 100) * 256) / 2;
    expect(Math.abs(firstSample(2000) - 139.2)).toBeLessThan(bound(139.2));
    expect(Math.abs(firstSample(20_000) - 200)).toBeLessThan(bound(200));
  });
});
