// `trace` (workloads/trace.ts): replaying the fixture traces uncontended gives back the CSV's
// exact text (busy time per row, memory and cache at each row), for any quantum; loop vs stop;
// catch-up under contention; no randomness; one InputError per kind of bad trace at the right
// file:line:col; a whole run with invariants on; and the CLI's exit 2 on a bad trace.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STOPPED_IDLE_NS, traceWorkload, type TraceOptions } from '../../workloads/trace.js';
import type { WorkloadInstance } from '../../workloads/types.js';
import { InputError } from '../../sim/options/input-error.js';
import { loadExperimentText, runSpecs, workloadLoadContext } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { scratch, vmisim } from '../helpers/cli.js';
import { burstSequence, drive, fakeCtx } from './fake-ctx.js';

const FIX = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../experiments/traces/', import.meta.url));
const MiB = 256; // pages per MiB

/** Options as the experiment loader hands them to `create`: parsed, then loaded from `dir`. */
function loaded(raw: Record<string, unknown>, dir = FIX): TraceOptions {
  return traceWorkload.load(traceWorkload.options.parse(raw), workloadLoadContext(dir));
}

function instance(raw: Record<string, unknown>, vcpus: number, seed = 1, dir = FIX) {
  const o = loaded(raw, dir);
  return { o, t: o.trace!, w: traceWorkload.create(o, fakeCtx(seed, vcpus)) };
}

/** Busy ns of `busy` intervals inside [a, b). */
function overlap(busy: [number, number][], a: number, b: number): number {
  let s = 0;
  for (const [x, y] of busy) s += Math.max(0, Math.min(y, b) - Math.max(x, a));
  return s;
}

/** The data lines of a CSV (header and rows, without comment and blank lines), as text. */
function dataText(text: string): string {
  return (
    text
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
      .join('\n') + '\n'
  );
}

/**
 * Drives every vCPU uncontended over `passes` trace lengths from `fromPass`, and writes what it
 * measured back as CSV: per row, the busy share (per vCPU, or summed as cpu_pct), the memory and
 * cache at the row's start.
 */
function measure(w: WorkloadInstance, o: TraceOptions, vcpus: number, header: string, pass = 0): string {
  const t = o.trace!;
  const off = pass * t.lengthNs;
  const runs = Array.from({ length: vcpus }, (_, v) => drive(w, v, off + t.lengthNs, true).busy);
  const cols = header.split(',');
  const out = [header];
  t.timeNs.forEach((start, i) => {
    const end = i + 1 < t.timeNs.length ? t.timeNs[i + 1]! : t.lengthNs;
    const busy = runs.map((b) => overlap(b, off + start, off + end));
    const pct = (ns: number) => String((ns * 100) / (end - start));
    out.push(
      cols
        .map((c) => {
          const m = /^cpu([0-9]+)_pct$/.exec(c);
          if (m !== null) return pct(busy[Number(m[1])]!);
          if (c === 'cpu_pct') return pct(busy.reduce((a, b) => a + b, 0));
          if (c === 'time_s') return String(start / 1e9);
          if (c === 'memory_mib') return String(w.anonPages(off + start) / MiB);
          return String(w.cachePages!(off + start) / MiB);
        })
        .join(','),
    );
  });
  return out.join('\n') + '\n';
}

const headerOf = (text: string) => dataText(text).split('\n')[0]!;

