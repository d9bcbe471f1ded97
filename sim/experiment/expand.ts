/**
 * From the valid parts of an alternative (validate-parts.ts) to its HostSpec and GuestSpecs,
 * with every check across fields that the schema cannot make: i386 memory limits, the kernel
 * reserve, a guest's CPU settings against the host, clock against interface, the workload against
 * its guest (a trace is read here), memory-state thresholds, and the counts and fits of limits.ts.
 * Each check runs when the fields it needs are valid, so a schema problem in one field does not
 * hide the problems of the others (validate-parts.ts judges each field on its own when the
 * whole fails).
 */
import { bootStructuresBytes, lowmemZoneBytes, LOWMEM_MAX_BYTES } from '../guest/lowmem.js';
import { clockMismatch, hypervisorHoleBytesOf, memorySemanticsOf } from '../abi/registry.js';
import {
  AUTO_MEMORY_SEMANTICS,
  hostPageCacheOn,
  memorySemanticsNamed,
  memorySemanticsProblem,
} from '../spec/memory-semantics.js';
import { chooseWorkload } from '../../workloads/registry.js';
import { schedulerRefusesCap } from '../../policies/cpu/registry.js';
import type { WorkloadLoadContext } from '../../workloads/types.js';
import { InputError, parseFieldPath } from '../options/input-error.js';
import {
  cycleCounterProblem,
  guestCountProblem,
  MAX_GUESTS_IN_ALL_ALTERNATIVES,
  overheadProblem,
  type FieldProblem,
  type GuestEntryCount,
} from './limits.js';
import { errorAt, isPrefix, type Override } from './overrides.js';
import type { PresetFiles } from './presets.js';
import type { GuestCpuSpec, GuestSpec, HostSpec } from '../spec/run-spec.js';
import {
  MEMORY_SHARE_LEVELS,
  SHARE_LEVELS,
  type GuestTemplate,
  type HostConfig,
  type RawConfig,
} from './schema.js';
import { BYTES_PER_MIB, formatBytes, PAGE_SIZE_BYTES } from '../options/units.js';
import type { Source } from './yaml-source.js';
import { resolveStorage } from './storage-schema.js';

/** What is shared by the checks of one experiment's alternatives. */
export interface LoadContext {
  presets: PresetFiles;
  workload: WorkloadLoadContext;
  /** Guests the alternatives not yet expanded may still have (MAX_GUESTS_IN_ALL_ALTERNATIVES). */
  guestsLeft: number;
}

/** The experiment's top-level fields that can be judged on their own. */
export type TopFields = Partial<
  Pick<
    RawConfig,
    | 'name'
    | 'description'
    | 'duration'
    | 'sampleInterval'
    | 'warmup'
    | 'seeds'
    | 'compare'
    | 'sweep'
    | 'baseline'
    | 'margins'
  >
>;

/** What of an alternative (or of the base experiment) passed the schema. */
export interface ValidParts {
  /** The whole, when it is valid. */
  whole: RawConfig | undefined;
  top: TopFields;
  /** The host's valid fields. */
  host: Partial<HostConfig>;
  /** Per guest entry, its valid fields. */
  guests: Partial<GuestTemplate>[];
  /** Count and vCPUs of every entry, if every entry's are valid (for the totals). */
  entries: GuestEntryCount[] | undefined;
}

/** What checking a guest entry gave: what its copies share, where it could be worked out. */
interface EntryResult {
  cpu?: GuestCpuSpec;
  workload?: GuestTemplate['workload'];
}

/**
 * An alternative's host and guests, every check its valid fields allow made (problems go to
 * `problems`): guests with `count` become individual guests, whose names must be unique. With a
 * schema problem anywhere, or too many guests (limits.ts, judged before anything is copied), the
 * fields are still checked but nothing is built (undefined).
 */
