// vmisim plan and the shard split: every run's cost is worked out by hand from the formula in
// sim/runner/shard-plan.ts, the longest-processing-time deal is followed by hand, equal costs go by
// spec hash, and the plan does not depend on the order the file writes its keys in.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSpecs } from '../../sim/experiment/load.js';
import { planShards } from '../../sim/runner/shard-plan.js';
import { experiment } from '../helpers/experiment.js';
import { scratch, vmisim } from '../helpers/cli.js';

// Four alternatives of 1 to 4 vCPUs at HZ 100, 10 simulated seconds sampled every second.
const BY_VCPUS = `name: lpt
duration: 10s
sampleInterval: 1s
host: { pcpus: 4, memory: 8GiB }
guests:
  - name: web
    vcpus: 1
    memory: 1GiB
    kernel: { hz: 100 }
    workload: { type: constant, dutyCycle: 0.5, burst: 2ms, resident: 100MiB }
compare:
  a: {}
  b: { guests.web.vcpus: 2 }
  c: { guests.web.vcpus: 3 }
  d: { guests.web.vcpus: 4 }
`;

describe('the shard plan', () => {
  it('costs a run simulated seconds × (vCPUs × HZ + samples per second + 1)', () => {
    const runs = planShards(runSpecs(experiment(BY_VCPUS)), 1);
    // 10 s × (v × 100 + 1 + 1) for v = 1 … 4.
    expect(runs.map((r) => [r.runId, r.cost])).toEqual([
      ['a/seed-1', 1020],
      ['b/seed-1', 2020],
      ['c/seed-1', 3020],
      ['d/seed-1', 4020],
    ]);
  });

  it('deals runs largest first to the least loaded shard', () => {
    const specs = runSpecs(experiment(BY_VCPUS));
    // Two shards: d → 0, c → 1, b → 1 (3020 < 4020), a → 0 (4020 < 5040): 5040 each.
    expect(planShards(specs, 2).map((r) => r.shard)).toEqual([0, 1, 1, 0]);
    // Three: d → 0, c → 1, b → 2, a → 2 (2020 is the least).
    expect(planShards(specs, 3).map((r) => r.shard)).toEqual([2, 2, 1, 0]);
    // More shards than runs: the rest stay empty.
    expect(planShards(specs, 6).map((r) => r.shard)).toEqual([3, 2, 1, 0]);
  });

  it('orders equal costs by spec hash', () => {
    const runs = planShards(runSpecs(experiment(BY_VCPUS.replace(/compare:[^]*$/, 'seeds: 5\n'))), 2);
    const byHash = [...runs].sort((x, y) => (x.hash < y.hash ? -1 : 1));
    expect(byHash.map((r) => r.shard)).toEqual([0, 1, 0, 1, 0]);
  });

  it('is the same for the same experiment written with its keys in another order', () => {
    const dir = scratch();
    // The alternatives keep their order: it is the order of the runs in results.json.
    const reordered = `compare:
  a: {}
  b: { guests.web.vcpus: 2 }
  c: { guests.web.vcpus: 3 }
  d: { guests.web.vcpus: 4 }
guests:
  - workload: { resident: 100MiB, burst: 2ms, dutyCycle: 0.5, type: constant }
    kernel: { hz: 100 }
    memory: 1GiB
    vcpus: 1
    name: web
host: { memory: 8GiB, pcpus: 4 }
sampleInterval: 1s
duration: 10s
name: lpt
`;
    writeFileSync(join(dir, 'a.yaml'), BY_VCPUS);
    writeFileSync(join(dir, 'b.yaml'), reordered);
    const plan = (f: string) => {
      const r = vmisim(['plan', f, '--shards', '3', '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as {
        runs: { runId: string; hash: string; shard: number }[];
        shardCosts: number[];
      };
    };
    const a = plan('a.yaml');
    const b = plan('b.yaml');
    expect(b.runs).toEqual(a.runs);
    expect(a.shardCosts).toEqual([4020, 3020, 3040]);
    const text = vmisim(['plan', 'a.yaml', '--shards', '2'], dir);
    expect(text.stdout).toContain('cost by shard: 0: 5040, 1: 5040');
  });
});
