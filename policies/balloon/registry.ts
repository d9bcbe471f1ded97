/** Balloon policies by name, as written under `host.balloon.policy`. */
import type { BalloonPolicy } from './types.js';
import { nonePolicy } from './none.js';
import { esxPolicy } from './esx.js';
import { momPolicy } from './mom.js';
import { autoBalloonPolicy } from './auto-balloon.js';
import { staticPolicy } from './static.js';
import { xenSelfballoonPolicy } from './xen-selfballoon.js';
import { squeezedPolicy } from './squeezed.js';
import { hypervPolicy } from './hyperv.js';
import { mebPolicy } from './meb.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own option type
export const BALLOON_POLICIES: Readonly<Record<string, BalloonPolicy<any, any>>> = {
  none: nonePolicy,
  static: staticPolicy,
  esx: esxPolicy,
  mom: momPolicy,
  'auto-balloon': autoBalloonPolicy,
  'xen-selfballoon': xenSelfballoonPolicy,
  squeezed: squeezedPolicy,
  hyperv: hypervPolicy,
  meb: mebPolicy,
};