describe('trace workload: replay', () => {
  it('replays the per-vCPU fixture back to its exact text, for quanta that do and do not divide the rows', () => {
    const text = readFileSync(join(FIX, 'small.csv'), 'utf8');
    for (const quantum of ['10ms', '7ms', '1s', '3s']) {
      const { o, w } = instance({ file: 'small.csv', quantum }, 2);
      expect(measure(w, o, 2, headerOf(text))).toBe(text);
    }
  });

  it('replays the whole-guest (cpu_pct) fixture, spread over the vCPUs, skipping comments and blank lines', () => {
    const text = readFileSync(join(FIX, 'total.csv'), 'utf8');
    const { o, w, t } = instance({ file: 'total.csv' }, 2);
    expect(measure(w, o, 2, headerOf(text))).toBe(dataText(text));
    // Even spread: 150 % over 2 vCPUs is 75 % of each in 0–0.5 s.
    const b0 = drive(instance({ file: 'total.csv' }, 2).w, 1, t.lengthNs, true).busy;
    expect(overlap(b0, 0, 0.5e9)).toBe(0.375e9);
    // Rows and lines as read: comments and blank lines skipped, no cache column → 0.
    expect(t.line).toEqual([5, 6, 9, 10, 11]);
    expect(t.lengthNs).toBe(5e9);
    expect(w.cachePages!(1e9)).toBe(0);
  });

  it('works in slots of quantum: u·q at the start of each slot, the last slot of a row cut short', () => {
    const { w } = instance({ file: 'small.csv' }, 2);
    const busy = drive(w, 0, 10e9, true).busy;
    // Row 0 (0–1 s, 50 %): 5 ms at the start of every 10-ms slot.
    expect(busy.slice(0, 3)).toEqual([
      [0, 5e6],
      [10e6, 15e6],
      [20e6, 25e6],
    ]);
    // Row 3 (3.5–3.845 s, 37.5 %): 34 full slots then a 5-ms one, busy 129.375 ms in all.
    const row3 = busy.filter(([a]) => a >= 3.5e9 && a < 3.845e9);
    expect(row3).toHaveLength(35);
    expect(row3.at(-1)).toEqual([3.84e9, 3.84e9 + 1.875e6]);
    // 100 % is one stretch of back-to-back bursts (each asked for with no sleep).
    expect(overlap(busy, 1e9, 1.5e9)).toBe(0.5e9);
  });

  it('does 1 ns at boot when a vCPU has nothing to run at 0, then waits for its first slot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmisim-trace-'));
    writeFileSync(join(dir, 'late.csv'), 'time_s,cpu0_pct,cpu1_pct,memory_mib\n0,0,10,64\n1,50,0,64\n');
    const { w } = instance({ file: 'late.csv' }, 2, 1, dir);
    expect(w.nextBurst(0, 0)).toEqual({ workNs: 1, idleNs: 0, wake: 'timer' });
    expect(w.nextBurst(0, 1)).toEqual({ workNs: 5e6, idleNs: 1e9 - 1, wake: 'timer' });
    // vCPU 1 has work at 0, so it starts at once; after its last slot (and the run) it is idle.
    expect(w.nextBurst(1, 0)).toEqual({ workNs: 1e6, idleNs: 0, wake: 'timer' });
    const busy1 = drive(instance({ file: 'late.csv' }, 2, 1, dir).w, 1, 10e9).busyNs;
    expect(busy1).toBe(0.1e9);
  });

  it('without loop: the CPU goes idle and memory holds at the last row; with loop: it starts over', () => {
    const text = readFileSync(join(FIX, 'small.csv'), 'utf8');
    const stop = instance({ file: 'small.csv' }, 2);
    const len = stop.t.lengthNs;
    const busy = drive(stop.w, 0, 5 * len, true).busy;
    expect(overlap(busy, len, 5 * len)).toBe(0);
    expect(stop.w.nextBurst(0, 3 * len)).toEqual({ workNs: 1, idleNs: STOPPED_IDLE_NS, wake: 'timer' });
    expect(stop.w.anonPages(3 * len)).toBe(200 * MiB);
    expect(stop.w.anonPages(len - 1)).toBe(200 * MiB);
    expect(stop.w.metrics!(3 * len).trace_loops_count).toBe(0);

    const loop = instance({ file: 'small.csv', loop: true }, 2);
    // The second pass, measured on its own, is the CSV again; memory follows the shifted rows.
    expect(measure(loop.w, loop.o, 2, headerOf(text), 1)).toBe(text);
    expect(loop.w.anonPages(len + 3.6e9)).toBe(512 * MiB);
    expect(loop.w.cachePages!(2 * len + 3.6e9)).toBe(128 * MiB);
    expect(loop.w.metrics!(2.5 * len).trace_loops_count).toBe(2);
  });

  it('reports rows, loops and the CPU demand of the run', () => {
    const { w, t } = instance({ file: 'small.csv', loop: true }, 2);
    const len = t.lengthNs;
    const busy = [0, 1].map((v) => drive(instance({ file: 'small.csv', loop: true }, 2).w, v, len).busyNs);
    const pass = (busy[0]! + busy[1]!) / 1e9;
    // cpu0: 0.5 + 0.5 + 0.129375 + 0.231 + 0.125 + 1.5; cpu1: 0.25 + 2 + 0.215625 + 0.924 + 0.5 + 0.2.
    expect(pass).toBeCloseTo(2.985375 + 4.089625, 9);
    expect(w.metrics!(len)).toEqual({
      trace_rows_count: 8,
      trace_loops_count: 1,
      cpu_demand_cpu_s: pass,
      late_bursts_count: 0,
    });
    // Half-way through row 0 of the third pass: 2 passes + 50 % and 25 % of 0.5 s.
    expect(w.metrics!(2 * len + 0.5e9).cpu_demand_cpu_s).toBeCloseTo(2 * pass + 0.375, 9);
    const stop = instance({ file: 'small.csv' }, 2).w;
    expect(stop.metrics!(7 * len).cpu_demand_cpu_s).toBeCloseTo(pass, 9);
  });

  it('under contention does every slot in full and in order, late ones back to back, then catches up', () => {
    // A vCPU that runs at half speed: a burst of w takes 2w of wall time.
    const { w, t } = instance({ file: 'small.csv' }, 2);
    let now = 0;
    let work = w.nextBurst(0, 0).workNs;
    let done = 0;
    let backToBack = 0;
    while (now < 40e9) {
      now += 2 * work;
      done += work;
      const b = w.nextBurst(0, now);
      if (b.idleNs === 0) backToBack++;
      now += b.idleNs;
      work = b.workNs;
      if (b.idleNs === STOPPED_IDLE_NS) break;
    }
    const demand = drive(instance({ file: 'small.csv' }, 2).w, 0, t.lengthNs).busyNs;
    expect(done).toBe(demand);
    expect(backToBack).toBeGreaterThan(100);
    expect(w.metrics!(now).late_bursts_count).toBeGreaterThan(100);
  });

  it('draws nothing at random: the same bursts for every seed', () => {
    const seq = (seed: number) => burstSequence(instance({ file: 'small.csv' }, 2, seed).w, 2, 300);
    expect(seq(2)).toEqual(seq(1));
    expect(seq(12345)).toEqual(seq(1));
  });
});

