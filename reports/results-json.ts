/**
 * Deterministic serialization of a ResultsFile to the bytes of results.json.
 *
 * Same input ⇒ same bytes, whatever order the producer happened to insert keys in: objects are
 * written in the key order declared by the schema, record-like maps (metrics, interface calls) in a
 * defined order, numbers as JavaScript prints them. Arrays of plain numbers/strings go on one line
 * so a long time series stays one line per column instead of one line per sample.
 */
import { parseResultsFile } from '../sim/results/schema.js';
import type { ResultsFile, RunResult } from '../sim/results/types.js';

/**
 * Returns the bytes of results.json for `r`: validated (throws with every offending path when `r`
 * does not match the schema, including non-finite numbers), keys in declared order, 2-space
 * indentation, primitive arrays on one line, trailing newline. Contains nothing from the wall clock.
 */
export function serializeResults(r: ResultsFile): string {
  const parsed = parseResultsFile(r);
  const json = resultsJsonPieces(parsed, parsed.runs.length);
  const parts = [json.head];
  parsed.runs.forEach((run, i) => json.run(run, i, (s) => parts.push(s)));
  parts.push(json.tail);
  return parts.join('');
}

/**
 * results.json in pieces, so it can be written one run at a time without the whole text (or every
 * run's series) in memory: `head`, then what `run(runs[i], i, write)` writes for each of the
 * `runCount` runs in order, then `tail` — exactly the bytes serializeResults gives. `header` (the
 * file without its runs) must already be validated (parseResultsFile: keys in declared order), and so
 * must each run (parseRunResult); `run` reorders the run's records in place.
 */
export function resultsJsonPieces(
  header: Omit<ResultsFile, 'runs'>,
  runCount: number,
): {
  head: string;
  run: (run: RunResult, index: number, write: (text: string) => void) => void;
  tail: string;
} {
  const { runs: _runs, ...rest } = header as Partial<ResultsFile>;
  const declared = header.metrics.map((m) => m.id);
  const none = runCount === 0;
  // formatJson(rest) ends with "\n}": the runs member goes before that brace.
  const head = `${formatJson(rest, '').slice(0, -2)},\n  "runs": ${none ? '[]' : '[\n'}`;
  return {
    head,
    run: (run, i, write) => {
      write(`${i > 0 ? ',\n' : ''}    `);
      writeJson(canonicalizeRun(run, declared), '    ', write);
    },
    tail: `${none ? '' : '\n  ]'}\n}\n`,
  };
}

/**
 * Orders the map-like parts of a run: summary.metrics follow the MetricDef order (keys not declared
 * there come after, sorted), interfaceCalls and interfaceCallCycles are sorted by call name,
 * interfacePaths by path name.
 * parseResultsFile already ordered every object's keys as the schema declares them.
 */
function canonicalizeRun(run: RunResult, declared: readonly string[]): RunResult {
  if (run.summary === undefined) return run;
  run.summary.metrics = orderRecord(run.summary.metrics, declared);
  for (const g of run.summary.guests) {
    g.interfaceCalls = orderRecord(g.interfaceCalls, []);
    g.interfaceCallCycles = orderRecord(g.interfaceCallCycles, []);
    g.interfacePaths = orderRecord(g.interfacePaths, []);
  }
  return run;
}

function orderRecord<T>(rec: Record<string, T>, first: readonly string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of first) if (Object.hasOwn(rec, k)) out[k] = rec[k] as T;
  const rest = Object.keys(rec)
    .filter((k) => !Object.hasOwn(out, k))
    .sort(compareCodeUnits);
  for (const k of rest) out[k] = rec[k] as T;
  return out;
}

/** Locale-independent ordering (localeCompare would depend on the machine's ICU data). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

/**
 * JSON.stringify with 2-space indentation except that arrays holding only primitives are written
 * compactly on one line. Integer-like keys would be reordered by JS objects themselves, which is
 * the same for every run, so determinism holds.
 */
function formatJson(v: unknown, indent: string): string {
  const parts: string[] = [];
  writeJson(v, indent, (s) => parts.push(s));
  return parts.join('');
}

/** formatJson in pieces (at most one series column each), so a run's text is never one string. */
function writeJson(v: unknown, indent: string, write: (text: string) => void): void {
  // Primitives, and arrays of them on one line: the same text as joining each element's JSON with
  // commas, without a string per element.
  if (isPrimitive(v) || (Array.isArray(v) && v.every(isPrimitive))) {
    write(JSON.stringify(v));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    write('[\n');
    v.forEach((x, i) => {
      write(`${i > 0 ? ',\n' : ''}${inner}`);
      writeJson(x, inner, write);
    });
    write(`\n${indent}]`);
    return;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) {
    write('{}');
    return;
  }
  write('{\n');
  entries.forEach(([k, x], i) => {
    write(`${i > 0 ? ',\n' : ''}${inner}${JSON.stringify(k)}: `);
    writeJson(x, inner, write);
  });
  write(`\n${indent}}`);
}
