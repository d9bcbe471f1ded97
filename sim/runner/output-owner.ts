/**
 * Which files of an output folder are vmisim's, and whether a folder is a vmisim output at all.
 *
 * vmisim owns exactly these names in an output folder, and only when they are regular files:
 *   .vmisim-output.json (the marker), results.json, results.schema.json, summary.csv,
 *   summary-by-alternative.csv, comparison.csv, guest-summary.csv, tidy.csv, tidy.parquet, summary.md,
 *   report.html, timings.json, series/*.csv, charts/*.png, charts/*.svg, charts/*.pdf and runs/*.js.
 * Everything else in the folder (the user's notes, a folder of their own, series/README.txt…) is
 * "foreign": vmisim never removes or changes it, and carries it into each new output
 * (sim/runner/atomic-dir.ts).
 *
 * A folder is a vmisim output when it holds the marker, or — for outputs written before the
 * marker existed — a results.json with `formatVersion` and `vmisimVersion`. vmisim writes only into
 * a place that is absent, an empty folder, or a vmisim output; anything else is refused before any
 * run starts.
 */
import { lstatSync, readdirSync, readFileSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { EXIT_BAD_INPUT } from '../options/input-error.js';
import { OutputError } from './output-error.js';

/** The marker file that says "this folder is a vmisim output". */
export const OUTPUT_MARKER = '.vmisim-output.json';

const OWNED_FILES: ReadonlySet<string> = new Set([
  OUTPUT_MARKER,
  'results.json',
  'results.schema.json',
  'summary.csv',
  'summary-by-alternative.csv',
  'comparison.csv',
  'guest-summary.csv',
  'tidy.csv',
  'tidy.parquet',
  'summary.md',
  'report.html',
  'timings.json',
]);
/** Folders of the output and the extensions of the files vmisim owns in them. */
const OWNED_DIRS: ReadonlyMap<string, readonly string[]> = new Map([
  ['series', ['.csv']],
  ['charts', ['.png', '.svg', '.pdf']],
  ['runs', ['.js']],
]);

const ownedIn = (exts: readonly string[], name: string): boolean => exts.some((x) => name.endsWith(x));

/** The marker's text: it explains itself to whoever opens it. */
export function outputMarkerText(vmisimVersion: string): string {
  const owned = [
    ...[...OWNED_FILES].filter((f) => f !== OUTPUT_MARKER),
    ...[...OWNED_DIRS].flatMap(([dir, exts]) => exts.map((ext) => `${dir}/*${ext}`)),
  ];
  const marker = {
    vmisimOutput: 1,
    vmisimVersion,
    about: `This folder is an output of vmisim. A new run or \`vmisim report\` replaces only the files vmisim writes here (${owned.join(', ')} and this file); it keeps everything else.`,
  };
  return `${JSON.stringify(marker, null, 2)}\n`;
}

/** Whether vmisim owns the name `rel` (relative to the output folder), whatever is there now. */
export function isOwnedName(rel: string): boolean {
  const [top, sub, ...deeper] = rel.split('/');
  if (sub === undefined) return OWNED_FILES.has(top!) || OWNED_DIRS.has(top!);
  const ext = OWNED_DIRS.get(top!);
  return ext !== undefined && deeper.length === 0 && ownedIn(ext, sub);
}

/**
 * The entries of output folder `dir` that vmisim does not own, as paths relative to it, sorted:
 * whole entries at the top, or inside series/ and charts/. An owned name holding the wrong kind of
 * thing (a folder called report.html) is foreign too.
 */
export function foreignEntries(dir: string): string[] {
  const foreign: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const st = lstatSync(join(dir, name));
    if (OWNED_FILES.has(name) && st.isFile()) continue;
    const ext = OWNED_DIRS.get(name);
    if (ext === undefined || !st.isDirectory()) {
      foreign.push(name);
      continue;
    }
    for (const sub of readdirSync(join(dir, name)).sort()) {
      if (!(ownedIn(ext, sub) && lstatSync(join(dir, name, sub)).isFile())) foreign.push(`${name}/${sub}`);
    }
  }
  return foreign;
}

/**
 * Removes what vmisim owns in `dir`, then `dir` itself if nothing else is left. Never removes
 * anything else. Returns whether `dir` is gone.
 */
export function removeOwned(dir: string): boolean {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (OWNED_FILES.has(name) && st.isFile()) unlinkSync(path);
    const ext = OWNED_DIRS.get(name);
    if (ext === undefined || !st.isDirectory()) continue;
    for (const sub of readdirSync(path)) {
      if (ownedIn(ext, sub) && lstatSync(join(path, sub)).isFile()) unlinkSync(join(path, sub));
    }
    removeIfEmpty(path);
  }
  return removeIfEmpty(dir);
}

function removeIfEmpty(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (e as NodeJS.ErrnoException).code === 'EEXIST')
      return false;
    throw e;
  }
}

/** What is at an output location vmisim may write. */
export type OutputPlace = 'absent' | 'empty' | 'ours';

/**
 * What is at `target` (shown to the user as `shown`). Throws an OutputError (exit 2) when vmisim
 * must not write there: a file, a folder that is not a vmisim output, or a vmisim output where
 * something not vmisim's sits under a name vmisim writes. File-system errors are thrown as they are.
 */
export function inspectOutput(target: string, shown: string): OutputPlace {
  const st = lstatOrUndefined(target);
  if (st === undefined) return 'absent';
  const refuse = (what: string) =>
    new OutputError(`${shown} ${what}; choose another --out (a new or empty folder)`, EXIT_BAD_INPUT);
  if (!st.isDirectory()) throw refuse(`exists and is ${kindOf(st)}, not a folder`);
  const names = readdirSync(target).sort();
  if (names.length === 0) return 'empty';
  if (!isVmisimOutput(target)) {
    const shownNames = names
      .slice(0, 3)
      .map((n) => (lstatOrUndefined(join(target, n))?.isDirectory() ? `${n}/` : n));
    const list =
      names.length > 3
        ? `${names.length} entries, among them ${listWords(shownNames)}`
        : listWords(shownNames);
    throw refuse(`exists and is not a vmisim output folder (it holds ${list}, and no vmisim marker)`);
  }
  const inTheWay = foreignEntries(target).find(isOwnedName);
  if (inTheWay !== undefined) {
    const what = kindOf(lstatSync(join(target, inTheWay)));
    throw new OutputError(
      `${shown}/${inTheWay} is in the way: vmisim writes ${inTheWay} in its output folder, but this is ${what} vmisim did not write; move it elsewhere and try again`,
      EXIT_BAD_INPUT,
    );
  }
  return 'ours';
}

/** Whether folder `dir` holds the marker, or a results.json of a vmisim from before the marker. */
export function isVmisimOutput(dir: string): boolean {
  const marker = readJsonObject(join(dir, OUTPUT_MARKER));
  if (typeof marker?.vmisimOutput === 'number') return true;
  const results = readJsonObject(join(dir, 'results.json'));
  return typeof results?.formatVersion === 'number' && typeof results.vmisimVersion === 'string';
}

/** The JSON object in regular file `path`; undefined if there is none or it is not a JSON object. */
function readJsonObject(path: string): Record<string, unknown> | undefined {
  if (!lstatOrUndefined(path)?.isFile()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function kindOf(st: Stats): string {
  if (st.isFile()) return 'a file';
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

/** ['a', 'b', 'c'] → "a, b and c". */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}
