/**
 * From an experiment file to validated, expanded alternatives and RunSpecs. The one place where
 * YAML meets the schema: every problem becomes an InputError at file:line:column with the field
 * path, what was expected and what was found.
 *
 * Alternatives: `compare: { alt: { dotted.path: value } }` — each alternative is the base
 * experiment with its overrides applied, validated as a whole. Path segments that are numbers
 * index lists; other segments on the guest list pick the guest entry of that name.
 *
 * Command-line overrides (`--set`, `--seeds`, cli-overrides.ts) change the base experiment before
 * the alternatives are made from it; an alternative's own overrides still win.
 *
 * Every problem of a file is found in one pass: where the whole fails the schema, each top-level
 * field, each field of the host and of every guest entry is judged on its own, so the checks
 * across fields (expand.ts) still run wherever their fields are sound. Files are read and parsed
 * as untrusted (read-input.ts, yaml-source.ts), and the number of alternatives is judged before
 * any is built (limits.ts).
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { InputError, InputErrors, throwProblems } from '../options/input-error.js';
import { LayeredSource, MAX_YAML_VALUES, YamlBudget, YamlSource, type Source } from './yaml-source.js';
import { PresetFiles } from './presets.js';
import { resolveIncludes } from './includes.js';
import { readInputFile } from '../options/read-input.js';
import { MAX_GUESTS_IN_ALL_ALTERNATIVES, MAX_RUNS, MAX_VALUES_CHECKED } from './limits.js';
import { compareOverrides, errorAt, factorValue, setPath, sweepPoints, type Override } from './overrides.js';
import {
  commandLineOverrides,
  hiddenFlagProblems,
  NO_OVERRIDES,
  overrideFlags,
  type CommandLineOverrides,
} from './cli-overrides.js';
import { expand, type LoadContext } from './expand.js';
import { validateParts } from './validate-parts.js';
import { comparisonSettings } from './comparison-settings.js';
import { ASSUMED_CONSTANT_IDS } from './assumed-constants.js';
import type { RawConfig } from './schema.js';
import type {
  AlternativePlace,
  ComparisonSettings,
  FactorValue,
  SweepHeader,
  SweptFactor,
} from '../results/types.js';
import type { GuestSpec, HostSpec, RunSpec } from '../spec/run-spec.js';
import type { WorkloadLoadContext } from '../../workloads/types.js';
import { formatDurationNs } from '../options/units.js';

export interface Alternative {
  name: string;
  host: HostSpec;
  guests: GuestSpec[];
}

/** A sweep point: its name part (`host.pcpus=4,guests.web.count=2`) and what it sets. */
type SweepPoint = { name: string; overrides: Override[] };

export interface Experiment {
  name: string;
  description: string | undefined;
  file: string;
  /** sha256 of the file's bytes (hex). */
  fileHash: string;
  /** The command-line flags that changed it, as typed, in the order they apply (empty: none). */
  overrides: string[];
  durationNs: number;
  warmupNs: number;
  sampleIntervalNs: number;
  seeds: number[];
  alternatives: Alternative[];
  /** The file's `baseline:` and `margins:` (sim/experiment/comparison-settings.ts), if it sets either. */
  comparison?: ComparisonSettings;
  /** The assumed constants the file's `sensitivity:` asks to vary (sim/experiment/assumed-constants.ts), if any. */
  sensitivity?: string[];
  /** The swept factors and each alternative's compare name and factor values (results.json's header). */
  sweep: SweepHeader;
}

/** An experiment as far as it could be read, and every problem found in it. */
export interface LoadOutcome {
  /**
   * Defined when the base experiment is valid: with problems, it holds the alternatives that could
   * be expanded (what checks of the whole, such as the memory estimate, can still look at).
   */
  experiment: Experiment | undefined;
  problems: InputError[];
  /** The file (and its includes) could be read and parsed, so the checks of its fields were made. */
  parsed: boolean;
  /**
   * Every one of its alternatives could be built too: checks of the whole (the memory estimate)
   * see all of it.
   */
  complete: boolean;
}

