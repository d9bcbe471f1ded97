/** Timer-delivery policies by name, as written under `host.timer.delivery`. */
import type { NoContext, PluginChoice } from '../../sim/options/plugin.js';
import { bindPlugin } from '../../sim/options/plugin.js';
import type { TimerDelivery, TimerDeliveryDecl } from './types.js';
import { catchUpDelivery } from './catch-up.js';
import { discardDelivery } from './discard.js';
import { mergeDelivery } from './merge.js';
import { slewDelivery } from './slew.js';

export const TIMER_DELIVERY = {
  'catch-up': catchUpDelivery,
  discard: discardDelivery,
  merge: mergeDelivery,
  slew: slewDelivery,
} as const satisfies Readonly<Record<string, TimerDeliveryDecl<unknown>>>;

/** The timer-delivery policy a run chose, made. */
export function createTimerDelivery(choice: PluginChoice): TimerDelivery {
  return bindPlugin<NoContext, TimerDelivery, TimerDeliveryDecl<unknown>>(
    TIMER_DELIVERY,
    'timer delivery policy',
    choice,
  ).create({});
}
