/**
 * From an experiment file to validated, expanded alternatives and RunSpecs. The one place where
 * YAML meets the schema: every problem becomes an InputError at file:line:column with the field
 * path, what was expected and what was found.
 *
 * Alternatives: `compare: { alt: { dotted.path: value } }` — each alternative is the base
 * experiment with its overrides applied, validated as a whole. Path segments that are numbers
 * index lists; other segments on the guest list pick the guest entry of that name.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { configSchema, MEMORY_SHARE_LEVELS, SHARE_LEVELS, type RawConfig } from './schema.js';
import { UNKNOWN_KEY_PREFIX } from './fields.js';
import { formatFieldPath, InputError, InputErrors, parseFieldPath, throwProblems } from './input-error.js';
import { LayeredSource, MAX_YAML_VALUES, YamlBudget, YamlSource, type Source } from './yaml-source.js';
import { expandWorkloadRefs, PresetFiles } from './presets.js';
import { resolveIncludes } from './includes.js';
import { readInputFile } from './read-input.js';
import {
  cycleCounterProblem,
  type FieldProblem,
  guestCountProblem,
  MAX_GUESTS_IN_ALL_ALTERNATIVES,
  MAX_RUNS,
  MAX_VALUES_CHECKED,
  overheadProblem,
} from './limits.js';
import { LOWMEM_PAGES } from '../guest/memory.js';
import type { GuestCpuSpec, GuestSpec, HostSpec, RunSpec } from './run-spec.js';
import { WORKLOADS } from '../../workloads/registry.js';
import type { WorkloadLoadContext } from '../../workloads/types.js';
import { BYTES_PER_MIB, formatBytes, formatDurationNs, PAGE_SIZE_BYTES } from './units.js';

export interface Alternative {
  name: string;
  host: HostSpec;
  guests: GuestSpec[];
}

export interface Experiment {
  name: string;
  description: string | undefined;
  file: string;
  /** sha256 of the file's bytes (hex). */
  fileHash: string;
  durationNs: number;
  warmupNs: number;
  sampleIntervalNs: number;
  seeds: number[];
  alternatives: Alternative[];
}

interface Override {
  key: string;
  path: (string | number)[];
  value: unknown;
  /** Who set it, for messages: `compare.static`, `sweep host.pcpus=4`. */
  label: string;
  /** Where its value and its key are in the file. */
  valueAt: (string | number)[];
  keyAt: (string | number)[];
}

/** An experiment as far as it could be read, and every problem found in it. */
export interface LoadOutcome {
  /**
   * Defined when the base experiment is valid: with problems, it holds the alternatives that could
   * be expanded (what checks of the whole, such as the memory estimate, can still look at).
   */
  experiment: Experiment | undefined;
  problems: InputError[];
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

/** Reads an experiment file (a regular file within the size limit, see read-input.ts) and validates it. */
export function readExperimentFile(file: string): LoadOutcome {
  const budget = new YamlBudget();
  const read = readInputFile(file, budget.bytesLeft, budget.describeBytesLimit());
  if (!read.ok)
    return {
      experiment: undefined,
      problems: [new InputError({ file }, undefined, `cannot read experiment: ${read.why}`)],
    };
  return readExperimentText(file, read.text, budget);
}

/** Validates experiment text, collecting every problem rather than stopping at the first. */
export function readExperimentText(file: string, text: string, budget = new YamlBudget()): LoadOutcome {
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
    };
  }
  return checkExperiment(file, text, parsed.src, parsed.raw, MAX_YAML_VALUES - budget.valuesLeft, {
    presets: new PresetFiles(budget),
    workload: workloadLoadContext(dirname(file)),
    guestsLeft: MAX_GUESTS_IN_ALL_ALTERNATIVES,
  });
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