export function expand(
  src: Source,
  parts: ValidParts,
  overrides: Override[],
  problems: InputError[],
  ctx: LoadContext,
): { host: HostSpec; guests: GuestSpec[] } | undefined {
  const report = (p: FieldProblem | undefined) => {
    if (p !== undefined) problems.push(errorAt(src, p.path, overrides, p.problem));
  };
  const { host, entries } = parts;
  let countsOk = false;
  if (entries !== undefined) {
    const total = entries.reduce((n, e) => n + e.count, 0);
    const perHost = guestCountProblem(entries);
    report(perHost ?? guestsInAllProblem(total, ctx));
    countsOk = perHost === undefined && ctx.guestsLeft >= 0;
    if (host.memory !== undefined && host.guestOverhead !== undefined)
      report(
        overheadProblem(
          host.memory,
          host.guestOverhead,
          total,
          isWritten(src, overrides, ['host', 'guestOverhead']),
        ),
      );
  }
  if (host.cpuMHz !== undefined && parts.top.duration !== undefined)
    report(cycleCounterProblem(parts.top.duration, host.cpuMHz));
  const results = parts.guests.map((g, gi) => checkGuest(src, host, g, gi, overrides, problems, ctx));
  const before = problems.length;
  const names = countsOk ? guestNames(src, parts.guests, overrides, problems) : undefined;
  const namesOk = problems.length === before;
  checkHost(src, host, overrides, problems);
  const whole = parts.whole;
  // Built only whole: an alternative missing a guest would mislead the checks of the experiment.
  if (whole === undefined || names === undefined || !namesOk) return undefined;
  if (results.some((r) => r.cpu === undefined || r.workload === undefined)) return undefined;
  const guests = whole.guests.flatMap((g, gi) =>
    names[gi]!.map((name) => guestSpec(whole.host, g, name, results[gi]!.cpu!, results[gi]!.workload!)),
  );
  const hs = hostSpec(whole.host);
  const unbuilt = problems.length;
  report(
    memorySemanticsProblem({
      semantics: memorySemanticsNamed(hs.memorySemantics),
      abi: hs.abi,
      abiSemantics: memorySemanticsOf(hs.abi),
      hostMemoryBytes: hs.memoryBytes,
      guestOverheadBytes: hs.guestOverheadBytes,
      sharingScanRate: hs.sharing.scanRate,
      hostPageCache: whole.host.storage.hostPageCache,
      guestStartBytes: guests.map((g) => g.balloon.startBytes),
    }),
  );
  if (problems.length !== unbuilt) return undefined;
  return { host: hs, guests };
}

/** Past the guests all alternatives may have together (reported once per experiment). */
function guestsInAllProblem(total: number, ctx: LoadContext): FieldProblem | undefined {
  if (ctx.guestsLeft < 0) return undefined; // said already
  ctx.guestsLeft -= total;
  if (ctx.guestsLeft >= 0) return undefined;
  return {
    path: ['guests'],
    problem: `expected at most ${MAX_GUESTS_IN_ALL_ALTERNATIVES} guests summed over all alternatives, found more (this alternative alone has ${total}); narrow the sweep or run fewer guests`,
  };
}

/** True if the file or an override writes `path` (or a mapping around it). */
function isWritten(src: Source, overrides: Override[], path: (string | number)[]): boolean {
  return (
    src.locate(path).depth === path.length ||
    overrides.some((o) => isPrefix(o.path, path) || isPrefix(path, o.path))
  );
}

/**
 * Every check of guest entry `gi` that its valid fields (and the host's) allow; a workload that
 * names a file (a trace) is read here, once, so its problems are found before any run starts and
 * the workers get plain data.
 */
