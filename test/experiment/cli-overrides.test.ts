// Command-line overrides (sim/experiment/cli-overrides.ts): `--set path=value` values read as YAML
// and judged by the schema with the file's messages, named by the flag; applied to the base
// experiment before compare: and sweep:, whose own values win; refused when every alternative sets
// the path again; `--seeds N` and `--seeds 3,7,9`; and the RunSpecs (so the run cache's keys) follow.
import { describe, expect, it } from 'vitest';
import { readExperimentText, runSpecs, type Experiment } from '../../sim/experiment/load.js';
import { combineProblems } from '../../sim/options/input-error.js';
import type { CommandLineOverrides } from '../../sim/experiment/cli-overrides.js';
import { specHash } from '../../sim/spec/run-spec.js';
import { YamlBudget } from '../../sim/experiment/yaml-source.js';

const exp = (extra = '') => `name: t
duration: 10s
seeds: 2
host: { pcpus: 2, memory: 4GiB, balloon: { policy: esx } }
guests:
  - name: web
    memory: 1GiB
    workload: { type: constant, resident: 100MiB }
  - name: batch
    memory: 512MiB
    workload: { type: idle }
${extra}`;

const cli = (set: string[], seeds?: string): CommandLineOverrides => ({
  set,
  ...(seeds === undefined ? {} : { seeds }),
});

function load(text: string, flags: CommandLineOverrides): Experiment {
  const o = readExperimentText('t.yaml', text, new YamlBudget(), flags);
  const problem = combineProblems(o.problems);
  if (problem !== undefined) throw problem;
  return o.experiment!;
}

/** The problems' messages, one per line, for flags that must be refused. */
function refused(text: string, flags: CommandLineOverrides): string[] {
  const o = readExperimentText('t.yaml', text, new YamlBudget(), flags);
  expect(o.problems.length).toBeGreaterThan(0);
  return combineProblems(o.problems)!.message.split('\n');
}

describe('--set', () => {
  it('reads values as YAML scalars and flow values, and applies them to the experiment', () => {
    const e = load(
      exp(),
      cli([
        'host.pcpus=8',
        'guests.web.memory=2GiB',
        'guests.1.count=3',
        'host.balloon={policy: none}',
        'guests.web.workload={type: constant, resident: 200MiB, dutyCycle: 0.25}',
      ]),
    );
    const [alt] = e.alternatives;
    expect(alt!.host.pcpus).toBe(8);
    expect(alt!.guests.map((g) => [g.name, g.memoryBytes / 2 ** 20])).toEqual([
      ['web', 2048],
      ['batch-1', 512],
      ['batch-2', 512],
      ['batch-3', 512],
    ]);
    expect(alt!.host.balloon.name).toBe('none');
    expect(e.overrides).toEqual([
      '--set host.pcpus=8',
      '--set guests.web.memory=2GiB',
      '--set guests.1.count=3',
      '--set host.balloon={policy: none}',
      '--set guests.web.workload={type: constant, resident: 200MiB, dutyCycle: 0.25}',
    ]);
    // Without flags the file runs as written, and says so by an empty list.
    const plain = load(exp(), cli([]));
    expect([plain.alternatives[0]!.host.pcpus, plain.overrides]).toEqual([2, []]);
  });

  it('applies flags in order: a later one wins', () => {
    expect(load(exp(), cli(['host.pcpus=8', 'host.pcpus=4'])).alternatives[0]!.host.pcpus).toBe(4);
  });

  it("reports a bad value at the flag, with the file's message and what was found", () => {
    // The same value written in the file gets the same problem, at its line instead.
    const inFile = refused(exp().replace('pcpus: 2', 'pcpus: abc'), cli([]));
    expect(inFile).toEqual([
      expect.stringMatching(/^t\.yaml:4:16: host\.pcpus: (.*expected number.*), found abc$/),
    ]);
    const problem = /host\.pcpus: (.*), found abc$/.exec(inFile[0]!)![1];
    expect(refused(exp(), cli(['host.pcpus=abc']))).toEqual([
      `--set host.pcpus=abc: host.pcpus: ${problem}, found abc`,
    ]);
    // Inside a flow value: found is the part of the value at fault.
    expect(refused(exp(), cli(['guests.web.workload={type: constant, dutyCycle: 2}']))).toEqual([
      expect.stringMatching(
        /^--set guests\.web\.workload=\{type: constant, dutyCycle: 2\}: guests\[0\]\.workload\.dutyCycle: .*1.*, found 2$/,
      ),
    ]);
  });

  it('lists every problem, one line each, and suggests the path meant', () => {
    const lines = refused(
      exp(),
      cli([
        'host.pcpu=8',
        'guests.wbe.memory=1GiB',
        'nothing',
        '=3',
        'host.memory=[1',
        'sweep.host.pcpus=[1]',
      ]),
    );
    expect(lines[0]).toBe('6 problems:');
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        `  --set =3: expected path=value (such as host.pcpus=8), found nothing before '='`,
        expect.stringMatching(
          /^ {2}--set guests\.wbe\.memory=1GiB: no list entry 'wbe' in override path 'guests\.wbe\.memory'; did you mean 'web'\? entries: web, batch$/,
        ),
        expect.stringMatching(/^ {2}--set host\.memory=\[1: value: YAML syntax error: /),
        expect.stringMatching(
          /^ {2}--set host\.pcpu=8: host\.pcpu: unknown key 'pcpu'; .*did you mean 'pcpus'\?$/,
        ),
        `  --set nothing: expected path=value (such as host.pcpus=8), found no '='`,
        `  --set sweep.host.pcpus=[1]: sweep is the file's to write; --set changes fields of the base experiment`,
      ]),
    );
    expect(lines).toHaveLength(7);
  });

  it('reads values as untrusted YAML, within the limits of the file', () => {
    const deep = `host.balloon=${'['.repeat(100)}${']'.repeat(100)}`;
    expect(refused(exp(), cli([deep]))).toEqual([
      expect.stringMatching(/^--set host\.balloon=\[+\]+: value: nested more than 64 deep$/),
    ]);
  });
});

