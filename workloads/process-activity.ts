/**
 * What a workload's processes do to page tables: forks, execs, exits, context switches between
 * address spaces, demand-zero and copy-on-write faults, munmaps — as rates per CPU-second of work
 * done — and the shape of the address space each event acts on (sim/abi/mmu.ts ProcessShape). The
 * guest turns them into page-table events as its vCPUs finish bursts (sim/guest/process-driver.ts),
 * and its interface into calls.
 *
 * Every workload with a preset offers the `processes` option to override any field. The presets
 * are ASSUMPTIONS, derived per unit of the workload's own work and stated with their reasoning
 * beside each; none is a measurement. A workload without a preset does no page-table work, except
 * `constant`, which does the page-table work its `processes` option states (SMALL_PROCESS_PRESET).
 */
import { z } from 'zod';

/**
 * What a process did that changes page tables; the interfaces' sequences for each are in
 * sim/abi/mmu.ts (MmuEvent, the same names — sim/guest/process-driver.ts checks they agree).
 */
export type MmuEvent = 'fork' | 'exec' | 'exit' | 'context-switch' | 'demand-fault' | 'cow-fault' | 'munmap';

/** The address space an event acts on (sim/abi/mmu.ts ProcessShape has the same fields). */
export interface ProcessShape {
  /** PTEs present in the process (copied at fork, cleared at exit). */
  residentPages: number;
  /** Share of them in private writable mappings: write-protected at fork for copy-on-write. */
  writableShare: number;
  /** User page-table pages (L1) holding them. */
  pageTablePages: number;
  /** PTEs one munmap clears. */
  pagesPerMunmap: number;
  /**
   * GDT TLS entries that differ between the two processes of a switch (0–3). The presets take 1:
   * glibc's thread pointer differs between unrelated processes (an ASSUMPTION); a process and its
   * fork share all three.
   */
  tlsEntriesChangedPerSwitch: number;
}

/** Page-table events per CPU-second of work, and the address space they act on. */
export interface ProcessActivity {
  readonly perCpuS: Readonly<Record<MmuEvent, number>>;
  readonly shape: Readonly<ProcessShape>;
}

/** The YAML fields, each optional: what is left out comes from the workload's preset. */
export interface ProcessOptions {
  forksPerCpuS?: number | undefined;
  execsPerCpuS?: number | undefined;
  exitsPerCpuS?: number | undefined;
  contextSwitchesPerCpuS?: number | undefined;
  demandFaultsPerCpuS?: number | undefined;
  cowFaultsPerCpuS?: number | undefined;
  munmapsPerCpuS?: number | undefined;
  residentPagesPerProcess?: number | undefined;
  writableShare?: number | undefined;
  pageTablePagesPerProcess?: number | undefined;
  pagesPerMunmap?: number | undefined;
  tlsEntriesChangedPerSwitch?: number | undefined;
}

/** A workload's preset, per unit of its own work (a compile unit, a request, a transaction). */
export interface ProcessPreset {
  perUnit: Record<MmuEvent, number>;
  shape: ProcessShape;
}

const rate = (what: string) =>
  z.number().min(0).max(1e7).optional().describe(`${what} per CPU-second of work`);

/** The `processes` option (every field optional; defaults are the workload's preset). */
export const processesField = () =>
  z
    .strictObject({
      forksPerCpuS: rate('fork() calls'),
      execsPerCpuS: rate('execve() calls'),
      exitsPerCpuS: rate('process exits'),
      contextSwitchesPerCpuS: rate('switches between processes with different address spaces'),
      demandFaultsPerCpuS: rate('demand faults (a new PTE)'),
      cowFaultsPerCpuS: rate('copy-on-write faults'),
      munmapsPerCpuS: rate('munmap() calls'),
      residentPagesPerProcess: z
        .number()
        .int()
        .min(0)
        .max(1 << 20)
        .optional()
        .describe('PTEs present in a process that forks or exits (pages)'),
      writableShare: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe('share of those PTEs in private writable mappings, write-protected at fork'),
      pageTablePagesPerProcess: z
        .number()
        .int()
        .min(1)
        .max(1024)
        .optional()
        .describe('user page-table pages holding them'),
      pagesPerMunmap: z
        .number()
        .int()
        .min(0)
        .max(1 << 20)
        .optional()
        .describe('PTEs one munmap clears (pages)'),
      tlsEntriesChangedPerSwitch: z
        .number()
        .int()
        .min(0)
        .max(3)
        .optional()
        .describe(
          'GDT TLS entries that differ between the processes of a context switch, rewritten at each (0 between a process and its fork)',
        ),
    })
    .optional()
    .describe("page-table work of the workload's processes (default: the workload's preset, an assumption)");

/**
 * The activity of a workload whose preset counts events per unit of work that takes `cpuPerUnitS`
 * CPU-seconds, with the user's overrides.
 */