function checkGuest(
  src: Source,
  host: Partial<HostConfig>,
  g: Partial<GuestTemplate>,
  gi: number,
  overrides: Override[],
  problems: InputError[],
  ctx: LoadContext,
): EntryResult {
  const report = (path: (string | number)[], problem: string) =>
    problems.push(errorAt(src, ['guests', gi, ...path], overrides, problem));
  const { memory, kernel, vcpus } = g;
  if (memory !== undefined && g.pae !== undefined) {
    // i386 addresses 4 GiB of physical memory; PAE's 36-bit addresses, 64 GiB.
    if (memory > (g.pae ? 64 : 4) * 1024 ** 3)
      report(
        ['memory'],
        `an i386 guest ${g.pae ? 'with PAE addresses at most 64GiB' : 'without PAE addresses at most 4GiB (set pae: true for up to 64GiB)'}`,
      );
  }
  if (memory !== undefined && g.balloon?.min !== undefined && g.balloon.min > memory)
    report(
      ['balloon', 'min'],
      `balloon.min ${formatBytes(g.balloon.min)} is more than the guest's memory (${formatBytes(memory)})`,
    );
  const start = g.balloon?.start;
  if (start !== undefined && memory !== undefined && kernel !== undefined) {
    // The balloon never holds more than memory − floor (host.ts), so a guest cannot start smaller.
    const floor = Math.min(memory, Math.max(g.balloon!.min ?? 0, kernel.reserved + kernel.minFree));
    if (start > memory || start < floor)
      report(
        ['balloon', 'start'],
        `expected the memory the guest is built with between its balloon floor (${formatBytes(floor)}: the larger of balloon.min and kernel reserve + minFree) and its memory (${formatBytes(memory)}), found ${formatBytes(start)}`,
      );
  }
  // The kernel's own memory lives in lowmem, the 896 MiB an i386 kernel maps directly, less the
  // hypervisor's hole; so do the structures it sizes with memory at boot (sim/guest/lowmem.ts).
  const low =
    memory !== undefined && g.pae !== undefined && host.abi !== undefined && host.vmiRom !== undefined
      ? guestLowmem(memory, g.pae, host.abi, host.vmiRom)
      : undefined;
  if (kernel !== undefined && low !== undefined) {
    const problem = lowmemProblem(kernel.reserved, low, host.abi!);
    if (problem !== undefined) report(problem.path, problem.problem);
  }
  const usableBytes =
    memory !== undefined && kernel !== undefined
      ? memory - kernel.reserved - (low?.bootStructuresBytes ?? 0)
      : undefined;
  if (usableBytes !== undefined && usableBytes <= 0)
    report(
      ['kernel', 'reserved'],
      `the kernel reserve must be smaller than the guest's memory (${memory} bytes)`,
    );
  if (kernel !== undefined && host.abi !== undefined) {
    const mismatch = clockMismatch(kernel.clock, host.abi);
    if (mismatch !== undefined) report(['kernel', 'clock'], mismatch);
  }
  const cpu =
    g.cpu === undefined || vcpus === undefined
      ? undefined
      : resolveCpu(src, host, g.cpu, vcpus, gi, overrides, problems);
  if (g.workload === undefined) return { cpu };
  let workload: GuestTemplate['workload'];
  try {
    workload = chooseWorkload(g.workload).load(ctx.workload);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(e); // a bad trace: reported with the rest; the workload's own check needs it
    return { cpu };
  }
  if (vcpus !== undefined && usableBytes !== undefined && usableBytes > 0) {
    const problem = chooseWorkload(workload).check({
      vcpus,
      usablePages: Math.floor(usableBytes / PAGE_SIZE_BYTES),
    });
    if (problem !== undefined) report(['workload', ...parseFieldPath(problem.field)], problem.problem);
  }
  return { cpu, workload };
}

/** A guest's lowmem (sim/guest/lowmem.ts) on a host offering `abi` with VMI ROM `vmiRom`. */
function guestLowmem(
  memory: number,
  pae: boolean,
  abi: string,
  vmiRom: HostSpec['vmiRom'],
): GuestSpec['lowmem'] {
  const holeBytes = hypervisorHoleBytesOf(abi, { vmiRom }, pae);
  const zoneBytes = lowmemZoneBytes(memory, holeBytes);
  return { zoneBytes, pae, bootStructuresBytes: bootStructuresBytes(memory, zoneBytes) };
}

