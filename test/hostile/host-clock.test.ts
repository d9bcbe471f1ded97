// host.clock refuses what its fields cannot mean, naming the file, line, column and field, what
// was expected and what was found: a negative or fractional per-pCPU offset (pCPU 0 is the
// reference, offsets count in whole ns), a drift past ±1000 ppm, a field that does not exist.
import { describe, expect, it } from 'vitest';
import { refusal } from '../helpers/experiment.js';

const yaml = (clock: string) => `name: t
duration: 10s
host:
  pcpus: 2
  memory: 2GiB
  abi: xen
  clock: ${clock}
guests:
  - { name: g, memory: 256MiB, workload: { type: idle } }
`;

describe('host.clock hostile input', () => {
  it('refuses a negative per-pCPU offset', () => {
    const m = refusal(yaml('{ tscOffsetPerPcpuNs: -5 }'));
    expect(m).toMatch(/t\.yaml:7:\d+/);
    expect(m).toContain('host.clock.tscOffsetPerPcpuNs');
    expect(m).toContain('-5');
  });

  it('refuses a fractional per-pCPU offset', () => {
    const m = refusal(yaml('{ tscOffsetPerPcpuNs: 1.5 }'));
    expect(m).toContain('host.clock.tscOffsetPerPcpuNs');
    expect(m).toContain('1.5');
  });

  it('refuses a drift beyond ±1000 ppm, and a drift that is not a number', () => {
    const big = refusal(yaml('{ platformDriftPpm: 5000 }'));
    expect(big).toContain('host.clock.platformDriftPpm');
    expect(big).toContain('5000');
    expect(refusal(yaml('{ platformDriftPpm: fast }'))).toContain('host.clock.platformDriftPpm');
  });

  it('refuses an unknown field, naming it', () => {
    expect(refusal(yaml('{ tscOffsetNs: 5 }'))).toContain('tscOffsetNs');
  });
});
