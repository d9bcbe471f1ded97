// `vmisim list` prints every registered plugin with its options, and the command works when
// started through a symlink, as npm's node_modules/.bin/vmisim starts it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, scratch, vmisim } from '../helpers/cli.js';
import { METRICS } from '../../sim/results/catalog/run-metrics.js';
import { GUEST_METRIC_COLUMNS } from '../../sim/results/catalog/guest-columns.js';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { CPU_SCHEDULERS } from '../../policies/cpu/registry.js';
import { WORKLOADS } from '../../workloads/registry.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';

describe('vmisim list', () => {
  it('lists every plugin and its options, also when run through a symlink', () => {
    const link = join(scratch(), 'vmisim');
    symlinkSync(CLI, link);
    const r = spawnSync(process.execPath, [link, 'list'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const name of [
      ...Object.keys(CPU_SCHEDULERS),
      ...Object.keys(BALLOON_POLICIES),
      ...Object.keys(TIMER_DELIVERY),
      ...Object.keys(WORKLOADS),
    ]) {
      expect(r.stdout).toContain(`  ${name} — `);
    }
    expect(r.stdout).toMatch(/fraction: .*\(default 0\.25\)/);
    expect(r.stdout).toMatch(/slice: .*\(default 30ms\)/);
    expect(r.stdout).toMatch(/giveUpAfter: .*\(default 60s\)/);
  });

  it('lists the host memory semantics presets and which one each interface implies', () => {
    const r = vmisim(['list'], scratch());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Host memory semantics (host.memorySemantics; default auto: vmi → esx, xen → xen-pv):',
    );
    for (const n of ['esx', 'xen-pv', 'kvm']) expect(r.stdout).toContain(`  ${n} — `);
  });
});

describe('vmisim list metrics', () => {
  it('prints every metric of the catalog with its unit, direction and meaning', () => {
    const r = vmisim(['list', 'metrics'], scratch());
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const lineOf = (id: string) => lines.find((l) => l.trimStart().startsWith(`${id} `));
    for (const m of METRICS) {
      const line = lineOf(m.id);
      expect(line, m.id).toBeDefined();
      const cells = line!.trim().split(/\s{2,}/);
      expect(cells, m.id).toEqual([m.id, m.unit, m.better === 'neither' ? '—' : m.better, m.description]);
    }
    for (const c of GUEST_METRIC_COLUMNS) expect(lineOf(c.column), c.column).toBeDefined();
    // By hand from the catalog: steal is a percentage and lower is better.
    expect(lineOf('steal_mean_pct')).toMatch(/^ {2}steal_mean_pct +% +lower +time vCPUs were runnable/);
    // The plain list is of what an experiment can use; metrics are asked for by name.
    expect(vmisim(['list'], scratch()).stdout).not.toContain('steal_mean_pct');
  });
});
