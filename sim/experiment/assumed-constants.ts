/**
 * The assumed constants: model inputs with no published figure (labelled ASSUMPTION or UNVERIFIED
 * where they are defined), each with the range it could plausibly take and why. `vmisim
 * sensitivity` (sim/cli/sensitivity-command.ts) runs an experiment again with each one at the low
 * and at the high end of its range, the others at their baseline, to show which of them decide the
 * report's verdicts; `vmisim list constants` shows this table.
 *
 * A range is stated at a reference value (the p4-2006 cost preset, a workload's default, the
 * sata-2006 disk) and applied to an experiment as the same ratios of the experiment's own value:
 * varied = value × low / reference (and × high / reference). At the reference value that is the
 * stated range itself (exitCycles 3,000 → 1,000 and 4,000); an experiment on the `modern` preset
 * (exit 1,400) is varied by the same factors (467 and 1,867), a run with a constant at 0 (the
 * `zero` preset) not at all. Each run is varied on its own values, so alternatives that set a
 * constant differently keep their difference.
 *
 * Ranges (the reason goes with each entry below):
 *  - exitCycles 3,000: low 1,000 — fidelity review A1: a VMI "exit" is a ring transition into
 *    VMware's monitor mapped in the guest's address space, the order of Xen's `int $0x82`; high
 *    4,000, the top of the recalled first-generation VT-x round trip 2,000–4,000 (UNVERIFIED).
 *  - hypercallCycles 1,000 (an UNVERIFIED order of magnitude), copyCyclesPerByte 1, pageCycles 500,
 *    pteUpdateCycles 200, ptwrEmulateCycles 2,000 (sim/abi/costs.ts: ASSUMPTIONS), a workload's
 *    pageAccessesPerS 2,000 (workloads/common.ts: an assumption, not calibrated): ± factor 2.
 *  - The disk's positioning time (host.storage requestLatency, 12.7 ms on sata-2006, derived from a
 *    datasheet in sim/host/storage.ts, but which disk a 2006 host had is an assumption): ± factor 2.
 * vmiCallCycles (a near call into the ROM, structural) is not varied; neither are the guest's
 * interrupt-masking rates (sim/guest/irq-flag.ts), which no experiment field sets.
 */
import { COST_PRESETS } from '../abi/costs.js';
import { DEFAULT_ACCESSES_PER_CPU_S } from '../../workloads/types.js';
import type { CostModel } from '../spec/cost-model.js';
import type { RunSpec } from '../spec/run-spec.js';
import type { AssumedConstantInfo } from '../results/types.js';
import { STORAGE_PRESETS } from '../spec/storage.js';

/** A constant of the registry: its description (the results contract's), and how runs set it. */
export interface AssumedConstant extends AssumedConstantInfo {
  /** The constant's values in a run (none: the run does not use it). */
  valuesIn(spec: RunSpec): number[];
  /** `spec` with every value v of the constant replaced by to(v) (a new object; spec unchanged). */
  scaled(spec: RunSpec, to: (v: number) => number): RunSpec;
}

const P4 = COST_PRESETS['p4-2006'];
const FACTOR_2 = 'assumption, ± factor 2';

/** A host.costs field: one value per run. */
function cost(
  field: keyof CostModel,
  unit: string,
  low: number,
  high: number,
  reason: string,
): AssumedConstant {
  return {
    id: field,
    path: `host.costs.${field}`,
    unit,
    reference: P4[field],
    referenceOf: 'p4-2006 preset',
    low,
    high,
    reason,
    valuesIn: (spec) => [spec.host.costs[field]],
    scaled: (spec, to) => ({
      ...spec,
      host: { ...spec.host, costs: { ...spec.host.costs, [field]: to(spec.host.costs[field]) } },
    }),
  };
}

/** Every numeric `key` in a plugin's options, however deep (a phases workload nests its phases'). */
function numbersAt(v: unknown, key: string, out: number[]): number[] {
  if (Array.isArray(v)) for (const x of v) numbersAt(x, key, out);
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === key && typeof x === 'number') out.push(x);
      else numbersAt(x, key, out);
    }
  return out;
}

