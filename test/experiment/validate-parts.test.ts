// Judging an experiment against the schema (sim/experiment/validate-parts.ts): a field of the
// wrong type is reported as what it is, at its value, with what was found — not as missing.
import { describe, expect, it } from 'vitest';
import { loadExperimentText } from '../../sim/experiment/load.js';

const exp = (pcpus: string) => `name: t
duration: 10s
host: { pcpus: ${pcpus}, memory: 4GiB }
guests:
  - { name: web, memory: 1GiB, workload: { type: idle } }
`;

describe('schema issues', () => {
  it('a value of the wrong type is said to be wrong, with what was found', () => {
    expect(() => loadExperimentText('t.yaml', exp('abc'))).toThrow(
      /^t\.yaml:3:16: host\.pcpus: Invalid input: expected number, received string, found abc$/,
    );
  });

  it('a field that is absent is said to be missing', () => {
    expect(() => loadExperimentText('t.yaml', exp('2').replace('pcpus: 2, ', ''))).toThrow(
      /^t\.yaml:3:7: host\.pcpus: required: expected a number, found nothing$/,
    );
  });
});
