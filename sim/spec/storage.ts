/**
 * The host's disk as a run spec carries it, and its named presets; sim/host/storage.ts gives the
 * model and the sources of the presets' figures.
 */

/** The device's parameters (HostSpec.storage). */
export interface StorageConfig {
  /** Positioning time of one request (seek + rotational latency + controller), ns. */
  requestLatencyNs: number;
  /** Transfer rate, bytes per simulated second (> 0). */
  bandwidthBytesPerS: number;
  /** Pages written per positioned request (swap-out clustering), ≥ 1. */
  writeClusterPages: number;
}

/** Named devices, the presets of host.storage.preset. */
export const STORAGE_PRESETS = {
  'sata-2006': { requestLatencyNs: 12_700_000, bandwidthBytesPerS: 50_000_000, writeClusterPages: 32 },
  ssd: { requestLatencyNs: 85_000, bandwidthBytesPerS: 250_000_000, writeClusterPages: 32 },
} as const satisfies Record<string, StorageConfig>;

export type StoragePreset = keyof typeof STORAGE_PRESETS;
export const DEFAULT_STORAGE_PRESET: StoragePreset = 'sata-2006';
