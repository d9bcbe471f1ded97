// Bad values for the working-set and ESX options are refused with one message naming the file,
// line, column and field: the removed ESX options (rebalanceChunks, chunkPages: min-funding
// revocation has no chunks), and a workload's access rate or locality out of range.
import { describe, expect, it } from 'vitest';
import { refusal } from '../helpers/experiment.js';

const yaml = (balloon: string, workload: string) => `name: t
duration: 10s
host: { pcpus: 1, memory: 1GiB, balloon: ${balloon} }
guests:
  - { name: g, memory: 256MiB, workload: ${workload} }
`;

describe('memory-access and ESX options: hostile values', () => {
  it('refuses the removed ESX option rebalanceChunks at its line and column', () => {
    const m = refusal(yaml('{ policy: esx, rebalanceChunks: 16 }', '{ type: idle }'));
    expect(m).toMatch(/^t\.yaml:3:\d+: /);
    expect(m).toContain('rebalanceChunks');
    expect(m).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses chunkPages likewise', () => {
    expect(refusal(yaml('{ policy: esx, chunkPages: 256 }', '{ type: idle }'))).toContain('chunkPages');
  });

  it('refuses a negative or zero page access rate, and a hot share above 1, naming the field', () => {
    const rate = refusal(yaml('{ policy: esx }', '{ type: constant, pageAccessesPerS: -5 }'));
    expect(rate).toMatch(/^t\.yaml:5:\d+: .*pageAccessesPerS/);
    expect(refusal(yaml('{ policy: esx }', '{ type: web, pageAccessesPerS: 0 }'))).toContain(
      'pageAccessesPerS',
    );
    expect(refusal(yaml('{ policy: esx }', '{ type: on-off, hotShare: 1.5 }'))).toContain('hotShare');
    expect(refusal(yaml('{ policy: esx }', '{ type: idle, pageAccessesPerS: "fast" }'))).toContain(
      'pageAccessesPerS',
    );
  });
});
