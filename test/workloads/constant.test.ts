// `constant`'s page-cache demand (`cache`, workloads/constant.ts).
import { describe, expect, it } from 'vitest';
import { constantWorkload } from '../../workloads/constant.js';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
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