/** What is shared by the checks of one experiment's alternatives. */
interface LoadContext {
  presets: PresetFiles;
  workload: WorkloadLoadContext;
  /** Guests the alternatives not yet expanded may still have (MAX_GUESTS_IN_ALL_ALTERNATIVES). */
  guestsLeft: number;
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

/** Every check of a parsed experiment of `values` values; see readExperimentText. */
function checkExperiment(
  file: string,
  text: string,
  src: Source,
  raw: Record<string, unknown>,
  values: number,
  ctx: LoadContext,
): LoadOutcome {
  // Every problem in the file is reported at once: the schema issues of the base experiment, then
  // every check of every alternative (an alternative repeats the base's problems; duplicates go).
  const problems: InputError[] = [];
  const collect = (e: unknown) => {
    if (e instanceof InputErrors) problems.push(...e.errors);
    else if (e instanceof InputError) problems.push(e);
    else throw e;
  };
  let base: RawConfig | undefined;
  try {
    base = validate(src, raw, [], ctx);
  } catch (e) {
    collect(e);
  }
  const report = (path: (string | number)[], problem: string) =>
    problems.push(errorAt(src, path, [], problem));
  let seeds: number[] = [];
  if (base !== undefined) {
    if (base.duration <= 0) report(['duration'], 'duration must be longer than 0');
    if (base.sampleInterval <= 0 || base.sampleInterval > base.duration)
      report(['sampleInterval'], 'sampleInterval must be longer than 0 and at most the duration');
    else if (base.warmup >= base.duration || base.warmup % base.sampleInterval !== 0)
      report(
        ['warmup'],
        `warmup must be shorter than the duration and a whole number of sample intervals (${formatDurationNs(base.sampleInterval)})`,
      );
    seeds = typeof base.seeds === 'number' ? Array.from({ length: base.seeds }, (_, i) => i + 1) : base.seeds;
    if (new Set(seeds).size !== seeds.length) report(['seeds'], 'seeds must be distinct');
  }
  // Without a valid base, the alternatives are still checked if `compare` is a mapping of mappings.
  const rawCompare = raw.compare;
  const hasCompare = base?.compare !== undefined || (base === undefined && isMappingOfMappings(rawCompare));
  const compare =
    base?.compare ?? (base === undefined && isMappingOfMappings(rawCompare) ? rawCompare : { default: {} });
  let points: { name: string; overrides: Override[] }[] = [{ name: '', overrides: [] }];
  try {
    if (base?.sweep !== undefined) points = sweepPoints(src, raw, base.sweep);
  } catch (e) {
    collect(e);
  }
  // How many alternatives there will be, judged before any is built.
  const count = Object.keys(compare).length * points.length;
  const whereCount = base?.sweep !== undefined ? 'sweep' : hasCompare ? 'compare' : 'seeds';
  const notChecked = 'the alternatives were not checked';
  let tooMany: string | undefined;
  if (count * Math.max(1, seeds.length) > MAX_RUNS)
    tooMany = `${count} alternatives × ${seeds.length} seeds = ${count * seeds.length} runs, more than ${MAX_RUNS}; ${notChecked}`;
  else if (count * values > MAX_VALUES_CHECKED)
    tooMany = `${count} alternatives × ${values} values (each alternative is the whole experiment checked again) = ${count * values}, more than ${MAX_VALUES_CHECKED}; narrow the sweep or the file; ${notChecked}`;
  if (tooMany !== undefined) problems.push(errorAt(src, [whereCount], [], tooMany, true));
  const alternatives: Alternative[] = [];
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
      try {
        const overrides = [...altOverrides, ...point.overrides];
        const merged = structuredClone(raw);
        delete merged.compare;
        delete merged.sweep;
        for (const o of overrides) setPath(merged, o.path, structuredClone(o.value));
        const cfg = validate(src, merged, overrides, ctx);
        const expanded = expand(src, cfg, overrides, problems, ctx);
        if (expanded !== undefined) alternatives.push({ name, ...expanded });
      } catch (e) {
        collect(e);
      }
    }
  }
  if (base === undefined) return { experiment: undefined, problems };
  return {
    experiment: {
      name: base.name,
      description: base.description,
      file,
      fileHash: createHash('sha256').update(text).digest('hex'),
      durationNs: base.duration,
      warmupNs: base.warmup,
      sampleIntervalNs: base.sampleInterval,
      seeds,
      alternatives,
    },
    problems,
  };
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

function validate(src: Source, data: unknown, overrides: Override[], ctx: LoadContext): RawConfig {
  const expanded = structuredClone(data);
  expandWorkloadRefs(src, expanded, ctx.presets);
  const r = configSchema.safeParse(expanded);
  if (r.success) return r.data;
  const errors = relevantIssues(r.error.issues).flatMap((issue) => {
    const isKey = issue.code === 'unrecognized_keys' || issue.message.startsWith(UNKNOWN_KEY_PREFIX);
    // One error per unknown key (zod lists all of an object's unknown keys in one issue).
    const paths =
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    return paths.map((path) => errorAt(src, path as (string | number)[], overrides, issue.message, isKey));
  });
  throwProblems(errors);
  throw new Error('unreachable: a failed parse has issues');
}

