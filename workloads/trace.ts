/**
 * `trace`: replays a recorded demand — CPU and memory over time, one CSV row per stretch of
 * time — so a guest does what a real VM did (a day of a web server, a nightly batch window).
 *
 * CSV format (`file`, relative to the experiment file's folder):
 *   - plain comma-separated numbers, no quoting (a `"` is refused); blank lines and lines whose
 *     first non-blank character is `#` are skipped anywhere; the first other line is the header;
 *   - header: the column names, units in the names, in any order:
 *       time_s      start of the row, seconds from the start of the run (first row 0, strictly
 *                   increasing, a whole number of ns);
 *       cpu_pct     CPU of the whole guest in percent of one vCPU, like top (150 = 1.5 vCPUs),
 *                   spread evenly over the guest's vCPUs (at most 100 × vcpus);
 *    or cpuN_pct    per vCPU, cpu0_pct, cpu1_pct, … (each 0–100; no gaps in N; vCPUs of the guest
 *                   without a column get no demand; a column beyond the guest's vCPUs is an error);
 *       memory_mib  anonymous resident set (MiB = 2^20 bytes; rounded up to 4 KiB pages);
 *                   its largest value must fit in the guest's usable memory;
 *       cache_mib   page cache the workload would keep (optional, default 0; not checked
 *                   against the guest's memory, since the guest reclaims cache first);
 *   - each row holds from its time to the next row's; the last row lasts as long as the gap
 *     before it, so the trace length is t_last + (t_last − t_prev) and at least two rows are needed.
 * Example:
 *   time_s,cpu_pct,memory_mib,cache_mib
 *   0,150,512,64        ← 0–60 s: 1.5 vCPUs of work (75 % of each of 2 vCPUs), 512 MiB resident
 *   60,20,600,64        ← 60–120 s, and (last row, same length as the gap before) 120–180 s:
 *   120,0,600,128          idle, 600 MiB resident, 128 MiB of cache; trace length 180 s.
 *
 * CPU model: in a row [t_i, t_{i+1}) with per-vCPU share u (cpu0_pct/100, or cpu_pct/(100·vcpus))
 * each vCPU works in slots of `quantum` q starting at t_i (the last slot of the row is cut at
 * t_{i+1}): at the start of the slot [s, e) it runs
 *   w = B(e) − B(s),   B(t) = round(u · (t − t_i))   (integer ns)
 * then sleeps the rest of the slot. Busy time in the row is B(t_{i+1}) exactly, whatever the row's
 * length, and since every boundary is computed from absolute times no rounding drifts; u = 1 is
 * one back-to-back run, u = 0 no slot at all. With `loop` the trace starts again at its end,
 * shifted by the trace length; without, once the last row is over the vCPU sleeps (1 ns of work
 * every 10^15 ns, since a burst cannot be empty) and memory holds at the last row.
 *
 * Contention: demand is set by wall-clock time, like a service with a fixed offered load. Each
 * slot's work is done in full and in order: a burst asked for at `now` starts at max(now, slot
 * start); a vCPU that is behind runs its late slots back to back until it has caught up (so the
 * backlog of an overloaded guest grows, and it works on after a non-looping trace ends). No
 * random draws: the same trace gives the same bursts for every seed.
 * Boot: the guest runs its first burst at once, so a vCPU whose first slot is not at 0 does 1 ns
 * of work at boot and then sleeps until that slot.
 *
 * Memory: anonPages(t) and cachePages(t) are those of the row containing t (the guest asks about
 * once a second, so rows shorter than a second may be skipped for memory).
 *
 * Options data: `load` (main thread, at experiment load) reads and checks the CSV and returns the
 * options with a `trace` property holding the parsed columns as plain arrays. That property is
 * not part of the YAML schema (writing `trace:` in an experiment is an unknown key); `check` then
 * tests the trace against the guest (vCPUs, memory) and `create` replays it.
 */
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { accessFields, accessOf, localityFields } from './common.js';
import type { WorkloadDecl, WorkloadInstance } from './types.js';
import { durationNs, strictObject } from '../sim/options/fields.js';
import { InputError } from '../sim/options/input-error.js';
import { MAX_TRACE_FILE_BYTES, readInputFile } from '../sim/options/read-input.js';
import { formatBytes, PAGE_SIZE_BYTES } from '../sim/options/units.js';
import { parseTrace, type LoadedTrace } from './trace-csv.js';

/** A stopped vCPU's sleep between its 1-ns bursts (the longest period on-off uses, too). */
export const STOPPED_IDLE_NS = 1e15;

