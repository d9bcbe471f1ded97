/**
 * Deterministic serialization of a ResultsFile to the bytes of results.json.
 *
 * Same input ⇒ same bytes, whatever order the producer happened to insert keys in: objects are
 * written in the key order declared by the schema, record-like maps (metrics, interface calls) in a
 * defined order, numbers as JavaScript prints them. Arrays of plain numbers/strings go on one line
 * so a long time series stays one line per column instead of one line per sample.
 */
import { parseResultsFile } from '../sim/results/schema.js';
import type { ResultsFile } from '../sim/results/types.js';

/**
 * Returns the bytes of results.json for `r`: validated (throws with every offending path when `r`
 * does not match the schema, including non-finite numbers), keys in declared order, 2-space
 * indentation, primitive arrays on one line, trailing newline. Contains nothing from the wall clock.
 */
export function serializeResults(r: ResultsFile): string {
  const canonical = canonicalize(parseResultsFile(r));
  return `${formatJson(canonical, '')}\n`;
}

/**
 * Orders the map-like parts: summary.metrics follow the MetricDef order (keys not declared there
 * come after, sorted), interfaceCalls and interfaceCallCycles are sorted by call name. parseResultsFile already ordered
 * every object's keys as the schema declares them.
 */
function canonicalize(r: ResultsFile): ResultsFile {
  const declared = r.metrics.map((m) => m.id);
  for (const run of r.runs) {
    if (run.summary === undefined) continue;
    run.summary.metrics = orderRecord(run.summary.metrics, declared);
    for (const g of run.summary.guests) {
      g.interfaceCalls = orderRecord(g.interfaceCalls, []);
      g.interfaceCallCycles = orderRecord(g.interfaceCallCycles, []);
    }
  }
  return r;
}

function orderRecord(rec: Record<string, number>, first: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of first) if (Object.hasOwn(rec, k)) out[k] = rec[k] as number;
  const rest = Object.keys(rec)
    .filter((k) => !Object.hasOwn(out, k))
    .sort(compareCodeUnits);
  for (const k of rest) out[k] = rec[k] as number;
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
  if (isPrimitive(v)) return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isPrimitive)) return `[${v.map((x) => JSON.stringify(x)).join(',')}]`;
    return `[\n${v.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  const body = entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${formatJson(x, inner)}`).join(',\n');
  return `{\n${body}\n${indent}}`;
}