const isUnknownKey = (i: z.core.$ZodIssue) =>
  i.code === 'unrecognized_keys' || i.message.startsWith(UNKNOWN_KEY_PREFIX);

/**
 * The issues worth reporting: a misspelt key also makes the real one look missing, so where an
 * object has an unknown key, its "missing" fields are left out (the unknown key's message already
 * suggests the right name).
 */
function relevantIssues(issues: z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const parentOf = (i: z.core.$ZodIssue) =>
    (i.code === 'unrecognized_keys' ? i.path : i.path.slice(0, -1)).map(String).join('.');
  const withUnknown = new Set(issues.filter(isUnknownKey).map(parentOf));
  return issues.filter((i) => isUnknownKey(i) || i.input !== undefined || !withUnknown.has(parentOf(i)));
}

/** Throws the InputError for `path` (see errorAt). */
function fail(
  src: Source,
  path: (string | number)[],
  overrides: Override[],
  problem: string,
  isKey = false,
): never {
  throw errorAt(src, path, overrides, problem, isKey);
}

/** The InputError for `path`, located in the override that set it if there is one. */
function errorAt(
  src: Source,
  path: (string | number)[],
  overrides: Override[],
  problem: string,
  isKey = false,
): InputError {
  const field = formatFieldPath(path);
  // The last override wins where a compare alternative and a sweep set the same path.
  const o = [...overrides].reverse().find((ov) => isPrefix(ov.path, path) || isPrefix(path, ov.path));
  if (o !== undefined) {
    // The problem is in an override. If the override sets the field (or something around it),
    // point into its value; if it passes through a bad key, point at the override's key.
    const inValue = isPrefix(o.path, path);
    const loc = inValue
      ? src.locate([...o.valueAt, ...path.slice(o.path.length)], isKey)
      : src.locate(o.keyAt, true);
    const found = inValue && !isKey ? loc.found : undefined;
    return new InputError(
      { file: loc.file, line: loc.line, col: loc.col },
      `${o.label}: ${field}`,
      withFound(problem, found, isKey),
    );
  }
  const loc = src.locate(path, isKey);
  return new InputError(
    { file: loc.file, line: loc.line, col: loc.col },
    field,
    withFound(problem, loc.found, isKey),
  );
}

function withFound(problem: string, found: string | undefined, isKey: boolean): string {
  // Messages that already quote what was found (unknown names, unknown units) say it once.
  if (isKey || problem.includes(', found ') || (found !== undefined && problem.includes(`'${found}'`)))
    return problem;
  return `${problem}, found ${found ?? 'nothing'}`;
}

function isPrefix(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length <= b.length && a.every((s, i) => String(s) === String(b[i]));
}

/**
 * The path a dotted override key names in the raw experiment (`guests.web.kernel.clock` →
 * `['guests', 0, 'kernel', 'clock']`): numbers index lists; other segments on a list pick the
 * entry of that name. `keyAt` locates the key for messages.
 */
