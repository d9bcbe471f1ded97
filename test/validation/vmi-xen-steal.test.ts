// The vmi-xen-steal validation check (sim/validation/scenarios/vmi-xen-steal.ts) passes on its
// experiment's runs and fails as soon as one identity is broken in what a guest read: it judges
// the readings, it does not just restate them.
import { describe, expect, it } from 'vitest';
import { loadExperimentFile, runSpecs } from '../../sim/experiment/load.js';
import { simulate } from '../../sim/host/run.js';
import type { GuestSummary, RunResult, SeenClocksSummary } from '../../sim/results/types.js';
import { vmiXenSteal } from '../../sim/validation/scenarios/vmi-xen-steal.js';

const runs = runSpecs(loadExperimentFile(vmiXenSteal.experiment)).map((s) =>
  simulate(s, { checkInvariants: false }),
);

/** The runs with guest `name` of alternative `alt` changed by `f` (deep copies). */
function tampered(
  alt: string,
  name: string,
  f: (g: GuestSummary, s: SeenClocksSummary) => void,
): RunResult[] {
  const copy = structuredClone(runs);
  for (const r of copy) {
    if (r.alternative !== alt) continue;
    const g = r.summary!.guests.find((x) => x.name === name)!;
    f(g, g.seenClocks);
  }
  return copy;
}

describe('vmi-xen-steal check', () => {
  it('passes on the runs, with real steal, runnable and offline, over both interfaces', () => {
    const v = vmiXenSteal.check(runs);
    expect(v.pass, v.measured).toBe(true);
    expect(v.measured).toContain('every identity held');
    const capped = runs.map((r) => r.summary!.guests.find((g) => g.name === 'capped')!);
    for (const g of capped) expect(g.offlineNs).toBeGreaterThan(0);
    expect(new Set(runs.flatMap((r) => r.summary!.guests.map((g) => g.interface)))).toEqual(
      new Set(['vmi', 'xen']),
    );
  });

  it('fails when a broken reading is put in', () => {
    const fails = (rs: RunResult[], words: string) => {
      const v = vmiXenSteal.check(rs);
      expect(v.pass).toBe(false);
      expect(v.measured).toContain(words);
    };
    fails(
      tampered('vmi', 'busy', (_, s) => void (s.stolenCycles += 1)),
      'REAL',
    );
    fails(
      tampered('vmi', 'bursty', (_, s) => void (s.stealJiffies += 1)),
      'jiffies is not',
    );
    fails(
      tampered('xen', 'busy', (_, s) => void (s.runstateBlockedNs += 1)),
      'runstate times sum',
    );
    fails(
      tampered('xen', 'capped', (_, s) => void (s.runstateOfflineNs -= 1_000_000)),
      'offline',
    );
    // The host accounted far more steal than the guest read plus all the time after its read.
    fails(
      tampered('xen', 'bursty', (g) => void (g.runnableNs += 1e9)),
      'exceeds the steal read',
    );
  });
});
