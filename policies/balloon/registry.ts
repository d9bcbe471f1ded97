/** Balloon policies by name, as written under `host.balloon.policy`. */
import type { BoundPlugin, PluginChoice } from '../../sim/options/plugin.js';
import { bindPlugin } from '../../sim/options/plugin.js';
import type { BalloonContext, BalloonPolicy, BalloonPolicyDecl } from './types.js';
import { nonePolicy } from './none.js';
import { esxPolicy } from './esx.js';
import { momPolicy } from './mom.js';
import { autoBalloonPolicy } from './auto-balloon.js';
import { staticPolicy } from './static.js';
import { xenSelfballoonPolicy } from './xen-selfballoon.js';
import { squeezedPolicy } from './squeezed.js';
import { hypervPolicy } from './hyperv.js';
import { mebPolicy } from './meb.js';

export const BALLOON_POLICIES = {
  none: nonePolicy,
  static: staticPolicy,
  esx: esxPolicy,
  mom: momPolicy,
  'auto-balloon': autoBalloonPolicy,
  'xen-selfballoon': xenSelfballoonPolicy,
  squeezed: squeezedPolicy,
  hyperv: hypervPolicy,
  meb: mebPolicy,
} as const satisfies Readonly<Record<string, BalloonPolicyDecl<unknown>>>;

/** The balloon policy a run chose, ready to be made for its guests. */
export type ChosenBalloonPolicy = BoundPlugin<BalloonPolicyDecl<unknown>, BalloonContext, BalloonPolicy>;

export function chooseBalloonPolicy(choice: PluginChoice): ChosenBalloonPolicy {
  return bindPlugin(BALLOON_POLICIES, 'balloon policy', choice);
}
