/**
 * The validation scenarios, in the order docs/validation.md lists them. `npm run validate`
 * (sim/validation/run.ts) runs them all and writes the page; test/validation/ runs the same
 * checks. A new scenario is a file in sim/validation/scenarios/ and one line here (rows that share
 * one experiment may share a file, as the lost-tick rows of lost-ticks.ts do).
 */
import { esxIdleTax } from './scenarios/esx-idle-tax.js';
import { balloonVsStatic } from './scenarios/balloon-vs-static.js';
import { creditWeightsCaps } from './scenarios/credit-weights-caps.js';
import { kvmAutoBalloon } from './scenarios/kvm-auto-balloon.js';
import { balloonVsHostSwap } from './scenarios/balloon-vs-host-swap.js';
import { creditBoost } from './scenarios/credit-boost.js';
import { interfaceComparison } from './scenarios/interface-comparison.js';
import { esxWorkingSet } from './scenarios/esx-working-set.js';
import { vmiXenSteal } from './scenarios/vmi-xen-steal.js';
import { xenNoHostSwap } from './scenarios/xen-no-host-swap.js';
import { vmiMmuIntensive } from './scenarios/vmi-mmu-intensive.js';
import { lmbenchProcesses } from './scenarios/lmbench-processes.js';
import { vmiNativeLmbench } from './scenarios/vmi-native-lmbench.js';
import { lostTicksCatchUp, lostTicksDiscard, lostTicksMerge, lostTicksSlew } from './scenarios/lost-ticks.js';
import type { Scenario } from './scenario.js';

export type { Scenario, Verdict } from './scenario.js';

export const SCENARIOS: Scenario[] = [
  esxIdleTax,
  balloonVsStatic,
  creditWeightsCaps,
  kvmAutoBalloon,
  balloonVsHostSwap,
  creditBoost,
  interfaceComparison,
  esxWorkingSet,
  vmiXenSteal,
  xenNoHostSwap,
  vmiMmuIntensive,
  lmbenchProcesses,
  vmiNativeLmbench,
  lostTicksCatchUp,
  lostTicksDiscard,
  lostTicksMerge,
  lostTicksSlew,
];
