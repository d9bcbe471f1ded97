/**
 * The experiment format, declared once with zod: what validates a YAML experiment (and, later,
 * what the published JSON Schema is generated from). Plugin options come from the plugins' own
 * declarations through the registries. Output types are in integer ns, bytes and counts.
 */
import { z } from 'zod';
import { durationNs, pluginSelector, sizeBytes, strictObject } from '../options/fields.js';
import { sensitivityField } from './sensitivity-field.js';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { CPU_SCHEDULERS } from '../../policies/cpu/registry.js';
import { WORKLOADS } from '../../workloads/registry.js';
import { costsField, DEFAULT_COST_PRESET } from '../abi/costs.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';
import { TIME_SYNCS } from '../spec/guest-kernel.js';
import { AUTO_CLOCK, DEFAULT_INTERFACE, guestClocks, interfaceNames } from '../abi/registry.js';
import { MAX_GUESTS_PER_HOST } from './limits.js';
import { AUTO_MEMORY_SEMANTICS, memorySemanticsNames } from '../spec/memory-semantics.js';
import { storageSchema } from './storage-schema.js';

/** The clocks the interfaces declare, e.g. `tick-counting, vmi (REAL/AVAILABLE counters), …`. */
const clockList = () =>
  guestClocks()
    .map((c) => (c.gloss === undefined ? c.name : `${c.name} (${c.gloss})`))
    .join(', ');

const kernelSchema = strictObject({
  clock: z
    .enum([AUTO_CLOCK, ...guestClocks().map((c) => c.name)])
    .default(AUTO_CLOCK)
    .describe(`how the guest keeps time: ${clockList()}; ${AUTO_CLOCK} follows host.abi`),
  hz: z
    .union([z.literal(100), z.literal(250), z.literal(300), z.literal(1000)])
    .default(250)
    .describe(
      'kernel tick rate, Hz (Linux offers 100/250/300/1000, default 250): timer sleeps end on its jiffy boundaries',
    ),
  vmiAlarmHz: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe('VMI guests: periodic alarm rate on the AVAILABLE counter (CONFIG_VMI_ALARM_HZ 100)'),
  swap: sizeBytes()
    .optional()
    .describe('size of the guest’s swap device (default: equal to its memory, as selfballooning recommends)'),
  deflateOnOom: z
    .boolean()
    .default(false)
    .describe(
      'the balloon driver gives pages back when the guest runs out of memory (virtio deflate-on-oom)',
    ),
  timeSync: z
    .enum(TIME_SYNCS)
    .default('none')
    .describe(
      'in-guest clock correction: none, ntp (slew ≤ 500 ppm, step > 128 ms), tools (VMware Tools, every 60 s)',
    ),
  reserved: sizeBytes()
    .prefault('64MiB')
    .describe(
      'memory the guest kernel keeps for itself (code, slab); never ballooned. mem_map and the boot hashes (sized with memory) and page tables (sized with the working set) come on top, in lowmem',
    ),
  minFree: sizeBytes()
    .prefault('16MiB')
    .describe('free memory the guest keeps in reserve; the balloon driver never inflates below it'),
});

/** ESX share levels per vCPU (vSphere SharesInfo.Level; reference/time-cpu-abi.md §3.4). */
export const SHARE_LEVELS = { low: 500, normal: 1000, high: 2000 } as const;

const cpuSchema = strictObject({
  weight: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(256)
    .describe('Xen credit/credit2 weight of the domain (Xen default 256)'),
  cap: z
    .number()
    .min(0)
    .default(0)
    .describe(
      'Xen credit cap, percent of one pCPU for the whole guest; 0 = uncapped (credit2 refuses a cap)',
    ),
  shares: z
    .union([z.enum(['low', 'normal', 'high']), z.number().int().min(1)])
    .default('normal')
    .describe('ESX shares per vCPU: low (500), normal (1000), high (2000) or a number'),
  reservation: z.number().min(0).default(0).describe('ESX reservation, MHz for the whole guest'),
  limit: z.number().min(0).default(0).describe('ESX limit, MHz for the whole guest; 0 = unlimited'),
  affinity: z
    .array(z.number().int().min(0))
    .min(1)
    .optional()
    .describe('pCPUs the guest’s vCPUs may run on (default: all)'),
});

/** ESX memory shares per MiB of configured memory: low 5, normal 10, high 20 (vSphere SharesInfo.Level; reference/time-cpu-abi.md §3.4). */
export const MEMORY_SHARE_LEVELS = { low: 5, normal: 10, high: 20 } as const;

