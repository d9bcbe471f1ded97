/**
 * Command-line overrides of an experiment, the same for `vmisim run` and `vmisim validate`:
 * `--set path=value` (repeatable; the dotted paths of `compare:`) and `--seeds N` (seeds 1..N) or
 * `--seeds 3,7,9` (that list).
 *
 * They change the base experiment, as if the file had said so, before its `compare:` alternatives
 * and `sweep:` points are applied: an alternative or a sweep point that sets the same path (or a
 * path around it) keeps its own value. The alternatives are the question the experiment asks
 * (esx against mom, 2 against 8 pCPUs); the flags change the conditions it is asked in. A flag that
 * beat them would make the alternatives identical under their different names, and the report
 * would compare a thing with itself. A --set that every alternative overrides would change nothing
 * and is refused, not ignored: the sweep or the alternatives are the file's to change.
 *
 * A value is YAML — a scalar or a flow value (`8`, `2GiB`, `true`, `[1, 2]`, `{ policy: esx }`) —
 * read as untrusted within the experiment's own byte and value budget (yaml-source.ts), and judged
 * by the same schema with the same messages, each named by the flag as typed:
 * `--set host.pcpus=abc: host.pcpus: <what the schema expected>, found abc`.
 */
import { InputError, formatFieldPath } from '../options/input-error.js';
import { isPrefix, resolvePath, type Override } from './overrides.js';
import { YamlSource, type YamlBudget } from './yaml-source.js';

/** The override flags as given (without their flag names): `set` in order, then `seeds`. */
export interface CommandLineOverrides {
  set: readonly string[];
  seeds?: string;
}

export const NO_OVERRIDES: CommandLineOverrides = { set: [] };

/** Top-level fields that only the file may write: they say what the alternatives are and where fields come from. */
const FILE_ONLY = new Set(['compare', 'sweep', 'include']);

/** The flags as typed, in the order they apply (later ones win): what results.json records. */
export function overrideFlags(cli: CommandLineOverrides): string[] {
  return [...cli.set.map((s) => `--set ${s}`), ...(cli.seeds === undefined ? [] : [`--seeds ${cli.seeds}`])];
}

/**
 * The overrides the flags make on `raw` (the experiment with its includes merged), in the order
 * they apply; a flag that cannot be read or names no path goes to `problems` instead.
 */
export function commandLineOverrides(
  raw: Record<string, unknown>,
  cli: CommandLineOverrides,
  budget: YamlBudget,
  problems: InputError[],
): Override[] {
  const out: Override[] = [];
  const each = (flag: string, make: (refuse: (problem: string) => never) => Override) => {
    try {
      out.push(
        make((problem) => {
          throw new InputError({ file: flag }, undefined, problem);
        }),
      );
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(e);
    }
  };
  for (const text of cli.set) {
    const flag = `--set ${text}`;
    each(flag, (refuse) => {
      const eq = text.indexOf('=');
      if (eq < 0) refuse(`expected path=value (such as host.pcpus=8), found no '='`);
      const key = text.slice(0, eq).trim();
      if (key === '') refuse(`expected path=value (such as host.pcpus=8), found nothing before '='`);
      const top = key.split('.')[0]!;
      if (FILE_ONLY.has(top))
        refuse(`${top} is the file's to write; --set changes fields of the base experiment`);
      return flagOverride(flag, key, text.slice(eq + 1), raw, budget, refuse);
    });
  }
  const seeds = cli.seeds;
  if (seeds !== undefined) {
    // `3,7,9` is a list of seeds; anything else is read as a --set value is (`5`, `[3, 7]`).
    const text = /^\s*\d+(\s*,\s*\d+)+\s*$/.test(seeds) ? `[${seeds}]` : seeds;
    each(`--seeds ${seeds}`, (refuse) =>
      flagOverride(`--seeds ${seeds}`, 'seeds', text, raw, budget, refuse),
    );
  }
  return out;
}

function flagOverride(
  flag: string,
  key: string,
  valueText: string,
  raw: Record<string, unknown>,
  budget: YamlBudget,
  refuse: (problem: string) => never,
): Override {
  let value: YamlSource | undefined;
  try {
    value = YamlSource.parse(flag, valueText, budget);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    refuse(`value: ${e.problem}`);
  }
  return {
    key,
    path: resolvePath(raw, key, refuse),
    value: value.toJS(),
    label: flag,
    valueAt: [],
    keyAt: [],
    flag: { text: flag, value },
  };
}

/**
 * The flags whose path every alternative sets again (a sweep key, or an override in each
 * alternative of `compare:`), so that they would change nothing: a problem each. `alternatives`
 * holds the file's overrides of each alternative, all of them.
 */
export function hiddenFlagProblems(
  flags: readonly Override[],
  alternatives: readonly Override[][],
): InputError[] {
  if (alternatives.length === 0) return [];
  const problems: InputError[] = [];
  for (const f of flags) {
    if (f.flag === undefined) continue;
    const hiders = alternatives.map((overrides) => overrides.find((o) => isPrefix(o.path, f.path)));
    if (hiders.some((h) => h === undefined)) continue;
    const who = [
      ...new Set(hiders.map((h) => (h!.label.startsWith('sweep ') ? `sweep: ${h!.key}` : h!.label))),
    ];
    const named = who.length > 3 ? `${who.slice(0, 3).join(', ')}, …` : who.join(', ');
    problems.push(
      new InputError(
        { file: f.flag.text },
        formatFieldPath(f.path),
        `every alternative of the file sets this again (${named}), so the flag would change nothing; change the file's compare: or sweep: instead`,
      ),
    );
  }
  return problems;
}
