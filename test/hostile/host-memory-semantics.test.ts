// Host memory semantics that cannot exist are refused before anything runs, with one message that
// names the field, where it is, and the numbers (sim/spec/memory-semantics.ts memorySemanticsProblem,
// sim/experiment/expand.ts); what-ifs that can exist load.
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experiment, refusal } from '../helpers/experiment.js';
import { runSpecs } from '../../sim/experiment/load.js';
import { scratch, vmisim } from '../helpers/cli.js';

const OVERCOMMITTED = (host: string, guest = '') => `name: t
duration: 10s
host: { pcpus: 2, memory: 2GiB${host} }
guests:
  - { name: g, count: 3, memory: 1GiB${guest}, workload: { type: idle } }
`;

describe('impossible host memory semantics are refused', () => {
  it('a Xen PV host whose guests do not fit as built: the sum, at host.memory', () => {
    // 3 × 1 GiB + 3 × 32 MiB overhead = 3168 MiB = 3.09 GiB > 2 GiB.
    const m = refusal(OVERCOMMITTED(', abi: xen'));
    expect(m).toMatch(/^t\.yaml:3:27: host\.memory: /);
    expect(m).toContain('expected host.memory of at least 3.09GiB');
    expect(m).toContain('built with 3GiB, plus 3 × 32MiB overhead');
    expect(m).toContain('found 2GiB');
    expect(m.split('\n')).toHaveLength(1);
  });

  it('the same guests built smaller (balloon.start) fit and load; an ESX host over Xen loads as a what-if', () => {
    // 3 × 640 MiB + 96 MiB = 2016 MiB ≤ 2048 MiB.
    const specs = runSpecs(experiment(OVERCOMMITTED(', abi: xen', ', balloon: { start: 640MiB }')));
    expect(specs[0]!.host.memorySemantics).toBe('xen-pv');
    expect(specs[0]!.guests[0]!.balloon.startBytes).toBe(640 * 2 ** 20);
    const esx = runSpecs(experiment(OVERCOMMITTED(', abi: xen, memorySemantics: esx')));
    expect(esx[0]!.host.memorySemantics).toBe('esx');
  });

  it('auto follows host.abi: vmi → esx, xen → xen-pv', () => {
    expect(runSpecs(experiment(OVERCOMMITTED('')))[0]!.host.memorySemantics).toBe('esx');
    const small = OVERCOMMITTED(', abi: xen').replace('memory: 1GiB', 'memory: 512MiB');
    expect(runSpecs(experiment(small))[0]!.host.memorySemantics).toBe('xen-pv');
  });

  it('a sweep that turns an over-committed host into a Xen one is refused at the sweep', () => {
    const m = refusal(`${OVERCOMMITTED('')}sweep:\n  host.abi: [vmi, xen]\n`);
    expect(m).toContain('host.memory');
    expect(m).toContain('expected host.memory of at least 3.09GiB');
  });

  it('page sharing on a Xen PV host', () => {
    const m = refusal(
      OVERCOMMITTED(', abi: xen, sharing: { scanRate: 200 }').replace('memory: 1GiB', 'memory: 512MiB'),
    );
    expect(m).toMatch(
      /^t\.yaml:3:\d+: host\.sharing\.scanRate: host memory semantics xen-pv has no page sharing/,
    );
    expect(m).toContain('found 200');
  });

  it('Xen PV semantics under VMI', () => {
    const m = refusal(OVERCOMMITTED(', memorySemantics: xen-pv').replace('memory: 1GiB', 'memory: 512MiB'));
    expect(m).toMatch(
      /^t\.yaml:3:\d+: host\.memorySemantics: .*needs host\.abi xen.*host\.abi is vmi, found xen-pv$/,
    );
  });

  it('an unknown preset names the valid ones', () => {
    const m = refusal(OVERCOMMITTED(', memorySemantics: hyperv'));
    expect(m).toContain('host.memorySemantics');
    for (const n of ['auto', 'esx', 'xen-pv', 'kvm']) expect(m).toContain(n);
  });

  it('balloon.start above the guest’s memory or below its balloon floor', () => {
    const above = refusal(OVERCOMMITTED(', abi: xen', ', balloon: { start: 2GiB }'));
    expect(above).toMatch(/guests\[0\]\.balloon\.start: expected the memory the guest is built with between/);
    expect(above).toContain('found 2GiB');
    // Floor: kernel reserve 64 MiB + minFree 16 MiB = 80 MiB.
    const below = refusal(OVERCOMMITTED('', ', balloon: { start: 40MiB }'));
    expect(below).toContain('balloon floor (80MiB');
  });

  it('the command exits 2 with the one message and writes nothing', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'x.yaml'), OVERCOMMITTED(', abi: xen'));
    const r = vmisim(['run', 'x.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('x.yaml:3:27: host.memory: a xen-pv host allocates every guest page');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
