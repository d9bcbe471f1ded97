/**
 * Public API of the domain-free event kernel: simulated time, the event queue, seeded random
 * streams, the trace bus and the simulator that ties them together. Import from here, not from
 * the individual files.
 */

export {
  NS_PER_US,
  NS_PER_MS,
  NS_PER_S,
  NS_PER_MIN,
  NS_PER_H,
  MAX_TIME_NS,
  LAST_TIME_NS,
  isTimeNs,
  assertTimeNs,
  describeBadTime,
  formatSimTime,
} from './time.js';
export { ticksUpTo, tickInstantNs } from './periodic.js';
export { InvariantError } from './invariant.js';
export { EventQueue, NO_EVENT, type EventHandle, type TieOrder } from './event-queue.js';
export { RunRng, RandomStream } from './rng.js';
export { TraceBus, type TraceListener } from './trace-bus.js';
export { Simulator, type EventDescriber, type EventHandler, type SimulatorOptions } from './simulator.js';