/**
 * Why a guest whose kernel reserves `reserved` bytes cannot boot with lowmem `low`: its reserve and
 * the structures sized with its memory must fit in the zone, with a page to spare for page tables.
 */
function lowmemProblem(reserved: number, low: GuestSpec['lowmem'], abi: string): FieldProblem | undefined {
  const kernelBytes = reserved + low.bootStructuresBytes;
  if (kernelBytes + PAGE_SIZE_BYTES <= low.zoneBytes) return undefined;
  const hole = LOWMEM_MAX_BYTES - low.zoneBytes;
  const zone =
    hole > 0 && low.zoneBytes < LOWMEM_MAX_BYTES
      ? `${formatBytes(low.zoneBytes)} (896MiB less the ${formatBytes(hole)} hypervisor hole of ${abi}${low.pae ? ' with PAE' : ''})`
      : formatBytes(low.zoneBytes);
  const ownFault = reserved + PAGE_SIZE_BYTES > low.zoneBytes;
  return {
    path: ownFault ? ['kernel', 'reserved'] : ['memory'],
    problem: `the kernel's lowmem does not fit: reserve ${formatBytes(reserved)} + mem_map and boot hashes sized with memory ${formatBytes(low.bootStructuresBytes)} = ${formatBytes(kernelBytes)}, more than its lowmem of ${zone}; ${ownFault ? 'lower kernel.reserved' : 'give the guest less memory or a smaller reserve'}`,
  };
}

/** A guest's `cpu` block checked against the host it runs on, with shares as a number. */
function resolveCpu(
  src: Source,
  host: Partial<HostConfig>,
  c: GuestTemplate['cpu'],
  vcpus: number,
  gi: number,
  overrides: Override[],
  problems: InputError[],
): GuestCpuSpec {
  const report = (path: (string | number)[], problem: string) =>
    problems.push(errorAt(src, path, overrides, problem));
  const at = (...f: (string | number)[]) => ['guests', gi, 'cpu', ...f];
  if (c.cap > 100 * vcpus)
    report(
      at('cap'),
      `cap ${c.cap}% is more than the guest's ${vcpus} vCPU(s) can use (at most ${100 * vcpus})`,
    );
  const capacityMHz = host.cpuMHz === undefined ? Infinity : vcpus * host.cpuMHz;
  if (c.reservation > capacityMHz)
    report(
      at('reservation'),
      `reservation ${c.reservation} MHz is more than the guest's ${vcpus} vCPU(s) at ${host.cpuMHz} MHz can use (${capacityMHz} MHz)`,
    );
  if (c.limit > 0 && c.limit < c.reservation)
    report(at('limit'), `limit ${c.limit} MHz is below the reservation (${c.reservation} MHz)`);
  const refuses = host.scheduler === undefined ? undefined : schedulerRefusesCap(host.scheduler.name);
  if (c.cap > 0 && refuses !== undefined) report(at('cap'), `cap ${c.cap}% is not supported: ${refuses}`);
  const pcpus = host.pcpus;
  if (pcpus !== undefined)
    c.affinity?.forEach((p, k) => {
      if (p >= pcpus)
        report(at('affinity', k), `pCPU ${p} does not exist (the host has pCPUs 0..${pcpus - 1})`);
    });
  return {
    weight: c.weight,
    capPct: c.cap,
    sharesPerVcpu: typeof c.shares === 'number' ? c.shares : SHARE_LEVELS[c.shares],
    reservationMHz: c.reservation,
    limitMHz: c.limit,
    affinity: c.affinity === undefined ? null : [...new Set(c.affinity)].sort((a, b) => a - b),
  };
}

/**
 * The names of each entry's copies (`web-{i}` → web-1, web-2, …; `web` with count 2 → web-1,
 * web-2), for the entries whose name and count are valid; a name used twice is a problem (one
 * report per entry, not per copy).
 */
