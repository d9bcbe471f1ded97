// Validation scenario credit-weights-caps: the source and published shape are below; the runs come from its experiment file.
import { type Scenario, guestMean, f3 } from '../scenario.js';

export const creditWeightsCaps: Scenario = {
  id: 'credit-weights-caps',
  kind: 'published',
  title: 'Xen credit scheduler: weights and caps',
  experiment: 'experiments/validation/credit-weights-caps.yaml',
  source: 'xen/common/sched_credit.c, Xen 3.0.4 (reference time-cpu-abi.md §3.1)',
  published:
    'credit ∝ weight: two busy guests with weights 256 and 512 on one pCPU get 1/3 and 2/3 of it; a cap of 50 % holds a busy guest to half the pCPU, though its weight (512 against 256) would give it 2/3',
  check(runs) {
    const share = (alt: string, g: string) => guestMean(runs, alt, (x) => x.cpuPcpus, g);
    const [wa, wb] = [share('weights-256-512', 'a'), share('weights-256-512', 'b')];
    const [ca, cb] = [share('cap-50', 'a'), share('cap-50', 'b')];
    return {
      measured: `weights: a ${f3(wa)}, b ${f3(wb)} of the pCPU; cap 50: a ${f3(ca)}, b ${f3(cb)}`,
      pass:
        Math.abs(wa - 1 / 3) < 0.01 &&
        Math.abs(wb - 2 / 3) < 0.01 &&
        // a's weight (512 against 256) alone would give it 2/3: the half is the cap's, and b, not
        // capped, takes the rest (the credit scheduler is work-conserving for uncapped vCPUs).
        Math.abs(ca - 0.5) < 0.01 &&
        ca <= 0.505 &&
        Math.abs(cb - 0.5) < 0.01,
    };
  },
};
