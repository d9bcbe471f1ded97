/**
 * Runtime schema (zod 4) of results.json, mirroring the TypeScript contract in `./types.ts`.
 *
 * Two uses: validating a results.json read back from disk (or about to be written), and generating
 * the JSON Schema `reports/results.schema.json` that users of pandas/jq/other languages can rely on.
 * A compile-time check below fails the build if this schema and `ResultsFile` drift apart; a test
 * fails if the checked-in JSON Schema differs from what this module generates.
 *
 * Cross-field rules that JSON Schema cannot express (series rectangular, `ok` runs carry a summary,
 * runIds unique) are enforced with refinements: they validate at runtime but are absent from the
 * generated JSON Schema and are described in its text instead.
 */
import * as z from 'zod';
import { RESULTS_FORMAT_VERSION, type ResultsFile, type RunResult } from './types.js';

/** Integer nanoseconds: exact in a double only up to 2^53, which `z.int()` already enforces. */
const ns = (description: string) => z.int().nonnegative().meta({ description });
const num = (description: string) => z.number().meta({ description });
const str = (description: string) => z.string().meta({ description });

export const BetterSchema = z
  .enum(['lower', 'higher', 'neither'])
  .meta({ description: 'Which direction of the metric is better; `neither` means no winner is marked.' });

export const MetricDefSchema = z
  .object({
    id: str('Key of this metric in RunSummary.metrics.'),
    label: str('Human-readable name.'),
    unit: str('Unit of the value, e.g. `MiB`, `%`, `CPU s`.'),
    better: BetterSchema,
    description: str('One-line description.'),
    axisFrom: z.number().optional().meta({
      description: 'Where a chart’s value axis starts and bars grow from, when not 0 (a ratio’s 1).',
    }),
  })
  .meta({ description: 'Declares one summary measure.' });

export const SeriesColumnDefSchema = z
  .object({
    name: str('Column name, already carrying its unit, e.g. `host_free_MiB`, `web-1_steal_pct`.'),
    guest: str('Guest name for per-guest columns; absent for host-wide columns.').optional(),
    quantity: str('What is measured, without the guest, e.g. `free_MiB`, `steal_pct`.'),
    unit: str('Unit of the values.'),
    description: str('One-line description.'),
    reference: z
      .boolean()
      .optional()
      .meta({ description: 'A fixed reference level (e.g. a threshold), drawn dashed beside the data.' }),
    overGuests: z.enum(['mean', 'worst', 'total']).optional().meta({
      description:
        'Per-guest columns: how one line for all guests combines them — mean (shares), worst (errors, latency percentiles: largest in magnitude) or total.',
    }),
    levels: z.array(z.string()).optional().meta({
      description: 'A state column: the value is an index into these names, e.g. high, soft, hard, low.',
    }),
  })
  .meta({ description: 'Declares one column of a run time series.' });

export const RunSeriesSchema = z
  .object({
    sampleIntervalNs: ns('Simulated sampling interval in integer nanoseconds.'),
    timeS: z.array(z.number()).meta({ description: 'Simulated time of each row, in seconds.' }),
    columns: z.array(SeriesColumnDefSchema),
    values: z.array(z.array(z.number())).meta({
      description: 'values[c][i] is column c at row i; one inner array per column, each as long as timeS.',
    }),
  })
  .superRefine((s, ctx) => {
    if (s.values.length !== s.columns.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `expected one value array per column (${s.columns.length}), found ${s.values.length}`,
      });
    }
    s.values.forEach((col, c) => {
      if (col.length !== s.timeS.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['values', c],
          message: `expected ${s.timeS.length} values (one per timeS row), found ${col.length}`,
        });
      }
    });
  })
  .meta({ description: 'A run time series sampled at a fixed simulated interval.' });

export const LatencySummarySchema = z
  .object({
    count: z.int().nonnegative(),
    p50: num('Median, µs.'),
    p95: num('95th percentile, µs.'),
    p99: num('99th percentile, µs.'),
    max: num('Maximum, µs.'),
  })
  .meta({ description: 'Wake-to-run latency: from a halted vCPU becoming runnable to it running, µs.' });