function replaceAt(v: unknown, key: string, to: (v: number) => number): unknown {
  if (Array.isArray(v)) return v.map((x) => replaceAt(x, key, to));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      k === key && typeof x === 'number' ? to(x) : replaceAt(x, key, to),
    ]),
  );
}

const ACCESSES = 'pageAccessesPerS';

/** The registry, in the order reports list the constants. */
export const ASSUMED_CONSTANTS: readonly AssumedConstant[] = [
  cost(
    'exitCycles',
    'cycles',
    1000,
    4000,
    'low: a VMI exit as a ring transition into a monitor in the guest address space, like int $0x82 (fidelity review A1); high: top of the recalled VT-x round trip 2,000–4,000 (UNVERIFIED)',
  ),
  cost('hypercallCycles', 'cycles', 500, 2000, `UNVERIFIED order of magnitude; ${FACTOR_2}`),
  cost('copyCyclesPerByte', 'cycles/B', 0.5, 2, FACTOR_2),
  cost('pageCycles', 'cycles', 250, 1000, FACTOR_2),
  cost('pteUpdateCycles', 'cycles', 100, 400, FACTOR_2),
  cost('ptwrEmulateCycles', 'cycles', 1000, 4000, FACTOR_2),
  {
    id: ACCESSES,
    path: `guests.<name>.workload.${ACCESSES}`,
    unit: '/s',
    reference: DEFAULT_ACCESSES_PER_CPU_S,
    referenceOf: 'workload default',
    low: DEFAULT_ACCESSES_PER_CPU_S / 2,
    high: DEFAULT_ACCESSES_PER_CPU_S * 2,
    reason: `${FACTOR_2} (not calibrated; every guest's workload scaled together)`,
    valuesIn: (spec) => spec.guests.flatMap((g) => numbersAt(g.workload.options, ACCESSES, [])),
    scaled: (spec, to) => ({
      ...spec,
      guests: spec.guests.map((g) => ({
        ...g,
        workload: {
          ...g.workload,
          options: replaceAt(g.workload.options, ACCESSES, to) as Record<string, unknown>,
        },
      })),
    }),
  },
  {
    id: 'requestLatency',
    path: 'host.storage.requestLatency',
    unit: 'ns',
    reference: STORAGE_PRESETS['sata-2006'].requestLatencyNs,
    referenceOf: 'sata-2006 disk',
    low: STORAGE_PRESETS['sata-2006'].requestLatencyNs / 2,
    high: STORAGE_PRESETS['sata-2006'].requestLatencyNs * 2,
    reason: `${FACTOR_2} (sata-2006 from a datasheet; which disk a host had is assumed)`,
    valuesIn: (spec) => [spec.host.storage.requestLatencyNs],
    scaled: (spec, to) => ({
      ...spec,
      host: {
        ...spec.host,
        // Integer ns (DESIGN §3.5).
        storage: {
          ...spec.host.storage,
          requestLatencyNs: Math.round(to(spec.host.storage.requestLatencyNs)),
        },
      },
    }),
  },
];

export const ASSUMED_CONSTANT_IDS = ASSUMED_CONSTANTS.map((c) => c.id);

export type ConstantEnd = 'low' | 'high';

/** A run's value v at the `end` of the range: v × end / reference (multiplied first: 3,000 × 1,000 / 3,000 is 1,000 exactly). */
export function atEnd(c: AssumedConstant, end: ConstantEnd, v: number): number {
  return (v * (end === 'low' ? c.low : c.high)) / c.reference;
}

/**
 * `spec` with constant `c` at the `end` of its range (the same ratio to the run's own value as the
 * range's end to the reference); the spec itself when the run does not use it or has it at 0.
 */
export function variedSpec(spec: RunSpec, c: AssumedConstant, end: ConstantEnd): RunSpec {
  if (!c.valuesIn(spec).some((v) => v !== 0)) return spec;
  // The alternative keeps its name: a variant's runs differ from the baseline's by their specs (and
  // so by their hashes in the run cache).
  return c.scaled(spec, (v) => atEnd(c, end, v));
}

/** The constants named by ids, in registry order; unknown ids are the caller's to refuse. */
export function constantsNamed(ids: readonly string[] | undefined): AssumedConstant[] {
  return ids === undefined ? [...ASSUMED_CONSTANTS] : ASSUMED_CONSTANTS.filter((c) => ids.includes(c.id));
}
