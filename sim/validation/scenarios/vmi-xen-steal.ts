// Validation scenario vmi-xen-steal: the accounting identities of VMI's time counters and Xen's
// runstate area, judged on what each guest read through its interface (GuestSummary.seenClocks),
// held against the host's own runstate totals. The source and expected identities are below.
import type { GuestSummary, RunResult } from '../../results/types.js';
import { type Scenario, f1, f3 } from '../scenario.js';

/** What one guest of one run showed. */
interface Finding {
  /** Identities that did not hold, in words (empty when all held). */
  broken: string[];
  hostStealNs: number;
  guestStealNs: number;
  /** Host steal after the guest's last reads (it cannot have seen it), ns. */
  unseenNs: number;
  /** Steal read but not yet accounted (below a whole jiffy), in jiffies per vCPU: < 1. */
  remainderJiffies: number;
}

/**
 * Checks guest `g` of a run whose vCPUs each ran `endNs` (elapsed, from the host's totals).
 * Tolerances, each a rounding the source itself has:
 *  - VMI counters are whole cycles: REAL and AVAILABLE are each rounded down, so the STOLEN the
 *    guest derives (REAL − AVAILABLE) is within one cycle of the exact steal, and a cycle is
 *    ⌈1000 ÷ MHz⌉ ns at most; REAL = AVAILABLE + STOLEN itself is exact (integers).
 *  - Xen's pvclock time is the TSC scaled by a 32-bit fraction recalibrated each second, a few ns
 *    off at most; 1 µs per vCPU bounds it (the model tests hold the clock error under 1 µs).
 *  - The guest's steal is ⌊read ÷ jiffy⌋ per vCPU: below what it read by less than a jiffy each.
 */
function judge(g: GuestSummary, endNs: number): Finding {
  const s = g.seenClocks;
  const broken: string[] = [];
  const n = g.vcpus;
  const hostStealNs = g.runnableNs + g.offlineNs;
  const guestStealNs = s.stealJiffies * s.jiffyNs;
  const elapsedNs = n * endNs;
  const vmi = g.interface === 'vmi';
  // ns per counter cycle, from the counters' own rate (REAL cycles per REAL ns), and the slack
  // for reading a value that has been rounded to whole cycles (or through pvclock).
  const mhz = vmi && s.realNs > 0 ? Math.round((s.realCycles * 1000) / s.realNs) : 0;
  const slackNs = vmi ? n * Math.ceil(1000 / Math.max(mhz, 1)) : n * 1000;
  if (s.reads === 0) broken.push('never read its clocks');
  if (!Number.isInteger(s.stealJiffies)) broken.push(`steal ${s.stealJiffies} jiffies is not whole`);
  if (guestStealNs > s.stolenNs || s.stolenNs - guestStealNs >= n * s.jiffyNs)
    broken.push(`steal ${s.stealJiffies} jiffies is not ⌊${s.stolenNs} ns read ÷ ${s.jiffyNs} ns⌋`);
  if (s.realNs > elapsedNs + slackNs) broken.push(`read time ${s.realNs} ns after the end`);
  // Host side: the four runstate totals sum to elapsed (every guest of the run gives the same end).
  let seenAvailableNs: number;
  let seenStolenNs: number;
  if (vmi) {
    if (s.realCycles !== s.availableCycles + s.stolenCycles)
      broken.push(`REAL ${s.realCycles} ≠ AVAILABLE ${s.availableCycles} + STOLEN ${s.stolenCycles} cycles`);
    seenAvailableNs = (s.availableCycles * 1000) / mhz;
    seenStolenNs = (s.stolenCycles * 1000) / mhz;
    if (Math.abs(seenStolenNs - s.stolenNs) > slackNs)
      broken.push(`steal read ${s.stolenNs} ns ≠ STOLEN ${s.stolenCycles} cycles at ${mhz} MHz`);
  } else {
    const sum = s.runstateRunningNs + s.runstateRunnableNs + s.runstateBlockedNs + s.runstateOfflineNs;
    if (sum !== s.runstateEntryNs)
      broken.push(`runstate times sum to ${sum} ns, state_entry_time is ${s.runstateEntryNs} ns`);
    if (s.runstateEntryNs > s.realNs + slackNs)
      broken.push(`state_entry_time ${s.runstateEntryNs} ns after the read at ${s.realNs} ns`);
    if (s.stolenNs !== s.runstateRunnableNs + s.runstateOfflineNs)
      broken.push(
        `steal read ${s.stolenNs} ns ≠ runnable ${s.runstateRunnableNs} + offline ${s.runstateOfflineNs} ns`,
      );
    seenAvailableNs = s.runstateRunningNs + s.runstateBlockedNs;
    seenStolenNs = s.stolenNs;
  }
  // What the guest read is part of what the host accounted by the end; the host's steal beyond it
  // accrued after the read, so it is at most the time since (summed over vCPUs).
  if (seenAvailableNs > g.runningNs + g.blockedNs + slackNs)
    broken.push(`available read ${Math.round(seenAvailableNs)} ns exceeds the host's running + blocked`);
  const unseenNs = hostStealNs - seenStolenNs;
  if (unseenNs < -slackNs)
    broken.push(`steal read ${Math.round(seenStolenNs)} ns exceeds the host's ${hostStealNs} ns`);
  if (unseenNs > elapsedNs - s.realNs + slackNs)
    broken.push(`host steal ${hostStealNs} ns exceeds the steal read + the time after the read`);
  return {
    broken,
    hostStealNs,
    guestStealNs,
    unseenNs: Math.max(0, unseenNs),
    remainderJiffies: (s.stolenNs - guestStealNs) / (n * s.jiffyNs),
  };
}

