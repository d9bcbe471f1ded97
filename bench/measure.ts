/**
 * One run of an experiment file on this thread, timed: what the dense-host row of `npm run bench`
 * measures in process, and what bench/profile.ts prints (or hands to run-all.ts as JSON from a
 * process of its own, for the huge host's and the growth sizes' peak RSS). Wall time covers
 * simulate() only: loading and expanding the YAML is not the simulator's speed.
 *
 * With `countEvents`, every event handler the run registers is wrapped in a counter (here, in the
 * bench code: the models and the kernel's loop are untouched), and the measurement says how many
 * events of each kind ran, named by the kind's own describer. The wrapper costs a call per event,
 * so wall times measured with it on are not the simulator's speed.
 */
import { loadExperimentFile, runSpecs } from '../sim/experiment/load.js';
import { simulate } from '../sim/host/run.js';
import type { Aggregations } from '../sim/host/aggregations.js';
import { Simulator, type EventDescriber, type EventHandler } from '../sim/kernel/index.js';
import type { RunSpec } from '../sim/spec/run-spec.js';
import { countPcpuEventCauses } from './pcpu-event-causes.js';

export interface RunMeasurement {
  /** Wall seconds spent in simulate(). */
  wallS: number;
  /**
   * CPU seconds (user + system) of this process spent in simulate(): on a loaded machine it moves
   * far less than wall time, since time waiting for a core is not counted.
   */
  cpuS: number;
  /** Simulated seconds of the run. */
  simS: number;
  /** Peak resident set of this process so far, MiB (resourceUsage().maxRSS is in KiB). */
  maxRssMiB: number;
  guests: number;
  eventsProcessed: number;
  status: 'ok' | 'failed';
  /**
   * With splitAtNs: the part of the run from the first wake-up at or after that simulated time to
   * the end, timed apart — the steady state, without the start-up (building the guests, their boot,
   * the JIT's first compilations), which weighs heavily in short runs of small hosts.
   */
  secondPart?: { fromS: number; wallS: number; cpuS: number };
  /** Host-level summary metrics of the run, to judge that it did something meaningful. */
  metrics: Record<string, number>;
  /** With countEvents: events run per kind, most first (kind named by its describer). */
  eventsByKind?: { kind: string; events: number }[];
  /**
   * With countEvents: events that ran at the same ns as the event before them, by pair of kinds
   * (earlier → later), most first.
   */
  sameInstantEvents?: { kinds: string; events: number }[];
  /** With countEvents: the pCPU scheduling events by cause (bench/pcpu-event-causes.ts), most first. */
  pcpuEventCauses?: { cause: string; events: number }[];
  error?: string;
}

export interface MeasureOptions {
  /** Simulate this long instead of the file's duration, ns. */
  durationNs?: number;
  /** Aggregations to turn off (RunOptions.aggregations), e.g. `{ lazyTimers: false }`. */
  aggregations?: Partial<Aggregations>;
  /**
   * The look-ahead of running vCPUs' steps (RunOptions.aggregateBursts), under the `entity` tie
   * order it needs; `entityTies` alone gives the runs it is compared with.
   */
  aggregateBursts?: boolean;
  entityTies?: boolean;
  /** Count events by kind (slower: a wrapper call per event). */
  countEvents?: boolean;
  /** Also time the part of the run after this simulated time on its own (RunMeasurement.secondPart). */
  splitAtNs?: number;
}

/** Runs the first alternative and seed of `file`, without invariant checks. */
export function measureRun(file: string, opts: MeasureOptions = {}): RunMeasurement {
  return measureSpec(runSpecs(loadExperimentFile(file))[0]!, opts);
}

