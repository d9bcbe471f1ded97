// credit2 does not model caps: a guest with `cpu.cap` above 0 under credit2 is refused at load with
// a located message, never run uncapped (issue 21). A cap under credit, or cap 0 under credit2,
// loads.
import { describe, expect, it } from 'vitest';
import { experiment, refusal } from '../helpers/experiment.js';

const yaml = (policy: string, cap: number) => `name: t
duration: 10s
host: { pcpus: 1, memory: 2GiB, scheduler: { policy: ${policy} } }
guests:
  - { name: a, memory: 256MiB, cpu: { cap: ${cap} }, workload: { type: idle } }
`;

describe('credit2 and cap', () => {
  it('refuses a cap under credit2, naming the file, line, column and field, and what to do', () => {
    const m = refusal(yaml('credit2', 50));
    expect(m).toContain('t.yaml:5:');
    expect(m).toContain('guests[0].cpu.cap');
    expect(m).toContain('cap 50% is not supported');
    expect(m).toContain('use policy credit for capped guests, or remove cap');
  });

  it('refuses it when an alternative switches to credit2, and loads cap 0 or credit', () => {
    expect(() => experiment(yaml('credit2', 0))).not.toThrow();
    expect(() => experiment(yaml('credit', 50))).not.toThrow();
    const m = refusal(
      `${yaml('credit', 50)}compare:\n  c1: {}\n  c2: { host.scheduler: { policy: credit2 } }\n`,
    );
    expect(m).toContain('cap 50% is not supported');
  });
});