export const SeenClocksSummarySchema = z
  .object({
    jiffyNs: num('The guest’s jiffy, 10^9 / HZ, ns.'),
    reads: num('Time accountings (alarm or timer interrupts, wake-ups), each one clock read, all vCPUs.'),
    stealJiffies: num('Steal the guest accounted, whole jiffies (its cpustat steal), summed over vCPUs.'),
    realNs: num('Real time at each vCPU’s last read (VMI REAL, Xen pvclock system time), summed, ns.'),
    stolenNs: num('Steal read (VMI REAL − AVAILABLE, Xen runstate runnable + offline), summed, ns.'),
    realCycles: num('VMI: REAL counter as last read, summed over vCPUs, cycles (0 over Xen).'),
    availableCycles: num('VMI: AVAILABLE counter as last read, summed over vCPUs, cycles (0 over Xen).'),
    stolenCycles: num('VMI: STOLEN counter as last read, summed over vCPUs, cycles (0 over Xen).'),
    runstateRunningNs: num('Xen: vcpu_runstate_info time[running] as last read, summed, ns (0 over VMI).'),
    runstateRunnableNs: num('Xen: time[runnable] as last read, summed, ns.'),
    runstateBlockedNs: num('Xen: time[blocked] as last read, summed, ns.'),
    runstateOfflineNs: num('Xen: time[offline] as last read, summed, ns.'),
    runstateEntryNs: num('Xen: state_entry_time as last read, summed, ns (= the sum of the four times).'),
  })
  .meta({
    description:
      'The guest’s clocks as it read them through its interface at each vCPU’s last time accounting, summed over its vCPUs; since boot (not windowed); 0 for a tick-counting guest.',
  });

