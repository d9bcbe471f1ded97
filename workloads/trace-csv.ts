/**
 * The trace workload's CSV file (format in trace.ts): read once at experiment load, every problem
 * an InputError at path:line:column naming the column, and the columns kept as plain arrays so
 * they cross to the workers as data.
 */
import { suggest } from '../sim/options/fields.js';
import { InputError } from '../sim/options/input-error.js';
import { BYTES_PER_MIB, PAGE_SIZE_BYTES } from '../sim/options/units.js';

/** The CSV as parsed by `load`: columns as plain arrays (one entry per data row). */
export interface LoadedTrace {
  /** The CSV's path as read (experiment folder joined with `file`), for messages. */
  path: string;
  /** CSV line (1-based) of the header and of each row. */
  headerLine: number;
  line: number[];
  /** Start of each row, ns. */
  timeNs: number[];
  /** Length of the whole trace, ns (last row lasts as long as the gap before it). */
  lengthNs: number;
  /** `total`: one column, cpu_pct of the whole guest; `per-vcpu`: cpuN_pct columns, N = 0, 1, …. */
  cpuForm: 'total' | 'per-vcpu';
  /** CPU percent by column, then row: cpuPct[c][i]. */
  cpuPct: number[][];
  /** 1-based character column of each CPU column's header cell, for messages. */
  cpuCol: number[];
  /** 1-based character column of each row's first CPU cell and of its memory_mib cell. */
  cpuCellCol: number[];
  memoryCellCol: number[];
  anonPages: number[];
  cachePages: number[];
}

const PER_VCPU = /^cpu(0|[1-9][0-9]*)_pct$/;
const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const KNOWN = ['time_s', 'cpu_pct', 'cpu0_pct', 'cpu1_pct', 'memory_mib', 'cache_mib'];

interface Cell {
  text: string;
  /** 1-based character column of the cell's first non-blank character (or of its start). */
  col: number;
}

/** Splits a line at commas; cells are trimmed, with the column where each one's text begins. */
function splitCells(line: string): Cell[] {
  const cells: Cell[] = [];
  let start = 0;
  for (;;) {
    const comma = line.indexOf(',', start);
    const raw = comma < 0 ? line.slice(start) : line.slice(start, comma);
    const lead = raw.length - raw.trimStart().length;
    cells.push({ text: raw.trim(), col: start + lead + 1 });
    if (comma < 0) return cells;
    start = comma + 1;
  }
}

