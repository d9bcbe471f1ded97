/** Balloon policies by name, as written under `host.balloon.policy`. */
import type { BalloonPolicy } from './types.js';
import { nonePolicy } from './none.js';
import { staticPolicy } from './static.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own option type
export const BALLOON_POLICIES: Readonly<Record<string, BalloonPolicy<any, any>>> = {
  none: nonePolicy,
  static: staticPolicy,
};