export function resolveActivity(
  preset: ProcessPreset,
  cpuPerUnitS: number,
  o: ProcessOptions = {},
): ProcessActivity {
  const per = (ev: MmuEvent, v: number | undefined) => v ?? preset.perUnit[ev] / cpuPerUnitS;
  return Object.freeze({
    perCpuS: Object.freeze({
      fork: per('fork', o.forksPerCpuS),
      exec: per('exec', o.execsPerCpuS),
      exit: per('exit', o.exitsPerCpuS),
      'context-switch': per('context-switch', o.contextSwitchesPerCpuS),
      'demand-fault': per('demand-fault', o.demandFaultsPerCpuS),
      'cow-fault': per('cow-fault', o.cowFaultsPerCpuS),
      munmap: per('munmap', o.munmapsPerCpuS),
    }),
    shape: Object.freeze({
      residentPages: o.residentPagesPerProcess ?? preset.shape.residentPages,
      writableShare: o.writableShare ?? preset.shape.writableShare,
      pageTablePages: o.pageTablePagesPerProcess ?? preset.shape.pageTablePages,
      pagesPerMunmap: o.pagesPerMunmap ?? preset.shape.pagesPerMunmap,
      tlsEntriesChangedPerSwitch: o.tlsEntriesChangedPerSwitch ?? preset.shape.tlsEntriesChangedPerSwitch,
    }),
  });
}

/**
 * kernel-build, per compile unit. make forks a shell for the rule, which execs gcc; the gcc driver
 * forks and execs cc1 and as: 3 forks, 3 execs, 3 exits per unit. cc1 and as talk through a pipe
 * (the kernel's Makefile passes -pipe), and make waits on its children: 50 switches between
 * address spaces. cc1 touches some 20 MiB: 5,000 demand faults; children write ~30 pages each
 * before they exec: 100 COW faults; ld.so and malloc map and unmap: 20 munmaps. The forking
 * processes (make, sh, gcc) hold some 2,000 PTEs (8 MiB, make's dependency graph dominating), 30 %
 * private writable, in 8 page-table pages; a munmap clears 16 PTEs. ALL ASSUMPTIONS.
 */
export const KERNEL_BUILD_PRESET: ProcessPreset = {
  perUnit: {
    fork: 3,
    exec: 3,
    exit: 3,
    'context-switch': 50,
    'demand-fault': 5000,
    'cow-fault': 100,
    munmap: 20,
  },
  shape: {
    residentPages: 2000,
    writableShare: 0.3,
    pageTablePages: 8,
    pagesPerMunmap: 16,
    tlsEntriesChangedPerSwitch: 1,
  },
};

/**
 * web, per request: an Apache 2.0 prefork server — the request wakes a child process and control
 * returns to another: 2 switches between address spaces; a few pages touched anew (5 demand
 * faults); a child is replaced every MaxRequestsPerChild = 10,000 requests (Apache's 2.0 default):
 * 1/10,000 fork and exit, no exec (the child is a copy of the parent). A child holds ~2,500 PTEs
 * (10 MiB), 40 % private writable, in 6 table pages. ASSUMPTIONS.
 */
export const WEB_PRESET: ProcessPreset = {
  perUnit: {
    fork: 1e-4,
    exec: 0,
    exit: 1e-4,
    'context-switch': 2,
    'demand-fault': 5,
    'cow-fault': 0,
    munmap: 0.5,
  },
  shape: {
    residentPages: 2500,
    writableShare: 0.4,
    pageTablePages: 6,
    pagesPerMunmap: 16,
    tlsEntriesChangedPerSwitch: 1,
  },
};

/**
 * database, per transaction: one long-lived multi-threaded server; its threads share one address
 * space, so switching between them does not change page tables. What remains: a switch to another
 * process 1 time in 10 (logging, the client), 0.2 demand faults (heap growth), nothing else — a
 * stable process. ASSUMPTIONS.
 */
export const DATABASE_PRESET: ProcessPreset = {
  perUnit: {
    fork: 0,
    exec: 0,
    exit: 0,
    'context-switch': 0.1,
    'demand-fault': 0.2,
    'cow-fault': 0,
    munmap: 0,
  },
  shape: {
    residentPages: 4000,
    writableShare: 0.5,
    pageTablePages: 8,
    pagesPerMunmap: 16,
    tlsEntriesChangedPerSwitch: 1,
  },
};

/**
 * constant, per CPU-second: no page-table work unless `processes` sets a rate — a microbenchmark
 * loop (fork+exit, fork+exec, a pipe ping-pong between two processes) states its own. The shape is
 * a small dynamically linked i386 process of the 2.4/2.6 era, such as an lmbench lat_proc: some
 * 160 PTEs present (640 KiB: its text, ld.so and libc, stack), a quarter of them private writable
 * (data, bss, heap, stack, libc's data and relocated pages), in 3 page-table pages (the program
 * at 0x08048000, the libraries at 0x40000000, the stack below 0xc0000000); a munmap clears 16.
 * ASSUMPTIONS.
 */
export const SMALL_PROCESS_PRESET: ProcessPreset = {
  perUnit: {
    fork: 0,
    exec: 0,
    exit: 0,
    'context-switch': 0,
    'demand-fault': 0,
    'cow-fault': 0,
    munmap: 0,
  },
  shape: {
    residentPages: 160,
    writableShare: 0.25,
    pageTablePages: 3,
    pagesPerMunmap: 16,
    tlsEntriesChangedPerSwitch: 1,
  },
};