export const GuestSummarySchema = z
  .object({
    name: str('Guest name (user-supplied, any characters).'),
    vcpus: z.int().positive(),
    memoryMiB: num('Configured guest memory in MiB.'),
    runningNs: ns('Total vCPU time running, integer ns.'),
    runnableNs: ns('Total vCPU time runnable but not running, integer ns.'),
    blockedNs: ns('Total vCPU time blocked, integer ns.'),
    offlineNs: ns('Total vCPU time offline, integer ns.'),
    stealPct: num('Stolen time as a percentage.'),
    seenStealPct: num('Steal as the guest read it through its interface, as a percentage (0 when native).'),
    seenClocks: SeenClocksSummarySchema,
    workDoneCpuS: num('Useful work completed, in CPU seconds.'),
    unconstrainedWorkCpuS: num('Work its workload would have done unconstrained, CPU seconds.'),
    slowdown: num('Unconstrained work ÷ work done (1 = no slowdown; capped at 1000).'),
    cpuPcpus: num('CPU the guest got: running time divided by elapsed time, in pCPUs.'),
    entitlementPcpus: num('CPU its scheduler promises it under full contention, in pCPUs.'),
    wakeLatencyUs: LatencySummarySchema,
    parks: num('Times a vCPU of the guest was parked by its cap or limit.'),
    schedulerCounters: z.record(z.string(), z.number()).meta({
      description:
        'The scheduler’s own counts for the guest, by name (credit: boosts, steals; ESX: coStops).',
    }),
    clock: z.string().meta({ description: 'How the guest kept time: tick-counting, vmi, xen-pvclock.' }),
    timeSource: z
      .object({
        hz: num('The kernel’s tick rate, jiffies per second.'),
        timeSync: str('In-guest time synchronisation: none, ntp or tools.'),
        periodicTimer: str(
          'The periodic interrupt each vCPU asks the host for: periodic (tick-counting, at HZ), available (VMI alarm on the AVAILABLE counter) or virq (Xen timer).',
        ),
        periodicTimerHz: num('Rate of that interrupt, per second (VMI: the alarm rate).'),
      })
      .optional()
      .meta({ description: 'The settings that define the guest’s time (absent in older results).' }),
    vcpuRunstates: z
      .array(
        z.object({
          runningNs: ns('Time running, ns.'),
          runnableNs: ns('Time runnable but not running, ns.'),
          blockedNs: ns('Time blocked (halted), ns.'),
          offlineNs: ns('Time offline (parked), ns.'),
        }),
      )
      .optional()
      .meta({
        description:
          'Per vCPU, in guest-local order: time in each runstate over the window, ns; each row sums to the window (absent in older results).',
      }),
    clockErrorMs: z
      .object({
        maxAbs: num('Largest |error| at samples and time-sync rounds, ms.'),
        final: num('Error at the end of the run, ms.'),
        rms: num('Root mean square of the error over the samples, ms.'),
      })
      .meta({ description: 'Guest clock error, true − guest time (positive = guest behind), ms.' }),
    timerInterrupts: z
      .object({
        delivered: num('Interrupts delivered.'),
        merged: num('Interrupts folded into another one (counted once).'),
        lost: num('Interrupts never delivered (discarded, given up, or cancelled by a time step).'),
        giveUps: num('Times catch-up gave up on a backlog.'),
        pending: num('Missed interrupts still in the host’s backlog at the end of the run.'),
      })
      .meta({ description: 'Periodic timer interrupts of all the guest’s vCPUs over the run.' }),
    clockSteps: num('Times the guest’s time-sync daemon stepped its clock.'),
    timeWentBackwards: num(
      'Xen guests on a host with clock faults (host.clock): timer interrupts at which the kernel found its pvclock time more than 10 ms (permitted_clock_jitter) behind the time it had processed, XenLinux’s "Time went backwards" warning; absent otherwise.',
    ).optional(),
    workload: z.string().meta({ description: 'Its workload generator (guests[].workload.type).' }),
    workloadMetrics: z.record(z.string(), z.number()).meta({
      description:
        'What the workload measured of itself (latency percentiles, hit ratio, jobs done), keys ending in their unit; {} when it measures nothing more.',
    }),
    anonDemandMiB: num(
      'Anonymous memory the workload asked for at the end (resident, swapped or refused), MiB.',
    ),
    cacheDemandMiB: num('Page cache the workload would keep at the end, MiB.'),
    hostBlockedS: num(
      'Time the host held the guest blocked: waiting for frames it could only get by swapping, or above its target in the low state, s.',
    ),
    cacheMiB: num('Page cache at the end, MiB.'),
    anonMiB: num('Resident anonymous memory at the end, MiB.'),
    swappedMiB: num('Anonymous memory in the guest’s swap at the end, MiB.'),
    hostSwappedMiB: num('Pages of the guest the host had swapped out at the end, MiB.'),
    sharedSavedMiB: num('Host frames its shared pages save (page sharing), at the end, MiB.'),
    majorFaults: num('Major faults over the run.'),
    minorFaults: num('Minor faults over the run.'),
    swapInPages: num('Pages the guest swapped in.'),
    swapOutPages: num('Pages the guest swapped out.'),
    hostFaults: num('Host-level faults on pages the host had swapped (double paging).'),
    faultStallS: num('Time its vCPUs were blocked on faults, s.'),
    cacheRefaultPages: num(
      'Page-cache reads that missed (refaults): read from disk, or from the host’s page cache (hostCacheHitPages of them).',
    ),
    hostCacheHitPages: num(
      'Refaults a KVM host’s page cache served without a disk read (0 when the host has none).',
    ),
    refaultWaitS: num(
      'Wait its vCPUs stalled for on page-cache refaults, disk and host page cache (part of faultStallS), vCPU s.',
    ),
    swapIoWaitS: num(
      'Disk wait its vCPUs stalled for on swap-ins, its own and the host’s (part of faultStallS), vCPU s.',
    ),
    ioQueueWaitS: num('Time its disk requests waited behind other requests on the shared disk, s.'),
    timerDelayS: num(
      'Time its timer sleeps lasted past their expiry until the timer interrupt that ended them, at a jiffy boundary or VMI’s 100 Hz alarm (timer granularity, not host contention), vCPU s.',
    ),
    oomEvents: num('Times its anonymous demand did not fit in memory and swap.'),
    balloonFailures: num('Balloon-driver polls that could not move toward the target.'),
    balloonStuckS: num('Time its driver counted as stuck (no progress toward an unmet target for 5 s), s.'),
    balloonTargetMiB: num('Balloon target at the end of the run, MiB.'),
    balloonActualMiB: num('Balloon size at the end of the run, MiB.'),
    balloonLowmemMiB: num(
      'Of the balloon, pages in the guest’s lowmem zone (i386: 896 MiB less the hypervisor’s hole; the balloon takes highmem first), MiB.',
    ),
    kernelLowmemMiB: num(
      'Lowmem its kernel held at the end: reserve, mem_map and boot hashes, page tables, MiB.',
    ),
    lowmemOomPages: num(
      'Anonymous pages refused because their page tables did not fit in lowmem (an OOM with highmem free).',
    ),
    freeMiB: num('Guest free memory at the end of the run, MiB.'),
    interfaceCalls: z
      .record(z.string(), z.number())
      .meta({ description: 'Interface calls by name (e.g. `SetAlarm`), counted over the whole run.' }),
    interfaceCycles: num('Cycles spent in the paravirtual interface over the whole run.'),
    interfaceCallCycles: z
      .record(z.string(), z.number())
      .meta({ description: 'Cycles by call name (same keys as interfaceCalls).' }),
    interfaceTransitions: num('Times the guest left for the hypervisor (exits, traps, hypercalls).'),
    interfaceBytesCopied: num(
      'Bytes the hypervisor copied between guest memory and itself, either way (tables, frame lists and argument structs in; answers out).',
    ),
    interfaceRegisterBytes: num(
      'Bytes of arguments passed by value in registers (a VMI call’s words past the third on its stack), not copied.',
    ),
    shootdowns: num(
      'Cross-CPU TLB flushes (flush_tlb_others after fork and munmap with other vCPUs in a task).',
    ),
    shootdownIpis: num(
      'IPIs those flushes sent, one per target per flush (0 over Xen: mmuext_op flushes them).',
    ),
    shootdownSpinNs: num(
      'CPU time the senders spent spinning until every target of their shootdown had run its handler, ns.',
    ),
    interfacePaths: z
      .record(
        z.string(),
        z.object({
          calls: num('Calls on the path.'),
          cycles: num('Their cycles by the cost model.'),
          transitions: num('Their transitions to the hypervisor.'),
          bytesCopied: num('Bytes they copied between guest memory and the hypervisor.'),
          registerBytes: num('Bytes of arguments they passed in registers.'),
        }),
      )
      .meta({
        description:
          'Interface totals by kernel path: boot (trap table or IDT, callbacks, version queries, runstate areas, event-channel binds, SetIDT) interrupt (EOIs and upcalls, interrupt enable/disable, IRET, deferred deliveries) and mmu (page-table work of the guest’s processes: fork, exec, exit, context switches, faults, munmap).',
      }),
    interfaceErrors: num('Interface calls that returned an error.'),
    interface: z
      .string()
      .meta({ description: 'Interface bound at boot: vmi, xen, or native (none accepted).' }),
    interfaceNote: z
      .string()
      .optional()
      .meta({ description: 'Why the guest fell back to native, when it did.' }),
  })
  .meta({ description: 'Per-guest end-of-run totals.' });

