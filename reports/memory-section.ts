/**
 * The report's "Memory" section: per alternative and guest, its memory at the end of the run by
 * state, what the balloon did, how much it swapped and faulted and what that cost — the "why"
 * behind the balloon-policy comparison's throughput, guest-swap and host-swap figures.
 */
import type { ResultsFile } from '../sim/results/types.js';
import { perGuestBlocks, type Group } from './guest-table.js';

const GROUPS: Group[] = [
  {
    head: 'Balloon (MiB)',
    columns: [
      { head: 'target', title: 'balloon target at the end, MiB', value: (g) => g.balloonTargetMiB },
      { head: 'actual', title: 'balloon size at the end, MiB', value: (g) => g.balloonActualMiB },
      {
        head: 'in lowmem',
        title:
          'of the balloon, MiB in the guest’s lowmem zone (896 MiB less the hypervisor hole); the balloon takes highmem first',
        value: (g) => g.balloonLowmemMiB,
      },
      {
        head: 'failed polls',
        title: 'driver polls that could not move toward the target',
        value: (g) => g.balloonFailures,
      },
      {
        head: 'stuck s',
        title: 'time its driver counted as stuck (no progress toward an unmet target for 5 s)',
        value: (g) => g.balloonStuckS,
      },
    ],
  },
  {
    head: 'Memory at the end (MiB)',
    columns: [
      { head: 'anon', title: 'resident anonymous memory', value: (g) => g.anonMiB },
      { head: 'cache', title: 'page cache', value: (g) => g.cacheMiB },
      { head: 'free', title: 'free memory', value: (g) => g.freeMiB },
      { head: 'swapped', title: 'anonymous memory in the guest’s swap', value: (g) => g.swappedMiB },
      { head: 'host-swapped', title: 'pages of the guest the host swapped', value: (g) => g.hostSwappedMiB },
      { head: 'shared saves', title: 'host memory its shared pages save', value: (g) => g.sharedSavedMiB },
    ],
  },
  {
    head: 'Paging',
    columns: [
      { head: 'swap out', title: 'pages the guest swapped out', value: (g) => g.swapOutPages },
      { head: 'major faults', title: 'major faults (guest swap-ins)', value: (g) => g.majorFaults },
      {
        head: 'host faults',
        title: 'faults on pages the host swapped (double paging)',
        value: (g) => g.hostFaults,
      },
      { head: 'stall s', title: 'time its vCPUs were blocked on faults', value: (g) => g.faultStallS },
      {
        head: 'refaults',
        title: 'page-cache reads that missed and went to disk',
        value: (g) => g.cacheRefaultPages,
      },
      {
        head: 'refault wait s',
        title: 'disk wait its vCPUs stalled for on page-cache refaults (part of the stall)',
        value: (g) => g.refaultWaitS,
      },
      {
        head: 'swap I/O wait s',
        title: 'disk wait its vCPUs stalled for on swap-ins, its own and the host’s (part of the stall)',
        value: (g) => g.swapIoWaitS,
      },
      {
        head: 'disk queue s',
        title: 'time its disk requests waited behind other requests on the host’s shared disk',
        value: (g) => g.ioQueueWaitS,
      },
      {
        head: 'host-blocked s',
        title:
          'time the host held it blocked: waiting for frames it could only get by swapping, or above its target in the low state',
        value: (g) => g.hostBlockedS,
      },
      { head: 'OOM', title: 'times its demand did not fit in memory and swap', value: (g) => g.oomEvents },
    ],
  },
  {
    head: 'Work',
    columns: [
      { head: 'done CPU s', title: 'work its workload did', value: (g) => g.workDoneCpuS },
      { head: 'slowdown', title: 'unconstrained work ÷ work done (1 = none)', value: (g) => g.slowdown },
    ],
  },
];

export function memorySection(r: ResultsFile): string {
  const blocks = perGuestBlocks(r, () => GROUPS, { head: 'vCPUs', value: (g) => String(g.vcpus) });
  return `<section id="memory"><h2>Memory</h2>
<p class="note">Per guest, means over successful seeds: the balloon's target and size, memory by state at the end of the run, paging over the run (swap-outs, major faults, faults on host-swapped pages, time blocked on them, time held by the host waiting for frames, out-of-memory events) and the work done with its slowdown against the same workload unconstrained. Hover a column for its definition.</p>
${blocks}
</section>`;
}
