// `phases` (workloads/phases.ts): the active phase by time (with and without loop), phase-local
// time, sleeps cut at phase boundaries, memory and locality from the active phase, per-phase
// option validation with field paths, determinism, and a whole run with invariants on.
import { describe, expect, it } from 'vitest';
import { WORKLOADS } from '../../workloads/registry.js';
import type { PhasesInstance } from '../../workloads/phases.js';
import { simulate } from '../../sim/host/run.js';
import { experiment, spec } from '../helpers/experiment.js';
import { burstSequence, drive, exp, fakeCtx } from './fake-ctx.js';

const phases = WORKLOADS.phases!;
const MiB = 256; // pages per MiB

function instance(raw: Record<string, unknown>, seed = 1, vcpus = 1): PhasesInstance {
  return phases.create(phases.options.parse(raw), fakeCtx(seed, vcpus)) as PhasesInstance;
}

const threePhases = [
  { for: '10s', type: 'idle', resident: '16MiB' },
  { for: '5s', type: 'constant', dutyCycle: 1, resident: '100MiB' },
  { for: '20s', type: 'memhog', start: '10MiB', rate: '1MiB', touchAll: true },
];

describe('phases workload', () => {
  it('switches phase at the right times; without loop the last phase continues', () => {
    const w = instance({ phases: threePhases });
    const at = (s: number) => w.phaseAt(s * 1e9);
    expect([at(0), at(9.999), at(10), at(14.999), at(15), at(34.999), at(35), at(1000)]).toEqual([
      0, 0, 1, 1, 2, 2, 2, 2,
    ]);
  });

  it('loops with period Σ for', () => {
    const w = instance({ phases: threePhases, loop: true });
    const at = (s: number) => w.phaseAt(s * 1e9);
    expect([at(35), at(44.999), at(45), at(50), at(70), at(80), at(350 + 12)]).toEqual([0, 0, 1, 2, 0, 1, 1]);
  });

  it('takes memory and locality from the active phase, in phase-local time', () => {
    const w = instance({ phases: threePhases, loop: true });
    const loc = w.locality!();
    expect(w.anonPages(3e9)).toBe(16 * MiB);
    expect(loc).toMatchObject({ hotFraction: 0.2, hotShare: 0.9 }); // the guest's default
    expect(w.anonPages(12e9)).toBe(100 * MiB);
    // memhog phase from 15 s: local time 10 s → 10 MiB + 10 × 1 MiB; touchAll locality.
    expect(w.anonPages(25e9)).toBe(20 * MiB);
    expect(loc.hotFraction).toBe(1);
    // Next cycle (period 35 s): memhog starts over at 35 + 15 s.
    expect(w.anonPages((35 + 15 + 2) * 1e9)).toBe(12 * MiB);
    expect(w.cachePages!(3e9)).toBe(0);
  });

  it('takes the accesses per CPU-second from the active phase (a database sets its own)', () => {
    const w = instance({
      phases: [
        { for: '10s', type: 'idle' },
        {
          for: '10s',
          type: 'database',
          size: '256MiB',
          bufferPool: '64MiB',
          pagesPerTxn: 10,
          cpuPerTxn: '2ms',
        },
      ],
    });
    w.anonPages(5e9);
    expect(w.accessesPerCpuS!()).toBe(2000); // the guest's default (sim/guest/guest.ts)
    w.anonPages(15e9);
    // database: pagesPerTxn / cpuPerTxn = 10 / 2 ms = 5,000 accesses per CPU-second.
    expect(w.accessesPerCpuS!()).toBe(5000);
  });

  it('runs each phase’s bursts: idle uses ~nothing, constant dutyCycle 1 is always busy', () => {
    const w = instance({ phases: threePhases.slice(0, 2), loop: true });
    const run = drive(w, 0, 150e9, true);
    // 10 cycles of 15 s: the vCPU is busy exactly during the 5-s constant phases (plus 100-us
    // idle bursts), and the busy intervals start when a constant phase starts.
    expect(run.busyNs / 1e9).toBeGreaterThan(10 * 5);
    expect(run.busyNs / 1e9).toBeLessThan(10 * 5 + 10 * 10 * 1e-4 + 0.2);
    for (let c = 0; c < 10; c++) {
      const start = (c * 15 + 10) * 1e9;
      expect(run.busy.some(([s]) => s === start)).toBe(true);
    }
  });

  it('cuts a sleep that reaches the next phase: the vCPU wakes at the boundary', () => {
    const w = instance({
      phases: [
        { for: '1s', type: 'idle', tick: '10s' },
        { for: '1s', type: 'constant', dutyCycle: 1, burst: '10ms' },
      ],
    });
    w.nextBurst(0, 0);
    // idle would sleep until its next 10-s grid point; the constant phase starts at 1 s, busy.
    const b = w.nextBurst(0, 100e3);
    expect(100e3 + b.idleNs).toBe(1e9);
    expect(b.workNs).toBeGreaterThan(0);
  });

  it('starts a stateful phase over at each occurrence: a looping build builds every time', () => {
    // 20 units of ~100 ms and a 1 s link take ~3.2 s of the 30 s build phase: each of the three
    // occurrences in 3 × 40 s runs one whole build, and the metrics carry the phase's index.
    const w = instance({
      loop: true,
      phases: [
        { for: '10s', type: 'idle' },
        { for: '30s', type: 'kernel-build', units: 20, cpuPerUnit: '100ms', ioPerUnit: '0s', link: '1s' },
      ],
    });
    drive(w, 0, 120e9);
    const m = w.metrics!(120e9);
    expect(m.phase1_builds_done_count).toBe(3);
    expect(m.phase1_units_done_count).toBe(60);
  });

  it('is deterministic: same seed, same bursts', () => {
    const o = {
      phases: [
        { for: '2s', type: 'on-off', on: '300ms', off: '300ms' },
        { for: '1s', type: 'constant', burst: '50ms' },
      ],
      loop: true,
    };
    expect(burstSequence(instance(o, 3, 2), 2, 400)).toEqual(burstSequence(instance(o, 3, 2), 2, 400));
    expect(burstSequence(instance(o, 3, 2), 2, 400)).not.toEqual(burstSequence(instance(o, 4, 2), 2, 400));
  });

  it('runs in a whole experiment with invariants on (every other workload as a phase)', () => {
    const yaml = exp(
      `  - name: a
    vcpus: 2
    memory: 1GiB
    workload:
      type: phases
      loop: true
      phases:
        - { for: 4s, type: idle }
        - { for: 4s, type: constant, dutyCycle: 1, resident: 300MiB }
        - { for: 4s, type: on-off, on: 1s, off: 1s }
        - { for: 4s, type: memhog, start: 100MiB, rate: 50MiB }
        - { for: 4s, type: leak, rate: 20MiB }`,
      '40s',
    );
    const a = simulate(spec(yaml), { checkInvariants: true });
    const g = a.summary!.guests[0]!;
    // Two 4-s constant phases at dutyCycle 1 on 2 vCPUs: ≈ 16 CPU-s, plus the rest's share.
    expect(g.workDoneCpuS).toBeGreaterThan(16);
    expect(g.workDoneCpuS).toBeLessThan(40);
    expect(simulate(spec(yaml), { checkInvariants: true }).summary).toEqual(a.summary);
  });

  it('validates each phase with its workload’s schema and check, naming the field path', () => {
    const guest = (p: string, mem = '1GiB') =>
      exp(`  - { name: a, memory: ${mem}, workload: { type: phases, phases: [${p}] } }`);
    expect(() => experiment(guest('{for: 1s, type: idle}, {for: 1s, type: constant, dutyCycle: 2}'))).toThrow(
      /workload\.phases\[1\]\.dutyCycle: Too big/,
    );
    expect(() => experiment(guest('{for: 1s, type: idle, tik: 1s}'))).toThrow(
      /workload\.phases\[0\]\.tik: unknown key 'tik'.*did you mean 'tick'/,
    );
    expect(() => experiment(guest('{for: 1s, type: phases}'))).toThrow(
      /phases\[0\]\.type: a phase cannot itself be 'phases'/,
    );
    expect(() => experiment(guest('{for: 1s, type: idel}'))).toThrow(
      /phases\[0\]\.type: unknown workload 'idel'.*did you mean 'idle'/,
    );
    expect(() => experiment(guest('{type: idle}'))).toThrow(
      /phases\[0\]\.for: each phase needs 'for: <duration>'/,
    );
    expect(() => experiment(guest('{for: 0s, type: idle}'))).toThrow(
      /phases\[0\]\.for: for must be longer than 0/,
    );
    expect(() => experiment(guest('{for: 1s, type: idle}, {for: 1s, type: memhog, max: 2GiB}'))).toThrow(
      // Located at the value of that phase's max (line 7, column 117), not just the workload.
      /test\.yaml:7:117: guests\[0\]\.workload\.phases\[1\]\.max: max 2GiB does not fit/,
    );
    expect(() => experiment(guest(''))).toThrow(/workload\.phases: Too small/);
  });
});
