/**
 * The columns of guest-summary.csv after a row's run and guest (run_id, alternative, seed, guest),
 * in order: each guest's figures over the measured window (the run less its warmup; states such as
 * memory are at the end of the run), read from its summary (GuestSummary). The interface calls by
 * name and the workload's own metrics follow them, one column per name found in the results.
 */
import type { GuestSummary } from '../types.js';

/** One column of guest-summary.csv: its name (ending in its unit where it has one) and its reading. */
export interface GuestSummaryColumn {
  column: string;
  /** Unit of the values; '' for text and plain counts named by what they count. */
  unit: string;
  description: string;
  /** A word rather than a number (how it kept time, its workload): no row of the tidy table. */
  text?: true;
  read: (g: GuestSummary) => number | string;
}

const s = (ns: number) => ns / 1e9;

export const GUEST_SUMMARY_COLUMNS: readonly GuestSummaryColumn[] = [
  { column: 'vcpus', unit: '', description: 'its vCPUs', read: (g) => g.vcpus },
  { column: 'memory_MiB', unit: 'MiB', description: 'its memory', read: (g) => g.memoryMiB },
  { column: 'running_s', unit: 's', description: 'time its vCPUs ran', read: (g) => s(g.runningNs) },
  {
    column: 'runnable_s',
    unit: 's',
    description: 'time its vCPUs were runnable, waiting for a pCPU',
    read: (g) => s(g.runnableNs),
  },
  {
    column: 'blocked_s',
    unit: 's',
    description: 'time its vCPUs were blocked (halted)',
    read: (g) => s(g.blockedNs),
  },
  {
    column: 'offline_s',
    unit: 's',
    description: 'time its vCPUs were parked by a cap or limit while wanting to run',
    read: (g) => s(g.offlineNs),
  },
  {
    column: 'steal_pct',
    unit: '%',
    description: 'runnable and offline time, % of its elapsed vCPU time',
    read: (g) => g.stealPct,
  },
  {
    column: 'seen_steal_pct',
    unit: '%',
    description: 'steal as the guest last read it through its interface, % (0 for a native guest)',
    read: (g) => g.seenStealPct,
  },
  {
    column: 'seen_steal_jiffies',
    unit: 'jiffies',
    description: 'steal the guest accounted, whole jiffies (its cpustat steal)',
    read: (g) => g.seenClocks.stealJiffies,
  },
  { column: 'jiffy_ns', unit: 'ns', description: 'its jiffy, 10^9 / HZ', read: (g) => g.seenClocks.jiffyNs },
  {
    column: 'cpu_pcpus',
    unit: 'pCPUs',
    description: 'CPU it got: running time ÷ elapsed',
    read: (g) => g.cpuPcpus,
  },
  {
    column: 'entitlement_pcpus',
    unit: 'pCPUs',
    description: 'what its scheduler promises it when every vCPU of every guest wants to run',
    read: (g) => g.entitlementPcpus,
  },
  {
    column: 'wake_latency_p50_us',
    unit: 'µs',
    description: 'median wake-to-run latency',
    read: (g) => g.wakeLatencyUs.p50,
  },
  {
    column: 'wake_latency_p95_us',
    unit: 'µs',
    description: '95th percentile of wake-to-run latency',
    read: (g) => g.wakeLatencyUs.p95,
  },
  {
    column: 'wake_latency_p99_us',
    unit: 'µs',
    description: '99th percentile of wake-to-run latency',
    read: (g) => g.wakeLatencyUs.p99,
  },
  {
    column: 'parks',
    unit: '',
    description: 'times a vCPU of it was parked by its cap or limit',
    read: (g) => g.parks,
  },
  {
    column: 'clock',
    unit: '',
    text: true,
    description: 'how it kept time: tick-counting, vmi, xen-pvclock',
    read: (g) => g.clock,
  },
  {
    column: 'timer_irqs_delivered',
    unit: '',
    description: 'periodic timer interrupts delivered',
    read: (g) => g.timerInterrupts.delivered,
  },
  {
    column: 'timer_irqs_lost',
    unit: '',
    description: 'periodic timer interrupts never delivered (discarded, given up, cancelled by a step)',
    read: (g) => g.timerInterrupts.lost,
  },
  {
    column: 'timer_irqs_merged',
    unit: '',
    description: 'periodic timer interrupts folded into another',
    read: (g) => g.timerInterrupts.merged,
  },
  {
    column: 'timer_irqs_pending',
    unit: '',
    description: 'missed timer interrupts still in the host’s backlog at the end',
    read: (g) => g.timerInterrupts.pending,
  },
  {
    column: 'clock_error_max_ms',
    unit: 'ms',
    description: 'largest |true − guest time| at samples, time-sync rounds and the end (since boot)',
    read: (g) => g.clockErrorMs.maxAbs,
  },
  {
    column: 'clock_error_final_ms',
    unit: 'ms',
    description: 'true − guest time at the end (positive: the guest is behind)',
    read: (g) => g.clockErrorMs.final,
  },
  {
    column: 'clock_error_rms_ms',
    unit: 'ms',
    description: 'root mean square of the clock error over the samples (since boot)',
    read: (g) => g.clockErrorMs.rms,
  },
  {
    column: 'time_went_backwards',
    unit: '',
    description: 'Xen with host.clock set: “Time went backwards” warnings (pvclock > 10 ms behind); else 0',
    read: (g) => g.timeWentBackwards ?? 0,
  },
  {
    column: 'work_done_cpu_s',
    unit: 'CPU s',
    description: 'CPU time its workload got done',
    read: (g) => g.workDoneCpuS,
  },
  {
    column: 'unconstrained_work_cpu_s',
    unit: 'CPU s',
    description:
      'work its workload would have done unconstrained (every vCPU on its own pCPU, no costs, no faults)',
    read: (g) => g.unconstrainedWorkCpuS,
  },
  {
    column: 'slowdown',
    unit: '×',
    description: 'unconstrained work ÷ work done: 1 = no slowdown (capped at 1000)',
    read: (g) => g.slowdown,
  },
  { column: 'cache_MiB', unit: 'MiB', description: 'page cache at the end', read: (g) => g.cacheMiB },
  {
    column: 'anon_MiB',
    unit: 'MiB',
    description: 'resident anonymous memory at the end',
    read: (g) => g.anonMiB,
  },
  {
    column: 'swapped_MiB',
    unit: 'MiB',
    description: 'anonymous memory in its own swap at the end',
    read: (g) => g.swappedMiB,
  },
  {
    column: 'host_swapped_MiB',
    unit: 'MiB',
    description: 'its pages the host had swapped out at the end',
    read: (g) => g.hostSwappedMiB,
  },
  { column: 'major_faults', unit: '', description: 'major faults', read: (g) => g.majorFaults },
  { column: 'minor_faults', unit: '', description: 'minor faults', read: (g) => g.minorFaults },
  {
    column: 'swap_in_pages',
    unit: 'pages',
    description: 'pages it read back from its own swap',
    read: (g) => g.swapInPages,
  },
  {
    column: 'swap_out_pages',
    unit: 'pages',
    description: 'pages it wrote to its own swap',
    read: (g) => g.swapOutPages,
  },
  {
    column: 'host_faults',
    unit: '',
    description: 'faults on pages the host had swapped out',
    read: (g) => g.hostFaults,
  },
  {
    column: 'timer_delay_s',
    unit: 'vCPU s',
    description:
      'time its timer sleeps lasted past their expiry until the timer interrupt that ended them, at a jiffy boundary or VMI’s 100 Hz alarm (its timer granularity, not the host)',
    read: (g) => g.timerDelayS,
  },
  {
    column: 'fault_stall_s',
    unit: 'vCPU s',
    description: 'time its vCPUs were blocked on faults (guest and host swap) or held by the host',
    read: (g) => g.faultStallS,
  },
  {
    column: 'cache_refault_pages',
    unit: 'pages',
    description:
      'page-cache reads that missed (refaults), read from disk or from the host’s page cache (host_cache_hit_pages of them)',
    read: (g) => g.cacheRefaultPages,
  },
  {
    column: 'host_cache_hit_pages',
    unit: 'pages',
    description: 'refaults a KVM host’s page cache served without a disk read',
    read: (g) => g.hostCacheHitPages,
  },
  {
    column: 'refault_wait_s',
    unit: 'vCPU s',
    description:
      'wait its vCPUs stalled for on page-cache refaults, disk and host page cache (part of fault_stall_s)',
    read: (g) => g.refaultWaitS,
  },
  {
    column: 'swap_io_wait_s',
    unit: 'vCPU s',
    description:
      'disk wait its vCPUs stalled for on swap-ins, its own and the host’s (part of fault_stall_s)',
    read: (g) => g.swapIoWaitS,
  },
  {
    column: 'io_queue_wait_s',
    unit: 's',
    description: 'time its disk requests waited behind other requests on the shared disk',
    read: (g) => g.ioQueueWaitS,
  },
  {
    column: 'oom_events',
    unit: '',
    description: 'times its anonymous demand did not fit in memory and swap',
    read: (g) => g.oomEvents,
  },
  {
    column: 'balloon_failures',
    unit: '',
    description: 'balloon-driver polls that could not move toward the target',
    read: (g) => g.balloonFailures,
  },
  {
    column: 'balloon_target_MiB',
    unit: 'MiB',
    description: 'balloon target at the end',
    read: (g) => g.balloonTargetMiB,
  },
  {
    column: 'balloon_actual_MiB',
    unit: 'MiB',
    description: 'memory its balloon driver held at the end',
    read: (g) => g.balloonActualMiB,
  },
  {
    column: 'balloon_lowmem_MiB',
    unit: 'MiB',
    description: 'of the balloon, pages in its lowmem zone (i386: 896 MiB less the hypervisor hole)',
    read: (g) => g.balloonLowmemMiB,
  },
  {
    column: 'kernel_lowmem_MiB',
    unit: 'MiB',
    description: 'lowmem its kernel held at the end: reserve, mem_map and boot hashes, page tables',
    read: (g) => g.kernelLowmemMiB,
  },
  {
    column: 'lowmem_oom_pages',
    unit: 'pages',
    description: 'anonymous pages refused because their page tables did not fit in lowmem',
    read: (g) => g.lowmemOomPages,
  },
  { column: 'free_MiB', unit: 'MiB', description: 'its free memory at the end', read: (g) => g.freeMiB },
  {
    column: 'interface_cycles',
    unit: 'cycles',
    description: 'CPU cycles of its interface calls, by the cost model',
    read: (g) => g.interfaceCycles,
  },
  {
    column: 'interface_interrupt_cycles',
    unit: 'cycles',
    description:
      'of those, the interrupt path’s: EOIs and upcalls, interrupt enable/disable, IRET, deferred deliveries',
    read: (g) => g.interfacePaths.interrupt?.cycles ?? 0,
  },
  {
    column: 'interface_boot_cycles',
    unit: 'cycles',
    description:
      'of those, the boot sequence’s: IDT gates or trap table, SetIDT, callbacks, version queries, binds',
    read: (g) => g.interfacePaths.boot?.cycles ?? 0,
  },
  {
    column: 'shootdown_flushes',
    unit: 'flushes',
    description: 'cross-CPU TLB flushes (flush_tlb_others after fork and munmap with other vCPUs in a task)',
    read: (g) => g.shootdowns,
  },
  {
    column: 'shootdown_ipis',
    unit: 'IPIs',
    description: 'IPIs those flushes sent, one per target each (0 over Xen: one mmuext_op flushes them)',
    read: (g) => g.shootdownIpis,
  },
  {
    column: 'shootdown_spin_ns',
    unit: 'ns',
    description: 'CPU time the senders spun until every target had been scheduled and run its flush handler',
    read: (g) => g.shootdownSpinNs,
  },
  {
    column: 'interface_copied_bytes',
    unit: 'bytes',
    description:
      'bytes the hypervisor copied from or to its memory (tables, frame lists, argument structs, answers)',
    read: (g) => g.interfaceBytesCopied,
  },
  {
    column: 'interface_register_bytes',
    unit: 'bytes',
    description: 'bytes of call arguments it passed by value in registers (not copied)',
    read: (g) => g.interfaceRegisterBytes,
  },
  {
    column: 'workload',
    unit: '',
    text: true,
    description: 'its workload generator (`guests[].workload.type`)',
    read: (g) => g.workload,
  },
  {
    column: 'anon_demand_MiB',
    unit: 'MiB',
    description: 'anonymous memory its workload asked for at the end (resident + swapped + refused)',
    read: (g) => g.anonDemandMiB,
  },
  {
    column: 'host_blocked_s',
    unit: 's',
    description: 'time the host held it blocked: waiting for frames, or above its target in the low state',
    read: (g) => g.hostBlockedS,
  },
  {
    column: 'cache_demand_MiB',
    unit: 'MiB',
    description: 'page cache its workload asked for at the end',
    read: (g) => g.cacheDemandMiB,
  },
];

/** A numeric column of guest-summary.csv. */
export type GuestMetricColumn = Omit<GuestSummaryColumn, 'read'> & { read: (g: GuestSummary) => number };

/**
 * The numeric columns: a guest's metrics, one row each per guest in the tidy table. (Every column
 * not marked `text` reads a number; test/results/catalog.test.ts checks it on a real run.)
 */
export const GUEST_METRIC_COLUMNS = GUEST_SUMMARY_COLUMNS.filter(
  (c) => c.text !== true,
) as readonly GuestMetricColumn[];
