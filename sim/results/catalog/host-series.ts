/**
 * The host's columns of a run's time series, in column order (they come before every guest's).
 * Each is read at every sample; the free-memory thresholds are fixed reference levels, so that the
 * free-memory chart shows where each state begins.
 */
import { PAGES_PER_MIB } from '../../options/units.js';
import type { HostSeriesFigure } from './figure.js';
import type { PressureState } from './view.js';

const threshold = (s: PressureState): HostSeriesFigure => ({
  quantity: `host_${s}_threshold_MiB`,
  unit: 'MiB',
  better: 'neither',
  description: `free memory below which the host is in the ${s} state (host.memoryStates)`,
  window: 'level',
  reference: true,
  read: (v) => v.stateFloorPages(s) / PAGES_PER_MIB,
});

export const HOST_SERIES: readonly HostSeriesFigure[] = [
  {
    quantity: 'host_free_MiB',
    unit: 'MiB',
    better: 'higher',
    description: 'host free memory',
    window: 'level',
    read: (v) => v.freePages() / PAGES_PER_MIB,
  },
  {
    quantity: 'host_swapped_MiB',
    unit: 'MiB',
    better: 'lower',
    description: 'guest memory the host cannot back with frames',
    window: 'level',
    read: (v) => v.swappedPages() / PAGES_PER_MIB,
  },
  {
    quantity: 'host_memory_state',
    unit: 'state',
    better: 'lower',
    description: 'host free-memory state (ESX 2002 thresholds)',
    window: 'level',
    levels: ['high', 'soft', 'hard', 'low'],
    read: (v) => v.memoryStateIndex(),
  },
  threshold('soft'),
  threshold('hard'),
  threshold('low'),
];
