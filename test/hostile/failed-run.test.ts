// A run that breaks an invariant fails alone, and says so plainly: its error names the guest as
// the experiment does, the simulated time (seconds and ns), the event and the invariant in words;
// its time series up to the failure are kept (results.json, series/*.csv, a note in the report);
// the other runs complete and `vmisim run` exits 1 listing the failure. No valid input breaks an
// invariant any more (test/hostile/random-experiments.property.test.ts), so a test hook breaks one
// inside the model: RunOptions.breakInvariantAtNs in sim/host/run.ts, which the CLI's workers take
// from VMISIM_TEST_BREAK_INVARIANT=<seed>@<ns>.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../sim/host/run.js';
import { Host } from '../../sim/host/host.js';
import type { ResultsFile } from '../../sim/results/types.js';
import { spec } from '../helpers/experiment.js';
import { scratch, vmisim } from '../helpers/cli.js';

const EXPERIMENT = `name: broken
duration: 8s
seeds: 3
host: { pcpus: 2, memory: 2GiB }
guests:
  - { name: 'web-{i}', count: 2, memory: 512MiB, workload: { type: constant, dutyCycle: 0.3, resident: 100MiB } }
`;

/** The invariant the hook breaks: the last guest (web-2) gets −1 host-swapped pages. */
const BROKEN =
  /guest web-2: host-swapped pages -1 out of range 0\.\.\d+ \(its touched pages: .*\) \(invariant: the host swaps only pages that hold frames, a whole number of the guest’s touched pages\)$/;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a run that breaks an invariant', () => {
  it('fails with the time, the event, the guest by name and the invariant; its series stop there', () => {
    const s = spec(EXPERIMENT);
    const ok = simulate(s, { checkInvariants: true });
    const r = simulate(s, { checkInvariants: true, breakInvariantAtNs: 3_500_000_000 });
    expect(ok.status).toBe('ok');
    expect(r.status).toBe('failed');
    expect(r.summary).toBeUndefined();
    expect(r.error).toMatch(/^at 3\.500 s \(3500000000 ns\), after the test hook that breaks an invariant: /);
    expect(r.error).toMatch(BROKEN);
    // Samples at 1, 2 and 3 s were taken before the failure at 3.5 s, and are the run's own.
    expect(r.series!.timeS).toEqual([1, 2, 3]);
    expect(r.series!.columns).toEqual(ok.series!.columns);
    expect(r.series!.values).toEqual(ok.series!.values.map((col) => col.slice(0, 3)));
  });

  it('without checks after every event, is caught by the check at the end of the run', () => {
    const r = simulate(spec(EXPERIMENT), { checkInvariants: false, breakInvariantAtNs: 3_500_000_000 });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/^at 8\.000 s \(8000000000 ns\), at the end of the run: /);
    expect(r.error).toMatch(BROKEN);
    expect(r.series!.timeS).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps only whole samples when the failure is inside one', () => {
    const clockErrorNs = Host.prototype.clockErrorNs;
    // The second guest's clock cannot be read from 3 s on: the sample at 3 s fails half-written.
    vi.spyOn(Host.prototype, 'clockErrorNs').mockImplementation(function (this: Host, gi) {
      if (gi === 1 && this.nowNs() >= 3e9) throw new Error('clock unreadable');
      return clockErrorNs.call(this, gi);
    });
    const r = simulate(spec(EXPERIMENT), { checkInvariants: true });
    expect(r.error).toBe('at 3.000 s (3000000000 ns), in the statistics sample: clock unreadable');
    expect(r.series!.timeS).toEqual([1, 2]);
  });

  it('names the guest of the event a kernel assert fired in', () => {
    const setTimer = Host.prototype.setTimer;
    // From 2 s on, web-2's timers are armed at NaN ns: the event queue refuses that time.
    vi.spyOn(Host.prototype, 'setTimer').mockImplementation(function (this: Host, guest, vcpu, atNs) {
      setTimer.call(this, guest, vcpu, guest === 1 && this.nowNs() >= 2e9 ? NaN : atNs);
    });
    const r = simulate(spec(EXPERIMENT), { checkInvariants: true });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(
      /^at 2\.\d{3} s \(2\d{9} ns\), in .*guest web-2 vCPU 0.*: event time must be a non-negative safe integer number of nanoseconds, got NaN$/,
    );
  });
});

describe('vmisim run with a run that breaks an invariant', () => {
  it('exits 1 listing the failure; the other runs complete; the failed run’s series are in the output', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'broken.yaml'), EXPERIMENT);
    const r = vmisim(['run', 'broken.yaml', '--out', 'out', '--threads', '2'], dir, {
      VMISIM_DEBUG_INVARIANTS: '1',
      VMISIM_TEST_BREAK_INVARIANT: '2@3500000000',
    });
    expect(r.code, r.stderr).toBe(1);
    const line = r.stderr.split('\n').find((l) => l.includes('default/seed-2'));
    expect(line).toMatch(/default\/seed-2 failed: at 3\.500 s \(3500000000 ns\), after the test hook/);
    expect(line).toMatch(/guest web-2: host-swapped pages -1 out of range .*\(invariant: /);
    expect(r.stderr).toMatch(/^1 of 3 runs failed/m);

    const out = join(dir, 'out');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    const bySeed = new Map(results.runs.map((run) => [run.seed, run]));
    for (const seed of [1, 3]) {
      expect(bySeed.get(seed)!.status).toBe('ok');
      expect(bySeed.get(seed)!.series!.timeS).toHaveLength(8);
    }
    const failed = bySeed.get(2)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(BROKEN);
    expect(failed.series!.timeS).toEqual([1, 2, 3]);

    // series/*.csv: a header and the three samples before the failure.
    const csv = readFileSync(join(out, 'series/default__seed-2.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^time_s,host_free_MiB,/);
    expect(csv.slice(1).map((row) => row.split(',')[0])).toEqual(['1', '2', '3']);
    // summary.csv: the failed run's row carries its status and error, no metrics.
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8');
    expect(summary).toMatch(/^default\/seed-2,default,2,failed,,+"?at 3\.500 s/m);
    const byAlt = readFileSync(join(out, 'summary-by-alternative.csv'), 'utf8').split('\n')[1]!;
    expect(byAlt.split(',').slice(0, 4)).toEqual(['default', '3', '2', '1']);

    // The report states the failure, where its series are, and keeps it out of the comparison.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Failed runs (1)</h2>');
    expect(html).toContain(
      'at 3.500 s (3500000000 ns), after the test hook that breaks an invariant: guest web-2',
    );
    expect(html).toContain(
      'Time series before the failure (3 samples, up to 3 s): in results.json and <code>series/default__seed-2.csv</code>.',
    );
    expect(html).toContain('Failed runs are left out of every mean, interval and chart above.');
  });
});
