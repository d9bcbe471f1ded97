/**
 * How much memory an experiment will need, estimated before it starts, so that one too large is
 * refused with a suggestion instead of dying minutes later: the main process at its JavaScript
 * heap limit ("FATAL ERROR: Reached heap limit", exit 134), a worker at its own, or the machine
 * swapping. Three limits, three checks:
 *
 * 1. The main process's heap (v8 heap_size_limit). It keeps every run's summary, but reads the
 *    series back from the run cache one run at a time while it writes the report
 *    (reports/write-report.ts), so at its peak it holds
 *      MAIN_BASE + runs × (PER_RUN + guests × PER_GUEST_SUMMARY)
 *        + rows × columns × PER_VALUE                 one run's series, read back and written out
 *        + chart points of one run × PER_CHART_POINT  that run's charts in report.html
 *        + compared runs × rows × (host columns + 2 × per-guest quantities) × 8   comparison charts
 * 2. Each worker's heap (the same limit: piscina passes no resourceLimits, so a worker thread gets
 *    the process's V8 heap limit): one run, WORKER_BASE + guests × PER_GUEST_HEAP + rows ×
 *    columns × WORKER_PER_VALUE. A worker that runs out is a failed run, not a crash, but a run
 *    that cannot fit would only fail: it is refused up front too.
 * 3. The machine (os.totalmem): the main process's heap plus, per thread, a worker's heap, its
 *    series as typed arrays (8 bytes a value) and its guests' state outside the heap, under
 *    MAX_SHARE_OF_RAM of the machine.
 * And one run's results are one JSON text in the run cache: it must fit in a JavaScript string.
 *
 * The constants are measured (below) and rounded up, so the estimate is an upper bound of the heap
 * the process needs: for the main process, the smallest heap limit under which it completes.
 */
import { totalmem } from 'node:os';
import { constants as bufferConstants } from 'node:buffer';
import { getHeapStatistics } from 'node:v8';
import type { Experiment } from './load.js';
import { formatBytes } from '../options/units.js';
import { GUEST_SERIES } from '../results/catalog/guest-series.js';
import { HOST_SERIES } from '../results/catalog/host-series.js';
import { chooseBalloonPolicy } from '../../policies/balloon/registry.js';

const MiB = 1024 ** 2;
const KiB = 1024;
/*
 * MEASURED (Node 20, this code, 2 threads): the smallest heap_size_limit under which `vmisim run`
 * completes, found by bisection over --max-old-space-size (heap_size_limit is that plus V8's
 * 48 MiB young generation), reusing cached runs unless "fresh"; "peak" is the largest heap in use
 * that node --trace-gc showed under the default 4 GiB limit, where V8 lets garbage pile up.
 *   shape                                                  needs    peak     estimate
 *   1 run, 1 guest, 1 sample                               69 MiB   33 MiB    72 MiB
 *   300 runs, 1 guest, 10 samples                          76 MiB   65 MiB    91 MiB
 *   4 runs × 200 idle guests, 2 samples                    79 MiB   65 MiB   110 MiB
 *   1 run, 300 busy guests (huge-host's mix), 6 samples    80 MiB   52 MiB    87 MiB  (fresh 80)
 *   1 run, bench/huge-host.yaml: 1,000 guests, 60 × 18,006 117 MiB  252 MiB   161 MiB
 *   1 run, 1 idle guest, 72,000 samples × 23 series       104 MiB  103 MiB   160 MiB  (fresh 100)
 *   1 run, 2 busy guests, 36,000 × 42 (esx)               101 MiB  115 MiB   146 MiB  (fresh 105)
 *   4 runs of those on 2 threads, fresh                   123 MiB            147 MiB
 *   1 run, 200 idle guests, 600 × 3,406                   125 MiB  224 MiB   169 MiB
 * Hence, with slack: a base of 69 MiB (code, chart.js's source, the PNG renderer); 24 KiB per run
 * of one guest; 13 KiB (idle) to 37 KiB (busy: workload figures, interface calls) per further
 * guest of a run, its summary kept and its charts and tables made; 21–27 bytes per value of the
 * run being written (its JSON text, parsed, validated, written out), the more the longer the
 * numbers print (3.3 to 5.4 characters here); a run's result arriving from a worker while the
 * previous one is stored adds up to ~18 MiB (4 runs against 1). A point of a chart line costs its
 * [x, y] array and its JSON text. The peak under the default limit exceeds the estimate where V8
 * collects late, not because the process needs it: the same runs complete under a limit of the
 * estimate.
 */
