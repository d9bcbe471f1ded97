/**
 * The experiment field `sensitivity:` — `true` (every assumed constant), `false`, or
 * `{ constants: [ids] }` (sim/experiment/assumed-constants.ts) — with messages that say which
 * constant is unknown and the closest known one, not zod's "Invalid input" for a failed union.
 */
import { z } from 'zod';
import { strictObject, suggest } from '../options/fields.js';
import { ASSUMED_CONSTANT_IDS } from './assumed-constants.js';

const IDS = ASSUMED_CONSTANT_IDS as [string, ...string[]];
const EXPECTED = `true, false or { constants: [${ASSUMED_CONSTANT_IDS.join(', ')}] }`;

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** The problem with an object that is not `{ constants: [ids] }`, said at its first bad part. */
function objectProblem(input: Record<string, unknown>): string {
  const extra = Object.keys(input).filter((k) => k !== 'constants');
  if (extra.length > 0) return `unknown key ${JSON.stringify(extra[0])}; expected ${EXPECTED}`;
  const list = input.constants;
  if (!Array.isArray(list)) return `constants: expected a list of constant ids, found ${show(list)}`;
  const i = list.findIndex((x) => typeof x !== 'string' || !ASSUMED_CONSTANT_IDS.includes(x));
  if (i < 0) return `expected ${EXPECTED}`;
  const near = typeof list[i] === 'string' ? suggest(list[i], ASSUMED_CONSTANT_IDS) : undefined;
  return `constants[${i}]: expected one of ${ASSUMED_CONSTANT_IDS.join(', ')} (vmisim list constants), found ${show(list[i])}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`;
}

export function sensitivityField() {
  return z
    .union(
      [
        z.boolean(),
        strictObject({
          constants: z
            .array(z.enum(IDS))
            .min(1, 'name at least one constant, or write sensitivity: true for all')
            .describe(`assumed constants to vary: ${ASSUMED_CONSTANT_IDS.join(', ')}`),
        }),
      ],
      {
        error: (iss) => {
          if (iss.code !== 'invalid_union') return undefined;
          const input = iss.input;
          return input !== null && typeof input === 'object' && !Array.isArray(input)
            ? objectProblem(input as Record<string, unknown>)
            : `expected ${EXPECTED}`;
        },
      },
    )
    .optional()
    .describe(
      'vary assumed constants over their stated ranges (vmisim list constants) and add a sensitivity section to the report: true for every constant, or { constants: [...] }',
    );
}
