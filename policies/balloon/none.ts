/** `none`: no ballooning at all — every target is zero. The baseline every policy is compared with. */
import type { z } from 'zod';
import type { BalloonPolicyDecl } from './types.js';
import { strictObject } from '../../sim/options/fields.js';
import { NS_PER_S } from '../../sim/kernel/time.js';

const options = strictObject({});

export const nonePolicy = {
  name: 'none',
  description: 'No ballooning: every guest keeps all of its memory.',
  options,
  pressureDriven: true,
  create: () => ({ periodNs: NS_PER_S, decide: (obs) => obs.guests.map(() => 0) }),
} satisfies BalloonPolicyDecl<z.output<typeof options>>;