/** Reads and checks a trace CSV; every problem is an InputError at path:line:col. */
export function parseTrace(path: string, text: string): LoadedTrace {
  function err(line: number, col: number, field: string | undefined, problem: string): never {
    throw new InputError({ file: path, line, col }, field, problem);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const noQuotes = (s: string, ln: number): void => {
    const q = s.indexOf('"');
    if (q >= 0)
      err(ln, q + 1, undefined, 'quoted cells are not supported: a trace is plain comma-separated numbers');
  };

  let headerLine = 0;
  let header: Cell[] = [];
  let li = 0;
  for (; li < lines.length; li++) {
    const s = lines[li]!.trim();
    if (s === '' || s.startsWith('#')) continue;
    headerLine = li + 1;
    noQuotes(lines[li]!, headerLine);
    header = splitCells(lines[li]!);
    li++;
    break;
  }
  if (headerLine === 0)
    err(1, 1, undefined, 'no header row: expected e.g. time_s,cpu_pct,memory_mib, found an empty trace');

  // Column index (in the row) of each known column; per-vCPU columns by vCPU number.
  const index = new Map<string, number>();
  const perVcpu = new Map<number, number>();
  header.forEach((c, k) => {
    if (c.text === '') err(headerLine, c.col, undefined, 'empty column name in the header');
    if (index.has(c.text)) err(headerLine, c.col, c.text, `column ${c.text} appears twice in the header`);
    const m = PER_VCPU.exec(c.text);
    if (m !== null) perVcpu.set(Number(m[1]), k);
    else if (!['time_s', 'cpu_pct', 'memory_mib', 'cache_mib'].includes(c.text)) {
      const near = suggest(c.text, KNOWN);
      err(
        headerLine,
        c.col,
        c.text,
        `unknown column '${c.text}'; expected time_s, cpu_pct or cpu0_pct, cpu1_pct, …, memory_mib, cache_mib${near === undefined ? '' : `; did you mean '${near}'?`}`,
      );
    }
    index.set(c.text, k);
  });
  const endCol = lines[headerLine - 1]!.trimEnd().length + 1; // a missing column: just past the header
  for (const need of ['time_s', 'memory_mib'])
    if (!index.has(need)) err(headerLine, endCol, need, `missing column ${need} in the header`);
  let cpuCols: number[];
  let cpuForm: LoadedTrace['cpuForm'];
  if (index.has('cpu_pct')) {
    if (perVcpu.size > 0) {
      const k = Math.min(...perVcpu.values());
      err(
        headerLine,
        header[k]!.col,
        header[k]!.text,
        'give CPU either as cpu_pct (whole guest) or as per-vCPU cpuN_pct columns, not both',
      );
    }
    cpuForm = 'total';
    cpuCols = [index.get('cpu_pct')!];
  } else {
    if (perVcpu.size === 0)
      err(
        headerLine,
        endCol,
        'cpu_pct',
        'missing CPU column in the header: expected cpu_pct (whole guest) or cpu0_pct, cpu1_pct, … (per vCPU)',
      );
    cpuForm = 'per-vcpu';
    cpuCols = [];
    for (let v = 0; v < perVcpu.size; v++) {
      const k = perVcpu.get(v);
      if (k === undefined)
        err(
          headerLine,
          endCol,
          `cpu${v}_pct`,
          `missing column cpu${v}_pct: per-vCPU columns must be cpu0_pct, cpu1_pct, … without gaps`,
        );
      cpuCols.push(k);
    }
  }
  const timeK = index.get('time_s')!;
  const memK = index.get('memory_mib')!;
  const cacheK = index.get('cache_mib');

  const out: LoadedTrace = {
    path,
    headerLine,
    line: [],
    timeNs: [],
    lengthNs: 0,
    cpuForm,
    cpuPct: cpuCols.map(() => []),
    cpuCol: cpuCols.map((k) => header[k]!.col),
    cpuCellCol: [],
    memoryCellCol: [],
    anonPages: [],
    cachePages: [],
  };
  const unit: Record<string, string> = { time_s: 'seconds', memory_mib: 'MiB', cache_mib: 'MiB' };
  for (; li < lines.length; li++) {
    const raw = lines[li]!;
    const ln = li + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) continue;
    noQuotes(raw, ln);
    const cells = splitCells(raw);
    if (cells.length !== header.length) {
      const more = cells.length > header.length;
      err(
        ln,
        more ? cells[header.length]!.col : raw.trimEnd().length + 1,
        more ? undefined : header[cells.length]!.text,
        `expected ${header.length} cells (one per header column), found ${cells.length}`,
      );
    }
    const num = (k: number): number => {
      const c = cells[k]!;
      const name = header[k]!.text;
      const what = `a number (${unit[name] ?? 'percent'})`;
      if (c.text === '') return err(ln, c.col, name, `expected ${what}, found an empty cell`);
      if (!NUMBER.test(c.text)) return err(ln, c.col, name, `expected ${what}, found '${c.text}'`);
      const x = Number(c.text);
      if (x < 0) err(ln, c.col, name, `expected ${what} of at least 0, found ${c.text}`);
      return x;
    };
    const i = out.timeNs.length;
    const tS = num(timeK);
    const tNs = Math.round(tS * 1e9);
    const tc = cells[timeK]!.col;
    if (Math.abs(tS * 1e9 - tNs) > 1e-6 * Math.max(1, tNs) || !Number.isSafeInteger(tNs))
      err(ln, tc, 'time_s', `expected a whole number of ns below 2^53, found ${cells[timeK]!.text}`);
    if (i === 0 && tNs !== 0)
      err(
        ln,
        tc,
        'time_s',
        `the first row must start at 0 (the start of the run), found ${cells[timeK]!.text}`,
      );
    if (i > 0 && tNs <= out.timeNs[i - 1]!)
      err(
        ln,
        tc,
        'time_s',
        `times must increase from row to row: expected more than ${out.timeNs[i - 1]! / 1e9} (line ${out.line[i - 1]}), found ${cells[timeK]!.text}`,
      );
    cpuCols.forEach((k, c) => {
      const pct = num(k);
      if (cpuForm === 'per-vcpu' && pct > 100)
        err(
          ln,
          cells[k]!.col,
          header[k]!.text,
          `expected at most 100 (one whole vCPU), found ${cells[k]!.text}`,
        );
      out.cpuPct[c]!.push(pct);
    });
    out.line.push(ln);
    out.cpuCellCol.push(cells[cpuCols[0]!]!.col);
    out.memoryCellCol.push(cells[memK]!.col);
    out.timeNs.push(tNs);
    out.anonPages.push(Math.ceil((num(memK) * BYTES_PER_MIB) / PAGE_SIZE_BYTES));
    out.cachePages.push(
      cacheK === undefined ? 0 : Math.ceil((num(cacheK) * BYTES_PER_MIB) / PAGE_SIZE_BYTES),
    );
  }
  const n = out.timeNs.length;
  if (n < 2)
    err(
      n === 0 ? headerLine : out.line[0]!,
      1,
      'time_s',
      `expected at least two rows (the last row lasts as long as the gap before it), found ${n}`,
    );
  out.lengthNs = 2 * out.timeNs[n - 1]! - out.timeNs[n - 2]!;
  return out;
}
