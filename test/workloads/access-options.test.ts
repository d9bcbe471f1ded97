// The memory-access options the working-set model reads (workloads/common.ts accessFields and
// localityFields): every workload with one resident set takes pageAccessesPerS, hotFraction and
// hotShare, defaulting to 2000 per second and 90 % of accesses to the hottest 20 % (the
// assumptions of workloads/types.ts), and hands them to the guest unchanged.
import { describe, expect, it } from 'vitest';
import { constantWorkload } from '../../workloads/constant.js';
import { diurnalWorkload } from '../../workloads/diurnal.js';
import { idleWorkload } from '../../workloads/idle.js';
import { kernelBuildWorkload } from '../../workloads/kernel-build.js';
import { onOffWorkload } from '../../workloads/on-off.js';
import { webWorkload } from '../../workloads/web.js';
import type { WorkloadDecl } from '../../workloads/types.js';
import { make } from './fake-ctx.js';

const DECLS: WorkloadDecl<never>[] = [
  constantWorkload,
  diurnalWorkload,
  idleWorkload,
  kernelBuildWorkload,
  onOffWorkload,
  webWorkload,
] as unknown as WorkloadDecl<never>[];

describe('workload memory-access options', () => {
  for (const d of DECLS) {
    it(`${d.name}: defaults 2000/s, 20 % hot with 90 % of accesses; each overridable`, () => {
      const w = make(d, {});
      expect(w.accessesPerCpuS!()).toBe(2000);
      expect(w.locality!()).toEqual({ hotFraction: 0.2, hotShare: 0.9 });
      const o = make(d, { pageAccessesPerS: 12_345, hotFraction: 0.5, hotShare: 0.6 });
      expect(o.accessesPerCpuS!()).toBe(12_345);
      expect(o.locality!()).toEqual({ hotFraction: 0.5, hotShare: 0.6 });
    });
  }

  it('refuses a rate of 0 and a hot fraction of 0, naming the field', () => {
    expect(() => constantWorkload.options.parse({ pageAccessesPerS: 0 })).toThrow(/pageAccessesPerS/);
    expect(() => webWorkload.options.parse({ hotFraction: 0 })).toThrow(/hotFraction/);
  });
});
