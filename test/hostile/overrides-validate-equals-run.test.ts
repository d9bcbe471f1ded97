// `vmisim validate` and `vmisim run` accept exactly the same --set and --seeds flags. Property
// (fast-check) over sets of flags, good and bad — values the schema refuses, unknown keys and list
// entries, malformed flags, fields only the file may write, values past the model's limits, a flag
// that every alternative sets again, bad seed counts — on an experiment with compare: and sweep:,
// each checked by validate (in this process) and by the built CLI's run (a child, killed as soon as
// it says it starts its runs): run starts exactly when validate says ok, and when it refuses, it
// prints the very problems validate printed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCommand } from '../../sim/cli/validate-command.js';
import { scratch } from '../helpers/cli.js';
import { expectRunAgrees } from './same-verdict.js';

const THREADS = 2;

const EXP = `name: p
duration: 2s
seeds: 2
host: { pcpus: 2, memory: 4GiB, balloon: { policy: esx } }
guests:
  - { name: g, count: 2, memory: 512MiB, workload: { type: idle } }
compare:
  a: {}
  b: { host.balloon.policy: none }
sweep:
  host.cpuMHz: [1000, 2000]
`;

const GOOD_SETS = ['host.pcpus=4', 'guests.g.memory=1GiB', 'host.balloon.policy=mom', 'guests.0.count=3'];
const BAD_SETS = [
  'host.pcpus=abc',
  'host.pcpu=2',
  'guests.gx.memory=1GiB',
  'nothing',
  'sweep.host.pcpus=[1]',
  'guests.g.memory=5GiB',
  'duration=100d',
  'guests.g.count=20000',
  'host.cpuMHz=3000',
  'host.memory={',
];

const flags = fc.record({
  set: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...GOOD_SETS) },
      { weight: 1, arbitrary: fc.constantFrom(...BAD_SETS) },
    ),
    { maxLength: 3 },
  ),
  seeds: fc.option(fc.constantFrom('3', '2,5', '0', '20000', 'x'), { nil: undefined }),
});

describe('validate and run with --set and --seeds', () => {
  it('accept exactly the same flags, and refuse the others with the same problems', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'exp.yaml'), EXP);
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(flags, async (f) => {
        const cli = { set: f.set, ...(f.seeds === undefined ? {} : { seeds: f.seeds }) };
        const args = [
          ...f.set.flatMap((s) => ['--set', s]),
          ...(f.seeds === undefined ? [] : ['--seeds', f.seeds]),
        ];
        let said = '';
        const code = validateCommand([join(dir, 'exp.yaml')], THREADS, (s) => (said += s), cli);
        if (await expectRunAgrees(dir, THREADS, args, code, said)) accepted++;
        else refused++;
      }),
      { numRuns: 24, seed: 18 },
    );
    expect(accepted).toBeGreaterThan(2);
    expect(refused).toBeGreaterThan(2);
  });
});