export const vmiXenSteal: Scenario = {
  id: 'vmi-xen-steal',
  kind: 'identity',
  title: 'VMI accounting identities and Xen runstate steal',
  experiment: 'experiments/validation/vmi-xen-steal.yaml',
  source:
    'include/asm-i386/vmi_time.h and vmitime.c, Linux 2.6.21; xen/include/public/vcpu.h, time-xen.c (reference time-cpu-abi.md §1.5, §1.6, §2.5)',
  published:
    'VMI: REAL = AVAILABLE + STOLEN, steal accounted in whole jiffies from REAL − AVAILABLE; Xen: runstate times sum to elapsed system time, steal = runnable + offline',
  check(runs: RunResult[]) {
    const broken: string[] = [];
    const tally = new Map<
      string,
      { host: number; guest: number; unseen: number; elapsed: number; reads: number; rem: number }
    >();
    for (const r of runs) {
      const guests = r.summary?.guests ?? [];
      const ends = guests.map((g) => (g.runningNs + g.runnableNs + g.blockedNs + g.offlineNs) / g.vcpus);
      const endNs = ends[0] ?? 0;
      if (ends.some((e) => e !== endNs)) broken.push(`${r.runId}: runstate totals differ between guests`);
      for (const g of guests) {
        const f = judge(g, endNs);
        for (const b of f.broken) broken.push(`${r.runId} ${g.name}: ${b}`);
        const t = tally.get(r.alternative) ?? { host: 0, guest: 0, unseen: 0, elapsed: 0, reads: 0, rem: 0 };
        t.host += f.hostStealNs;
        t.guest += f.guestStealNs;
        t.unseen += f.unseenNs;
        t.elapsed += g.vcpus * endNs;
        t.reads += g.seenClocks.reads;
        t.rem = Math.max(t.rem, f.remainderJiffies);
        tally.set(r.alternative, t);
      }
    }
    const pct = (ns: number, of: number) => f1((100 * ns) / of);
    const figures = [...tally.entries()].map(
      ([alt, t]) =>
        `${alt}: host steal ${pct(t.host, t.elapsed)} %, guests accounted ${pct(t.guest, t.elapsed)} % in whole jiffies (${t.reads.toLocaleString('en-US')} reads; unaccounted remainder at most ${f3(t.rem)} jiffy per vCPU; ${f1(t.unseen / 1e6)} ms accrued after the last reads)`,
    );
    const realSteal = [...tally.values()].every((t) => t.host > 0.1 * t.elapsed);
    return {
      measured: `${figures.join('; ')}; ${broken.length === 0 ? 'every identity held in every run and guest' : `${broken.length} broken: ${broken.slice(0, 3).join('; ')}`}`,
      pass: broken.length === 0 && realSteal && tally.size === 2,
    };
  },
};