function guestNames(
  src: Source,
  entries: Partial<GuestTemplate>[],
  overrides: Override[],
  problems: InputError[],
): string[][] {
  const seen = new Map<string, number>();
  return entries.map((g, gi) => {
    const names: string[] = [];
    if (g.name === undefined) return names;
    const count = g.count ?? 1;
    for (let i = 1; i <= count; i++) {
      const name = g.name.includes('{i}')
        ? g.name.replaceAll('{i}', String(i))
        : count > 1
          ? `${g.name}-${i}`
          : g.name;
      if (seen.has(name)) {
        problems.push(
          errorAt(
            src,
            ['guests', gi, 'name'],
            overrides,
            `guest name '${name}' is used twice (also by guests[${seen.get(name)}])`,
          ),
        );
        return names;
      }
      seen.set(name, gi);
      names.push(name);
    }
    return names;
  });
}

function guestSpec(
  host: HostConfig,
  g: GuestTemplate,
  name: string,
  cpu: GuestCpuSpec,
  workload: GuestTemplate['workload'],
): GuestSpec {
  return {
    name,
    vcpus: g.vcpus,
    cpu,
    memoryBytes: g.memory,
    kernelReservedBytes: g.kernel.reserved,
    minFreeBytes: g.kernel.minFree,
    swapBytes: g.kernel.swap ?? g.memory,
    deflateOnOom: g.kernel.deflateOnOom,
    lowmem: guestLowmem(g.memory, g.pae, host.abi, host.vmiRom),
    balloon: {
      minBytes: g.balloon.min ?? g.kernel.reserved + g.kernel.minFree,
      shares:
        (typeof g.balloon.shares === 'number' ? g.balloon.shares : MEMORY_SHARE_LEVELS[g.balloon.shares]) *
        (g.memory / BYTES_PER_MIB),
      weight: g.balloon.weight,
      startBytes: g.balloon.start ?? g.memory,
    },
    clock: g.kernel.clock,
    hz: g.kernel.hz,
    vmiAlarmHz: g.kernel.vmiAlarmHz,
    timeSync: g.kernel.timeSync,
    workload,
  };
}

/** The host's checks across fields. */
function checkHost(src: Source, h: Partial<HostConfig>, overrides: Override[], problems: InputError[]): void {
  const ms = h.memoryStates;
  if (ms !== undefined && !(ms.high > ms.soft && ms.soft > ms.hard && ms.hard > ms.low))
    problems.push(
      errorAt(
        src,
        ['host', 'memoryStates'],
        overrides,
        `thresholds must fall: high > soft > hard > low, found ${ms.high}/${ms.soft}/${ms.hard}/${ms.low} %`,
      ),
    );
}

function hostSpec(h: HostConfig): HostSpec {
  const semantics =
    h.memorySemantics === AUTO_MEMORY_SEMANTICS ? memorySemanticsOf(h.abi) : h.memorySemantics;
  return {
    pcpus: h.pcpus,
    memoryBytes: h.memory,
    cpuMHz: h.cpuMHz,
    abi: h.abi,
    costs: h.costs,
    vmiRom: h.vmiRom,
    scheduler: h.scheduler,
    balloon: h.balloon,
    timer: h.timer,
    memorySemantics: semantics,
    clock: h.clock.tscOffsetPerPcpuNs === 0 && h.clock.platformDriftPpm === 0 ? undefined : { ...h.clock },
    guestOverheadBytes: h.guestOverhead,
    storage: resolveStorage(h.storage),
    hostPageCache: hostPageCacheOn(h.storage.hostPageCache, memorySemanticsNamed(semantics)),
    memoryStates: {
      high: h.memoryStates.high / 100,
      soft: h.memoryStates.soft / 100,
      hard: h.memoryStates.hard / 100,
      low: h.memoryStates.low / 100,
      hysteresis: h.memoryStates.hysteresis / 100,
    },
    sampling: { pages: h.sampling.pages, periodNs: h.sampling.period },
    sharing: h.sharing,
  };
}