export const RunSummarySchema = z.object({
  metrics: z.record(z.string(), z.number()).meta({
    description:
      'Values keyed by MetricDef.id; a metric that does not apply to the run (a workload measure no guest takes) is absent.',
  }),
  guests: z.array(GuestSummarySchema),
  eventsProcessed: z.int().nonnegative(),
  time: z
    .object({
      cpuMHz: num('Host CPU clock, MHz: interface call cycles become time at this rate.'),
      timerDelivery: z
        .object({
          policy: str('How the host delivers periodic timer interrupts a vCPU missed (host.timer.delivery).'),
          options: z
            .record(z.string(), z.unknown())
            .meta({ description: 'The policy’s options as resolved.' }),
        })
        .meta({ description: 'The lost-tick policy.' }),
      clockFaults: z
        .object({
          tscOffsetPerPcpuNs: num('pCPU i’s local system time runs i × this ahead of pCPU 0’s, ns.'),
          platformDriftPpm: num(
            'Rate error of the platform timer Xen’s system time follows, ppm (positive = fast).',
          ),
        })
        .optional()
        .meta({ description: 'Faults of the host’s clock hardware (host.clock); absent when both are 0.' }),
    })
    .optional()
    .meta({ description: 'Host settings that define time in the run (absent in older results).' }),
});

