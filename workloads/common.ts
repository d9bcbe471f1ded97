/**
 * Pieces the workload generators share: the steady CPU option fields and burst draw of
 * `constant` (exponential bursts of mean `burst`, exponential sleeps of mean
 * `burst × (1 − dutyCycle) / dutyCycle`, so the long-run busy fraction is `dutyCycle`), byte →
 * page conversion, the "does it fit in the guest" check, and `forkStream`, which splits an
 * independent child stream off a vCPU stream.
 *
 * Why forkStream: the context gives only per-vCPU streams. A guest-wide random process (the
 * ON/OFF periods of `on-off`) or a per-phase sequence (`phases`) needs its own stream whose draws
 * do not interleave with a vCPU's burst draws — otherwise what it draws would depend on how many
 * bursts that vCPU finished first, i.e. on the scheduler and the other guests. forkStream takes
 * one 53-bit draw from the parent (at a point fixed by the workload, e.g. `create`) and seeds a
 * fresh RunRng with it: the child's sequence depends only on (run seed, parent name, label).
 */
import { z } from 'zod';
import { RunRng, type RandomStream } from '../sim/kernel/index.js';
import { durationNs } from '../sim/options/fields.js';
import { formatBytes, PAGE_SIZE_BYTES } from '../sim/options/units.js';
import {
  DEFAULT_ACCESSES_PER_CPU_S,
  DEFAULT_LOCALITY,
  type Burst,
  type Locality,
  type WakeSource,
} from './types.js';

const TWO_POW_53 = 2 ** 53;

/** An independent child of `parent`, named `<parent>/<label>`; consumes one draw of `parent`. */
export function forkStream(parent: RandomStream, label: string): RandomStream {
  // nextFloat is a multiple of 2^-53 in [0, 1), so this is an exact integer in [0, 2^53).
  const seed = Math.floor(parent.nextFloat() * TWO_POW_53);
  return new RunRng(seed).stream(`${parent.name}/${label}`);
}

/** The CPU option fields of `constant`, reused by generators that load the CPU the same way. */
export const cpuFields = () => ({
  dutyCycle: z
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe('long-run fraction of time each vCPU wants to run while active (0 < d ≤ 1)'),
  burst: durationNs().prefault('10ms').describe('mean length of a CPU burst'),
  wake: z
    .enum(['timer', 'io'])
    .default('timer')
    .describe(
      "what ends each sleep: the vCPU's own timer (a nanosleep, woken at the jiffy its expiry falls in), or an I/O completion (interrupt on vCPU 0)",
    ),
});

/**
 * The memory-access rate field every workload with its own memory shares: page accesses a vCPU
 * makes per second while busy (sim/guest/guest.ts: its faults count them per second of work done,
 * its working-set touches per second of busy time). The default, 2,000 per second, is an
 * assumption with no published source, not calibrated: set it per workload where a figure is known.
 */
export const accessFields = () => ({
  pageAccessesPerS: z
    .number()
    .gt(0)
    .max(1e9)
    .default(DEFAULT_ACCESSES_PER_CPU_S)
    .describe(
      'page accesses per second of a busy vCPU: faults per second of work done, working-set touches per second not asleep (default 2000, an assumption)',
    ),
});

/**
 * The file-read field of workloads with a page cache: page-cache pages a vCPU reads per second of
 * work. Reads that miss the cache (it was reclaimed, or never fitted) are refaults the guest reads
 * from the host's disk (sim/guest/memory.ts cacheAccess, sim/host/storage.ts), a wait added to its
 * work. `byDefault` is the workload's own default, stated with its source in the workload's header.
 */
export const cacheReadFields = (byDefault: number, why: string) => ({
  cacheReadsPerS: z
    .number()
    .min(0)
    .max(1e9)
    .default(byDefault)
    .describe(
      `page-cache pages a busy vCPU reads per second of work; misses are refaults read from the host's disk (${why})`,
    ),
});

/**
 * The hot/cold locality fields of workloads with one resident set (sim/guest/memory.ts gives the
 * miss-ratio curve they imply; sim/guest/guest.ts the working-set touches): a share `hotFraction`
 * of the set gets a share `hotShare` of the accesses, uniformly within each part. Defaults 20 % and
 * 90 % are an assumption (workloads/types.ts DEFAULT_LOCALITY).
 */
export const localityFields = () => ({
  hotFraction: z
    .number()
    .gt(0)
    .max(1)
    .default(DEFAULT_LOCALITY.hotFraction)
    .describe('share of the resident set that is hot (1: every page used alike, e.g. dbench)'),
  hotShare: z
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_LOCALITY.hotShare)
    .describe(
      'share of memory accesses that go to the hot part (default 90 % to the hottest 20 %, an assumption)',
    ),
});

/** The instance's locality and access rate from its localityFields and accessFields options. */
export function accessOf(o: { hotFraction: number; hotShare: number; pageAccessesPerS: number }): {
  locality: () => Locality;
  accessesPerCpuS: () => number;
} {
  const locality: Locality = Object.freeze({ hotFraction: o.hotFraction, hotShare: o.hotShare });
  return { locality: () => locality, accessesPerCpuS: () => o.pageAccessesPerS };
}

export interface CpuOptions {
  dutyCycle: number;
  burst: number;
  wake: WakeSource;
}

/** Mean sleep between bursts giving busy fraction d: b(1 − d)/d. */
export function meanIdleNs(o: CpuOptions): number {
  return (o.burst * (1 - o.dutyCycle)) / o.dutyCycle;
}

/** One steady burst (two draws, or one when never idle), exactly as `constant` draws it. */
export function steadyBurst(rng: RandomStream, o: CpuOptions, idleMeanNs: number): Burst {
  return {
    workNs: Math.max(1, Math.round(rng.exponential(o.burst))),
    idleNs: idleMeanNs === 0 ? 0 : Math.round(rng.exponential(idleMeanNs)),
    wake: o.wake,
  };
}

/** Bytes → whole 4 KiB pages (rounded up). */
export function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE_SIZE_BYTES);
}

/** A problem if `bytes` (option `field`) does not fit in the guest's usable memory. */
export function fitProblem(
  field: string,
  bytes: number,
  usablePages: number,
): { field: string; problem: string } | undefined {
  if (pages(bytes) <= usablePages) return undefined;
  return {
    field,
    problem: `${field} ${formatBytes(bytes)} does not fit in the guest's ${formatBytes(usablePages * PAGE_SIZE_BYTES)} of usable memory (memory minus the kernel reserve, mem_map and boot hashes)`,
  };
}
