// An i386 guest whose kernel cannot hold its own structures in lowmem is refused at load, naming
// the file, line, column and field, and saying what lowmem it has and what it needs: the reserve
// plus the mem_map and boot hashes sized with its memory, against 896 MiB less the hypervisor hole.
import { describe, expect, it } from 'vitest';
import { experiment, refusal } from '../helpers/experiment.js';

const yaml = (abi: string, guest: string) => `name: t
duration: 10s
host: { pcpus: 2, memory: 80GiB, abi: ${abi} }
guests:
  - ${guest}
`;

describe('lowmem hostile input', () => {
  it('refuses a 64 GiB PAE Xen guest whose reserve and mem_map pass its 728 MiB of lowmem', () => {
    // 512 MiB of mem_map + 0.75 MiB of hashes + a 256 MiB reserve = 768.75 MiB > 728 MiB.
    const m = refusal(
      yaml(
        'xen',
        '{ name: g, memory: 64GiB, pae: true, kernel: { reserved: 256MiB }, workload: { type: idle } }',
      ),
    );
    expect(m).toMatch(/^t\.yaml:5:\d+: guests\[0\]\.memory: /);
    expect(m).toContain('reserve 256MiB + mem_map and boot hashes sized with memory 512.75MiB');
    expect(m).toContain('lowmem of 728MiB (896MiB less the 168MiB hypervisor hole of xen with PAE)');
  });

  it('the same guest with PAE on VMI has 832 MiB of lowmem and boots', () => {
    // 768.75 MiB < 896 − 64 MiB (the ROM's virtual_top, 0xFC000000 by default).
    const e = experiment(
      yaml(
        'vmi',
        '{ name: g, memory: 64GiB, pae: true, kernel: { reserved: 256MiB }, workload: { type: idle } }',
      ),
    );
    expect(e.alternatives.length).toBe(1);
  });

  it('blames the reserve when the reserve alone does not fit', () => {
    const m = refusal(
      yaml('xen', '{ name: g, memory: 1GiB, kernel: { reserved: 900MiB }, workload: { type: idle } }'),
    );
    expect(m).toContain('guests[0].kernel.reserved');
    expect(m).toContain('lower kernel.reserved');
  });
});
