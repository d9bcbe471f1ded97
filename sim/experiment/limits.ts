/**
 * The most an experiment may ask for, and the checks that an alternative fits what one run can
 * simulate. Counts are checked before anything is expanded (a guest entry with count: 1000000000
 * is refused in milliseconds, not after a billion guests were built), and each limit is far above
 * any real use while bounding the loader's time and memory:
 *
 *   MAX_RUNS = 100,000 runs (alternatives × seeds) in one experiment.
 *   MAX_GUESTS_PER_HOST = 10,000 guests in one alternative (also the most one entry's `count` may
 *     be): ten times bench/huge-host.yaml, whose 1,000 guests peaked at 484 MiB, so about 5 GiB for
 *     one run.
 *   MAX_VCPUS_PER_HOST = 16,384 vCPUs in one alternative (Σ count × vcpus): the schedulers keep a
 *     vCPU × pCPU affinity matrix of a byte each, 64 MiB at 4,096 pCPUs.
 *   MAX_GUESTS_IN_ALL_ALTERNATIVES = 200,000 guests summed over all alternatives (each expanded
 *     guest is an object of ~0.5 KiB held until the runs start: ~100 MB).
 *   MAX_VALUES_CHECKED = 10,000,000 = alternatives × values in the experiment: each alternative is
 *     the whole experiment validated again. Measured at the limit on a 2-core machine (53,001 sweep
 *     points × 184 values): 6.3 s and 340 MB to accept, 9.9 s to refuse with a problem in each.
 *
 * Beyond counts, what the model needs of an alternative:
 *   - the hypervisor's own memory for every guest fits in the host:
 *       guests × ⌈guestOverhead / 4 KiB⌉ ≤ ⌊host.memory / 4 KiB⌋ pages,
 *     since swapping guest pages can never free it (sim/host/memory.ts: used = overhead × guests +
 *     Σ backed ≤ H); otherwise the host queues swap-outs for ever and a run fails at its end;
 *   - the cycle counters stay exact: the VMI counters and the Xen TSC count
 *       cycles = ns × cpuMHz / 1000   (sim/abi/vmi/vmi-ops.ts nsToCycles)
 *     in a double, exact below 2^53, so duration ≤ 2^53 × 1000 / cpuMHz (~34.7 days at 3000 MHz).
 */
import { MAX_TIME_NS } from '../kernel/time.js';
import { formatBytes, formatDurationNs, PAGE_SIZE_BYTES } from '../options/units.js';

export const MAX_RUNS = 100_000;
export const MAX_GUESTS_PER_HOST = 10_000;
export const MAX_VCPUS_PER_HOST = 16_384;
export const MAX_GUESTS_IN_ALL_ALTERNATIVES = 200_000;
export const MAX_VALUES_CHECKED = 10_000_000;

/** A problem at a field path of the experiment (located by the loader, overrides included). */
export interface FieldProblem {
  path: (string | number)[];
  problem: string;
}

/** A guest entry's `count` and `vcpus`. */
export interface GuestEntryCount {
  count: number;
  vcpus: number;
}

/** Too many guests or vCPUs in one alternative: at the entry whose count crosses the limit. */
export function guestCountProblem(entries: readonly GuestEntryCount[]): FieldProblem | undefined {
  let guests = 0;
  let vcpus = 0;
  for (let gi = 0; gi < entries.length; gi++) {
    const g = entries[gi]!;
    guests += g.count;
    vcpus += g.count * g.vcpus;
    if (guests > MAX_GUESTS_PER_HOST)
      return {
        path: ['guests', gi, 'count'],
        problem: `expected at most ${MAX_GUESTS_PER_HOST} guests on one host, found ${guests} up to this entry`,
      };
    if (vcpus > MAX_VCPUS_PER_HOST)
      return {
        path: ['guests', gi, 'count'],
        problem: `expected at most ${MAX_VCPUS_PER_HOST} vCPUs on one host (count × vcpus summed over the guests), found ${vcpus} up to this entry`,
      };
  }
  return undefined;
}

/**
 * The guests' overhead does not fit in the host: at host.guestOverhead if the file sets it (or an
 * override does), else at host.memory.
 */
export function overheadProblem(
  hostBytes: number,
  overheadBytes: number,
  guests: number,
  overheadWritten: boolean,
): FieldProblem | undefined {
  const perGuestPages = Math.ceil(overheadBytes / PAGE_SIZE_BYTES);
  const hostPages = Math.floor(hostBytes / PAGE_SIZE_BYTES);
  if (guests * perGuestPages <= hostPages) return undefined;
  const per = formatBytes(overheadBytes);
  const all = formatBytes(guests * perGuestPages * PAGE_SIZE_BYTES);
  const host = formatBytes(hostBytes);
  return {
    path: ['host', overheadWritten ? 'guestOverhead' : 'memory'],
    problem: `the hypervisor keeps guestOverhead (${per}) in host memory for each of the ${guests} guests, and swapping cannot free it: expected guests × guestOverhead ≤ host.memory (${host}), found ${guests} × ${per} = ${all} (lower guestOverhead, run fewer guests or give the host more memory)`,
  };
}

/** A run of `durationNs` is too long for exact cycle counters at `cpuMHz`. */
export function cycleCounterProblem(durationNs: number, cpuMHz: number): FieldProblem | undefined {
  const maxNs = Math.floor((MAX_TIME_NS * 1000) / cpuMHz);
  if (durationNs <= maxNs) return undefined;
  return {
    path: ['duration'],
    problem: `at host.cpuMHz ${cpuMHz} the guests' cycle counters (ns × MHz / 1000) pass 2^53, where they stop being exact, after ${formatDurationNs(maxNs)} (${(maxNs / 86_400e9).toFixed(1)} days); expected a duration of at most that, found ${formatDurationNs(durationNs)}`,
  };
}
