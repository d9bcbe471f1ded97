// `vmisim validate` and `vmisim run` accept exactly the same files. Property (fast-check) over
// generated experiments, valid and not — memory estimates over the machine's, guests whose overhead
// does not fit the host, durations past the cycle counters' range, i386 memory limits, too many
// runs, schema errors — each checked by validate (in this process) and by the built CLI's run
// (a child, killed as soon as it says it starts its runs): run starts exactly when validate says ok,
// and when it refuses, it prints the very problems validate printed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCommand } from '../../sim/cli/validate-command.js';
import { scratch } from '../helpers/cli.js';
import { expectRunAgrees } from './same-verdict.js';

const THREADS = 2;

/** Mostly `usual`, sometimes one of `odd` (a value that some check refuses, alone or with others). */
const mostly = <T>(usual: T[], odd: T[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...usual) },
    { weight: 1, arbitrary: fc.constantFrom(...odd) },
  );

const experiment = fc.record({
  // 40d: past the cycle counters at 3000 MHz and up; both: results too large for memory at 1ms.
  duration: mostly(['1s', '2s'], ['40d', '100d']),
  sampleInterval: mostly(['1s', '100ms'], ['1ms']),
  seeds: mostly([1, 3], [40_000]),
  cpuMHz: mostly([1000, 3000], [100_000]),
  hostMemory: mostly(['4GiB', '256GiB'], ['512MiB']),
  overhead: mostly(['8MiB', '32MiB'], ['1GiB']),
  guests: fc.array(
    fc.record({
      count: mostly([1, 4], [30]),
      vcpus: fc.constantFrom(1, 2),
      memory: mostly(['256MiB', '1GiB'], ['5GiB']),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  sweep: fc.constantFrom(0, 2, 4),
  typo: mostly([false], [true]),
});

function yaml(e: typeof experiment extends fc.Arbitrary<infer T> ? T : never): string {
  const guests = e.guests
    .map(
      (g, i) =>
        `  - { name: 'g${i}-{i}', count: ${g.count}, vcpus: ${g.vcpus}, ${e.typo && i === 0 ? 'memroy' : 'memory'}: ${g.memory}, workload: { type: idle } }\n`,
    )
    .join('');
  const sweep =
    e.sweep === 0
      ? ''
      : `sweep:\n  host.pcpus: [${Array.from({ length: e.sweep }, (_, i) => i + 1).join(', ')}]\n`;
  return `name: p\nduration: ${e.duration}\nsampleInterval: ${e.sampleInterval}\nseeds: ${e.seeds}\nhost: { pcpus: 2, cpuMHz: ${e.cpuMHz}, memory: ${e.hostMemory}, guestOverhead: ${e.overhead} }\nguests:\n${guests}${sweep}`;
}

describe('validate and run', () => {
  it('accept exactly the same files, and refuse the others with the same problems', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(experiment, async (e) => {
        const dir = scratch();
        writeFileSync(join(dir, 'exp.yaml'), yaml(e));
        let said = '';
        const code = validateCommand([join(dir, 'exp.yaml')], THREADS, (s) => (said += s));
        if (await expectRunAgrees(dir, THREADS, [], code, said)) accepted++;
        else refused++;
      }),
      { numRuns: 24, seed: 16 },
    );
    // Both verdicts were met (the generator is not all one or the other).
    expect(accepted).toBeGreaterThan(2);
    expect(refused).toBeGreaterThan(2);
  });
});