export const RunResultSchema = z
  .object({
    runId: str('Stable id: `<alternative>/seed-<seed>`.'),
    alternative: str('Alternative name (user-supplied, any characters).'),
    seed: z.int(),
    specHash: str('Content hash of the RunSpec (hex); equal specs give equal hashes.'),
    status: z.enum(['ok', 'failed']),
    error: str(
      'Why the run failed (present when status is `failed`). A broken model invariant reads ' +
        '`at <s> s (<ns> ns), <where>: <guest, vCPU or host>: <what was found> (invariant: <the rule>)`, <where> being `in <event>`, `after <event>`, `at the end of the run` or `while the guests boot`.',
    ).optional(),
    summary: RunSummarySchema.optional(),
    series: RunSeriesSchema.optional().meta({
      description:
        'A run time series sampled at a fixed simulated interval; a failed run keeps the samples taken before it failed (none if it failed in the first interval).',
    }),
  })
  .superRefine((r, ctx) => {
    if (r.status === 'ok' && r.summary === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['summary'],
        message: 'a run with status "ok" must have a summary',
      });
    }
  })
  .meta({ description: 'One simulated host run: one alternative x one seed.' });

const FactorValueSchema = z.union([z.number(), z.string(), z.boolean()]).meta({
  description:
    'A swept value as the experiment file wrote it (number, string or boolean); any other YAML value as its JSON text.',
});

export const SweepHeaderSchema = z
  .object({
    factors: z
      .array(
        z.object({
          path: str('The swept path as written under `sweep:`, e.g. `host.pcpus`.'),
          values: z.array(FactorValueSchema).meta({ description: 'Its values, in file order.' }),
        }),
      )
      .meta({ description: 'The swept factors in file order; empty without a sweep.' }),
    alternatives: z
      .array(
        z.object({
          name: str('The alternative, as in `experiment.alternatives`.'),
          compare: str('Its `compare:` alternative; absent when the file has no `compare:`.').optional(),
          factors: z.record(z.string(), FactorValueSchema).meta({
            description:
              'Its value of each swept factor, by factor path, in factor order; {} without a sweep.',
          }),
        }),
      )
      .meta({ description: 'Every alternative in declaration order with its place in the grid.' }),
  })
  .meta({
    description:
      'The grid of compare alternatives x swept factors. Written by every vmisim since it was added; absent in older files, whose reports read the grid from the alternative names.',
  });

