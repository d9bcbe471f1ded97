// `sweep:` (sim/experiment/load.ts): every combination of the swept values, crossed with the
// compare alternatives, each an alternative of its own with a readable name; a bad swept value is
// reported at that value in the sweep block.
import { describe, expect, it } from 'vitest';
import { loadExperimentText, runSpecs } from '../../sim/experiment/load.js';

const exp = (extra: string) => `name: t
duration: 10s
seeds: 2
host: { pcpus: 2, memory: 4GiB }
guests:
  - name: web
    memory: 1GiB
    workload: { type: constant, resident: 100MiB }
${extra}`;

describe('sweep', () => {
  it('crosses lists and ranges, last key fastest, and applies each point', () => {
    const e = loadExperimentText(
      't.yaml',
      exp('sweep:\n  host.pcpus: [1, 4]\n  guests.web.count: { from: 1, to: 3 }\n'),
    );
    expect(e.alternatives.map((a) => a.name)).toEqual([
      'host.pcpus=1,guests.web.count=1',
      'host.pcpus=1,guests.web.count=2',
      'host.pcpus=1,guests.web.count=3',
      'host.pcpus=4,guests.web.count=1',
      'host.pcpus=4,guests.web.count=2',
      'host.pcpus=4,guests.web.count=3',
    ]);
    const last = e.alternatives[5]!;
    expect(last.host.pcpus).toBe(4);
    expect(last.guests.map((g) => g.name)).toEqual(['web-1', 'web-2', 'web-3']);
    // 6 points × 2 seeds, each RunSpec with its own hash.
    const specs = runSpecs(e);
    expect(specs).toHaveLength(12);
  });

  it('is crossed with compare alternatives, named alternative/point; the sweep wins on a shared path', () => {
    const e = loadExperimentText(
      't.yaml',
      exp(
        'compare:\n  rr: {}\n  credit: { host.scheduler: { policy: credit }, host.pcpus: 8 }\nsweep:\n  host.pcpus: [1, 2]\n',
      ),
    );
    expect(e.alternatives.map((a) => a.name)).toEqual([
      'rr/host.pcpus=1',
      'rr/host.pcpus=2',
      'credit/host.pcpus=1',
      'credit/host.pcpus=2',
    ]);
    expect(e.alternatives[2]!.host.scheduler.name).toBe('credit');
    expect(e.alternatives[2]!.host.pcpus).toBe(1);
  });

  it('steps a range by its step without drift', () => {
    const e = loadExperimentText(
      't.yaml',
      exp('sweep:\n  guests.web.workload.dutyCycle: { from: 0.1, to: 0.5, step: 0.1 }\n'),
    );
    expect(e.alternatives.map((a) => a.guests[0]!.workload.options.dutyCycle)).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.5,
    ]);
  });

  it('reports a bad swept value at that value, a bad path at its key, a reversed range', () => {
    expect(() => loadExperimentText('t.yaml', exp('sweep:\n  host.pcpus: [2, 0]\n'))).toThrow(
      /t\.yaml:10:19: sweep host\.pcpus=0: host\.pcpus: Too small/,
    );
    expect(() => loadExperimentText('t.yaml', exp('sweep:\n  guests.db.count: [1, 2]\n'))).toThrow(
      /t\.yaml:10:3: sweep\.guests\.db\.count: no list entry 'db' in override path 'guests\.db\.count'; did you mean 'web'\? entries: web/,
    );
    expect(() => loadExperimentText('t.yaml', exp('sweep:\n  host.pcpus: { from: 4, to: 2 }\n'))).toThrow(
      /sweep\.host\.pcpus: range from 4 to 2: 'to' must be at least 'from'/,
    );
    expect(() => loadExperimentText('t.yaml', exp('sweep:\n  host.pcpus: []\n'))).toThrow(
      /sweep\.host\.pcpus: a sweep list needs at least one value/,
    );
  });
});

describe("the sweep in results.json's header", () => {
  it('lists the factors in file order with their typed values, and each alternative’s place', () => {
    const e = loadExperimentText(
      't.yaml',
      exp(
        'compare:\n  rr: {}\n  credit: { host.scheduler: { policy: credit } }\nsweep:\n  host.pcpus: [2, 1]\n  host.abi: [xen, vmi]\n',
      ),
    );
    expect(e.sweep.factors).toEqual([
      { path: 'host.pcpus', values: [2, 1] },
      { path: 'host.abi', values: ['xen', 'vmi'] },
    ]);
    expect(e.sweep.alternatives.map((a) => a.name)).toEqual(e.alternatives.map((a) => a.name));
    expect(e.sweep.alternatives[0]).toEqual({
      name: 'rr/host.pcpus=2,host.abi=xen',
      compare: 'rr',
      factors: { 'host.pcpus': 2, 'host.abi': 'xen' },
    });
    expect(e.sweep.alternatives[7]).toEqual({
      name: 'credit/host.pcpus=1,host.abi=vmi',
      compare: 'credit',
      factors: { 'host.pcpus': 1, 'host.abi': 'vmi' },
    });
    // Key order is factor order (what the report's point labels are made of).
    expect(Object.keys(e.sweep.alternatives[7]!.factors)).toEqual(['host.pcpus', 'host.abi']);
  });

  it('a sweep alone has no compare names; a range gives numbers; a boolean stays a boolean', () => {
    const e = loadExperimentText(
      't.yaml',
      exp(
        'sweep:\n  guests.web.workload.dutyCycle: { from: 0.2, to: 0.4, step: 0.2 }\n  guests.web.pae: [true, false]\n',
      ),
    );
    expect(e.sweep.factors).toEqual([
      { path: 'guests.web.workload.dutyCycle', values: [0.2, 0.4] },
      { path: 'guests.web.pae', values: [true, false] },
    ]);
    expect(e.sweep.alternatives[1]).toEqual({
      name: 'guests.web.workload.dutyCycle=0.2,guests.web.pae=false',
      factors: { 'guests.web.workload.dutyCycle': 0.2, 'guests.web.pae': false },
    });
  });

  it('without a sweep: no factors, each compare alternative its own name', () => {
    const e = loadExperimentText('t.yaml', exp('compare:\n  a: {}\n  b: { host.pcpus: 1 }\n'));
    expect(e.sweep).toEqual({
      factors: [],
      alternatives: [
        { name: 'a', compare: 'a', factors: {} },
        { name: 'b', compare: 'b', factors: {} },
      ],
    });
    expect(loadExperimentText('t.yaml', exp('')).sweep).toEqual({
      factors: [],
      alternatives: [{ name: 'default', factors: {} }],
    });
  });
});
