/**
 * Each guest's columns of a run's time series, in column order (named `<guest>_<quantity>`, after
 * the host's columns). `overGuests` says how the comparison charts draw a quantity for all guests
 * on one line: shares averaged, errors and latency percentiles by the worst guest, amounts summed. A balloon policy's own figures (BalloonPolicy.gauges) follow them per guest;
 * they are the policy's declaration, not rows here.
 */
import { PAGES_PER_MIB } from '../../options/units.js';
import type { GuestSeriesFigure } from './figure.js';

export const GUEST_SERIES: readonly GuestSeriesFigure[] = [
  {
    quantity: 'free_MiB',
    unit: 'MiB',
    better: 'neither',
    description: 'guest free memory',
    window: 'level',
    overGuests: 'total',
    read: (v, g) => v.freePages(g) / PAGES_PER_MIB,
  },
  {
    quantity: 'balloon_target_MiB',
    unit: 'MiB',
    better: 'neither',
    description: 'balloon target set by the host',
    window: 'level',
    overGuests: 'total',
    read: (v, g) => v.balloonTargetPages(g) / PAGES_PER_MIB,
  },
  {
    quantity: 'balloon_actual_MiB',
    unit: 'MiB',
    better: 'neither',
    description: 'memory held by the guest’s balloon driver',
    window: 'level',
    overGuests: 'total',
    read: (v, g) => v.balloonPages(g) / PAGES_PER_MIB,
  },
  {
    quantity: 'steal_pct',
    unit: '%',
    better: 'lower',
    description: 'steal over the interval, share of the guest’s vCPU time',
    window: 'vcpu-share',
    overGuests: 'mean',
    read: (v, g) => v.stealNs(g),
  },
  {
    quantity: 'cpu_demand_pct',
    unit: '%',
    better: 'neither',
    description:
      'CPU the workload would have run over the interval unconstrained (every vCPU on a pCPU of its own, no costs, no faults), share of the guest’s vCPU time',
    window: 'interval-vcpu-share',
    overGuests: 'mean',
    read: (v, g) => v.unconstrainedNsInInterval(g),
  },
  {
    quantity: 'cpu_got_pct',
    unit: '%',
    better: 'higher',
    description: 'CPU the guest got (running time) over the interval, share of its vCPU time',
    window: 'vcpu-share',
    overGuests: 'mean',
    read: (v, g) => v.runningNs(g),
  },
  {
    quantity: 'interface_calls_per_s',
    unit: 'calls/s',
    better: 'lower',
    description: 'interface calls over the interval',
    window: 'rate',
    overGuests: 'total',
    read: (v, g) => v.interfaceCalls(g),
  },
  {
    quantity: 'cache_MiB',
    unit: 'MiB',
    better: 'neither',
    description: 'guest page cache',
    window: 'level',
    overGuests: 'total',
    read: (v, g) => v.cachePages(g) / PAGES_PER_MIB,
  },
  {
    quantity: 'swapped_MiB',
    unit: 'MiB',
    better: 'lower',
    description: 'anonymous memory in the guest’s own swap',
    window: 'level',
    overGuests: 'total',
    read: (v, g) => v.guestSwappedPages(g) / PAGES_PER_MIB,
  },
  {
    quantity: 'swapped_by_host_MiB',
    unit: 'MiB',
    better: 'lower',
    description: 'pages of the guest the host has swapped out',
    window: 'level',
    overGuests: 'total',
    read: (v, g) => v.hostSwappedPages(g) / PAGES_PER_MIB,
  },
  {
    quantity: 'major_faults_per_s',
    unit: 'faults/s',
    better: 'lower',
    description: 'major faults (guest swap-ins) over the interval',
    window: 'rate',
    overGuests: 'total',
    read: (v, g) => v.majorFaults(g),
  },
  {
    quantity: 'clock_error_ms',
    unit: 'ms',
    better: 'neither',
    description: 'guest clock error, true − guest time (positive: the guest is behind)',
    window: 'level',
    overGuests: 'worst',
    read: (v, g) => v.sampledClockErrorNs(g) / 1e6,
  },
  {
    quantity: 'wake_p99_us',
    unit: 'µs',
    better: 'lower',
    description: '99th percentile of wake-to-run latency over the interval (0 if no wake-ups)',
    window: 'interval',
    overGuests: 'worst',
    read: (v, g) => {
      const lat = v.intervalWakeLatency(g);
      return lat.totalCount === 0 ? 0 : lat.getValueAtPercentile(99) / 1000;
    },
  },
  {
    quantity: 'entitlement_used_pct',
    unit: '%',
    better: 'neither',
    description: 'CPU the guest got over the interval, as a share of its entitlement',
    window: 'entitlement-share',
    overGuests: 'mean',
    read: (v, g) => v.runningNs(g),
  },
  {
    quantity: 'timer_irqs_lost_per_s',
    unit: 'interrupts/s',
    better: 'lower',
    description: 'timer interrupts lost or merged over the interval',
    window: 'rate',
    overGuests: 'total',
    read: (v, g) => v.timerInterruptsLost(g),
  },
  {
    quantity: 'memory_demand_MiB',
    unit: 'MiB',
    better: 'neither',
    description:
      'memory the workload asks for: anonymous plus page cache (beside memory_resident_MiB, what it holds)',
    window: 'level',
    overGuests: 'total',
    read: (v, g) => v.memoryDemandPages(g) / PAGES_PER_MIB,
  },
  {
    quantity: 'memory_resident_MiB',
    unit: 'MiB',
    better: 'neither',
    description: 'anonymous and page-cache memory resident in the guest',
    window: 'level',
    overGuests: 'total',
    read: (v, g) => v.residentPages(g) / PAGES_PER_MIB,
  },
];