const MAIN_BASE = 72 * MiB;
const PER_RUN = 16 * KiB;
const PER_GUEST_SUMMARY = 48 * KiB;
// 40 until guest memory counted mem_map and the boot hashes: MiB series then print fractions
// (an idle 512 MiB guest's free memory is 443.625 MiB, not 448), and the small-heap test's run
// just under the guard (test/hostile/heap-limit.test.ts, 10 runs × 30,600 × 23) ran out of heap
// at 40; it completes at 48. Not re-measured by bisection.
const PER_VALUE = 48;
const PER_CHART_POINT = 100;
/*
 * Workers, peak heap per --trace-gc: bench/huge-host.yaml (1,000 guests, 1.14 M values) 92.5 MiB,
 * 300 guests of the same mix 36 MiB, 1 guest × 1.66 M values 46 MiB, 1 guest × 23 values 13 MiB:
 * about 13 MiB of base, 70 KiB per guest, 20 bytes per value (the run's series as arrays of
 * numbers, handed back to the main process).
 */
const WORKER_BASE = 24 * MiB;
const PER_GUEST_HEAP = 150 * KiB;
const WORKER_PER_VALUE = 24;
/**
 * Memory per guest being simulated, most of it outside the heap (typed arrays): bench/huge-host.yaml,
 * 1,000 guests, peaked at 484 MiB of RSS in all (npm run bench), so about 0.45 MiB per guest —
 * doubled for slack.
 */
const PER_GUEST_BYTES = 1 * MiB;
/** Runs whose lines the comparison charts draw (CHART_DEFAULTS.maxLines), kept reduced meanwhile. */
const COMPARED_RUNS = 8;
/** Points per line in report.html and in the PNGs (reports/html.ts, reports/chart-spec.ts). */
const PAGE_POINTS = 600;
const PNG_POINTS = 1200;
/** The longest a number prints in JSON, with its comma: `-2.2250738585072014e-308,`. */
const MAX_CHARS_PER_VALUE = 25;
/** Refuse above this share of the machine's memory. */
export const MAX_SHARE_OF_RAM = 0.8;

/** What memory an experiment may use: the machine's, and the JavaScript heap of each thread. */
export interface MemoryLimits {
  totalBytes: number;
  heapLimitBytes: number;
}

/** This machine's memory and this process's heap limit (which its worker threads share). */
export function thisProcessLimits(): MemoryLimits {
  return { totalBytes: totalmem(), heapLimitBytes: getHeapStatistics().heap_size_limit };
}

export interface MemoryEstimate {
  runs: number;
  rows: number;
  /** Series of the widest run: host columns and every guest's. */
  columns: number;
  /** Guests of the largest alternative. */
  guests: number;
  /** Heap the main process needs at its peak. */
  mainHeapBytes: number;
  /** Of that, what the summaries of all runs take (the part that grows with runs, not with their length). */
  summariesBytes: number;
  /** Heap a worker thread needs for the largest run. */
  workerHeapBytes: number;
  /** Memory of the whole process: main heap and, per thread, a worker's heap and series. */
  machineBytes: number;
  /** Characters of the JSON text of the largest run's results, at most. */
  runTextChars: number;
}

export function estimateMemory(exp: Experiment, threads: number): MemoryEstimate {
  const runs = exp.alternatives.length * exp.seeds.length;
  const rows = Math.floor(exp.durationNs / exp.sampleIntervalNs);
  const guests = Math.max(0, ...exp.alternatives.map((a) => a.guests.length));
  // Each guest also gets a column per figure its balloon policy reports (BalloonPolicyDecl.gauges).
  const perGuestOf = (a: Experiment['alternatives'][number]) =>
    GUEST_SERIES.length + (chooseBalloonPolicy(a.host.balloon).decl.gauges?.length ?? 0);
  const perGuest = Math.max(0, ...exp.alternatives.map(perGuestOf));
  const guestColumns = Math.max(0, ...exp.alternatives.map((a) => a.guests.length * perGuestOf(a)));
  const hostColumns = HOST_SERIES.length;
  const columns = hostColumns + guestColumns;
  const values = rows * columns;

  // One run's charts at a time: its own (up to 8 guests per family chart) and one guest's, each
  // line at most PAGE_POINTS points in report.html; PNG_POINTS in the PNGs of the compared runs.
  const lines = Math.min(guests, 8) * perGuest + hostColumns;
  const chartPoints = Math.max(
    (lines + perGuest) * Math.min(rows, PAGE_POINTS),
    lines * Math.min(rows, PNG_POINTS),
  );
  // The compared runs reduced to their time, host columns, and per quantity a sum and a worst row.
  const compared =
    Math.min(exp.alternatives.length, COMPARED_RUNS) * rows * (1 + hostColumns + 2 * perGuest) * 8;
  const summariesBytes = runs * (PER_RUN + guests * PER_GUEST_SUMMARY);
  const mainHeapBytes =
    MAIN_BASE + summariesBytes + values * PER_VALUE + chartPoints * PER_CHART_POINT + compared;
  const workerHeapBytes = WORKER_BASE + guests * PER_GUEST_HEAP + values * WORKER_PER_VALUE;
  // Per thread, a worker's heap, its series as typed arrays and its guests' state outside the heap.
  const perThread = workerHeapBytes + values * 8 + guests * PER_GUEST_BYTES;
  const machineBytes = mainHeapBytes + Math.min(threads, runs) * perThread;
  return {
    runs,
    rows,
    columns,
    guests,
    mainHeapBytes,
    summariesBytes,
    workerHeapBytes,
    machineBytes,
    runTextChars: values * MAX_CHARS_PER_VALUE,
  };
}

