// Helpers for workload unit tests: a fake WorkloadContext built from RunRng streams (the same
// names the host uses, sim/host/run.ts), and a driver that replays how the guest consumes bursts
// (sim/guest/guest.ts: at boot only the first burst's work runs; after each burst finishes, the
// next burst is "sleep idleNs, then run workNs") on an otherwise idle host.
import { RunRng } from '../../sim/kernel/index.js';
import type { WorkloadContext, WorkloadDecl, WorkloadInstance } from '../../workloads/types.js';

export function fakeCtx(seed: number, vcpus: number, usablePages = 262_144): WorkloadContext {
  const rng = new RunRng(seed);
  return {
    vcpus,
    usablePages,
    vcpuRng: Array.from({ length: vcpus }, (_, v) => rng.stream(`workload:g/vcpu${v}`)),
  };
}

/** Parses options through the workload's schema (defaults, units) and creates an instance. */
export function make<O>(
  decl: WorkloadDecl<O>,
  raw: Record<string, unknown>,
  seed = 1,
  vcpus = 1,
  usablePages = 262_144,
): WorkloadInstance {
  return decl.create(decl.options.parse(raw), fakeCtx(seed, vcpus, usablePages));
}

export interface Run {
  /** Busy intervals [start, end) of the vCPU, in ns. */
  busy: [number, number][];
  busyNs: number;
}

/** Drives one vCPU for `horizonNs` as an uncontended guest would; busy time is clipped to it. */
export function drive(w: WorkloadInstance, vcpu: number, horizonNs: number, keepIntervals = false): Run {
  const busy: [number, number][] = [];
  let busyNs = 0;
  let t = 0;
  let work = w.nextBurst(vcpu, 0).workNs;
  for (;;) {
    const end = Math.min(horizonNs, t + work);
    busyNs += end - t;
    if (keepIntervals) busy.push([t, end]);
    t += work;
    if (t >= horizonNs) break;
    const b = w.nextBurst(vcpu, t);
    t += b.idleNs;
    work = b.workNs;
    if (t >= horizonNs) break;
  }
  return { busy, busyNs };
}

/** The first `n` bursts of each vCPU, calling vCPUs round-robin at the driven times. */
export function burstSequence(w: WorkloadInstance, vcpus: number, n: number): string[] {
  const out: string[] = [];
  const t = new Array<number>(vcpus).fill(0);
  for (let i = 0; i < n; i++) {
    for (let v = 0; v < vcpus; v++) {
      const b = w.nextBurst(v, t[v]!);
      out.push(`${v}@${t[v]}:${b.idleNs}+${b.workNs}`);
      t[v]! += b.idleNs + b.workNs;
    }
  }
  return out;
}

/**
 * Common experiment text: one host, the given guest lines. Xen guests: their timer sleeps end at
 * the jiffy boundary the expiry falls in (test/model/jiffy-wakeups.test.ts), where a VMI kernel
 * ends sleeps of at most HZ/100 jiffies at its 100 Hz alarm (test/model/vmi-short-sleeps.test.ts),
 * later still — the kernel's timer and not the workload's doing.
 */
export function exp(guests: string, duration = '20s', pcpus = 2): string {
  return `
name: t
duration: ${duration}
seeds: 1
host: { pcpus: ${pcpus}, memory: 8GiB, abi: xen }
guests:
${guests}
`;
}