/** Runs `spec` (its duration replaced by opts.durationNs if given), without invariant checks. */
export function measureSpec(spec: RunSpec, opts: MeasureOptions = {}): RunMeasurement {
  if (opts.durationNs !== undefined) spec.durationNs = opts.durationNs;
  const counting = opts.countEvents === true ? countEventsByKind() : undefined;
  const causes = opts.countEvents === true ? countPcpuEventCauses() : undefined;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let split: { atNs: number; t: bigint; cpu: NodeJS.CpuUsage } | undefined;
  const splitAtNs = opts.splitAtNs;
  let r;
  try {
    r = simulate(spec, {
      checkInvariants: false,
      // Wake-ups come every few simulated ms on any busy host: the first one past the split marks it.
      ...(splitAtNs !== undefined
        ? {
            subscribe: (t) => {
              const off = t.on('vcpu.wake-to-run', (e) => {
                if (e.atNs < splitAtNs) return;
                split = { atNs: e.atNs, t: process.hrtime.bigint(), cpu: process.cpuUsage() };
                off();
              });
            },
          }
        : {}),
      aggregations: opts.aggregations ?? {},
      ...(opts.entityTies === true || opts.aggregateBursts === true ? { tieOrder: 'entity' as const } : {}),
      aggregateBursts: opts.aggregateBursts === true,
    });
  } finally {
    counting?.restore();
    causes?.restore();
  }
  const t1 = process.hrtime.bigint();
  const wallS = Number(t1 - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuAfter = split === undefined ? undefined : process.cpuUsage(split.cpu);
  return {
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    simS: spec.durationNs / 1e9,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    guests: spec.guests.length,
    eventsProcessed: r.summary?.eventsProcessed ?? 0,
    status: r.status,
    metrics: r.summary?.metrics ?? {},
    ...(split !== undefined && cpuAfter !== undefined
      ? {
          secondPart: {
            fromS: split.atNs / 1e9,
            wallS: Number(t1 - split.t) / 1e9,
            cpuS: (cpuAfter.user + cpuAfter.system) / 1e6,
          },
        }
      : {}),
    ...(counting !== undefined
      ? { eventsByKind: counting.counts(), sameInstantEvents: counting.sameInstant() }
      : {}),
    ...(causes !== undefined ? { pcpuEventCauses: causes.counts() } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}

/**
 * Wraps Simulator.registerHandler, until restore(), so that each handler registered counts its
 * events. A kind is named by its describer for target 0, with the first entity's name replaced by
 * a placeholder where it is recognisable ("guest web-0's …" → "guest _'s …"), so that kinds of the same
 * model share a row.
 *
 * It also counts, by pair of kinds, the events that ran at the same ns as the event before them:
 * their order is the kernel's tie-break (priority, then the order in which they were scheduled),
 * which an aggregation that removes or moves an event must reproduce to keep results identical.
 */
function countEventsByKind(): {
  restore: () => void;
  counts: () => { kind: string; events: number }[];
  sameInstant: () => { kinds: string; events: number }[];
} {
  const proto = Simulator.prototype as unknown as {
    registerHandler: (fn: EventHandler, describe?: EventDescriber) => number;
  };
  const original = proto.registerHandler;
  const kinds: { count: number; describe: EventDescriber | undefined }[] = [];
  /** Per pair of kind indices (earlier × 65,536 + later; a run registers about a dozen kinds): events at the same ns as the one before. */
  const ties = new Map<number, number>();
  const last = { atNs: -1, kind: -1 };
  proto.registerHandler = function (this: Simulator, fn: EventHandler, describe?: EventDescriber) {
    const k = { count: 0, describe };
    const index = kinds.length;
    kinds.push(k);
    return original.call(
      this,
      (target, arg) => {
        k.count++;
        const now = this.nowNs;
        if (now === last.atNs) {
          const pair = last.kind * 65536 + index;
          ties.set(pair, (ties.get(pair) ?? 0) + 1);
        }
        last.atNs = now;
        last.kind = index;
        fn(target, arg);
      },
      describe,
    );
  };
  const nameOf = (k: { describe: EventDescriber | undefined }): string => {
    let name = 'an event without a describer';
    try {
      name = k.describe?.(0, 0) ?? name;
    } catch {
      name = 'an event whose describer needs a live target';
    }
    name = name
      .replace(/^pCPU \d+/, 'pCPU _')
      .replace(/^guest \S+ vCPU \d+'s/, "guest _ vCPU _'s")
      .replace(/^guest [^' ]+'s/, "guest _'s");
    return name.replace(/, with .* on it$/, '');
  };
  const tally = <T>(entries: Iterable<[string, number]>, row: (name: string, events: number) => T) => {
    const byName = new Map<string, number>();
    for (const [name, n] of entries) byName.set(name, (byName.get(name) ?? 0) + n);
    return [...byName].sort((a, b) => b[1] - a[1]).map(([name, events]) => row(name, events));
  };
  return {
    restore: () => {
      proto.registerHandler = original;
    },
    counts: () =>
      tally(
        kinds.map((k): [string, number] => [nameOf(k), k.count]),
        (kind, events) => ({ kind, events }),
      ),
    sameInstant: () =>
      tally(
        [...ties].map(([pair, n]): [string, number] => [
          `${nameOf(kinds[Math.floor(pair / 65536)]!)} → ${nameOf(kinds[pair % 65536]!)}`,
          n,
        ]),
        (kinds, events) => ({ kinds, events }),
      ),
  };
}