/** How to give the process a heap of at least `bytes`: V8 adds its young generation to the old space asked for. */
function raiseHeapAdvice(bytes: number): string {
  const mib = Math.ceil(bytes / MiB / 256) * 256;
  return `raise it with NODE_OPTIONS=--max-old-space-size=${mib} (MiB)`;
}

/**
 * A sentence saying why the experiment cannot run with `threads` worker threads within `limits`
 * (by default this machine's memory and this process's heap limit), or undefined when it can.
 */
export function memoryProblem(
  exp: Experiment,
  threads: number,
  limits: MemoryLimits = thisProcessLimits(),
): string | undefined {
  const e = estimateMemory(exp, threads);
  const shape = `${e.runs} runs × ${e.rows} samples × ${e.columns} series`;
  const heap = formatBytes(limits.heapLimitBytes);
  // What no heap limit can fix comes first: the machine, then one run's text.
  if (e.machineBytes > MAX_SHARE_OF_RAM * limits.totalBytes) {
    return (
      `this experiment would need about ${formatBytes(e.machineBytes)} of memory (${shape}), ` +
      `more than ${Math.round(MAX_SHARE_OF_RAM * 100)} % of this machine's ${formatBytes(limits.totalBytes)}; ` +
      'use a longer sampleInterval, fewer guests or threads (--threads), or split the sweep'
    );
  }
  if (e.runTextChars > bufferConstants.MAX_STRING_LENGTH) {
    return (
      `one run would record ${e.rows} samples × ${e.columns} series, too many for its results to be one JavaScript string ` +
      `(up to ${formatBytes(e.runTextChars)} of JSON, more than the ${formatBytes(bufferConstants.MAX_STRING_LENGTH)} a string can hold); ` +
      'use a longer sampleInterval or fewer guests'
    );
  }
  if (e.workerHeapBytes > limits.heapLimitBytes) {
    return (
      `one run would need about ${formatBytes(e.workerHeapBytes)} of JavaScript heap in its worker thread ` +
      `(${e.guests} guests, ${e.rows} samples × ${e.columns} series), more than the heap limit of ${heap}; ` +
      `${raiseHeapAdvice(e.workerHeapBytes)}, or use fewer guests or a longer sampleInterval`
    );
  }
  if (e.mainHeapBytes > limits.heapLimitBytes) {
    // Advice for what weighs most: the runs' summaries grow with seeds, one run's series with its samples.
    const cut =
      e.summariesBytes > e.mainHeapBytes / 2
        ? 'fewer seeds or alternatives'
        : 'a longer sampleInterval or fewer guests';
    return (
      `this experiment's results would need about ${formatBytes(e.mainHeapBytes)} of the main process's JavaScript heap ` +
      `(${shape}, ${e.guests} guests), more than its limit of ${heap}; ${raiseHeapAdvice(e.mainHeapBytes)}, or use ${cut}`
    );
  }
  return undefined;
}

/**
 * Heap `vmisim report` needs per byte of the results.json it parses whole (text, parsed, validated):
 * measured as above, 110 MiB for a results.json of 8.1 MB (1 run, 2 busy guests, 1.5 M values)
 * and 142 MiB for one of 8.8 MB (1 run, 200 idle guests, 2 M short values): 5.1 and 8.3 bytes per
 * byte above the base. The shorter the numbers print, the more per byte.
 */
const REPORT_HEAP_PER_FILE_BYTE = 12;

/** A sentence saying why a results.json of `bytes` cannot be rendered within `limits`, or undefined. */
export function reportMemoryProblem(
  bytes: number,
  limits: MemoryLimits = thisProcessLimits(),
): string | undefined {
  if (bytes > bufferConstants.MAX_STRING_LENGTH) {
    return `results.json is ${formatBytes(bytes)}, more than the ${formatBytes(bufferConstants.MAX_STRING_LENGTH)} a JavaScript string can hold: vmisim report cannot read it whole; its report was written by vmisim run`;
  }
  const need = MAIN_BASE + bytes * REPORT_HEAP_PER_FILE_BYTE;
  if (need <= limits.heapLimitBytes) return undefined;
  return (
    `results.json is ${formatBytes(bytes)}: rendering its report would need about ${formatBytes(need)} of JavaScript heap, ` +
    `more than this process's limit of ${formatBytes(limits.heapLimitBytes)}; ${raiseHeapAdvice(need)}`
  );
}