/** Reads and validates an experiment file. Throws InputError for anything wrong with it. */
export function loadExperimentFile(file: string): Experiment {
  return orThrow(readExperimentFile(file));
}

/** Validates experiment text; `file` is only used in messages and the results header. */
export function loadExperimentText(file: string, text: string): Experiment {
  return orThrow(readExperimentText(file, text));
}

function orThrow(o: LoadOutcome): Experiment {
  throwProblems(o.problems);
  if (o.experiment === undefined) throw new Error('unreachable: an invalid base experiment has problems');
  return o.experiment;
}

/**
 * Reads an experiment file (a regular file within the size limit, see read-input.ts), applies the
 * command-line overrides `cli` and validates it.
 */
export function readExperimentFile(file: string, cli: CommandLineOverrides = NO_OVERRIDES): LoadOutcome {
  const budget = new YamlBudget();
  const read = readInputFile(file, budget.bytesLeft, budget.describeBytesLimit());
  if (!read.ok)
    return {
      experiment: undefined,
      problems: [new InputError({ file }, undefined, `cannot read experiment: ${read.why}`)],
      parsed: false,
      complete: false,
    };
  return readExperimentText(file, read.text, budget, cli);
}

/** Validates experiment text, collecting every problem rather than stopping at the first. */
export function readExperimentText(
  file: string,
  text: string,
  budget = new YamlBudget(),
  cli: CommandLineOverrides = NO_OVERRIDES,
): LoadOutcome {
  let parsed: { src: Source; raw: Record<string, unknown> };
  try {
    parsed = parseWithIncludes(file, text, budget);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // Nothing past an unreadable file can be checked: say so, so that no one expects the list to be complete.
    const note = 'the rest of the experiment is checked once this is fixed';
    return {
      experiment: undefined,
      problems: [new InputError(e.location, e.field, `${e.problem} (${note})`)],
      parsed: false,
      complete: false,
    };
  }
  const problems: InputError[] = [];
  const flags = commandLineOverrides(parsed.raw, cli, budget, problems);
  return checkExperiment(
    file,
    text,
    parsed.src,
    parsed.raw,
    MAX_YAML_VALUES - budget.valuesLeft,
    {
      presets: new PresetFiles(budget),
      workload: workloadLoadContext(dirname(file)),
      guestsLeft: MAX_GUESTS_IN_ALL_ALTERNATIVES,
    },
    { overrides: flags, texts: overrideFlags(cli), problems },
  );
}

/** The context a workload's `load` runs in: files relative to `dir`, each read once per experiment. */
export function workloadLoadContext(dir: string): WorkloadLoadContext {
  const done = new Map<string, { value: unknown } | { error: InputError }>();
  return {
    dir,
    once<T>(key: string, make: () => T): T {
      let r = done.get(key);
      if (r === undefined) {
        try {
          r = { value: make() };
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          r = { error: e };
        }
        done.set(key, r);
      }
      if ('error' in r) throw r.error;
      return r.value as T;
    },
  };
}

/** The experiment and its `include:` files, parsed and merged (see includes.ts). */
function parseWithIncludes(
  file: string,
  text: string,
  budget: YamlBudget,
): { src: Source; raw: Record<string, unknown> } {
  const main = YamlSource.parse(file, text, budget);
  const mainRaw = main.toJS();
  if (mainRaw === null || typeof mainRaw !== 'object' || Array.isArray(mainRaw)) {
    throw new InputError(
      { file, line: 1, col: 1 },
      undefined,
      'expected a mapping of experiment fields (name, duration, host, guests, ...)',
    );
  }
  const { raw, layers } = resolveIncludes(main, mainRaw as Record<string, unknown>, budget);
  return { src: layers.length === 1 ? main : new LayeredSource(layers), raw };
}

/**
 * Every check of a parsed experiment of `values` values, with the command-line flags' overrides
 * (and the problems found reading them); see readExperimentText.
 */
