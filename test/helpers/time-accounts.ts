// A busy host for the time-accounting tests, and a run of it that records every guest time
// accounting (the host's `guest.time-account` trace): what the guest read, and the true steal.
import { simulate } from '../../sim/host/run.js';
import type { HostTrace } from '../../sim/host/host.js';
import type { GuestSummary } from '../../sim/results/types.js';
import { spec } from './experiment.js';

export type Account = HostTrace['guest.time-account'];

/** Two 2-vCPU HZ=1000 guests and a hog on 2 pCPUs under round-robin: plenty of steal. */
export const busyHost = (abi: string, duration = '20s') => `
name: t
duration: ${duration}
host: { pcpus: 2, memory: 8GiB, abi: ${abi}, scheduler: { policy: round-robin, slice: 30ms } }
guests:
  - { name: 'g-{i}', count: 2, vcpus: 2, memory: 1GiB, kernel: { hz: 1000 }, workload: { type: constant, dutyCycle: 0.6, burst: 5ms, resident: 100MiB } }
  - { name: hog, vcpus: 2, memory: 1GiB, workload: { type: constant, dutyCycle: 1, resident: 100MiB } }
`;

/** Runs the busy host over `abi` with invariants on, recording every time accounting. */
export function accounts(abi: string, duration?: string): { records: Account[]; guests: GuestSummary[] } {
  const records: Account[] = [];
  const r = simulate(spec(busyHost(abi, duration)), {
    checkInvariants: true,
    subscribe: (t) => t.on('guest.time-account', (e) => void records.push(e)),
  });
  return { records, guests: r.summary!.guests };
}