/** Experiment text with one guest running `trace` on `file`. */
function expYaml(file: string, guest = 'vcpus: 2, memory: 1GiB', more = '', duration = '20s'): string {
  return `
name: t
duration: ${duration}
seeds: 1
host: { pcpus: 4, memory: 8GiB }
guests:
  - { name: a, ${guest}, workload: { type: trace, file: ${file}${more} } }
`;
}

/** Loads an experiment from a temp folder holding `csv` as bad.csv; returns the InputError. */
function badTrace(csv: string, guest?: string): InputError {
  const dir = mkdtempSync(join(tmpdir(), 'vmisim-trace-'));
  writeFileSync(join(dir, 'bad.csv'), csv);
  try {
    loadExperimentText(join(dir, 'exp.yaml'), expYaml('bad.csv', guest));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    (e as { dir?: string }).dir = dir;
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

const H = 'time_s,cpu_pct,memory_mib\n';

describe('trace workload: bad traces', () => {
  // [what, CSV, line, col, column name, reason]
  const cases: [string, string, number, number, string | undefined, RegExp][] = [
    ['missing column', 'time_s,cpu_pct\n0,1\n1,1\n', 1, 15, 'memory_mib', /^missing column memory_mib/],
    [
      'missing CPU column',
      '# no cpu\ntime_s,memory_mib\n0,1\n1,1\n',
      2,
      18,
      'cpu_pct',
      /^missing CPU column in the header: expected cpu_pct \(whole guest\) or cpu0_pct/,
    ],
    [
      'unknown column',
      'time_s,cpu_pct,memory_mib,mem_mib\n0,1,1,1\n',
      1,
      27,
      'mem_mib',
      /^unknown column 'mem_mib'; expected time_s, .*; did you mean 'memory_mib'\?$/,
    ],
    ['duplicate column', 'time_s,cpu_pct,time_s,memory_mib\n', 1, 16, 'time_s', /appears twice/],
    [
      'both CPU forms',
      'time_s,cpu_pct,cpu0_pct,memory_mib\n',
      1,
      16,
      'cpu0_pct',
      /either as cpu_pct .* not both/,
    ],
    [
      'gap in per-vCPU columns',
      'time_s,cpu0_pct,cpu2_pct,memory_mib\n',
      1,
      36,
      'cpu1_pct',
      /^missing column cpu1_pct: per-vCPU columns must be cpu0_pct, cpu1_pct, … without gaps/,
    ],
    [
      'non-numeric cell',
      `${H}0,50,256\n1, abc,256\n`,
      3,
      4,
      'cpu_pct',
      /^expected a number \(percent\), found 'abc'$/,
    ],
    ['empty cell', `${H}0,50,\n`, 2, 6, 'memory_mib', /^expected a number \(MiB\), found an empty cell$/],
    [
      'too few cells',
      `${H}0,50\n`,
      2,
      5,
      'memory_mib',
      /^expected 3 cells \(one per header column\), found 2$/,
    ],
    [
      'too many cells',
      `${H}0,50,256,7\n`,
      2,
      10,
      undefined,
      /^expected 3 cells \(one per header column\), found 4$/,
    ],
    [
      'first time not 0',
      `${H}\n0.5,50,256\n1,50,256\n`,
      3,
      1,
      'time_s',
      /^the first row must start at 0 .*found 0\.5$/,
    ],
    [
      'time going backwards',
      `${H}0,50,256\n2,50,256\n1.5,50,256\n`,
      4,
      1,
      'time_s',
      /^times must increase from row to row: expected more than 2 \(line 3\), found 1\.5$/,
    ],
    ['time not increasing', `${H}0,50,256\n0,50,256\n`, 3, 1, 'time_s', /^times must increase .*found 0$/],
    ['time not whole ns', `${H}0,50,256\n1e-10,50,256\n`, 3, 1, 'time_s', /^expected a whole number of ns/],
    [
      'negative demand',
      `${H}0,50,256\n1,50,-1\n`,
      3,
      6,
      'memory_mib',
      /^expected a number \(MiB\) of at least 0, found -1$/,
    ],
    [
      'per-vCPU CPU above 100',
      'time_s,cpu0_pct,memory_mib\n0,50,256\n1,100.5,256\n',
      3,
      3,
      'cpu0_pct',
      /^expected at most 100 \(one whole vCPU\), found 100\.5$/,
    ],
    ['quoted cell', `${H}0,"50",256\n`, 2, 3, undefined, /^quoted cells are not supported/],
    ['one row only', `${H}0,50,256\n`, 2, 1, 'time_s', /^expected at least two rows .*found 1$/],
    ['no header', '# nothing\n\n', 1, 1, undefined, /^no header row/],
  ];
  for (const [what, csv, line, col, field, problem] of cases) {
    it(`${what}: ${line}:${col}`, () => {
      const e = badTrace(csv);
      const dir = (e as { dir?: string }).dir!;
      expect(e.location).toEqual({ file: join(dir, 'bad.csv'), line, col });
      expect(e.field).toBe(field);
      expect(e.problem).toMatch(problem);
      expect(e.message.startsWith(`${join(dir, 'bad.csv')}:${line}:${col}: `)).toBe(true);
    });
  }

  it('a missing trace file names the path it tried', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmisim-trace-'));
    expect(() => loadExperimentText(join(dir, 'exp.yaml'), expYaml('nope.csv'))).toThrow(
      new InputError(
        { file: join(dir, 'nope.csv') },
        undefined,
        "cannot read the trace named by workload option file 'nope.csv': no such file",
      ),
    );
  });

  // Checks against the guest run after the CSV is read: located at the experiment's `file`
  // option, naming the CSV's line and column in the reason.
  it('cpu_pct above 100 × vcpus', () => {
    const e = badTrace(`${H}0,50,256\n1,  150,256\n`, 'vcpus: 1, memory: 1GiB');
    const csv = join((e as { dir?: string }).dir!, 'bad.csv');
    expect(e.field).toBe('guests[0].workload.file');
    expect(e.problem).toContain(
      `${csv}:3:5: cpu_pct: 150 is more than the guest's 1 vCPU(s) can run (at most 100)`,
    );
  });

  it("per-vCPU columns beyond the guest's vCPUs", () => {
    const e = badTrace('time_s,cpu0_pct,cpu1_pct,cpu2_pct,memory_mib\n0,1,1,1,1\n1,1,1,1,1\n');
    const csv = join((e as { dir?: string }).dir!, 'bad.csv');
    expect(e.field).toBe('guests[0].workload.file');
    expect(e.problem).toContain(
      `${csv}:1:26: cpu2_pct: the trace has a column for vCPU 2, but the guest has 2 vCPU(s) (cpu0_pct..cpu1_pct)`,
    );
  });

  it('memory that does not fit in the guest', () => {
    const e = badTrace(`${H}0,50,256\n1,50,2048\n2,50,512\n`);
    const csv = join((e as { dir?: string }).dir!, 'bad.csv');
    // A 1 GiB guest: 1024 − 64 (reserve) − 8.75 (mem_map and boot hashes) = 951.25 MiB usable.
    expect(e.problem).toContain(
      `${csv}:3:6: memory_mib: 2GiB does not fit in the guest's 951.25MiB of usable memory (memory minus the kernel reserve, mem_map and boot hashes)`,
    );
  });

  it('the parsed trace is not an experiment key', () => {
    expect(() =>
      loadExperimentText(join(FIX, 'exp.yaml'), expYaml('small.csv', undefined, ', trace: {}')),
    ).toThrow(/workload\.trace: unknown key 'trace'; expected one of file, loop, quantum/);
  });

  it('is read as a phase of phases too (relative to the experiment file)', () => {
    const exp = loadExperimentText(
      join(FIX, 'exp.yaml'),
      expYaml('x', undefined, '').replace(
        '{ type: trace, file: x }',
        '{ type: phases, phases: [{ for: 10s, type: idle }, { for: 10s, type: trace, file: small.csv }] }',
      ),
    );
    const o = exp.alternatives[0]!.guests[0]!.workload.options as {
      phases: { options: TraceOptions }[];
    };
    expect(o.phases[1]!.options.trace!.timeNs).toHaveLength(8);
  });
});

describe('trace workload: whole runs', () => {
  it('does the work the trace asks for on an uncontended host, with invariants on', () => {
    const exp = loadExperimentText(join(FIX, 'exp.yaml'), expYaml('small.csv', undefined, ', loop: true'));
    const r = simulate(runSpecs(exp)[0]!, { checkInvariants: true });
    const g = r.summary!.guests[0]!;
    const demand = g.workloadMetrics.cpu_demand_cpu_s!;
    // Two passes of 10 s: 2 × 7.075 CPU-s.
    expect(demand).toBeCloseTo(2 * 7.075, 6);
    expect(g.unconstrainedWorkCpuS).toBeCloseTo(demand, 2);
    expect(Math.abs(g.workDoneCpuS / demand - 1)).toBeLessThan(0.01);
    expect(g.workloadMetrics.trace_loops_count).toBe(2);
    expect([256, 300, 300.5, 512, 400, 128, 200]).toContain(g.anonDemandMiB);
  });

  it('loads the example web-day trace for a 2-vCPU, 1-GiB guest', () => {
    const exp = loadExperimentText(join(EXAMPLES, 'exp.yaml'), expYaml('web-day.csv', undefined, '', '1h'));
    const o = exp.alternatives[0]!.guests[0]!.workload.options as TraceOptions;
    expect(o.trace!.lengthNs).toBe(3600e9);
    expect(o.trace!.timeNs).toHaveLength(120);
  });

  it('the CLI exits 2 on a bad trace with file:line:col, and writes nothing', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'exp.yaml'), expYaml('bad.csv'));
    writeFileSync(join(dir, 'bad.csv'), `${H}0,50,256\n1,lots,256\n`);
    const r = vmisim(['run', 'exp.yaml', '--out', 'out/bad', '--threads', '1'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("vmisim: bad.csv:3:3: cpu_pct: expected a number (percent), found 'lots'");
    expect(existsSync(join(dir, 'out', 'bad'))).toBe(false);
    expect(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).toEqual([]);
  });
});
