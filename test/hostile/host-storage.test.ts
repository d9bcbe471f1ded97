// host.storage refuses what its fields cannot mean, naming the file, line, column and field: a
// disk with no bandwidth (every request would take forever), a preset that does not exist, a
// write cluster of no pages, the removed swapLatency fields (the disk's latency replaces them), the
// removed host.swapRate (the host's swap takes its time from the disk), and
// a host page cache for guest disks on a host that has none (ESX, Xen PV).
import { describe, expect, it } from 'vitest';
import { refusal } from '../helpers/experiment.js';

const yaml = (storage: string, kernel = '', host = '') => `name: t
duration: 10s
host:${host}
  pcpus: 1
  memory: 2GiB
  storage: ${storage}
guests:
  - { name: g, memory: 256MiB, workload: { type: idle }${kernel} }
`;

describe('host.storage hostile input', () => {
  it('refuses a bandwidth of 0', () => {
    const m = refusal(yaml('{ bandwidthPerS: 0B }'));
    expect(m).toMatch(/t\.yaml:6:\d+/);
    expect(m).toContain('host.storage.bandwidthPerS');
    expect(m).toContain('above 0B');
  });

  it('refuses an unknown preset and lists the known ones', () => {
    const m = refusal(yaml('{ preset: floppy }'));
    expect(m).toContain('host.storage.preset');
    expect(m).toContain('sata-2006');
    expect(m).toContain('ssd');
  });

  it('refuses a write cluster of 0 pages', () => {
    expect(refusal(yaml('{ writeClusterPages: 0 }'))).toContain('host.storage.writeClusterPages');
  });

  it('refuses the old per-fault swap latency of a guest kernel', () => {
    const m = refusal(yaml('{}', ', kernel: { swapLatency: 5ms }'));
    expect(m).toContain('swapLatency');
  });

  it('refuses a host page cache on an ESX or a Xen PV host, and names the semantics that has one', () => {
    for (const semantics of ['esx', 'xen-pv']) {
      const abi = semantics === 'esx' ? 'vmi' : 'xen';
      const m = refusal(
        yaml('{ hostPageCache: on }', '', `\n  abi: ${abi}\n  memorySemantics: ${semantics}`),
      );
      expect(m).toContain('host.storage.hostPageCache');
      expect(m).toContain(`memory semantics ${semantics} has no host page cache`);
      expect(m).toContain('memorySemantics kvm');
    }
  });

  it('refuses a host page cache setting that is not auto, on or off', () => {
    const m = refusal(yaml('{ hostPageCache: yes }'));
    expect(m).toContain('host.storage.hostPageCache');
    expect(m).toMatch(/auto.*on.*off/);
  });

  it('refuses the removed host.swapRate and says what sets the host swap’s pace now', () => {
    const m = refusal(yaml('{}', '', '\n  swapRate: 32MiB'));
    expect(m).toMatch(/t\.yaml:4:\d+/);
    expect(m).toContain('host.swapRate: removed');
    expect(m).toContain('host.storage');
    expect(m).toContain('bandwidthPerS');
  });
});
