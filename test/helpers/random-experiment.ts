// Random VALID experiments for property tests: a fast-check arbitrary of experiment YAML text
// covering every balloon policy, CPU scheduler, timer delivery, both interfaces, a mix of
// workloads, memory overcommitted or not, host swap rate limited or not, page sharing on or off,
// every host memory semantics (a Xen PV host's guests built small enough to fit, without sharing),
// guests of 1–4 vCPUs with and without affinity. Sizes are drawn as fractions of what the loader
// accepts (a workload's memory fits the guest's usable memory, affinities name existing pCPUs),
// so every text loads; the test fails if one does not, which means this generator is wrong.
import { bootStructuresBytes, LOWMEM_MAX_BYTES } from '../../sim/guest/lowmem.js';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { BALLOON_POLICIES } from '../../policies/balloon/registry.js';
import { CPU_SCHEDULERS, schedulerRefusesCap } from '../../policies/cpu/registry.js';
import { TIMER_DELIVERY } from '../../policies/time/registry.js';

/** The guest kernel's default reserve (guests[].kernel.reserved), MiB: usable = memory − this. */
const RESERVED_MIB = 64;
/** The hypervisor's default per-guest overhead (host.guestOverhead), MiB. */
const OVERHEAD_MIB = 32;

const mib = (x: number) => `${Math.max(1, Math.round(x))}MiB`;

/** A workload for a guest with `usable` MiB outside its kernel reserve; `f` are fractions 0–1. */
function workload(
  kind: string,
  usable: number,
  f: readonly number[],
  vcpus: number,
): Record<string, unknown> {
  const [a = 0.5, b = 0.5, c = 0.5] = f;
  const duty = Math.max(0.05, a);
  const size = (x: number) => mib(Math.max(1, x * usable));
  switch (kind) {
    case 'constant':
      return {
        type: 'constant',
        dutyCycle: duty,
        resident: size(b),
        cache: size(c * (1 - b)),
        hotFraction: Math.max(0.05, c),
      };
    case 'idle':
      return { type: 'idle', tick: `${50 + Math.round(a * 950)}ms`, resident: size(b * 0.5) };
    case 'on-off':
      return {
        type: 'on-off',
        dutyCycle: duty,
        on: `${1 + Math.round(b * 9)}s`,
        off: `${1 + Math.round(c * 9)}s`,
        resident: size(b),
        wake: c < 0.3 ? 'io' : 'timer',
      };
    case 'memhog': {
      const start = Math.max(1, b * 0.5 * usable);
      return {
        type: 'memhog',
        dutyCycle: duty,
        start: mib(start),
        rate: mib(1 + c * 40),
        max: mib(Math.max(start, usable * (0.5 + 0.5 * c))),
        touchAll: a > 0.7,
      };
    }
    case 'leak': {
      const start = Math.max(1, b * 0.3 * usable);
      return {
        type: 'leak',
        dutyCycle: duty,
        start: mib(start),
        rate: mib(1 + c * 20),
        max: mib(Math.max(start, usable * 0.9)),
        workingSet: mib(Math.min(start, usable * 0.2)),
      };
    }
    case 'diurnal':
      return {
        type: 'diurnal',
        mean: 0.5,
        amplitude: 0.4 * a,
        period: `${10 + Math.round(b * 50)}s`,
        residentMin: size(0.1 * c),
        residentMax: size(0.1 * c + 0.8 * b),
      };
    case 'kernel-build': {
      const jobs = 1 + Math.floor(a * vcpus);
      const perJob = Math.max(1, (0.8 * usable * b) / jobs);
      return {
        type: 'kernel-build',
        jobs,
        units: 50,
        cpuPerUnit: `${20 + Math.round(c * 200)}ms`,
        link: '1s',
        repeat: true,
        pause: '2s',
        base: mib(Math.max(1, 0.15 * usable)),
        perJob: mib(perJob),
      };
    }
    case 'web':
      return {
        type: 'web',
        ratePerS: 20 + Math.round(a * 400),
        service: `${1 + Math.round(b * 9)}ms`,
        resident: size(0.6 * c),
        perRequest: '64KiB',
      };
    case 'database': {
      const pool = Math.max(1, 0.7 * usable * b);
      return {
        type: 'database',
        size: mib(pool * (1 + 3 * c)),
        bufferPool: mib(pool),
        overhead: mib(Math.max(1, 0.2 * usable)),
        think: `${Math.round(a * 5)}ms`,
      };
    }
    case 'trace':
      return { type: 'trace', file: 'traces/web-day.csv', loop: true };
    default:
      // phases, looping: idle, a spike of memory (a batch job that allocates, then exits), growth,
      // a steady stretch — memory the guest touched and freed again.
      return {
        type: 'phases',
        loop: true,
        phases: [
          { for: `${1 + Math.round(a * 5)}s`, type: 'idle', resident: size(0.02) },
          {
            for: `${1 + Math.round(b * 4)}s`,
            type: 'constant',
            dutyCycle: duty,
            resident: size(0.2 + 0.7 * b),
          },
          { for: `${1 + Math.round(a * 5)}s`, type: 'idle', resident: size(0.02) },
          {
            for: `${2 + Math.round(b * 8)}s`,
            type: 'memhog',
            start: size(0.1),
            rate: mib(5 + 30 * c),
            max: size(0.9),
          },
          { for: `${2 + Math.round(c * 5)}s`, type: 'constant', dutyCycle: duty, resident: size(0.5 * c) },
        ],
      };
  }
}

