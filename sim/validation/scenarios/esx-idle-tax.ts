// Validation scenario esx-idle-tax: the source and published shape are below; the runs come from its experiment file.
import { type Scenario, guestMean, f1 } from '../scenario.js';

export const esxIdleTax: Scenario = {
  id: 'esx-idle-tax',
  title: 'ESX idle memory tax',
  experiment: 'experiments/esx-idle-tax.yaml',
  source: 'Waldspurger, OSDI 2002, §5.4 and Fig. 7 (reference memory-balloon.md §1.3, §1.7; recalled [R])',
  published:
    'τ = 0: both 256 MB guests settle at about the same size (179 MB each); τ = 0.75: memory moves to the active guest, whose throughput rises by over 30 %',
  check(runs) {
    const size = (alt: string, g: string) => guestMean(runs, alt, (x) => x.memoryMiB - x.balloonActualMiB, g);
    const work = (alt: string) => guestMean(runs, alt, (x) => x.workDoneCpuS, 'active');
    const [i0, a0] = [size('tau-0', 'idle'), size('tau-0', 'active')];
    const [i75, a75] = [size('tau-0.75', 'idle'), size('tau-0.75', 'active')];
    const gain = work('tau-0.75') / work('tau-0') - 1;
    return {
      measured: `τ = 0: idle ${f1(i0)} MiB, active ${f1(a0)} MiB; τ = 0.75: idle ${f1(i75)} MiB, active ${f1(a75)} MiB, active work +${f1(gain * 100)} %`,
      pass: Math.abs(i0 - a0) < 8 && a75 - i75 > 30 && gain > 0.3,
    };
  },
};
