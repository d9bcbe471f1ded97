/**
 * CSV writing shared by every table of a report. Format: RFC 4180 quoting (fields containing `,`,
 * `"`, CR or LF are wrapped in quotes, inner quotes doubled), `\n` line ends, header row first.
 * Numbers are written as JavaScript prints them (shortest round-trip form); missing or non-finite
 * values are empty cells.
 */

/** A CSV cell value; undefined/null and non-finite numbers become an empty cell. */
export type CsvValue = string | number | undefined | null;

/** Quotes one field per RFC 4180 when it contains a comma, a double quote, CR or LF. */
export function csvField(v: CsvValue): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Joins rows (header first) into CSV text with a trailing newline. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
