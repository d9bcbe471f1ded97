// vmisim merge takes the shards' runs whether or not they were computed with invariant checks
// (results do not depend on it, and a merge computes nothing): shards run unchecked, the merge
// with VMISIM_DEBUG_INVARIANTS=1 (as under the test runner) still finds every run.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';
import { webExperiment } from '../helpers/web-experiment.js';

describe('vmisim merge', () => {
  it('merges runs computed without invariant checks when checks are on', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'm.yaml'), webExperiment({ name: 'm', duration: '2s', seeds: 2 }));
    const shard = vmisim(['run', 'm.yaml', '--store', 'store', '--threads', '1'], dir, {
      VMISIM_DEBUG_INVARIANTS: '',
    });
    expect(shard.code, shard.stderr).toBe(0);
    const merge = vmisim(['merge', 'm.yaml', '--store', 'store', '--out', 'out'], dir, {
      VMISIM_DEBUG_INVARIANTS: '1',
    });
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stderr).toContain('reused 2 of 2 runs from store');
  });
});