const options = strictObject({
  file: z
    .string()
    .min(1)
    .describe(
      'CSV trace, relative to the experiment file: header time_s, cpu_pct (whole guest, % of one vCPU) or cpu0_pct, cpu1_pct, … (per vCPU, 0–100), memory_mib, optional cache_mib; one row per stretch of time from time_s (first 0, increasing) to the next row, the last as long as the gap before it; # comment and blank lines allowed; no quoting (required)',
    ),
  loop: z
    .boolean()
    .default(false)
    .describe(
      'at the end start again from the first row (otherwise the vCPUs go idle and memory holds at the last row)',
    ),
  quantum: durationNs()
    .prefault('10ms')
    .describe('slot length of the replay: each vCPU runs its share of every slot at the slot start'),
  ...accessFields(),
  ...localityFields(),
});

export type TraceOptions = z.output<typeof options> & {
  /** Filled in by `load`; not an experiment-file key. */
  trace?: LoadedTrace;
};

/** Per-vCPU replay tables of a loaded trace for a guest of `vcpus` vCPUs. */
interface VcpuPlan {
  /** Percent of the vCPU in each row, over `div` (busy = round(pct · dt / div)). */
  pct: number[];
  div: number;
  /** Busy ns before each row (prefix sums of the rows' busy time), length rows + 1. */
  before: number[];
}

function plans(t: LoadedTrace, vcpus: number): VcpuPlan[] {
  const n = t.timeNs.length;
  return Array.from({ length: vcpus }, (_, v) => {
    const pct =
      t.cpuForm === 'total'
        ? t.cpuPct[0]!
        : v < t.cpuPct.length
          ? t.cpuPct[v]!
          : new Array<number>(n).fill(0);
    const div = t.cpuForm === 'total' ? 100 * vcpus : 100;
    const before = [0];
    for (let i = 0; i < n; i++) {
      const len = (i + 1 < n ? t.timeNs[i + 1]! : t.lengthNs) - t.timeNs[i]!;
      before.push(before[i]! + Math.round((pct[i]! * len) / div));
    }
    return { pct, div, before };
  });
}