function resolvePath(
  src: Source,
  raw: Record<string, unknown>,
  key: string,
  keyAt: (string | number)[],
): (string | number)[] {
  const path: (string | number)[] = [];
  let cur: unknown = raw;
  for (const seg of key.split('.')) {
    if (seg === '') fail(src, keyAt, [], `empty segment in override path '${key}'`, true);
    if (Array.isArray(cur)) {
      const idx = /^[0-9]+$/.test(seg)
        ? Number(seg)
        : cur.findIndex((g) => (g as { name?: unknown })?.name === seg);
      if (idx < 0 || idx >= cur.length) {
        const names = cur.map((g) => (g as { name?: unknown })?.name).filter((n) => typeof n === 'string');
        fail(
          src,
          keyAt,
          [],
          `no list entry '${seg}' in override path '${key}'; entries: ${names.join(', ')}`,
          true,
        );
      }
      path.push(idx);
      cur = cur[idx];
    } else {
      path.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

/** The overrides of compare alternative `alt`: `{ 'host.balloon.policy': 'static' }` → paths. */
function compareOverrides(
  src: Source,
  raw: Record<string, unknown>,
  alt: string,
  overrides: Record<string, unknown>,
): Override[] {
  return Object.entries(overrides).map(([key, value]) => {
    const at = ['compare', alt, key];
    return {
      key,
      path: resolvePath(src, raw, key, at),
      value,
      label: `compare.${alt}`,
      valueAt: at,
      keyAt: at,
    };
  });
}

/** Most runs one experiment may expand to (alternatives × sweep points × seeds); see limits.ts. */
export { MAX_RUNS };

/** A sweep value as it appears in an alternative's name. */
function sweepLabel(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : JSON.stringify(v);
}

/**
 * The points of `sweep:` — every combination of its keys' values (the last key varying fastest),
 * each a list of overrides and a name part `host.pcpus=4,guests.web.count=2`. Values are a list,
 * or an inclusive numeric range `{ from, to, step }`.
 */
function sweepPoints(
  src: Source,
  raw: Record<string, unknown>,
  sweep: NonNullable<RawConfig['sweep']>,
): { name: string; overrides: Override[] }[] {
  let points: { name: string; overrides: Override[] }[] = [{ name: '', overrides: [] }];
  for (const [key, spec] of Object.entries(sweep)) {
    const keyAt = ['sweep', key];
    const path = resolvePath(src, raw, key, keyAt);
    const values: { value: unknown; valueAt: (string | number)[] }[] = Array.isArray(spec)
      ? spec.map((value, i) => ({ value, valueAt: [...keyAt, i] }))
      : rangeValues(src, keyAt, spec).map((value) => ({ value, valueAt: keyAt }));
    // Judged before the points are built: a few long lists multiply fast.
    if (points.length * values.length > MAX_RUNS)
      fail(src, keyAt, [], `the sweep has more than ${MAX_RUNS} points; narrow it`, true);
    points = points.flatMap((p) =>
      values.map(({ value, valueAt }) => {
        const label = `${key}=${sweepLabel(value)}`;
        return {
          name: p.name === '' ? label : `${p.name},${label}`,
          overrides: [...p.overrides, { key, path, value, label: `sweep ${label}`, valueAt, keyAt }],
        };
      }),
    );
  }
  return points;
}

/** from, from + step, … ≤ to (values rounded to 12 significant digits against drift). */
function rangeValues(
  src: Source,
  at: (string | number)[],
  r: { from: number; to: number; step: number },
): number[] {
  if (r.to < r.from) fail(src, at, [], `range from ${r.from} to ${r.to}: 'to' must be at least 'from'`);
  const n = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  if (n > MAX_RUNS)
    fail(src, at, [], `range from ${r.from} to ${r.to} by ${r.step} has ${n} values, more than ${MAX_RUNS}`);
  return Array.from({ length: n }, (_, i) => Number((r.from + i * r.step).toPrecision(12)));
}

function setPath(obj: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = cur[seg];
    if (next === null || typeof next !== 'object') cur[seg] = {};
    cur = cur[seg] as Record<string | number, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

/** A guest's `cpu` block checked against the host it runs on, with shares as a number. */
function resolveCpu(
  src: Source,
  cfg: RawConfig,
  gi: number,
  overrides: Override[],
  problems: InputError[],
): GuestCpuSpec {
  const report = (path: (string | number)[], problem: string) =>
    problems.push(errorAt(src, path, overrides, problem));
  const g = cfg.guests[gi]!;
  const c = g.cpu;
  const at = (...f: (string | number)[]) => ['guests', gi, 'cpu', ...f];
  if (c.cap > 100 * g.vcpus)
    report(
      at('cap'),
      `cap ${c.cap}% is more than the guest's ${g.vcpus} vCPU(s) can use (at most ${100 * g.vcpus})`,
    );
  const capacityMHz = g.vcpus * cfg.host.cpuMHz;
  if (c.reservation > capacityMHz)
    report(
      at('reservation'),
      `reservation ${c.reservation} MHz is more than the guest's ${g.vcpus} vCPU(s) at ${cfg.host.cpuMHz} MHz can use (${capacityMHz} MHz)`,
    );
  if (c.limit > 0 && c.limit < c.reservation)
    report(at('limit'), `limit ${c.limit} MHz is below the reservation (${c.reservation} MHz)`);
  c.affinity?.forEach((p, k) => {
    if (p >= cfg.host.pcpus)
      report(at('affinity', k), `pCPU ${p} does not exist (the host has pCPUs 0..${cfg.host.pcpus - 1})`);
  });
  return {
    weight: c.weight,
    capPct: c.cap,
    sharesPerVcpu: typeof c.shares === 'number' ? c.shares : SHARE_LEVELS[c.shares],
    reservationMHz: c.reservation,
    limitMHz: c.limit,
    affinity: c.affinity === undefined ? null : [...new Set(c.affinity)].sort((a, b) => a - b),
  };
}

/**
 * Guests with `count` become individual guests; names must end up unique. Counts are checked first
 * (limits.ts): with too many guests, each entry is still checked but none is copied, and the
 * alternative is left out (undefined).
 */
function expand(
  src: Source,
  cfg: RawConfig,
  overrides: Override[],
  problems: InputError[],
  ctx: LoadContext,
): { host: HostSpec; guests: GuestSpec[] } | undefined {
  const report = (p: FieldProblem | undefined) => {
    if (p !== undefined) problems.push(errorAt(src, p.path, overrides, p.problem));
  };
  const total = cfg.guests.reduce((n, g) => n + g.count, 0);
  const tooMany = guestCountProblem(cfg) ?? guestsInAllProblem(total, ctx);
  report(tooMany);
  const copies = tooMany === undefined;
  if (copies) ctx.guestsLeft -= total;
  report(overheadProblem(cfg, total, isWritten(src, overrides, ['host', 'guestOverhead'])));
  report(cycleCounterProblem(cfg));
  const guests = expandGuests(src, cfg, overrides, problems, ctx, copies);
  const host = hostSpec(src, cfg, overrides, problems);
  return copies ? { host, guests } : undefined;
}

/** Past the guests all alternatives may have together (reported once per experiment). */
function guestsInAllProblem(total: number, ctx: LoadContext): FieldProblem | undefined {
  if (total <= ctx.guestsLeft) return undefined;
  if (ctx.guestsLeft < 0) return undefined; // said already
  ctx.guestsLeft = -1;
  return {
    path: ['guests'],
    problem: `expected at most ${MAX_GUESTS_IN_ALL_ALTERNATIVES} guests summed over all alternatives, found more (this alternative alone has ${total}); narrow the sweep or run fewer guests`,
  };
}

/** True if the file or an override writes `path` (or a mapping around it). */
function isWritten(src: Source, overrides: Override[], path: (string | number)[]): boolean {
  return (
    src.locate(path).depth === path.length ||
    overrides.some((o) => isPrefix(o.path, path) || isPrefix(path, o.path))
  );
}

/** The guests of an alternative, each entry checked, copied `count` times if `copies`. */
function expandGuests(
  src: Source,
  cfg: RawConfig,
  overrides: Override[],
  problems: InputError[],
  ctx: LoadContext,
  copies: boolean,
): GuestSpec[] {
  const report = (path: (string | number)[], problem: string) =>
    problems.push(errorAt(src, path, overrides, problem));
  const guests: GuestSpec[] = [];
  const seen = new Map<string, number>();
  cfg.guests.forEach((g, gi) => {
    const usableBytes = g.memory - g.kernel.reserved;
    // i386 addresses 4 GiB of physical memory; PAE's 36-bit addresses, 64 GiB.
    const maxBytes = (g.pae ? 64 : 4) * 1024 ** 3;
    if (g.memory > maxBytes)
      report(
        ['guests', gi, 'memory'],
        `an i386 guest ${g.pae ? 'with PAE addresses at most 64GiB' : 'without PAE addresses at most 4GiB (set pae: true for up to 64GiB)'}`,
      );
    if (g.balloon.min !== undefined && g.balloon.min > g.memory)
      report(
        ['guests', gi, 'balloon', 'min'],
        `balloon.min ${formatBytes(g.balloon.min)} is more than the guest's memory (${formatBytes(g.memory)})`,
      );
    // The kernel's own memory lives in lowmem, the 896 MiB an i386 kernel maps directly.
    if (g.kernel.reserved > LOWMEM_PAGES * PAGE_SIZE_BYTES)
      report(
        ['guests', gi, 'kernel', 'reserved'],
        `the kernel reserve lives in lowmem, the 896MiB an i386 kernel maps directly; ${formatBytes(g.kernel.reserved)} does not fit`,
      );
    if (usableBytes <= 0) {
      report(
        ['guests', gi, 'kernel', 'reserved'],
        `the kernel reserve must be smaller than the guest's memory (${g.memory} bytes)`,
      );
      return; // nothing else about this guest can be judged
    }
    const decl = WORKLOADS[g.workload.name]!;
    // External input the workload names (a trace file) is read first, once, here: its errors stop
    // the run before any output exists, `check` sees its contents and the workers get plain data.
    let workload = g.workload;
    try {
      if (decl.load !== undefined)
        workload = {
          name: g.workload.name,
          options: decl.load(g.workload.options, ctx.workload),
        };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(e); // a bad trace: reported with the rest; its workload is not checked further
      return;
    }
    const problem = decl.check?.(workload.options, {
      vcpus: g.vcpus,
      usablePages: Math.floor(usableBytes / PAGE_SIZE_BYTES),
    });
    if (problem !== undefined)
      report(['guests', gi, 'workload', ...parseFieldPath(problem.field)], problem.problem);
    const cpu = resolveCpu(src, cfg, gi, overrides, problems);
    const clockAbi = { vmi: 'vmi', 'xen-pvclock': 'xen' } as const;
    if (g.kernel.clock === 'vmi' || g.kernel.clock === 'xen-pvclock') {
      const needs = clockAbi[g.kernel.clock];
      if (cfg.host.abi !== needs)
        report(
          ['guests', gi, 'kernel', 'clock'],
          `clock '${g.kernel.clock}' needs host.abi ${needs}, but the host offers ${cfg.host.abi}; use 'tick-counting', 'auto' or the matching interface`,
        );
    }
    for (let i = 1; copies && i <= g.count; i++) {
      const name = g.name.includes('{i}')
        ? g.name.replaceAll('{i}', String(i))
        : g.count > 1
          ? `${g.name}-${i}`
          : g.name;
      if (seen.has(name)) {
        report(
          ['guests', gi, 'name'],
          `guest name '${name}' is used twice (also by guests[${seen.get(name)}])`,
        );
        return; // one report per guest entry, not one per copy
      }
      seen.set(name, gi);
      guests.push({
        name,
        vcpus: g.vcpus,
        cpu,
        memoryBytes: g.memory,
        kernelReservedBytes: g.kernel.reserved,
        minFreeBytes: g.kernel.minFree,
        swapBytes: g.kernel.swap ?? g.memory,
        deflateOnOom: g.kernel.deflateOnOom,
        swapLatencyNs: g.kernel.swapLatency,
        balloon: {
          minBytes: g.balloon.min ?? g.kernel.reserved + g.kernel.minFree,
          shares:
            (typeof g.balloon.shares === 'number'
              ? g.balloon.shares
              : MEMORY_SHARE_LEVELS[g.balloon.shares]) *
            (g.memory / BYTES_PER_MIB),
          weight: g.balloon.weight,
        },
        clock: g.kernel.clock,
        hz: g.kernel.hz,
        vmiAlarmHz: g.kernel.vmiAlarmHz,
        timeSync: g.kernel.timeSync,
        workload,
      });
    }
  });
  return guests;
}

/** The host of an alternative, its cross-field checks reported to `problems`. */
function hostSpec(src: Source, cfg: RawConfig, overrides: Override[], problems: InputError[]): HostSpec {
  const h = cfg.host;
  const ms = h.memoryStates;
  if (!(ms.high > ms.soft && ms.soft > ms.hard && ms.hard > ms.low))
    problems.push(
      errorAt(
        src,
        ['host', 'memoryStates'],
        overrides,
        `thresholds must fall: high > soft > hard > low, found ${ms.high}/${ms.soft}/${ms.hard}/${ms.low} %`,
      ),
    );
  return {
    pcpus: h.pcpus,
    memoryBytes: h.memory,
    cpuMHz: h.cpuMHz,
    abi: h.abi,
    costs: h.costs,
    vmiRom: h.vmiRom,
    scheduler: h.scheduler,
    balloon: h.balloon,
    timer: h.timer,
    guestOverheadBytes: h.guestOverhead,
    swapRateBytesPerS: h.swapRate,
    swapLatencyNs: h.swapLatency,
    memoryStates: {
      high: h.memoryStates.high / 100,
      soft: h.memoryStates.soft / 100,
      hard: h.memoryStates.hard / 100,
      low: h.memoryStates.low / 100,
      hysteresis: h.memoryStates.hysteresis / 100,
    },
    sampling: { pages: h.sampling.pages, periodNs: h.sampling.period },
    sharing: h.sharing,
  };
}
