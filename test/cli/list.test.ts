// `vmisim list` prints every registered plugin with its options, and the command works when
// started through a symlink, as npm's node_modules/.bin/vmisim starts it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, scratch } from '../helpers/cli.js';
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
});
