// Validation scenario vmi-mmu-intensive: the source and published behaviour are below; the runs come from its experiment file.
import { type Scenario, guestMean, f1 } from '../scenario.js';

/** Gain of VMI over no VMI for guest `name`: work done over VMI ÷ work done without, − 1, in %. */
function gainPct(runs: Parameters<Scenario['check']>[0], name: string): number {
  const w = (alt: string) => guestMean(runs, alt, (g) => g.workDoneCpuS, name);
  return (w('vmi') / w('no-vmi') - 1) * 100;
}

/**
 * The tolerance, fixed before the row was first run: the build gains at least 1 % from VMI, and at
 * least twice what the user-mode guest gains. The source gives the direction (MMU-intensive gains
 * most, user mode modestly), not a figure this model could be held to.
 */
export const MIN_BUILD_GAIN_PCT = 1;
export const MIN_GAIN_RATIO = 2;

export const vmiMmuIntensive: Scenario = {
  id: 'vmi-mmu-intensive',
  kind: 'published',
  title: 'VMI helps MMU-intensive work most',
  experiment: 'experiments/validation/vmi-mmu-intensive.yaml',
  source:
    'VMware, "Performance of VMware VMI" (ESX Server 3.5, February 2008), as quoted at virtualization.info 2008-02-22 ("The long VMware road to (CPU) para-virtualization")',
  published:
    'workloads that spend most of their time in user mode gain only modestly from VMI; workloads that spend much time in kernel mode or are MMU-intensive gain the most (against the same guest without VMI)',
  check(runs) {
    const build = gainPct(runs, 'build');
    const user = gainPct(runs, 'user');
    return {
      measured: `work done over VMI against no VMI: kernel build +${f1(build)} %, user-mode guest +${f1(user)} %`,
      pass: build >= MIN_BUILD_GAIN_PCT && build >= MIN_GAIN_RATIO * Math.max(user, 0),
      note: "Direction only: the paper's own percentages could not be read here (the copies searched — VMware's paper page, a scribd copy, VMware's VROOM! blog post of February 2008 and virtualization.info's summary — gave only their opening text or its conclusion, no figure), and the page-table prices (pteUpdateCycles, exits of the shadow-paged baseline) are assumptions (sim/abi/cost-sources.ts, sim/abi/native/mmu.ts).",
    };
  },
};