/** The row containing trace time t (0 ≤ t < length), by binary search. */
function rowAt(timeNs: readonly number[], t: number): number {
  let lo = 0;
  let hi = timeNs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (timeNs[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export const traceWorkload = {
  name: 'trace',
  description: 'Replays CPU and memory demand over time from a CSV trace, optionally looping.',
  options,
  load: (o, ctx): TraceOptions => {
    const path = isAbsolute(o.file) ? o.file : join(ctx.dir, o.file);
    const trace = ctx.once(`trace:${path}`, () => {
      // Only a regular file, and at most MAX_TRACE_FILE_BYTES of it (sim/options/read-input.ts).
      const read = readInputFile(path, MAX_TRACE_FILE_BYTES);
      if (!read.ok)
        throw new InputError(
          { file: path },
          undefined,
          `cannot read the trace named by workload option file '${o.file}': ${read.why}`,
        );
      return parseTrace(path, read.text);
    });
    return { ...o, trace };
  },
  check: (o, ctx) => {
    if (o.quantum <= 0) return { field: 'quantum', problem: 'quantum must be longer than 0' };
    const t = o.trace;
    if (t === undefined)
      return {
        field: 'file',
        problem: 'the trace was not read: its loader (`load`) must run before `check`',
      };
    if (t.cpuForm === 'per-vcpu' && t.cpuPct.length > ctx.vcpus) {
      const v = ctx.vcpus;
      return {
        field: 'file',
        problem: `${t.path}:${t.headerLine}:${t.cpuCol[v]}: cpu${v}_pct: the trace has a column for vCPU ${v}, but the guest has ${ctx.vcpus} vCPU(s) (cpu0_pct..cpu${v - 1}_pct)`,
      };
    }
    if (t.cpuForm === 'total') {
      const max = 100 * ctx.vcpus;
      const i = t.cpuPct[0]!.findIndex((p) => p > max);
      if (i >= 0)
        return {
          field: 'file',
          problem: `${t.path}:${t.line[i]}:${t.cpuCellCol[i]}: cpu_pct: ${t.cpuPct[0]![i]} is more than the guest's ${ctx.vcpus} vCPU(s) can run (at most ${max})`,
        };
    }
    let worst = 0;
    t.anonPages.forEach((p, i) => {
      if (p > t.anonPages[worst]!) worst = i;
    });
    if (t.anonPages[worst]! > ctx.usablePages)
      return {
        field: 'file',
        problem: `${t.path}:${t.line[worst]}:${t.memoryCellCol[worst]}: memory_mib: ${formatBytes(t.anonPages[worst]! * PAGE_SIZE_BYTES)} does not fit in the guest's ${formatBytes(ctx.usablePages * PAGE_SIZE_BYTES)} of usable memory (memory minus the kernel reserve, mem_map and boot hashes)`,
      };
    return undefined;
  },
  create: (o, ctx): WorkloadInstance => {
    const t = o.trace;
    if (t === undefined) throw new Error('trace: create before load (the experiment loader reads the CSV)');
    const q = o.quantum;
    const n = t.timeNs.length;
    const len = t.lengthNs;
    const rowEnd = (i: number): number => (i + 1 < n ? t.timeNs[i + 1]! : len);
    const plan = plans(t, ctx.vcpus);
    // Per-vCPU replay cursor: the next slot (pass p, row i, slot k) not yet handed out.
    const pass = new Array<number>(ctx.vcpus).fill(0);
    const row = new Array<number>(ctx.vcpus).fill(0);
    const slot = new Array<number>(ctx.vcpus).fill(0);
    const started = new Array<boolean>(ctx.vcpus).fill(false);
    const late = new Array<number>(ctx.vcpus).fill(0);

    /** Busy ns of vCPU v in row i from the row start to trace time t (clipped to the row). */
    const busyTo = (v: number, i: number, tt: number): number => {
      const p = plan[v]!;
      const dt = Math.min(Math.max(tt, t.timeNs[i]!), rowEnd(i)) - t.timeNs[i]!;
      return Math.round((p.pct[i]! * dt) / p.div);
    };

    /** The next slot of v with work, without consuming it: absolute start and work, or undefined. */
    const peek = (v: number): { startNs: number; workNs: number } | undefined => {
      if (plan[v]!.before[n] === 0) return undefined; // nothing to run in any pass
      for (;;) {
        const i = row[v]!;
        if (i >= n) {
          if (!o.loop) return undefined;
          pass[v]! += 1;
          row[v] = 0;
          slot[v] = 0;
          continue;
        }
        const s = t.timeNs[i]! + slot[v]! * q;
        if (plan[v]!.pct[i] === 0 || s >= rowEnd(i)) {
          row[v] = i + 1;
          slot[v] = 0;
          continue;
        }
        const e = Math.min(s + q, rowEnd(i));
        const w = busyTo(v, i, e) - busyTo(v, i, s);
        if (w > 0) return { startNs: pass[v]! * len + s, workNs: w };
        slot[v]! += 1;
      }
    };

    /** Trace time and pass of absolute time now (a non-looping trace stays at its last row). */
    const traceTime = (now: number): { p: number; tt: number } => {
      if (now < 0) return { p: 0, tt: 0 };
      if (o.loop) {
        const p = Math.floor(now / len);
        return { p, tt: now - p * len };
      }
      return { p: 0, tt: Math.min(now, len - 1) };
    };

    return {
      ...accessOf(o),
      anonPages: (now) => t.anonPages[rowAt(t.timeNs, traceTime(now).tt)]!,
      cachePages: (now) => t.cachePages[rowAt(t.timeNs, traceTime(now).tt)]!,
      nextBurst: (v, now) => {
        const next = peek(v);
        const boot = !started[v];
        started[v] = true;
        if (next === undefined) return { workNs: 1, idleNs: STOPPED_IDLE_NS, wake: 'timer' };
        // The guest runs a boot burst at once: keep the first slot if it is not due yet.
        if (boot && next.startNs > now) return { workNs: 1, idleNs: 0, wake: 'timer' };
        slot[v]! += 1;
        if (now > next.startNs) late[v]! += 1;
        return { workNs: next.workNs, idleNs: Math.max(0, next.startNs - now), wake: 'timer' };
      },
      metrics: (now) => {
        let demandNs = 0;
        const { p, tt } = now >= len && !o.loop ? { p: 1, tt: 0 } : traceTime(now);
        const i = rowAt(t.timeNs, tt);
        for (let v = 0; v < ctx.vcpus; v++) {
          const pl = plan[v]!;
          demandNs += p * pl.before[n]! + (now >= len && !o.loop ? 0 : pl.before[i]! + busyTo(v, i, tt));
        }
        return {
          trace_rows_count: n,
          trace_loops_count: o.loop ? Math.floor(Math.max(0, now) / len) : 0,
          cpu_demand_cpu_s: demandNs / 1e9,
          late_bursts_count: late.reduce((a, b) => a + b, 0),
        };
      },
    };
  },
} satisfies WorkloadDecl<TraceOptions>;
