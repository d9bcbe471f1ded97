/**
 * RunSpec: everything one simulation needs, as plain data that crosses the worker boundary,
 * and its stable content hash (sha256 of canonical JSON with sorted keys), so equal specs give
 * equal hashes whatever the order of keys in the file they came from.
 */
import { createHash } from 'node:crypto';
import type { PluginChoice } from '../options/plugin.js';
import type { CostModel } from './cost-model.js';
import type { TimeSync } from './guest-kernel.js';
import type { StorageConfig } from './storage.js';

/** A guest's scheduling parameters, resolved (shares as a number, affinity as pCPU ids). */
export interface GuestCpuSpec {
  weight: number;
  capPct: number;
  sharesPerVcpu: number;
  reservationMHz: number;
  limitMHz: number;
  /** Allowed pCPUs, ascending and unique; null = all. */
  affinity: number[] | null;
}

export interface GuestSpec {
  name: string;
  vcpus: number;
  cpu: GuestCpuSpec;
  memoryBytes: number;
  kernelReservedBytes: number;
  minFreeBytes: number;
  swapBytes: number;
  deflateOnOom: boolean;
  /**
   * i386 lowmem (sim/guest/lowmem.ts): the zone (896 MiB less the hypervisor's hole, at most the
   * memory), PAE page tables, and the structures the kernel sizes with memory at boot (mem_map,
   * the dentry and inode hashes), which the guest holds in lowmem beside its kernel reserve.
   */
  lowmem: { zoneBytes: number; pae: boolean; bootStructuresBytes: number };
  /**
   * Balloon bounds and weights: least memory, ESX shares, Hyper-V weight, and the memory the guest
   * is built with (the rest of its memory starts in its balloon).
   */
  balloon: { minBytes: number; shares: number; weight: number; startBytes: number };
  /**
   * How the guest keeps time: `auto` follows the interface it binds; otherwise a clock an interface
   * declares (sim/abi/registry.ts guestClocks).
   */
  clock: string;
  hz: number;
  vmiAlarmHz: number;
  timeSync: TimeSync;
  workload: PluginChoice;
}

/** Faults of the host's clock hardware as Xen's pvclock shows them (sim/abi/xen/xen-ops.ts). */
export interface HostClockFaults {
  tscOffsetPerPcpuNs: number;
  platformDriftPpm: number;
}

export interface HostSpec {
  pcpus: number;
  memoryBytes: number;
  cpuMHz: number;
  /** The paravirtual interface offered, by its name in sim/abi/registry.ts. */
  abi: string;
  costs: CostModel;
  vmiRom: { license: string | null; apiMajor: number; apiMinor: number; virtualTop: number };
  scheduler: PluginChoice;
  balloon: PluginChoice;
  timer: PluginChoice;
  /**
   * How the hypervisor backs, swaps and shares guest memory: a preset of
   * sim/spec/memory-semantics.ts, resolved (`auto` already replaced by the interface's own).
   */
  memorySemantics: string;
  guestOverheadBytes: number;
  /** The disk shared by guests' page cache, guests' swap and the host's swap (sim/host/storage.ts). */
  storage: StorageConfig;
  /**
   * A KVM host's page cache serves guests' refaults it still holds (sim/host/host-page-cache.ts);
   * resolved from host.storage.hostPageCache (`auto`: the semantics' own).
   */
  hostPageCache: boolean;
  /** Free-memory thresholds, fractions of host memory. */
  memoryStates: { high: number; soft: number; hard: number; low: number; hysteresis: number };
  sampling: { pages: number; periodNs: number };
  /**
   * Faults of the clock hardware (host.clock): pCPU i's local system time runs i × `tscOffsetPerPcpuNs`
   * ahead, and Xen's system time runs `platformDriftPpm` fast. Absent when both are 0, so the specs
   * (and their hashes) of runs without them are what they were before the option existed.
   */
  clock?: HostClockFaults;
  /** Page sharing: scan rate (pages/s, 0 = off) and the identical shares of kernel and workload pages. */
  sharing: { scanRate: number; kernelFraction: number; workloadFraction: number };
}

export interface RunSpec {
  experiment: string;
  alternative: string;
  seed: number;
  durationNs: number;
  /** Time at the start left out of the summaries, ns (0 = none). */
  warmupNs: number;
  sampleIntervalNs: number;
  host: HostSpec;
  guests: GuestSpec[];
}

/** JSON with object keys sorted at every level: one text per value. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A run's name in results and output files: its alternative and seed (`esx/seed-3`). */
export function runId(spec: Pick<RunSpec, 'alternative' | 'seed'>): string {
  return `${spec.alternative}/seed-${spec.seed}`;
}

export function specHash(spec: RunSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}
