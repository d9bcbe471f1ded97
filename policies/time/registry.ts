/** Timer-delivery policies by name, as written under `host.timer.delivery`. */
import type { TimerDeliveryPolicy } from './types.js';
import { catchUpDelivery } from './catch-up.js';
import { discardDelivery } from './discard.js';
import { mergeDelivery } from './merge.js';
import { slewDelivery } from './slew.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own option type
export const TIMER_DELIVERY: Readonly<Record<string, TimerDeliveryPolicy<any>>> = {
  'catch-up': catchUpDelivery,
  discard: discardDelivery,
  merge: mergeDelivery,
  slew: slewDelivery,
};
