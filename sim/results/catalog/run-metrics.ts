/**
 * The run metrics: one value per run (RunSummary.metrics), in the order reports show them —
 * results.json's `metrics`, the columns of summary.csv and summary-by-alternative.csv, the
 * comparison table and charts all follow this list. Every metric covers the measured window: the
 * run less its warmup.
 *
 * `better` is 'neither' for counts that describe how an interface is used (calls, transitions):
 * fewer calls is not better in itself (an overloaded host makes fewer), so reports show them but
 * never rank them; what the calls cost (CPU, cycles) is ranked.
 */
import type { MetricDef } from '../types.js';
import type { RunMetricFigure } from './figure.js';

export const RUN_METRICS: readonly RunMetricFigure[] = [
  {
    id: 'work_done_cpu_s',
    label: 'Work done',
    unit: 'CPU s',
    better: 'higher',
    description: 'CPU time delivered to all guests’ workloads',
    window: { kind: 'sum-over-guests', of: (g) => g.workDoneCpuS },
  },
  {
    id: 'steal_mean_pct',
    label: 'Steal (mean over guests)',
    unit: '%',
    better: 'lower',
    description: 'time vCPUs were runnable but not running, as a share of elapsed vCPU time',
    window: { kind: 'mean-over-guests', of: (g) => g.stealPct },
  },
  {
    id: 'host_free_mean_MiB',
    label: 'Host free memory (mean)',
    unit: 'MiB',
    better: 'higher',
    description: 'host free memory averaged over the samples',
    window: { kind: 'mean-over-samples', series: 'host_free_MiB', withoutSamples: 'reading' },
  },
  {
    id: 'host_swapped_mean_MiB',
    label: 'Host-swapped memory (mean)',
    unit: 'MiB',
    better: 'lower',
    description: 'guest memory the host could not back with frames, averaged over the samples',
    window: { kind: 'mean-over-samples', series: 'host_swapped_MiB', withoutSamples: 0 },
  },
  {
    id: 'balloon_total_MiB',
    label: 'Balloon size (all guests, end)',
    unit: 'MiB',
    better: 'neither',
    description: 'memory held by balloon drivers at the end of the run',
    window: { kind: 'sum-over-guests', of: (g) => g.balloonActualMiB },
  },
  {
    id: 'interface_calls_per_s',
    label: 'Interface calls',
    unit: 'calls/s',
    better: 'neither',
    description: 'paravirtual-interface calls of all guests per simulated second',
    window: { kind: 'window-rate', counter: (v) => v.interfaceCalls() },
  },
  {
    id: 'interface_transitions_per_s',
    label: 'Transitions to the hypervisor',
    unit: 'per s',
    better: 'neither',
    description: 'exits, traps and hypercalls of all guests per simulated second',
    window: { kind: 'window-rate', counter: (v) => v.transitions() },
  },
  {
    id: 'interface_cpu_s',
    label: 'CPU in interface transitions',
    unit: 'CPU s',
    better: 'lower',
    description: 'guest CPU time spent in interface calls (cycles ÷ CPU clock), taken from the work',
    window: { kind: 'window-total', counter: (v) => v.interfaceOverheadNs(), divisor: 1e9 },
  },
  {
    id: 'interface_Mcycles',
    label: 'Interface cost',
    unit: 'Mcycles',
    better: 'lower',
    description: 'CPU cycles spent in interface calls, by the cost model',
    window: { kind: 'window-total', counter: (v) => v.interfaceCycles(), divisor: 1e6 },
  },
  // The interface cost on two kernel paths, and what crossed the interface as copies versus
  // arguments by value (GuestSummary.interfacePaths, interfaceBytesCopied, interfaceRegisterBytes).
  {
    id: 'interface_interrupt_Mcycles',
    label: 'Interrupt-path cost',
    unit: 'Mcycles',
    better: 'lower',
    description:
      'cycles of the interrupt path: EOIs and event upcalls, interrupt enable/disable and IRET, deliveries deferred by a masked section (Xen: xen_version(0))',
    window: { kind: 'sum-over-guests', of: (g) => (g.interfacePaths.interrupt?.cycles ?? 0) / 1e6 },
  },
  {
    id: 'interface_boot_kcycles',
    label: 'Boot cost',
    unit: 'kcycles',
    better: 'lower',
    description:
      'cycles of the boot sequence: IDT gates or trap table, SetIDT per CPU; callbacks, xen_version queries, runstate areas and event-channel binds',
    window: { kind: 'sum-over-guests', of: (g) => (g.interfacePaths.boot?.cycles ?? 0) / 1e3 },
  },
  {
    id: 'interface_copied_KiB',
    label: 'Bytes copied (guest memory ↔ hypervisor)',
    unit: 'KiB',
    better: 'neither',
    description:
      'bytes the hypervisor copied from or to guest memory (tables, frame lists, argument structs, answers); priced per byte',
    window: { kind: 'sum-over-guests', of: (g) => g.interfaceBytesCopied / 1024 },
  },
  {
    id: 'interface_register_KiB',
    label: 'Arguments passed in registers',
    unit: 'KiB',
    better: 'neither',
    description:
      'bytes of call arguments passed by value in registers (not copied, not priced beyond the call)',
    window: { kind: 'sum-over-guests', of: (g) => g.interfaceRegisterBytes / 1024 },
  },
  {
    id: 'interface_mmu_Mcycles',
    label: 'Interface cost of page tables',
    unit: 'Mcycles',
    better: 'lower',
    description:
      "CPU cycles of the interface calls the guests' processes made for page tables (fork, exec, exit, switches, faults, munmap)",
    window: { kind: 'window-total', counter: (v) => v.mmuCycles(), divisor: 1e6 },
  },
  {
    id: 'shootdown_spin_ms',
    label: 'TLB-shootdown spin',
    unit: 'ms',
    better: 'lower',
    description:
      'CPU time vCPUs spent spinning in flush_tlb_others until every target had been scheduled and run its flush handler (0 where the hypervisor flushes other CPUs itself, as Xen’s mmuext_op does)',
    window: { kind: 'sum-over-guests', of: (g) => g.shootdownSpinNs / 1e6 },
  },
  {
    id: 'host_hard_or_low_s',
    label: 'Host under memory pressure',
    unit: 's',
    better: 'lower',
    description: 'time the host spent in its hard or low free-memory state (ESX 2002 thresholds)',
    window: { kind: 'window-total', counter: (v) => v.hardOrLowNs(), divisor: 1e9 },
  },
  {
    id: 'shared_saved_MiB',
    label: 'Saved by page sharing (end)',
    unit: 'MiB',
    better: 'higher',
    description: 'host memory identical guest pages no longer need, at the end of the run',
    window: { kind: 'sum-over-guests', of: (g) => g.sharedSavedMiB },
  },
  {
    id: 'slowdown_mean',
    label: 'Slowdown (mean over guests)',
    unit: '×',
    better: 'lower',
    description: 'work each guest’s workload would have done unconstrained ÷ work it did (1 = no slowdown)',
    window: { kind: 'mean-over-guests', of: (g) => g.slowdown },
    axisFrom: 1,
  },
  {
    id: 'timer_delay_s',
    label: 'Timer-granularity delay',
    unit: 'vCPU s',
    // Descriptive, not ranked: a sum over sleeps, it grows with the work a guest gets done (more
    // work, more short sleeps), so the alternative that does more would lose on it; slowdown ranks.
    better: 'neither',
    description:
      'time guests’ timer sleeps lasted past their expiry until the timer interrupt that ended them — at the next jiffy boundary, or for a VMI sleep of at most HZ/100 jiffies (8 ms at HZ 250) at its 100 Hz alarm: slowdown the guest’s own timer granularity causes, apart from waiting for a pCPU',
    window: { kind: 'sum-over-guests', of: (g) => g.timerDelayS },
  },
  {
    id: 'guest_swap_in_pages',
    label: 'Guest swap-in',
    unit: 'pages',
    better: 'lower',
    description: 'pages all guests read back from their own swap (major faults that found a page)',
    window: { kind: 'sum-over-guests', of: (g) => g.swapInPages, round: false },
  },
  {
    id: 'guest_swap_out_pages',
    label: 'Guest swap-out',
    unit: 'pages',
    better: 'lower',
    description: 'pages all guests wrote to their own swap (balloon or demand pressure)',
    window: { kind: 'sum-over-guests', of: (g) => g.swapOutPages, round: false },
  },
  {
    id: 'host_swap_out_pages',
    label: 'Host swap-out',
    unit: 'pages',
    better: 'lower',
    description: 'guest pages the host swapped to its own disk',
    window: { kind: 'window-total', counter: (v) => v.hostSwapOutPages(), divisor: 1, round: false },
  },
  {
    id: 'fault_stall_s',
    label: 'Fault stalls',
    unit: 'vCPU s',
    better: 'lower',
    description:
      'time guest vCPUs were blocked on major faults (guest and host swap) or held by the host waiting for frames',
    window: { kind: 'sum-over-guests', of: (g) => g.faultStallS },
  },
  {
    id: 'cache_refault_pages',
    label: 'Page-cache refaults',
    unit: 'pages',
    better: 'lower',
    description:
      'page-cache reads of all guests that missed (the page was reclaimed) and were read from disk',
    window: { kind: 'sum-over-guests', of: (g) => g.cacheRefaultPages, round: false },
  },
  {
    id: 'host_cache_hit_pages',
    label: 'Host page-cache hits',
    unit: 'pages',
    better: 'higher',
    description: 'refaults of all guests that a KVM host’s page cache served without a disk read',
    window: { kind: 'sum-over-guests', of: (g) => g.hostCacheHitPages, round: false },
  },
  {
    id: 'refault_wait_s',
    label: 'Refault wait',
    unit: 'vCPU s',
    better: 'lower',
    description:
      'wait guests’ vCPUs stalled for on page-cache refaults, disk and host page cache (part of the fault stalls)',
    window: { kind: 'sum-over-guests', of: (g) => g.refaultWaitS },
  },
  {
    id: 'swap_io_wait_s',
    label: 'Swap I/O wait',
    unit: 'vCPU s',
    better: 'lower',
    description:
      'disk wait guests’ vCPUs stalled for on swap-ins, their own and the host’s (part of the fault stalls)',
    window: { kind: 'sum-over-guests', of: (g) => g.swapIoWaitS },
  },
  {
    id: 'storage_utilisation_pct',
    label: 'Disk utilisation',
    unit: '%',
    better: 'neither',
    description:
      'share of the time the host’s shared disk was serving requests (refaults, guest and host swap)',
    window: { kind: 'window-rate', counter: (v) => v.storageBusyNs() / 1e7 },
  },
  {
    id: 'storage_queue_wait_s',
    label: 'Disk queue wait',
    unit: 's',
    better: 'lower',
    description: 'time requests (guests’ and the host’s) waited behind others on the shared disk',
    window: { kind: 'window-total', counter: (v) => v.storageQueueWaitNs(), divisor: 1e9 },
  },
  {
    id: 'host_blocked_s',
    label: 'Held by the host',
    unit: 'guest s',
    better: 'lower',
    description:
      'time guests were held blocked by the host: waiting for frames only its swap device could free, or above target in the low state',
    window: { kind: 'sum-over-guests', of: (g) => g.hostBlockedS },
  },
  {
    id: 'wake_latency_p99_worst_us',
    label: 'Wake-to-run p99 (worst guest)',
    unit: 'µs',
    better: 'lower',
    description:
      '99th percentile of the time a woken vCPU waited for a pCPU, for the guest where it is largest',
    window: { kind: 'worst-guest', of: (g) => g.wakeLatencyUs.p99 },
  },
  {
    id: 'clock_error_worst_ms',
    label: 'Clock error (worst guest)',
    unit: 'ms',
    better: 'lower',
    description: 'largest |true − guest time| any guest’s clock reached',
    window: { kind: 'worst-guest', of: (g) => g.clockErrorMs.maxAbs },
  },
  {
    id: 'timer_interrupts_lost',
    label: 'Timer interrupts lost or merged',
    unit: 'interrupts',
    better: 'lower',
    description: 'periodic timer interrupts that never reached a guest as themselves',
    window: {
      kind: 'sum-over-guests',
      of: (g) => g.timerInterrupts.lost + g.timerInterrupts.merged,
      round: false,
    },
  },
  // What the workloads measured of themselves (workloads/web.ts, database.ts, kernel-build.ts), so
  // that an experiment about web latency or builds gets its answer compared like any other figure.
  // A run without such a workload has no value (not 0): the report leaves the metric out.
  {
    id: 'web_latency_p50_worst_ms',
    label: 'Web request latency p50 (worst guest)',
    unit: 'ms',
    better: 'lower',
    description: 'median request latency (arrival to completion) of the `web` guest where it is largest',
    window: { kind: 'workload', measure: 'latency_p50_ms', over: 'largest' },
  },
  {
    id: 'web_latency_p99_worst_ms',
    label: 'Web request latency p99 (worst guest)',
    unit: 'ms',
    better: 'lower',
    description: '99th percentile of request latency of the `web` guest where it is largest',
    window: { kind: 'workload', measure: 'latency_p99_ms', over: 'largest' },
  },
  {
    id: 'web_dropped_requests',
    label: 'Web requests dropped',
    unit: 'requests',
    better: 'lower',
    description: 'requests the `web` guests refused with a full backlog or abandoned at a restart',
    window: { kind: 'workload', measure: 'dropped_count', over: 'sum', round: false },
  },
  {
    id: 'db_txn_per_s',
    label: 'Database transactions',
    unit: 'txn/s',
    better: 'higher',
    description: 'transactions per simulated second of all `database` guests',
    window: { kind: 'workload', measure: 'txn_per_s', over: 'sum' },
  },
  {
    id: 'kernel_builds',
    label: 'Builds done',
    unit: 'builds',
    better: 'higher',
    description: 'builds all `kernel-build` workloads finished (link done)',
    window: { kind: 'workload', measure: 'builds_done_count', over: 'sum', round: false },
  },
];

/** The metrics as results.json declares them (`metrics`), in catalog order. */
export const METRICS: readonly MetricDef[] = RUN_METRICS.map(
  ({ id, label, unit, better, description, axisFrom }) => ({
    id,
    label,
    unit,
    better,
    description,
    ...(axisFrom === undefined ? {} : { axisFrom }),
  }),
);
