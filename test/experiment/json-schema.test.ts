/**
 * The published JSON Schema of experiment files (vmisim.schema.json) stays equal to the one
 * generated from the zod declarations, accepts every example experiment, and rejects the same
 * mistakes vmisim's own loader rejects. Regenerate the file with
 * `VMISIM_UPDATE_SCHEMA=1 npx vitest run test/experiment/json-schema.test.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  experimentJsonSchema,
  experimentJsonSchemaText,
  experimentSchemaFileText,
  JSON_SCHEMA_DRAFT,
  recogniseCustomField,
} from '../../sim/experiment/json-schema.js';
import { loadExperimentText } from '../../sim/experiment/load.js';
import { InputError } from '../../sim/options/input-error.js';
import { durationNs, sizeBytes } from '../../sim/options/fields.js';
import { z } from 'zod';

const schemaPath = fileURLToPath(new URL('../../vmisim.schema.json', import.meta.url));
const experimentsDir = fileURLToPath(new URL('../../experiments/', import.meta.url));
const MODELINE = '# yaml-language-server: $schema=../vmisim.schema.json';

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(experimentJsonSchema());

function schemaErrors(doc: unknown): ErrorObject[] {
  return validate(doc) ? [] : (validate.errors ?? []);
}

/** A small valid experiment; each bad case below changes one thing in it. */
const BASE = `
name: base
duration: 10s
host:
  pcpus: 2
  memory: 4GiB
  scheduler: { policy: credit, tick: 10ms }
  balloon: { policy: static, fraction: 0.25 }
  timer: { delivery: catch-up }
guests:
  - name: web-{i}
    count: 2
    memory: 1GiB
    kernel: { hz: 1000 }
    workload: { type: constant, dutyCycle: 0.5, burst: 5ms }
  - name: dev
    memory: 1GiB
    workload:
      type: phases
      loop: true
      phases:
        - { for: 30s, type: idle }
        - { for: 1m, type: constant, dutyCycle: 1 }
compare:
  none: { host.balloon: { policy: none } }
  fast: { host.scheduler.tick: 1ms }
`;

/** BASE with `from` replaced by `to` (which must occur exactly once). */
function edit(from: string, to: string): string {
  expect(BASE.split(from).length, `'${from}' occurs once in BASE`).toBe(2);
  return BASE.replace(from, to);
}

/** Where in `experimentsDir` inline experiments pretend to live (include paths are relative to it). */
const FAKE_FILE = `${experimentsDir}inline.yaml`;