const guestBalloonSchema = strictObject({
  min: sizeBytes()
    .optional()
    .describe('least memory the guest may be ballooned down to (default: kernel reserve + minFree)'),
  shares: z
    .union([z.enum(['low', 'normal', 'high']), z.number().min(0)])
    .default('normal')
    .describe('ESX memory shares: low/normal/high = 5/10/20 per MiB of memory, or a number'),
  weight: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(5000)
    .describe('Hyper-V memory weight (1–10000, default 5000)'),
  start: sizeBytes()
    .optional()
    .describe(
      'memory the guest is built with; the rest of `memory` starts in its balloon (Xen `memory=` below `maxmem=`; default: all of `memory`)',
    ),
});

export const guestSchema = strictObject({
  name: z
    .string()
    .min(1)
    .describe('guest name; with count > 1, `{i}` is replaced by 1..count (or `-{i}` is appended)'),
  count: z
    .number({ error: 'expected a whole number of guests' })
    .int('expected a whole number of guests')
    .min(1, 'count must be at least 1')
    .max(
      MAX_GUESTS_PER_HOST,
      `count must be at most ${MAX_GUESTS_PER_HOST} (the most guests one host may have)`,
    )
    .default(1),
  vcpus: z.number().int().min(1).max(32).default(1).describe('virtual CPUs'),
  memory: sizeBytes().describe('configured guest memory (i386: at most 4GiB, or 64GiB with pae: true)'),
  pae: z
    .boolean()
    .default(false)
    .describe('the guest kernel uses PAE: up to 64GiB of memory instead of 4GiB'),
  kernel: kernelSchema.prefault({}),
  cpu: cpuSchema.prefault({}).describe('scheduling parameters; each scheduler uses the ones it knows'),
  balloon: guestBalloonSchema.prefault({}).describe('memory bounds and weights the balloon policies use'),
  workload: pluginSelector(WORKLOADS, 'workload', 'type'),
});

export const hostSchema = strictObject({
  pcpus: z.number().int().min(1).max(4096).describe('physical CPUs'),
  memory: sizeBytes().describe('machine memory available to guests'),
  cpuMHz: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(3000)
    .describe('CPU clock, also the rate of the VMI cycle counters (default 3000: a ~3 GHz 2006 Pentium 4)'),
  abi: z.enum(interfaceNames()).default(DEFAULT_INTERFACE).describe('paravirtual interface the guests use'),
  vmiRom: strictObject({
    license: z
      .string()
      .nullable()
      .default('GPL')
      .describe('license string in the ROM (Linux accepts only GPL or GPL v2)'),
    apiMajor: z
      .number()
      .int()
      .min(0)
      .max(255)
      .default(3)
      .describe('VMI API major version (Linux 2.6.21 requires 3)'),
    apiMinor: z.number().int().min(0).max(255).default(0).describe('VMI API minor version'),
    virtualTop: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0xfc000000)
      .describe(
        'start of the hypervisor hole the guest kernel reserves (reserve_top_address); it shrinks lowmem by 4GiB − virtualTop. Default 0xFC000000 (64 MiB, as Xen without PAE): an assumption, the VMware ROM’s value is not in the reference',
      ),
  })
    .prefault({})
    .describe('the VMI option ROM the host offers; change it to see a guest refuse VMI and run native'),
  costs: costsField()
    .prefault(DEFAULT_COST_PRESET)
    .describe('interface cost model: a preset (p4-2006, modern, zero) or { preset, field overrides }'),
  scheduler: pluginSelector(CPU_SCHEDULERS, 'CPU scheduler', 'policy').prefault({ policy: 'round-robin' }),
  balloon: pluginSelector(BALLOON_POLICIES, 'balloon policy', 'policy').prefault({ policy: 'none' }),
  memorySemantics: z
    .enum([AUTO_MEMORY_SEMANTICS, ...memorySemanticsNames()])
    .default(AUTO_MEMORY_SEMANTICS)
    .describe(
      `how the hypervisor backs, swaps and shares guest memory: ${memorySemanticsNames().join(', ')}; ${AUTO_MEMORY_SEMANTICS} follows host.abi (vmi → esx, xen → xen-pv)`,
    ),
  guestOverhead: sizeBytes()
    .prefault('32MiB')
    .describe('host memory the hypervisor keeps per guest (ESX: about 32 MB, reference §1.6)'),
  // Removed: the host's swap is written to host.storage like every other request, so a second rate
  // for the same disk would contradict it. Refused with the way to say it now, not ignored.
  swapRate: z
    .unknown()
    .optional()
    .superRefine((v, ctx) => {
      if (v !== undefined)
        ctx.addIssue({
          code: 'custom',
          message:
            'removed: the host swaps to its one disk, host.storage, and takes its time from it (its bandwidthPerS, requestLatency and queue); delete swapRate and set host.storage instead (e.g. storage: { preset: ssd } or { bandwidthPerS: 32MB })',
        });
    })
    .meta({ deprecated: true })
    .describe('removed: the host swaps to host.storage and takes its time from it'),
  storage: storageSchema,
  memoryStates: strictObject({
    high: z.number().min(0).max(100).default(6),
    soft: z.number().min(0).max(100).default(4),
    hard: z.number().min(0).max(100).default(2),
    low: z.number().min(0).max(100).default(1),
    hysteresis: z.number().min(0).max(100).default(1),
  })
    .prefault({})
    .describe(
      'free-memory thresholds in % of host memory (ESX 2002: 6/4/2/1) and the margin to move back up',
    ),
  sharing: strictObject({
    scanRate: z
      .number()
      .min(0)
      .default(0)
      .describe('content-based page sharing: pages scanned per second over all guests (0 = off)'),
    kernelFraction: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('share of a guest kernel’s reserved pages identical across guests (same OS; an assumption)'),
    workloadFraction: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe(
        'share of a workload’s anonymous pages identical across guests running the same workload type (an assumption)',
      ),
  })
    .prefault({})
    .describe('transparent page sharing (ESX TPS, KSM): identical pages across guests kept once'),
  sampling: strictObject({
    pages: z.number().int().min(1).max(100_000).default(100),
    period: durationNs().prefault('30s'),
  })
    .prefault({})
    .describe('working-set sampling: pages per period (ESX: 100 per 30 s)'),
  clock: strictObject({
    tscOffsetPerPcpuNs: z
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .default(0)
      .describe(
        'Xen: how far pCPU i’s local system time (time.c cpu_time, stamped from its own TSC) runs ahead of pCPU 0’s, as i × this many ns; a vCPU that moves between pCPUs sees its pvclock time step by the difference (0 = none; unsynchronised multi-socket TSCs left some µs to ms, recalled, not measured)',
      ),
    platformDriftPpm: z
      .number()
      .min(-1000)
      .max(1000)
      .default(0)
      .describe(
        'Xen: rate error of the platform timer (PIT/HPET) that Xen’s system time follows, in parts per million (positive = fast, the guest clock runs ahead by ppm µs per second; 0 = none; PC crystals are typically within ±100 ppm, recalled)',
      ),
  })
    .prefault({})
    .describe(
      'faults of the host’s clock hardware as a Xen guest sees them through pvclock; both 0 = a perfect clock',
    ),
  timer: pluginSelector(TIMER_DELIVERY, 'timer delivery policy', 'delivery')
    .prefault({ delivery: 'catch-up' })
    .describe('what the host does with timer interrupts a descheduled vCPU missed'),
});