describe('--set with compare: and sweep:', () => {
  const compare = `compare:
  esx: {}
  none: { host.balloon.policy: none }
`;
  it('changes the base; an alternative that sets the same path keeps its value', () => {
    const e = load(exp(compare), cli(['host.balloon.policy=mom', 'host.pcpus=8']));
    expect(e.alternatives.map((a) => [a.name, a.host.balloon.name, a.host.pcpus])).toEqual([
      ['esx', 'mom', 8],
      ['none', 'none', 8],
    ]);
    // Also when the flag sets a mapping around the alternative's path.
    const around = load(exp(compare), cli(['host.balloon={policy: mom}']));
    expect(around.alternatives.map((a) => a.host.balloon.name)).toEqual(['mom', 'none']);
  });

  it('is refused where every alternative sets the path again: it would change nothing', () => {
    const sweep = 'sweep:\n  host.pcpus: [1, 2]\n';
    expect(refused(exp(sweep), cli(['host.pcpus=8']))).toEqual([
      `--set host.pcpus=8: host.pcpus: every alternative of the file sets this again (sweep: host.pcpus), so the flag would change nothing; change the file's compare: or sweep: instead`,
    ]);
    const both = `compare:\n  a: { host.balloon.policy: none }\n  b: { host.balloon: { policy: mom } }\n`;
    expect(refused(exp(both), cli(['host.balloon.policy=esx']))).toEqual([
      expect.stringMatching(/^--set host\.balloon\.policy=esx: .*\(compare\.a, compare\.b\)/),
    ]);
    // A path inside a swept one is hidden too; a path beside it is not.
    expect(
      refused(exp('sweep:\n  host.balloon: [{ policy: none }]\n'), cli(['host.balloon.policy=esx'])),
    ).toHaveLength(1);
    expect(load(exp(sweep), cli(['host.memory=8GiB'])).alternatives.map((a) => a.host.pcpus)).toEqual([1, 2]);
  });

  it('does not change how the file names its alternatives', () => {
    const e = load(exp('sweep:\n  host.pcpus: [1, 2]\n'), cli(['guests.web.memory=2GiB']));
    expect(e.alternatives.map((a) => a.name)).toEqual(['host.pcpus=1', 'host.pcpus=2']);
  });
});

describe('--seeds', () => {
  it('replaces the seeds by 1..N, or by a list', () => {
    expect(load(exp(), cli([], '5')).seeds).toEqual([1, 2, 3, 4, 5]);
    expect(load(exp(), cli([], '3,7,9')).seeds).toEqual([3, 7, 9]);
    expect(load(exp(), cli([], '[3, 7]')).seeds).toEqual([3, 7]);
    expect(load(exp(), cli([], '4')).overrides).toEqual(['--seeds 4']);
  });

  it('refuses what the schema and the limits refuse, at the flag', () => {
    expect(refused(exp(), cli([], '0'))).toEqual([
      '--seeds 0: seeds: a seed count must be at least 1, found 0',
    ]);
    expect(refused(exp(), cli([], '20000'))).toEqual([
      expect.stringMatching(/^--seeds 20000: seeds: .*10000, found 20000$/),
    ]);
    expect(refused(exp(), cli([], '3,3'))).toEqual([
      expect.stringMatching(/^--seeds 3,3: seeds: seeds must be distinct/),
    ]);
    expect(refused(exp(), cli([], 'abc'))).toEqual([
      expect.stringMatching(/^--seeds abc: seeds: .*found abc$/),
    ]);
    // Alternatives × seeds past the limit on runs is said at the flag that made it so.
    expect(
      refused(exp('sweep:\n  guests.web.count: { from: 1, to: 20, step: 1 }\n'), cli([], '10000')),
    ).toEqual([
      expect.stringMatching(
        /^t\.yaml:\d+:\d+: sweep: 20 alternatives × 10000 seeds = 200000 runs, more than 100000/,
      ),
    ]);
  });
});

describe('run specs', () => {
  it('change with a --set, so the run cache cannot take a run made without it', () => {
    const plain = runSpecs(load(exp(), cli([]))).map(specHash);
    const set = runSpecs(load(exp(), cli(['host.pcpus=8']))).map(specHash);
    expect(set).toHaveLength(2);
    expect(set.filter((h) => plain.includes(h))).toEqual([]);
    // --seeds only picks which seeds run: a seed run both ways is the same run.
    const seeds = runSpecs(load(exp(), cli([], '3'))).map(specHash);
    expect(seeds.slice(0, 2)).toEqual(plain);
    expect(plain).not.toContain(seeds[2]);
  });
});
