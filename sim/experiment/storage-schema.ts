/**
 * host.storage: the disk behind page-cache refaults, guest swap and host swap
 * (sim/host/storage.ts gives the model, the presets and their sources). A preset names a device;
 * each field overrides it.
 */
import { z } from 'zod';
import { durationNs, sizeBytes, strictObject } from '../options/fields.js';
import { HOST_PAGE_CACHE_CHOICES } from '../spec/memory-semantics.js';
import {
  DEFAULT_STORAGE_PRESET,
  STORAGE_PRESETS,
  type StorageConfig,
  type StoragePreset,
} from '../spec/storage.js';

const presetNames = Object.keys(STORAGE_PRESETS) as [StoragePreset, ...StoragePreset[]];

export const storageSchema = strictObject({
  preset: z
    .enum(presetNames)
    .default(DEFAULT_STORAGE_PRESET)
    .describe(
      'the device: sata-2006 (7,200 rpm SATA: 12.7 ms per random request = 8.5 ms seek + 4.2 ms half a turn, 50 MB/s) or ssd (85 µs, 250 MB/s; recalled, unverified); the fields below override it',
    ),
  requestLatency: durationNs()
    .optional()
    .describe('positioning time of one request (seek + rotational latency), before its transfer'),
  bandwidthPerS: sizeBytes()
    .optional()
    .describe('transfer rate, bytes per simulated second (e.g. 50MB = 50 MB/s)')
    .refine((b) => b === undefined || b > 0, 'expected a transfer rate above 0B'),
  writeClusterPages: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('pages written per positioned request when swapping out (default 32, SWAP_CLUSTER_MAX)'),
  hostPageCache: z
    .enum(HOST_PAGE_CACHE_CHOICES)
    .default('auto')
    .describe(
      'the host’s free memory caches guests’ disk blocks, so a refault it still holds costs a 10 µs copy, not a disk read (QEMU without cache=none): auto = on for memorySemantics kvm, off for esx and xen-pv; on is refused for those',
    ),
})
  .prefault({})
  .describe(
    'the one disk shared by every guest’s page cache and swap and by the host’s swap, served first in, first out',
  );

export type StorageOptions = z.output<typeof storageSchema>;

/** The preset with the fields the experiment sets. */
export function resolveStorage(o: StorageOptions): StorageConfig {
  const p = STORAGE_PRESETS[o.preset];
  return {
    requestLatencyNs: o.requestLatency ?? p.requestLatencyNs,
    bandwidthBytesPerS: o.bandwidthPerS ?? p.bandwidthBytesPerS,
    writeClusterPages: o.writeClusterPages ?? p.writeClusterPages,
  };
}
