// Every workload generator does the same thing for a seed whether it runs alone or beside busy
// neighbours (issue: "same seed ⇒ identical demand series"): each of its random streams is drawn
// by the same vCPU's calls in the same order (the shorter run's draws, each tagged with the vCPU
// whose nextBurst drew it, a prefix of the longer's — contention only changes how far it gets; a
// stream shared between vCPUs would interleave differently), and its demand series — CPU it would
// run unconstrained per interval, and memory asked for where that is a function of time — are
// identical.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WORKLOADS } from '../../workloads/registry.js';
import type { WorkloadContext, WorkloadDecl } from '../../workloads/types.js';
import { pluginNamed } from '../../sim/options/plugin.js';
import type { RandomStream } from '../../sim/kernel/index.js';
import { simulate } from '../../sim/host/run.js';
import { spec } from '../helpers/experiment.js';
import type { RunResult } from '../../sim/results/types.js';

/** Options for each generator, sized for a 2-vCPU, 1 GiB guest and a 20 s run. */
const SUBJECTS: Record<string, string> = {
  constant: '{ type: constant, dutyCycle: 0.5, resident: 200MiB }',
  idle: '{ type: idle }',
  'on-off': '{ type: on-off, on: 2s, off: 2s, resident: 200MiB }',
  memhog: '{ type: memhog, start: 100MiB, rate: 10MiB, max: 400MiB }',
  leak: '{ type: leak, start: 64MiB, rate: 5MiB, max: 300MiB }',
  diurnal: '{ type: diurnal, period: 20s, residentMax: 400MiB }',
  'kernel-build':
    '{ type: kernel-build, units: 200, cpuPerUnit: 100ms, link: 1s, repeat: true, pause: 2s, perJob: 50MiB }',
  trace: '{ type: trace, file: test/fixtures/traces/small.csv, loop: true }',
  web: '{ type: web, ratePerS: 200, service: 3ms }',
  database: '{ type: database, size: 1GiB, bufferPool: 256MiB }',
  phases:
    '{ type: phases, loop: true, phases: [{ for: 3s, type: idle }, { for: 3s, type: on-off, dutyCycle: 1, on: 1s, off: 1s }] }',
};
/** Memory these ask for depends on how far they got (requests in the system, units built). */
const PROGRESS_MEMORY = new Set(['web', 'kernel-build']);

type Neighbours = 'none' | 'idle' | 'hogs';

function run(workload: string, neighbours: Neighbours): { r: RunResult; draws: Map<string, string[]> } {
  const draws = new Map<string, string[]>();
  /** The vCPU whose nextBurst is running, or '-' (create, memory queries). */
  let current: number | '-' = '-';
  const decl = pluginNamed<WorkloadDecl<unknown>>(WORKLOADS, workload.match(/type: ([\w-]+)/)![1]!)!;
  const create = decl.create.bind(decl);
  // Record every draw of the subject's own streams (the first instance per stream name is the
  // guest's; the unconstrained replay makes a second one, which is left alone).
  vi.spyOn(decl, 'create').mockImplementation((o: unknown, ctx: WorkloadContext) => {
    const mine = ctx.vcpuRng.every((s) => s.name.startsWith('workload:subject/') && !draws.has(s.name));
    if (!mine) return create(o, ctx);
    const wrapped = ctx.vcpuRng.map((s) => {
      const log: string[] = [];
      draws.set(s.name, log);
      return new Proxy(s, {
        get(target, prop, recv) {
          const v = Reflect.get(target, prop, recv) as unknown;
          if (typeof v !== 'function' || prop === 'constructor') return v;
          // Methods run with the proxy as `this`, so exponential's and bernoulli's own calls to
          // nextFloat are seen: the log holds the raw uniform draws (and nextInt's integers),
          // which do not depend on the time-varying means a workload may pass.
          return (...args: unknown[]) => {
            const out = (v as (...a: unknown[]) => unknown).apply(recv, args);
            if ((prop === 'nextFloat' || prop === 'nextInt') && typeof out === 'number')
              log.push(`${current}:${out}`);
            return out;
          };
        },
      }) as RandomStream;
    });
    const w = create(o, { ...ctx, vcpuRng: wrapped });
    const next = w.nextBurst.bind(w);
    w.nextBurst = (v, t) => {
      current = v;
      try {
        return next(v, t);
      } finally {
        current = '-';
      }
    };
    return w;
  });
  const others = {
    none: '',
    idle: `  - { name: 'other-{i}', count: 3, vcpus: 2, memory: 1GiB, workload: { type: idle } }\n`,
    hogs: `  - { name: 'other-{i}', count: 3, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 1, resident: 700MiB } }\n`,
  }[neighbours];
  const r = simulate(
    spec(`
name: t
duration: 20s
seeds: [7]
host: { pcpus: 2, memory: ${neighbours === 'hogs' ? '2GiB' : '8GiB'} }
guests:
  - { name: subject, vcpus: 2, memory: 1GiB, workload: ${workload} }
${others}`),
  );
  vi.restoreAllMocks();
  return { r, draws };
}

function column(r: RunResult, name: string): number[] {
  const s = r.series!;
  return s.values[s.columns.findIndex((c) => c.name === name)]!;
}

afterEach(() => vi.restoreAllMocks());

describe('workloads are independent of what runs beside them', () => {
  it('covers every registered generator', () => {
    expect(Object.keys(SUBJECTS).sort()).toEqual(Object.keys(WORKLOADS).sort());
  });

  for (const [name, workload] of Object.entries(SUBJECTS)) {
    it(`${name}: same draws and same demand series alone and beside three CPU and memory hogs`, () => {
      const alone = run(workload, 'none');
      const quiet = run(workload, 'idle');
      const crowded = run(workload, 'hogs');
      // The neighbours really did get in the way: the subject got less CPU, or was host-swapped.
      const got = (x: RunResult) => x.summary!.guests[0]!;
      expect(got(crowded.r).cpuPcpus < got(alone.r).cpuPcpus || got(crowded.r).hostSwappedMiB > 0).toBe(true);
      expect([...crowded.draws.keys()]).toEqual([...alone.draws.keys()]);
      for (const [stream, a] of alone.draws) {
        const b = crowded.draws.get(stream)!;
        const n = Math.min(a.length, b.length);
        expect(a.slice(0, n), stream).toEqual(b.slice(0, n));
      }
      expect(column(crowded.r, 'subject_cpu_demand_pct')).toEqual(column(alone.r, 'subject_cpu_demand_pct'));
      // Memory demand is applied at the guest's memory tick, whose phase within the second
      // depends on how many guests there are (ticks are staggered): compare with the same number
      // of guests, three of them idle.
      if (!PROGRESS_MEMORY.has(name))
        expect(column(crowded.r, 'subject_memory_demand_MiB')).toEqual(
          column(quiet.r, 'subject_memory_demand_MiB'),
        );
    });
  }
});
