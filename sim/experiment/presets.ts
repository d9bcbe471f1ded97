/**
 * Workload presets: a workload written once in its own YAML file and used by many guests.
 *   guests[].workload: { preset: web-frontend, ratePerS: 300 }     a file of experiments/workloads/
 *   guests[].workload: { include: ../my-mixes/db.yaml }            any file, relative to the experiment
 * A preset file holds `description` (one line, shown by `vmisim list workloads`) and `workload` (an
 * ordinary workload: `type` and options). Keys written beside `preset`/`include` override the
 * file's; the result is validated like any other workload. The preset itself is validated against
 * its workload's declaration when read, so a mistake in it is reported in the preset file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from '../../workloads/registry.js';
import type { WorkloadDecl } from '../../workloads/types.js';
import { pluginNamed } from '../options/plugin.js';
import { issuesPerKey, UNKNOWN_KEY_PREFIX, suggest } from '../options/fields.js';
import { formatFieldPath, InputError } from '../options/input-error.js';
import { readInputFile } from '../options/read-input.js';
import { YamlBudget, YamlSource, type Source } from './yaml-source.js';

export interface WorkloadPreset {
  name: string;
  description: string;
  file: string;
  /** `type` and options, as written. */
  workload: Record<string, unknown>;
}

/** experiments/workloads of this package (dist/sim/experiment when built, sim/experiment in tests). */
export function presetDir(): string {
  for (const up of ['../../../experiments/workloads', '../../experiments/workloads']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('the workload presets folder experiments/workloads of vmisim was not found');
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads and checks one preset file. */
export function loadPresetFile(file: string, name: string): WorkloadPreset {
  const budget = new YamlBudget();
  const read = readInputFile(file, budget.bytesLeft, budget.describeBytesLimit());
  if (!read.ok) throw new InputError({ file }, undefined, `cannot read workload preset: ${read.why}`);
  return checkPreset(file, name, read.text, budget);
}

/** Checks the text of a preset file; its bytes and values count against `budget`. */
function checkPreset(file: string, name: string, text: string, budget: YamlBudget): WorkloadPreset {
  const src = YamlSource.parse(file, text, budget);
  const raw = src.toJS();
  const at = (path: (string | number)[], problem: string, key = false): never => {
    const loc = src.locate(path, key);
    throw new InputError({ file, line: loc.line, col: loc.col }, formatFieldPath(path), problem);
  };
  if (!isMapping(raw)) return at([], 'expected a mapping with description and workload');
  for (const k of Object.keys(raw)) {
    if (k !== 'description' && k !== 'workload')
      at([k], `${UNKNOWN_KEY_PREFIX} '${k}': a preset has description and workload`, true);
  }
  if (typeof raw.description !== 'string' || raw.description === '')
    at(['description'], 'expected a one-line description of the preset');
  const w = raw.workload;
  if (!isMapping(w)) return at(['workload'], 'expected a workload mapping with type and options');
  if ('preset' in w || 'include' in w) at(['workload'], 'a preset cannot itself name a preset or include');
  const type = w.type;
  const decl = typeof type === 'string' ? pluginNamed<WorkloadDecl<unknown>>(WORKLOADS, type) : undefined;
  if (decl === undefined) {
    const names = Object.keys(WORKLOADS);
    const s = typeof type === 'string' ? suggest(type, names) : undefined;
    at(['workload', 'type'], `expected one of ${names.join(', ')}${s ? `; did you mean '${s}'?` : ''}`);
  }
  const { type: _t, ...options } = w;
  const r = decl!.options.safeParse(options);
  if (!r.success) {
    const { path, message, isKey } = issuesPerKey(r.error.issues[0]!)[0]!;
    at(['workload', ...(path as (string | number)[])], message, isKey);
  }
  return { name, description: raw.description as string, file, workload: w };
}

/** Every preset shipped in experiments/workloads, by name. */
export function listPresets(): WorkloadPreset[] {
  const dir = presetDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => loadPresetFile(join(dir, f), f.slice(0, -'.yaml'.length)));
}

/**
 * The preset and include files of one experiment: each read and checked once however many guests
 * and alternatives name it (its problem, if any, kept and thrown again), against the experiment's
 * budget of bytes and values.
 */
export class PresetFiles {
  private readonly read = new Map<string, WorkloadPreset | InputError>();
  constructor(private readonly budget = new YamlBudget()) {}

  /** The preset in `file`; `unreadable` says why the file cannot be read where it is named. */
  load(file: string, name: string, unreadable: (why: string) => never): WorkloadPreset {
    let p = this.read.get(file);
    if (p === undefined) {
      const read = readInputFile(file, this.budget.bytesLeft, this.budget.describeBytesLimit());
      if (!read.ok) return unreadable(read.why);
      try {
        p = checkPreset(file, name, read.text, this.budget);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        p = e;
      }
      this.read.set(file, p);
    }
    if (p instanceof InputError) throw p;
    return p;
  }
}

/**
 * Replaces every `guests[i].workload` that names a preset or include with the preset's workload and
 * the keys written beside it. `data` is the raw experiment (mutated); `src` locates errors in it.
 * A problem with one guest's reference goes to `problems` and the others are still expanded;
 * returns the guest entries whose reference failed (their workload is left as written).
 */
export function expandWorkloadRefs(
  src: Source,
  data: unknown,
  files: PresetFiles,
  problems: InputError[],
): Set<number> {
  const failed = new Set<number>();
  if (!isMapping(data) || !Array.isArray(data.guests)) return failed;
  data.guests.forEach((g: unknown, gi: number) => {
    try {
      expandOne(src, g, gi, files);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(e);
      failed.add(gi);
    }
  });
  return failed;
}

/** expandWorkloadRefs for guest entry `g` (index `gi`); throws its problem. */
function expandOne(src: Source, g: unknown, gi: number, files: PresetFiles): void {
  if (!isMapping(g) || !isMapping(g.workload)) return;
  const w = g.workload;
  const byName = 'preset' in w;
  if (!byName && !('include' in w)) return;
  const key = byName ? 'preset' : 'include';
  const at = (path: (string | number)[], problem: string): never => {
    const loc = src.locate(['guests', gi, 'workload', ...path]);
    throw new InputError(
      { file: loc.file, line: loc.line, col: loc.col },
      formatFieldPath(['guests', gi, 'workload', ...path]),
      problem,
    );
  };
  if ('preset' in w && 'include' in w) at(['include'], 'give either preset or include, not both');
  if ('type' in w) at(['type'], `give either type or ${key}: the ${key} sets the type`);
  const ref = w[key];
  if (typeof ref !== 'string' || ref === '')
    return at([key], `expected a ${byName ? 'preset name' : 'file path'}`);
  let preset: WorkloadPreset;
  if (byName) {
    const dir = presetDir();
    const file = join(dir, `${ref}.yaml`);
    if (/[/\\]/.test(ref) || !existsSync(file)) {
      const names = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => f.slice(0, -5))
        .sort();
      const s = suggest(ref, names);
      at(
        ['preset'],
        `no workload preset '${ref}'${s ? `; did you mean '${s}'?` : ''} (presets: ${names.join(', ')})`,
      );
    }
    preset = files.load(file, ref, (why) => at(['preset'], `cannot read preset '${ref}': ${why}`));
  } else {
    const file = resolve(dirname(src.file), ref);
    preset = files.load(file, ref, (why) =>
      at(
        ['include'],
        why === 'no such file'
          ? `no such file: ${ref} (paths are relative to the experiment file)`
          : `cannot read ${ref}: ${why}`,
      ),
    );
  }
  const { [key]: _ref, ...overrides } = w;
  g.workload = { ...structuredClone(preset.workload), ...overrides };
}
