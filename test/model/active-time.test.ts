// The busy time behind working-set touches (sim/guest/active-time.ts): every vCPU-second but the
// workload's own sleeps, so a guest stalled on its faults still touches its working set and ESX's
// sampler sees it as active (issue 19; reference/memory-balloon.md §1.4). Numbers worked by hand.
import { describe, expect, it } from 'vitest';
import { ActiveTime } from '../../sim/guest/active-time.js';
import { runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import { experiment } from '../helpers/experiment.js';

const S = 1e9;

describe('ActiveTime: vCPU-seconds not in the workload’s own sleeps', () => {
  it('counts elapsed time minus chosen sleep, tick by tick (worked example of its header)', () => {
    const a = new ActiveTime(2);
    // vCPU 0 sleeps 0.2–0.5 s (0.3 s); vCPU 1 never sleeps: 2 − 0.3 = 1.7 vCPU-s by 1 s.
    a.sleep(0, 0.2 * S, 0.5 * S);
    expect(a.tick(1 * S)).toBeCloseTo(1.7 * S, 0);
    // vCPU 1 sleeps 1.5–3.5 s: 0.5 s of it falls before the tick at 2 s, 1.5 s after.
    a.sleep(1, 1.5 * S, 3.5 * S);
    // 1 s × 2 vCPUs − 0.5 s asleep = 1.5 vCPU-s.
    expect(a.tick(2 * S)).toBeCloseTo(1.5 * S, 0);
    expect(a.tick(4 * S)).toBeCloseTo((4 - 1.5) * S, 0);
  });

  it('a sleep cut short by the next one counts only up to it; a late wake-up counts as busy', () => {
    const a = new ActiveTime(1);
    a.sleep(0, 0, 1 * S); // planned to 1 s …
    a.sleep(0, 0.4 * S, 0.6 * S); // … but the next sleep starts at 0.4 s: 0.4 + 0.2 s asleep
    expect(a.tick(1 * S)).toBeCloseTo(0.4 * S, 0);
    a.sleep(0, 1.2 * S, 1.5 * S); // woken at 2 s, 0.5 s late: busy 1.0–1.2 and 1.5–2 s
    expect(a.tick(2 * S)).toBeCloseTo(0.7 * S, 0);
  });
});

/**
 * One 256 MiB guest (16 MiB kernel reserve, 4 MiB min free) whose 220 MiB working set is all hot
 * and always busy, alone on a host of 224 MiB: ESX keeps 6 % free (13.4 MiB) and the guest's
 * 32 MiB overhead, so the balloon leaves it about 224 − 13.4 − 32 ≈ 178 MiB, 62 MiB short of the
 * 240 MiB it needs: it swaps inside itself and spends most of its time stalled on faults.
 * Its busy time is all the time (dutyCycle 1: it never sleeps), so a 30 s period has 60 000
 * accesses over its 56 320 pages of working set: 1 − e^(−60000/56320) = 65.5 % of them touched,
 * 36 900 pages = 144 MiB, which is about 81 % of the 178 MiB the host samples from. Counting
 * accesses on work done only (the old model), its few CPU-seconds of work per period would touch
 * a fraction of that and the estimate would fall far below its memory.
 */
const THRASHER = `
name: t
duration: 300s
seeds: 2
host: { pcpus: 1, memory: 224MiB, balloon: { policy: esx } }
guests:
  - name: thrasher
    memory: 256MiB
    kernel: { reserved: 16MiB, minFree: 4MiB }
    workload: { type: constant, dutyCycle: 1, resident: 220MiB, hotFraction: 1 }
`;

describe('a guest thrashing inside itself is active to ESX’s sampler', () => {
  it('its working-set estimate stays near what its busy time touches, though it does little work', () => {
    for (const spec of runSpecs(experiment(THRASHER))) {
      const r = simulate(spec, { checkInvariants: true });
      const g = r.summary!.guests[0]!;
      // It is thrashing: most of its time goes to fault stalls, not work.
      expect(g.workDoneCpuS).toBeLessThan(0.5 * 300);
      const s = r.series!;
      const c = s.columns.findIndex((x) => x.name === 'thrasher_esx_working_set_MiB');
      const late = s.timeS.map((t, i) => [t, s.values[c]![i]!] as const).filter(([t]) => t >= 150);
      const est = late.reduce((a, [, v]) => a + v, 0) / late.length;
      // 144 MiB expected (header), from binomial samples of 100 pages (σ ≈ 7.5 MiB each); measured
      // 138–140 MiB over two seeds. Touches counted on work done (the old model) gave 39–43 MiB.
      expect(est).toBeGreaterThan(120);
      expect(est).toBeLessThan(180);
    }
  });
});
