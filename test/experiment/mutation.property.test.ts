// Property: vmisim never crashes on an experiment file, whatever is wrong with it. Valid example
// files from experiments/ are mutated at random (fast-check) — a field deleted, a value replaced
// by junk of another type, a key misspelt, a list entry duplicated — and loading must either
// succeed (and the first run then runs a simulated second without an internal error) or throw
// an InputError naming the file, a line and a column.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { loadExperimentText, runSpecs } from '../../sim/experiment/load.js';
import { InputError } from '../../sim/options/input-error.js';
import { simulate } from '../../sim/host/run.js';

const files = readdirSync('experiments')
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ name: f, data: parse(readFileSync(`experiments/${f}`, 'utf8')) as unknown }));

type Path = (string | number)[];

/** Every path to a key or list entry in `v`. */
function paths(v: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...paths(x, [...prefix, i])]);
  if (v !== null && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...paths(x, [...prefix, k])]);
  return [];
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  let cur = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  return cur;
}

const junk = fc.oneof(
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('0B', '-1GiB', '1e400', '10 parsecs', '', 'NaN', '∞', '9999999h', '1.5', '3GiB'),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

const mutation = fc.record({
  file: fc.nat(),
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'replace', 'rename', 'duplicate'),
  value: junk,
});

describe('mutated experiment files', () => {
  it('load or fail with a located InputError, and what loads runs without an internal error', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const f = files[m.file % files.length]!;
        const data = structuredClone(f.data);
        const all = paths(data);
        const path = all[m.at % all.length]!;
        const parent = parentOf(data, path);
        const last = path[path.length - 1]!;
        if (m.kind === 'delete') {
          if (Array.isArray(parent)) parent.splice(last as number, 1);
          else delete parent[last];
        } else if (m.kind === 'replace') parent[last] = m.value;
        else if (m.kind === 'rename' && !Array.isArray(parent)) {
          parent[`${String(last)}x`] = parent[last];
          delete parent[last];
        } else if (m.kind === 'duplicate' && Array.isArray(parent))
          parent.push(structuredClone(parent[last as number]));
        const text = stringify(data);
        let specs;
        try {
          specs = runSpecs(loadExperimentText(`experiments/${f.name}`, text));
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          const err = e as InputError;
          expect(err.location.file).toMatch(/\.(yaml|csv)$/);
          if (err.location.file.endsWith('.yaml') && err.location.line === undefined)
            expect(err.message).toMatch(/cannot read/);
          return;
        }
        // It loaded: the first run must run (a simulated second, invariants checked), unless it
        // is too big to try here.
        const s = specs[0]!;
        if (s.guests.length > 40 || s.host.pcpus > 64) return;
        const r = simulate({ ...s, durationNs: 1e9, sampleIntervalNs: 1e9 }, { checkInvariants: true });
        expect(r.status).toBe('ok');
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });
});
