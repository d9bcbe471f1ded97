/**
 * `round-robin`: the baseline scheduler. One global FIFO of runnable vCPUs; a pCPU runs the
 * vCPU that has waited longest for `slice`, then puts it at the back of the queue if anyone is
 * waiting. No weights, caps or boosts: every runnable vCPU gets an equal turn.
 */
import type { CpuScheduler } from './types.js';
import { durationNs, strictObject } from '../../sim/experiment/fields.js';

const options = strictObject({
  slice: durationNs()
    .prefault('30ms')
    .describe('time a vCPU runs before yielding to a waiting one (Xen credit’s slice is also 30ms)'),
});

export interface RoundRobinOptions {
  slice: number;
}

export const roundRobin = {
  name: 'round-robin',
  description: 'Equal turns of `slice` for every runnable vCPU, oldest-waiting first.',
  options,
  init: () => null,
  decide: (obs, state, o) => {
    const next = obs.waiting.length > 0 ? obs.waiting[0]! : obs.current;
    return { state, run: next, sliceNs: o.slice };
  },
} satisfies CpuScheduler<RoundRobinOptions, null>;
