/**
 * `include:` — an experiment built from shared pieces: `include: hosts/big.yaml` or a list of files,
 * each a mapping of experiment fields (a host, a guest list, compare alternatives, ...), with paths
 * relative to the file that names them. Files are merged in order, later ones over earlier ones,
 * and the including file's own fields over all of them: mappings merge key by key, anything else
 * (lists included) is replaced whole. Included files may include others; a cycle is an error
 * naming the chain. Each file is parsed once and kept as a layer, so a problem in a field is
 * reported in the file that wrote it (yaml-source.ts LayeredSource). Other relative paths (trace
 * files, workload includes) stay relative to the experiment file. Included files count against the
 * experiment's budget of bytes and values (yaml-source.ts YamlBudget), so including a file many
 * times cannot multiply what is parsed.
 */
import { dirname, relative, resolve } from 'node:path';
import { InputError } from '../options/input-error.js';
import { readInputFile } from '../options/read-input.js';
import { YamlSource, type YamlBudget } from './yaml-source.js';

type Mapping = Record<string, unknown>;

function isMapping(v: unknown): v is Mapping {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `over` merged onto `under`: mappings key by key, everything else replaced. */
export function deepMerge(under: unknown, over: unknown): unknown {
  if (!isMapping(under) || !isMapping(over)) return structuredClone(over);
  const out: Mapping = structuredClone(under);
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : structuredClone(v);
  return out;
}

/**
 * The experiment with its includes merged in (the `include` key removed), and its layers, the
 * experiment first, then included files from the last (strongest) to the first.
 */
export function resolveIncludes(
  main: YamlSource,
  mainRaw: Mapping,
  budget: YamlBudget,
): { raw: Mapping; layers: YamlSource[] } {
  const layers: YamlSource[] = [main];
  const merged = expand(main, mainRaw, [resolve(main.file)], layers, budget);
  return { raw: merged, layers: [main, ...layers.slice(1).reverse()] };
}

/** `raw` (the content of `src`) with what it includes merged under it. */
function expand(
  src: YamlSource,
  raw: Mapping,
  chain: string[],
  layers: YamlSource[],
  budget: YamlBudget,
): Mapping {
  if (!('include' in raw)) return raw;
  const { include, ...own } = raw;
  const list = typeof include === 'string' ? [include] : include;
  const at = (path: (string | number)[], problem: string): never => {
    const loc = src.locate(['include', ...path]);
    throw new InputError({ file: src.file, line: loc.line, col: loc.col }, 'include', problem);
  };
  if (!Array.isArray(list) || list.some((f) => typeof f !== 'string' || f === ''))
    at([], 'expected a file path or a list of file paths, relative to this file');
  let base: Mapping = {};
  (list as string[]).forEach((ref, i) => {
    const path = resolve(dirname(src.file), ref);
    const where = typeof include === 'string' ? [] : [i];
    if (chain.includes(path)) {
      const names = [...chain, path].map((p) => relative(process.cwd(), p) || p);
      at(where, `include cycle: ${names.join(' → ')}`);
    }
    const read = readInputFile(path, budget.bytesLeft, budget.describeBytesLimit());
    if (!read.ok) return at(where, `cannot read ${ref}: ${read.why}`);
    const file = relative(process.cwd(), path) || path;
    const inc = YamlSource.parse(file, read.text, budget);
    const incRaw = inc.toJS();
    if (!isMapping(incRaw))
      throw new InputError(
        { file, line: 1, col: 1 },
        undefined,
        'an included file must be a mapping of experiment fields',
      );
    layers.push(inc);
    base = deepMerge(base, expand(inc, incRaw, [...chain, path], layers, budget)) as Mapping;
  });
  return deepMerge(base, own) as Mapping;
}
