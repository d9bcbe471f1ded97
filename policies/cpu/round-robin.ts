/**
 * `round-robin`: the baseline scheduler. One global FIFO of runnable vCPUs; a pCPU runs the
 * vCPU that has waited longest for `slice`, then puts it at the back of the queue if anyone is
 * waiting. No weights, caps or boosts: every runnable vCPU gets an equal turn, and a woken vCPU
 * waits behind everyone already queued. Affinity is honoured: a pCPU takes the oldest queued
 * vCPU allowed on it.
 */
import type { z } from 'zod';
import type { CpuScheduler, CpuSchedulerDecl } from './types.js';
import { NO_PCPUS, NO_TICK } from './types.js';
import { durationNs, strictObject } from '../../sim/options/fields.js';
import { vcpusPerGuest } from './entitlement.js';
import { waterFill } from '../shared/water-fill.js';

const options = strictObject({
  slice: durationNs()
    .prefault('30ms')
    .describe('time a vCPU runs before yielding to a waiting one (Xen credit’s slice is also 30ms)'),
});

export type RoundRobinOptions = z.output<typeof options>;

interface RoundRobinState {
  /** Runnable vCPUs not on a pCPU, oldest first. */
  readonly queue: number[];
  /** allowed[v * pcpus + p] = 1 if vCPU v may run on pCPU p. */
  readonly allowed: Uint8Array;
  readonly pcpus: number;
}

/** The instance, with its state open to its tests. */
export interface RoundRobinScheduler extends CpuScheduler {
  readonly state: RoundRobinState;
}

export const roundRobin = {
  name: 'round-robin',
  description: 'Equal turns of `slice` for every runnable vCPU, oldest-waiting first.',
  options,
  create: (o, topo): RoundRobinScheduler => {
    const allowed = new Uint8Array(topo.vcpus.length * topo.pcpus);
    topo.vcpus.forEach((v, i) => v.affinity.forEach((p) => (allowed[i * topo.pcpus + p] = 1)));
    const s: RoundRobinState = { queue: [], allowed, pcpus: topo.pcpus };
    return {
      state: s,
      tickNs: 0,
      wake: (v) => {
        s.queue.push(v);
        return NO_PCPUS;
      },
      block: () => {},
      schedule: (p, current) => {
        const i = s.queue.findIndex((v) => s.allowed[v * s.pcpus + p] === 1);
        if (i < 0) return { run: current, sliceNs: o.slice };
        const next = s.queue[i]!;
        s.queue.splice(i, 1);
        if (current >= 0) s.queue.push(current);
        return { run: next, sliceNs: o.slice };
      },
      tick: () => NO_TICK,
      // Equal turns per vCPU: a guest's weight is its vCPU count.
      entitlementPcpus: () => {
        const n = vcpusPerGuest(topo.guests, topo.vcpus);
        return waterFill(n, n, topo.pcpus);
      },
    };
  },
} satisfies CpuSchedulerDecl<RoundRobinOptions>;
