/** `none`: no ballooning at all — every target is zero. The baseline every policy is compared with. */
import type { BalloonPolicy } from './types.js';
import { strictObject } from '../../sim/options/fields.js';
import { NS_PER_S } from '../../sim/kernel/time.js';

const options = strictObject({});

export const nonePolicy = {
  name: 'none',
  description: 'No ballooning: every guest keeps all of its memory.',
  options,
  pressureDriven: true,
  periodNs: () => NS_PER_S,
  init: () => null,
  decide: (obs, state) => ({ state, targetPages: obs.guests.map(() => 0) }),
} satisfies BalloonPolicy<Record<string, never>, null>;