export const WORKLOAD_KINDS = [
  'constant',
  'idle',
  'on-off',
  'memhog',
  'leak',
  'diurnal',
  'kernel-build',
  'web',
  'database',
  'trace',
  'phases',
] as const;

/** Short periods and large steps, so that policies act several times within a short run. */
function balloonPolicy(name: string, f: number): Record<string, unknown> {
  const period = `${1 + Math.round(f * 4)}s`;
  switch (name) {
    case 'static':
      return { policy: name, fraction: 0.9 * f };
    case 'esx':
      return { policy: name, balancePeriod: period, idleTax: 0.9 * f };
    case 'mom':
      return { policy: name, period, maxChange: 0.05 + 0.25 * f };
    case 'auto-balloon':
      return { policy: name, inflateStep: `${1 + Math.round(63 * f)}MiB` };
    case 'xen-selfballoon':
      return { policy: name, interval: period, downHysteresis: 1 + Math.round(7 * f) };
    case 'squeezed':
      return { policy: name, interval: period };
    case 'meb':
      return { policy: name, interval: period, chunk: '4MiB' };
    default:
      return { policy: name };
  }
}

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const fractions = fc.array(fraction, { minLength: 3, maxLength: 3 });

const guestArb = fc.record({
  count: fc.integer({ min: 1, max: 4 }),
  vcpus: fc.integer({ min: 1, max: 4 }),
  memoryMiB: fc.constantFrom(128, 256, 512, 768, 1024, 2048),
  workload: fc.constantFrom(...WORKLOAD_KINDS),
  w: fractions,
  affinity: fc.option(fc.uniqueArray(fc.nat(7), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  cpu: fc.record({
    weight: fc.integer({ min: 1, max: 1024 }),
    /** Xen cap as a fraction of what the guest's vCPUs can use (0 = uncapped). */
    cap: fc.constantFrom(0, 0, 0.3, 0.5, 1),
    shares: fc.constantFrom('low', 'normal', 'high', 700),
    reservation: fc.constantFrom(0, 0, 500),
    limit: fc.constantFrom(0, 0, 1500),
  }),
  kernel: fc.record({
    hz: fc.constantFrom(100, 250, 1000),
    clock: fc.constantFrom('auto', 'auto', 'tick-counting'),
    timeSync: fc.constantFrom('none', 'ntp', 'tools'),
    deflateOnOom: fc.boolean(),
    /** Guest swap as a fraction of its memory (small swap: the guest can run out and OOM). */
    swap: fc.constantFrom(0.05, 0.25, 1),
  }),
  balloonMin: fc.option(fraction, { nil: undefined }),
});

export const experimentArb = fc.record({
  pcpus: fc.integer({ min: 1, max: 4 }),
  abi: fc.constantFrom('vmi', 'xen'),
  /** host.memorySemantics; xen-pv only under abi xen (elsewhere it is refused), so it becomes auto. */
  memorySemantics: fc.constantFrom('auto', 'auto', 'esx', 'kvm', 'xen-pv'),
  scheduler: fc.constantFrom(...Object.keys(CPU_SCHEDULERS)),
  balloon: fc.constantFrom(...Object.keys(BALLOON_POLICIES)),
  balloonF: fraction,
  timer: fc.constantFrom(...Object.keys(TIMER_DELIVERY)),
  /** Host memory ÷ (guests' memory + overhead): below 1 the host is overcommitted. */
  memoryRatio: fc.constantFrom(0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1, 1.3),
  /** The host's disk (its swap, and the guests' I/O, take their time from it). */
  storage: fc.constantFrom('sata-2006', 'ssd'),
  sharing: fc.option(
    fc.record({
      scanRate: fc.constantFrom(2000, 50000),
      kernelFraction: fraction,
      workloadFraction: fraction,
    }),
    {
      nil: undefined,
    },
  ),
  guests: fc.array(guestArb, { minLength: 1, maxLength: 4 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

export type RandomExperiment = typeof experimentArb extends fc.Arbitrary<infer T> ? T : never;

/** The host memory semantics the experiment resolves to (auto follows the interface). */
export function memorySemanticsOf(x: RandomExperiment): 'esx' | 'kvm' | 'xen-pv' {
  if (x.memorySemantics === 'esx' || x.memorySemantics === 'kvm') return x.memorySemantics;
  return x.abi === 'xen' ? 'xen-pv' : 'esx';
}

/**
 * A Xen PV host must hold its guests as built: each guest is built with the same fraction of its
 * memory (guests[].balloon.start, never below its balloon floor) so that they and their overhead
 * fit `hostMiB`, which grows only if the floors alone do not fit. Returns the host's memory, MiB.
 */
function buildSmallEnough(guests: Record<string, unknown>[], hostMiB: number, guestCount: number): number {
  const memory = (g: Record<string, unknown>) => parseInt(String(g.memory), 10);
  const floor = (g: Record<string, unknown>) => {
    const min = (g.balloon as { min?: string } | undefined)?.min;
    return Math.max(RESERVED_MIB + 16, min === undefined ? 0 : parseInt(min, 10));
  };
  const total = guests.reduce((n, g) => n + (g.count as number) * memory(g), 0);
  const f = Math.min(1, (hostMiB - guestCount * OVERHEAD_MIB) / total);
  let built = 0;
  for (const g of guests) {
    const start = Math.min(memory(g), Math.max(floor(g), Math.floor(f * memory(g))));
    g.balloon = { ...(g.balloon as object | undefined), start: `${start}MiB` };
    built += (g.count as number) * start;
  }
  return Math.max(hostMiB, built + guestCount * OVERHEAD_MIB);
}

/** The experiment's YAML text, `durationS` simulated seconds long. */
export function experimentYaml(x: RandomExperiment, durationS: number): string {
  let configured = 0;
  const guests = x.guests.map((g, i) => {
    // The trace (experiments/traces/web-day.csv) peaks at 103.5 % CPU and 699 MiB of memory.
    const vcpus = g.workload === 'trace' ? Math.max(2, g.vcpus) : g.vcpus;
    const memoryMiB = g.workload === 'trace' ? Math.max(800, g.memoryMiB) : g.memoryMiB;
    configured += g.count * (memoryMiB + OVERHEAD_MIB);
    // Less the reserve and what the kernel sizes with memory at boot (at most: hashes for 896 MiB).
    const structuresMiB = Math.ceil(bootStructuresBytes(memoryMiB * 2 ** 20, LOWMEM_MAX_BYTES) / 2 ** 20);
    const usable = memoryMiB - RESERVED_MIB - structuresMiB;
    return {
      name: `g${i}-{i}`,
      count: g.count,
      vcpus,
      memory: `${memoryMiB}MiB`,
      kernel: { ...g.kernel, swap: mib(g.kernel.swap * memoryMiB) },
      cpu: {
        ...g.cpu,
        // A scheduler that refuses caps (credit2) is given none: the experiment must be valid.
        cap: schedulerRefusesCap(x.scheduler) === undefined ? Math.round(g.cpu.cap * 100 * vcpus) : 0,
        ...(g.affinity === undefined ? {} : { affinity: g.affinity.map((p) => p % x.pcpus) }),
      },
      ...(g.balloonMin === undefined
        ? {}
        : { balloon: { min: mib(RESERVED_MIB + 16 + g.balloonMin * (usable - 16)) } }),
      workload: workload(g.workload, usable, g.w, vcpus),
    };
  });
  // Never below what the hypervisor keeps per guest plus a little: the host must hold its guests.
  const guestCount = x.guests.reduce((n, g) => n + g.count, 0);
  let hostMiB = Math.max(Math.round(configured * x.memoryRatio), guestCount * OVERHEAD_MIB + 64);
  const semantics = memorySemanticsOf(x);
  if (semantics === 'xen-pv') hostMiB = buildSmallEnough(guests, hostMiB, guestCount);
  return stringify({
    name: 'random',
    duration: `${durationS}s`,
    seeds: [x.seed],
    host: {
      pcpus: x.pcpus,
      memory: `${hostMiB}MiB`,
      abi: x.abi,
      scheduler: { policy: x.scheduler },
      balloon: balloonPolicy(x.balloon, x.balloonF),
      timer: { delivery: x.timer },
      storage: { preset: x.storage },
      memorySemantics: x.memorySemantics === 'xen-pv' && x.abi !== 'xen' ? 'auto' : x.memorySemantics,
      ...(x.sharing === undefined || semantics === 'xen-pv' ? {} : { sharing: x.sharing }),
    },
    guests,
  });
}
