// What one run can simulate, checked when the experiment is loaded (sim/experiment/limits.ts):
// the hypervisor's overhead for every guest must fit in the host (3,000 guests of the default
// 32 MiB on 64 GiB do not: such runs used to fail after minutes of simulation with "event time
// beyond 2^53 ns" or "host uses … frames of …"), and the cycle counters must stay exact.
import { describe, expect, it } from 'vitest';
import { refusal } from '../helpers/experiment.js';
import { loadExperimentText } from '../../sim/experiment/load.js';

const guests = (count: number) =>
  `guests:\n  - { name: 'g-{i}', count: ${count}, memory: 64MiB, kernel: { reserved: 16MiB, minFree: 4MiB }, workload: { type: idle, resident: 8MiB } }\n`;

describe('guest overhead against host memory', () => {
  it('3,000 guests × the default 32 MiB on a 64 GiB host: at host.memory, with the arithmetic', () => {
    expect(refusal(`name: t\nduration: 10s\nhost: { pcpus: 8, memory: 64GiB }\n${guests(3000)}`)).toBe(
      't.yaml:3:27: host.memory: the hypervisor keeps guestOverhead (32MiB) in host memory for each of the 3000 guests, and swapping cannot free it: expected guests × guestOverhead ≤ host.memory (64GiB), found 3000 × 32MiB = 93.75GiB (lower guestOverhead, run fewer guests or give the host more memory)',
    );
  });

  it('at host.guestOverhead when the file sets it, or at the alternative that does', () => {
    expect(
      refusal(
        `name: t\nduration: 10s\nhost: { pcpus: 8, memory: 1GiB, guestOverhead: 300MiB }\n${guests(4)}`,
      ),
    ).toMatch(/^t\.yaml:3:48: host\.guestOverhead: .* found 4 × 300MiB = 1\.17GiB/);
    expect(
      refusal(
        `name: t\nduration: 10s\nhost: { pcpus: 8, memory: 1GiB }\n${guests(4)}compare:\n  small: {}\n  fat: { host.guestOverhead: 512MiB }\n`,
      ),
    ).toMatch(/^t\.yaml:8:30: compare\.fat: host\.guestOverhead: .* found 4 × 512MiB = 2GiB/);
  });

  it('exactly full is accepted: 32 guests × 32 MiB on 1 GiB', () => {
    const e = loadExperimentText(
      't.yaml',
      `name: t\nduration: 1s\nhost: { pcpus: 1, memory: 1GiB }\n${guests(32)}`,
    );
    expect(e.alternatives[0]!.guests).toHaveLength(32);
    expect(refusal(`name: t\nduration: 1s\nhost: { pcpus: 1, memory: 1GiB }\n${guests(33)}`)).toMatch(
      /found 33 × 32MiB = 1\.03GiB/,
    );
  });
});

describe('cycle counters', () => {
  it('a duration past 2^53 cycles at host.cpuMHz is refused at the duration', () => {
    // 2^53 × 1000 / 3000 ns = 3,002,399,751,580,330 ns = 34.75 days: 34d fits, 35d does not.
    const at = (d: string) =>
      `name: t\nduration: ${d}\nsampleInterval: 1h\nhost: { pcpus: 1, memory: 4GiB }\n${guests(1)}`;
    expect(loadExperimentText('t.yaml', at('34d')).durationNs).toBe(34 * 86_400e9);
    expect(refusal(at('35d'))).toBe(
      "t.yaml:2:11: duration: at host.cpuMHz 3000 the guests' cycle counters (ns × MHz / 1000) pass 2^53, where they stop being exact, after 834h (34.7 days); expected a duration of at most that, found 840h",
    );
  });
});