function checkExperiment(
  file: string,
  text: string,
  src: Source,
  raw: Record<string, unknown>,
  values: number,
  ctx: LoadContext,
  cli: { overrides: Override[]; texts: string[]; problems: InputError[] },
): LoadOutcome {
  // Every problem in the file is reported at once: the schema issues of the base experiment, then
  // every check of every alternative that its valid parts allow (an alternative repeats the base's
  // problems; duplicates go).
  const problems: InputError[] = [...cli.problems];
  // The flags change the base experiment; every alternative starts from it, and carries the flags'
  // overrides first so that a problem in a field a flag set is reported at the flag.
  const flags = cli.overrides;
  for (const o of flags) setPath(raw, o.path, structuredClone(o.value));
  const collect = (e: unknown) => {
    if (e instanceof InputErrors) problems.push(...e.errors);
    else if (e instanceof InputError) problems.push(e);
    else throw e;
  };
  const base = validateParts(src, raw, flags, ctx, problems);
  const report = (path: (string | number)[], problem: string) =>
    problems.push(errorAt(src, path, flags, problem));
  const { duration, sampleInterval, warmup } = base.top;
  if (duration !== undefined && duration <= 0) report(['duration'], 'duration must be longer than 0');
  if (
    sampleInterval !== undefined &&
    (sampleInterval <= 0 || (duration !== undefined && sampleInterval > duration))
  )
    report(['sampleInterval'], 'sampleInterval must be longer than 0 and at most the duration');
  else if (
    sampleInterval !== undefined &&
    duration !== undefined &&
    warmup !== undefined &&
    (warmup >= duration || warmup % sampleInterval !== 0)
  )
    report(
      ['warmup'],
      `warmup must be shorter than the duration and a whole number of sample intervals (${formatDurationNs(sampleInterval)})`,
    );
  const s = base.top.seeds;
  const seeds = s === undefined ? [] : typeof s === 'number' ? Array.from({ length: s }, (_, i) => i + 1) : s;
  if (new Set(seeds).size !== seeds.length) report(['seeds'], 'seeds must be distinct');
  // Without a valid `compare`, the alternatives are still checked if it is a mapping of mappings.
  const rawCompare = raw.compare;
  const hasCompare = base.top.compare !== undefined || isMappingOfMappings(rawCompare);
  const compare = base.top.compare ?? (isMappingOfMappings(rawCompare) ? rawCompare : { default: {} });
  let points: SweepPoint[] = [{ name: '', overrides: [] }];
  try {
    if (base.top.sweep !== undefined) points = sweepPoints(src, raw, base.top.sweep);
  } catch (e) {
    collect(e);
  }
  // How many alternatives there will be, judged before any is built.
  const count = Object.keys(compare).length * points.length;
  const whereCount = raw.sweep !== undefined ? 'sweep' : hasCompare ? 'compare' : 'seeds';
  const notChecked = 'the alternatives were not checked';
  let tooMany: string | undefined;
  if (count * Math.max(1, seeds.length) > MAX_RUNS)
    tooMany = `${count} alternatives × ${seeds.length} seeds = ${count * seeds.length} runs, more than ${MAX_RUNS}; ${notChecked}`;
  else if (count * values > MAX_VALUES_CHECKED)
    tooMany = `${count} alternatives × ${values} values (each alternative is the whole experiment checked again) = ${count * values}, more than ${MAX_VALUES_CHECKED}; narrow the sweep or the file; ${notChecked}`;
  if (tooMany !== undefined) problems.push(errorAt(src, [whereCount], flags, tooMany, true));
  const comparison = comparisonSettings(base.top, hasCompare ? Object.keys(compare) : [], (path, problem) =>
    // A margin's metric id is a key: point at it.
    problems.push(errorAt(src, path, flags, problem, path[0] === 'margins')),
  );
  const alternatives: Alternative[] = [];
  const places: AlternativePlace[] = [];
  /** The file's overrides of each alternative made (for flags that every one of them hides). */
  const fileOverrides: Override[][] = [];
  for (const [altName, overridesRaw] of tooMany === undefined ? Object.entries(compare) : []) {
    let altOverrides: Override[];
    try {
      altOverrides = compareOverrides(src, raw, altName, overridesRaw ?? {});
    } catch (e) {
      collect(e);
      continue;
    }
    for (const point of points) {
      // Named by the alternative, the sweep point, or both (`static/host.pcpus=4`).
      const name = point.name === '' ? altName : hasCompare ? `${altName}/${point.name}` : point.name;
      const own = [...altOverrides, ...point.overrides];
      fileOverrides.push(own);
      const merged = structuredClone(raw);
      delete merged.compare;
      delete merged.sweep;
      for (const o of own) setPath(merged, o.path, structuredClone(o.value));
      const overrides = [...flags, ...own];
      const parts = validateParts(src, merged, overrides, ctx, problems);
      const expanded = expand(src, parts, overrides, problems, ctx);
      if (expanded === undefined) continue;
      alternatives.push({ name, ...expanded });
      places.push({ name, ...(hasCompare ? { compare: altName } : {}), factors: pointFactors(point) });
    }
  }
  if (fileOverrides.length === count) problems.push(...hiddenFlagProblems(flags, fileOverrides));
  const whole = base.whole;
  if (whole === undefined) return { experiment: undefined, problems, parsed: true, complete: false };
  return {
    experiment: {
      name: whole.name,
      description: whole.description,
      file,
      fileHash: createHash('sha256').update(text).digest('hex'),
      overrides: cli.texts,
      durationNs: whole.duration,
      warmupNs: whole.warmup,
      sampleIntervalNs: whole.sampleInterval,
      seeds,
      alternatives,
      ...(comparison === undefined ? {} : { comparison }),
      ...sensitivityOf(whole.sensitivity),
      sweep: { factors: sweptFactors(points), alternatives: places },
    },
    problems,
    parsed: true,
    complete: tooMany === undefined && alternatives.length === count,
  };
}