export const ResultsFileSchema = z
  .object({
    formatVersion: z.literal(RESULTS_FORMAT_VERSION).meta({
      description:
        'Shape version of this file; bumped on incompatible changes. This schema describes this version only.',
    }),
    vmisimVersion: str('Version of vmisim that wrote the file.'),
    experiment: z.object({
      name: str('Experiment name (user-supplied, any characters).'),
      description: z.string().optional().meta({
        description:
          "The experiment file's `description:` as written (what it shows and what decides it); absent when the file has none.",
      }),
      fileHash: str("sha256 of the experiment file's bytes (hex), or of the built-in text."),
      file: str('Experiment file as given by the user.'),
      overrides: z.array(z.string()).optional().meta({
        description:
          'Command-line flags that changed the experiment file (`--set host.pcpus=8`, `--seeds 3`), as typed, in the order they applied; absent when there were none.',
      }),
      durationNs: ns('Simulated duration of each run, integer ns.'),
      warmupNs: ns(
        'Time at the start of each run left out of the summaries (the series keep it), integer ns.',
      ),
      seeds: z.array(z.int()),
      alternatives: z.array(z.string()).meta({ description: 'Alternative names, in declaration order.' }),
      host: z.object({
        pcpus: z.int().positive(),
        memoryMiB: z.number(),
        abi: z.string(),
        scheduler: z.string(),
        memorySemantics: z
          .record(z.string(), z.object({ preset: z.string(), description: z.string() }))
          .optional()
          .meta({
            description:
              'The host memory semantics each alternative ran with, by alternative name: its preset (esx: lazy backing, host swap, page sharing allowed; xen-pv: every page allocated at domain build, no host swap, no sharing; kvm: lazy, host swap, KSM) and its description. Absent only in files written before it was added.',
          }),
      }),
      guests: z.array(
        z.object({
          name: z.string(),
          vcpus: z.int().positive(),
          memoryMiB: z.number(),
          workload: z.string(),
        }),
      ),
      comparison: z
        .object({
          baseline: z.string().optional(),
          margins: z
            .record(
              z.string(),
              z.object({ relative: z.number().min(0).optional(), absolute: z.number().min(0).optional() }),
            )
            .optional(),
        })
        .optional()
        .meta({
          description:
            "The experiment file's `baseline:` (the compare alternative the others are compared with) and `margins:` (practical-equivalence margin per metric id); absent when the file sets neither.",
        }),
      sweep: SweepHeaderSchema.optional(),
    }),
    metrics: z.array(MetricDefSchema),
    runs: z.array(RunResultSchema),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.runs.forEach((r, i) => {
      if (seen.has(r.runId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['runs', i, 'runId'],
          message: `duplicate runId ${JSON.stringify(r.runId)}`,
        });
      }
      seen.add(r.runId);
    });
  })
  .meta({
    title: `vmisim results.json (formatVersion ${RESULTS_FORMAT_VERSION})`,
    description:
      'Everything one experiment produced: header, metric declarations and one entry per alternative x seed. ' +
      'Beyond this schema: runIds are unique; each series has one value array per column, each as long as timeS; ' +
      'runs with status "ok" have a summary. Non-finite numbers never appear.',
  });

// --- compile-time drift check ------------------------------------------------------------------
// The schema may be stricter in one place only: formatVersion is the literal current version.
type Parsed = z.output<typeof ResultsFileSchema>;
// Exact identity (also catches an optional field present on one side only, which mutual
// assignability would let through).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Loose<T> = Omit<T, 'formatVersion'>;
const _schemaMatchesTypes: Same<Loose<Parsed>, Loose<ResultsFile>> = true;
const _parsedIsResultsFile: Parsed extends ResultsFile ? true : false = true;
void _schemaMatchesTypes;
void _parsedIsResultsFile;

/**
 * Validates unknown data (e.g. a parsed results.json) as a ResultsFile.
 * Throws an Error whose message lists every problem with its path; returns a fresh object whose keys
 * follow the declaration order of the schema, with unknown keys dropped.
 */
export function parseResultsFile(data: unknown): ResultsFile {
  const r = ResultsFileSchema.safeParse(data);
  if (!r.success) throw new Error(`invalid results file:\n${z.prettifyError(r.error)}`);
  return r.data;
}

/**
 * Validates one run of a results file on its own, as parseResultsFile would inside the file (the
 * report checks runs one at a time as it reads their series back): the error names the run's
 * place, `runs[index]`. Returns a fresh object, keys in declared order.
 */
export function parseRunResult(data: unknown, index: number): RunResult {
  const r = RunResultSchema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ ...i, path: ['runs', index, ...i.path] }));
  throw new Error(`invalid results file:\n${z.prettifyError(new z.ZodError(issues))}`);
}

/** The JSON Schema (draft 2020-12) of results.json, generated from ResultsFileSchema. */
export function resultsJsonSchema(): Record<string, unknown> {
  // io 'output': describes the file as written (closed objects), not what the parser would accept.
  return z.toJSONSchema(ResultsFileSchema, { target: 'draft-2020-12', io: 'output' }) as Record<
    string,
    unknown
  >;
}

/** The exact text of the checked-in `reports/results.schema.json` (2-space indent, trailing newline). */
export function resultsJsonSchemaText(): string {
  return `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
}