function loaderProblem(text: string): string | undefined {
  try {
    loadExperimentText(FAKE_FILE, text);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
}

describe('experiment JSON Schema', () => {
  it('checked-in vmisim.schema.json equals the generated schema', async () => {
    if (process.env.VMISIM_UPDATE_SCHEMA === '1') writeFileSync(schemaPath, await experimentSchemaFileText());
    let onDisk = '(missing)';
    try {
      onDisk = readFileSync(schemaPath, 'utf8');
    } catch {
      // reported by the comparison below
    }
    expect(onDisk, 'run VMISIM_UPDATE_SCHEMA=1 npx vitest run test/experiment/json-schema.test.ts').toBe(
      await experimentSchemaFileText(),
    );
    // Formatting aside, the file is exactly the generated schema (what `vmisim schema` prints).
    expect(JSON.parse(onDisk)).toEqual(JSON.parse(experimentJsonSchemaText()));
  });

  it('is a draft-07 schema that ajv compiles in strict mode', () => {
    const s = experimentJsonSchema();
    expect(s.$schema).toBe(JSON_SCHEMA_DRAFT);
    expect(ajv.validateSchema(s)).toBe(true);
  });

  it('recognises unit fields, and refuses custom fields it does not know', () => {
    expect(recogniseCustomField(sizeBytes())).toEqual({ kind: 'size' });
    expect(recogniseCustomField(durationNs().prefault('1s').unwrap())).toEqual({ kind: 'duration' });
    expect(recogniseCustomField(z.number())).toBeUndefined();
    const odd = z.unknown().transform(() => 1);
    expect(() => recogniseCustomField(odd)).toThrow(/does not know this custom field/);
  });

  // The examples and the validation experiments one folder down (their modeline goes up twice).
  const files = [
    ...readdirSync(experimentsDir).filter((f) => f.endsWith('.yaml')),
    ...readdirSync(`${experimentsDir}validation`).map((f) => `validation/${f}`),
  ].sort();
  for (const f of files) {
    it(`accepts experiments/${f}, which names the schema in its first line`, () => {
      const text = readFileSync(`${experimentsDir}${f}`, 'utf8');
      const up = f.includes('/') ? '../../' : '../';
      expect(text.split('\n')[0]).toBe(MODELINE.replace('../', up));
      expect(schemaErrors(parse(text))).toEqual([]);
    });
  }

  const good: [string, string][] = [
    ['the base document', BASE],
    [
      'a preset with overrides',
      edit('{ type: constant, dutyCycle: 0.5, burst: 5ms }', '{ preset: web-frontend }'),
    ],
    [
      'an include',
      edit('{ type: constant, dutyCycle: 0.5, burst: 5ms }', '{ include: workloads/idle-desktop.yaml }'),
    ],
    ['a cost preset', edit('  pcpus: 2', '  pcpus: 2\n  costs: modern')],
    ['cost overrides', edit('  pcpus: 2', '  pcpus: 2\n  costs: { preset: zero, exitCycles: 100 }')],
    ['seeds as a list', edit('duration: 10s', 'duration: 10s\nseeds: [1, 7, 42]')],
  ];
  for (const [what, text] of good) {
    it(`accepts ${what}, as the loader does`, () => {
      expect(loaderProblem(text)).toBeUndefined();
      expect(schemaErrors(parse(text))).toEqual([]);
    });
  }

  /** [what, document, instance path the schema reports, text the loader's message contains] */
  const bad: [string, string, string, RegExp][] = [
    [
      'an unknown top-level key',
      edit('duration: 10s', 'duration: 10s\ndurations: 1m'),
      '',
      /unknown key 'durations'/,
    ],
    ['an unknown host key', edit('  pcpus: 2', '  pcpus: 2\n  pcpu: 2'), '/host', /unknown key 'pcpu'/],
    ['a misspelt unit', edit('  memory: 4GiB', '  memory: 4GiG'), '/host/memory', /unknown size unit/],
    ['a size without a unit', edit('  memory: 4GiB', '  memory: 4'), '/host/memory', /needs a unit/],
    ['a duration that is not one', edit('duration: 10s', 'duration: soon'), '/duration', /duration/],
    [
      'an unknown scheduler',
      edit('policy: credit,', 'policy: fair-share,'),
      '/host/scheduler/policy',
      /unknown CPU scheduler 'fair-share'/,
    ],
    [
      'an unknown timer delivery policy',
      edit('delivery: catch-up', 'delivery: catchup'),
      '/host/timer/delivery',
      /did you mean 'catch-up'/,
    ],
    [
      'a plugin option of the wrong type',
      edit('fraction: 0.25', "fraction: 'a quarter'"),
      '/host/balloon/fraction',
      /fraction/,
    ],
    [
      'a plugin option with a bad unit',
      edit('tick: 10ms', 'tick: 10'),
      '/host/scheduler/tick',
      /needs a unit/,
    ],
    [
      'an option of another plugin',
      edit('{ policy: credit, tick: 10ms }', '{ policy: round-robin, tick: 10ms }'),
      '/host/scheduler',
      /unknown key 'tick'/,
    ],
    [
      'a workload option of another workload',
      edit('dutyCycle: 0.5, burst: 5ms }', 'dutyCycle: 0.5, burst: 5ms, jobs: 4 }'),
      '/guests/0/workload',
      /unknown key 'jobs'/,
    ],
    [
      'an unknown workload',
      edit('type: constant, dutyCycle: 0.5', 'type: steady, dutyCycle: 0.5'),
      '/guests/0/workload/type',
      /unknown workload/,
    ],
    [
      'a phase with an option of another workload',
      edit('{ for: 30s, type: idle }', '{ for: 30s, type: idle, dutyCycle: 1 }'),
      '/guests/1/workload/phases/0',
      /unknown key 'dutyCycle'/,
    ],
    [
      'a phase without its length',
      edit('{ for: 30s, type: idle }', '{ type: idle }'),
      '/guests/1/workload/phases/0',
      /for: <duration>/,
    ],
    [
      'phases inside phases',
      edit('{ for: 30s, type: idle }', '{ for: 30s, type: phases }'),
      '/guests/1/workload/phases/0/type',
      /cannot itself be 'phases'/,
    ],
    [
      'an unknown preset',
      edit('{ type: constant, dutyCycle: 0.5, burst: 5ms }', '{ preset: web-front }'),
      '/guests/0/workload/preset',
      /no workload preset 'web-front'/,
    ],
    [
      'a preset beside a type',
      edit('{ type: constant, dutyCycle: 0.5, burst: 5ms }', '{ preset: web-frontend, type: web }'),
      '/guests/0/workload',
      /give either type or preset/,
    ],
    [
      'a preset override that its workload does not have',
      edit('{ type: constant, dutyCycle: 0.5, burst: 5ms }', '{ preset: web-frontend, dutyCycle: 1 }'),
      '/guests/0/workload',
      /unknown key 'dutyCycle'/,
    ],
    [
      'a workload with neither type nor preset',
      edit('{ type: constant, dutyCycle: 0.5, burst: 5ms }', '{ dutyCycle: 0.5 }'),
      '/guests/0/workload',
      /workload name/,
    ],
    [
      'an unknown cost preset',
      edit('  pcpus: 2', '  pcpus: 2\n  costs: p3'),
      '/host/costs',
      /unknown cost preset/,
    ],
    ['a guest without memory', edit('    memory: 1GiB\n    kernel', '    kernel'), '/guests/0', /memory/],
    [
      'an unknown guest key',
      edit('    count: 2', '    count: 2\n    vcpu: 2'),
      '/guests/0',
      /unknown key 'vcpu'/,
    ],
    ['a kernel tick rate Linux does not offer', edit('hz: 1000', 'hz: 999'), '/guests/0/kernel/hz', /hz/],
    ['a bad experiment name', edit('name: base', 'name: my base'), '/name', /name/],
    [
      'a compare alternative that is not a mapping',
      edit('  fast: { host.scheduler.tick: 1ms }', '  fast: 1ms'),
      '/compare/fast',
      /./,
    ],
  ];
  for (const [what, text, path, loaderMessage] of bad) {
    it(`rejects ${what}, as the loader does`, () => {
      const errors = schemaErrors(parse(text));
      expect(errors.length, 'the schema rejects it').toBeGreaterThan(0);
      expect(errors.map((e) => e.instancePath)).toContain(path);
      const problem = loaderProblem(text);
      expect(problem, 'the loader rejects it').toBeDefined();
      expect(problem).toMatch(loaderMessage);
    });
  }

  it('gives one precise error for a wrong plugin option, not one per plugin', () => {
    const errors = schemaErrors(
      parse(edit('{ policy: credit, tick: 10ms }', '{ policy: round-robin, tick: 10ms }')),
    );
    expect(errors.filter((e) => e.keyword === 'additionalProperties')).toEqual([
      expect.objectContaining({ instancePath: '/host/scheduler', params: { additionalProperty: 'tick' } }),
    ]);
  });
});