/** Everything that one alternative of an experiment fixes: the host and its guests. */
export const configSchema = strictObject({
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'expected a name of letters, digits, ".", "_" or "-" (it names the output folder)',
    ),
  include: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe(
      'files of experiment fields merged under this one (paths relative to this file; later files and this file win)',
    ),
  description: z.string().optional(),
  duration: durationNs().describe('simulated time per run'),
  sampleInterval: durationNs().prefault('1s').describe('interval between time-series samples'),
  warmup: durationNs()
    .prefault('0s')
    .describe(
      'time at the start of each run left out of the summaries and comparison (the time series keep it); a whole number of sample intervals',
    ),
  seeds: z
    .union([
      z.number().int().min(1, 'a seed count must be at least 1').max(10_000),
      z.array(z.number().int().min(0)).min(1),
    ])
    .default(1)
    .describe('number of seeds (1..n) or an explicit list of seeds'),
  host: hostSchema,
  guests: z.array(guestSchema).min(1, 'at least one guest is needed'),
  compare: z
    .record(z.string(), z.record(z.string(), z.unknown()).nullable())
    .optional()
    .describe('named alternatives, each a map of `dotted.path: value` overrides'),
  sweep: z
    .record(
      z.string(),
      z.union([
        z.array(z.unknown()).min(1, 'a sweep list needs at least one value'),
        strictObject({
          from: z.number(),
          to: z.number(),
          step: z.number().positive().default(1),
        }),
      ]),
    )
    .optional()
    .describe(
      'values to sweep, each `dotted.path: [v1, v2, ...]` or `{ from, to, step }`; every combination (× each compare alternative) becomes an alternative',
    ),
  baseline: z
    .string()
    .optional()
    .describe(
      'the compare alternative every other is compared with in the report, at each swept point (default: the first)',
    ),
  margins: z
    .record(
      z.string(),
      strictObject({
        relative: z.number().min(0).optional().describe('fraction of the baseline mean (0.01 = 1 %)'),
        absolute: z.number().min(0).optional().describe("floor in the metric's unit"),
      }),
    )
    .optional()
    .describe(
      "per metric id, the practical-equivalence margin of the report's verdicts: max(relative × |baseline mean|, absolute); default relative 0.01 and a small floor per unit",
    ),
  sensitivity: sensitivityField(),
});

export type RawConfig = z.output<typeof configSchema>;
export type HostConfig = z.output<typeof hostSchema>;
export type GuestTemplate = z.output<typeof guestSchema>;