/** A point's value of each swept factor, by the factor's path as written, in file order. */
function pointFactors(point: SweepPoint): Record<string, FactorValue> {
  return Object.fromEntries(point.overrides.map((o) => [o.key, factorValue(o.value)]));
}

/**
 * The swept factors in file order, each with its values in file order: the points vary the last
 * factor fastest, so each factor's values first appear in the order the file lists them.
 */
function sweptFactors(points: SweepPoint[]): SweptFactor[] {
  const byPath = new Map<string, FactorValue[]>();
  for (const p of points)
    for (const [path, value] of Object.entries(pointFactors(p))) {
      const values = byPath.get(path) ?? [];
      if (!values.includes(value)) values.push(value);
      byPath.set(path, values);
    }
  return [...byPath].map(([path, values]) => ({ path, values }));
}

function isMappingOfMappings(v: unknown): v is Record<string, Record<string, unknown>> {
  const isMap = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  return isMap(v) && Object.values(v as object).every((x) => x === null || isMap(x));
}

/** Every (alternative × seed) of an experiment, in that order. */
export function runSpecs(exp: Experiment): RunSpec[] {
  const specs: RunSpec[] = [];
  for (const alt of exp.alternatives) {
    for (const seed of exp.seeds) {
      specs.push({
        experiment: exp.name,
        alternative: alt.name,
        seed,
        durationNs: exp.durationNs,
        warmupNs: exp.warmupNs,
        sampleIntervalNs: exp.sampleIntervalNs,
        host: alt.host,
        guests: alt.guests,
      });
    }
  }
  return specs;
}

/** `sensitivity: true` → every constant; `{ constants }` → those; false or absent → none. */
function sensitivityOf(v: RawConfig['sensitivity']): { sensitivity?: string[] } {
  if (v === undefined || v === false) return {};
  return { sensitivity: v === true ? [...ASSUMED_CONSTANT_IDS] : [...new Set<string>(v.constants)] };
}
