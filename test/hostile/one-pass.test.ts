// Every problem of a file in one pass: a file with many independent problems — schema errors in
// the base, bad alternative overrides, problems across fields, a bad trace, a bad preset, a host
// too small for the guests' overhead — is listed whole by one `validate`, and fixing the problems
// one at a time never reveals one that was there all along: each fix removes exactly its own.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputErrors } from '../../sim/options/input-error.js';
import { preflight } from '../../sim/experiment/preflight.js';
import { folderWith } from './bounded.js';

const BROKEN = `name: many problems
duration: 10 parsecs
sampleInterval: 0s
seeds: [1, 1]
host:
  pcpus: 2
  memory: 1GiB
  guestOverhead: 256MiB
  memoryStates: { high: 1, soft: 2 }
  scheduler: { policy: credit, slise: 30ms }
guests:
  - name: web-{i}
    count: 4
    memroy: 1GiB
    workload: { type: constant, dutyCycle: 1.5 }
  - name: big
    count: 2
    memory: 5GiB
    cpu: { cap: 300 }
    workload: { type: trace, file: short.csv }
  - name: db
    count: 2
    memory: 1GiB
    kernel: { clock: xen-pvclock }
    workload: { preset: nope }
compare:
  a: { host.balloon.policy: statik }
  b: { guests.nobody.memory: 1GiB }
`;

/** Each fix (text replaced in the experiment, or the trace rewritten) and the problem it removes. */
const FIXES: { from: string; to: string; removes: RegExp }[] = [
  { from: 'many problems', to: 'many', removes: /:1:7: name: expected a name/ },
  { from: '10 parsecs', to: '10s', removes: /:2:11: duration: unknown duration unit 'parsecs'/ },
  {
    from: 'sampleInterval: 0s',
    to: 'sampleInterval: 1s',
    removes: /:3:17: sampleInterval: sampleInterval must be longer than 0/,
  },
  { from: '[1, 1]', to: '[1, 2]', removes: /:4:8: seeds: seeds must be distinct/ },
  { from: '256MiB', to: '32MiB', removes: /:8:18: host\.guestOverhead: .* found 8 × 256MiB = 2GiB/ },
  {
    from: 'high: 1, soft: 2',
    to: 'high: 6, soft: 4',
    removes: /:9:17: host\.memoryStates: thresholds must fall/,
  },
  { from: 'slise', to: 'slice', removes: /:10:32: host\.scheduler\.slise: unknown key 'slise'/ },
  { from: 'memroy', to: 'memory', removes: /:14:5: guests\[0\]\.memroy: unknown key 'memroy'/ },
  {
    from: 'dutyCycle: 1.5',
    to: 'dutyCycle: 0.5',
    removes: /:15:44: guests\[0\]\.workload\.dutyCycle: Too big/,
  },
  { from: '5GiB', to: '2GiB', removes: /:18:13: guests\[1\]\.memory: an i386 guest without PAE/ },
  { from: 'cap: 300', to: 'cap: 100', removes: /:19:17: guests\[1\]\.cpu\.cap: cap 300% is more than/ },
  { from: 'short.csv', to: 'ok.csv', removes: /short\.csv:2:1: time_s: expected at least two rows/ },
  {
    from: 'xen-pvclock',
    to: 'auto',
    removes: /:24:22: guests\[2\]\.kernel\.clock: clock 'xen-pvclock' needs host\.abi xen/,
  },
  {
    from: 'preset: nope',
    to: 'preset: web-frontend',
    removes: /:25:25: guests\[2\]\.workload\.preset: no workload preset 'nope'/,
  },
  {
    from: 'statik',
    to: 'static',
    removes: /:27:29: compare\.a: host\.balloon\.policy: unknown balloon policy 'statik'/,
  },
  {
    from: 'guests.nobody',
    to: 'guests.db',
    removes: /:28:8: compare\.b\.guests\.nobody\.memory: no list entry 'nobody'/,
  },
];

function problemsOf(file: string): string[] {
  const { problem } = preflight(file, 1);
  if (problem === undefined) return [];
  return problem instanceof InputErrors ? problem.errors.map((e) => e.message) : [problem.message];
}

describe('a file with many independent problems', () => {
  it('lists them all in one pass, and each fix removes exactly its own problem', () => {
    const dir = folderWith({
      'many.yaml': BROKEN,
      'short.csv': 'time_s,cpu_pct,memory_mib\n0,50,100\n',
      'ok.csv': 'time_s,cpu_pct,memory_mib\n0,50,100\n60,50,100\n',
    });
    const file = join(dir, 'many.yaml');
    let before = problemsOf(file);
    expect(before).toHaveLength(FIXES.length);
    for (const fix of FIXES) {
      const gone = before.filter((p) => fix.removes.test(p));
      expect(gone, `${fix.from} → ${fix.to} among\n${before.join('\n')}`).toHaveLength(1);
      writeFileSync(file, readFileSync(file, 'utf8').replace(fix.from, fix.to));
      const after = problemsOf(file);
      expect(after, `after ${fix.from} → ${fix.to}`).toEqual(before.filter((p) => p !== gone[0]));
      before = after;
    }
    expect(preflight(file, 1).experiment?.alternatives.map((a) => a.name)).toEqual(['a', 'b']);
  });
});
