/**
 * A parsed YAML file that remembers where everything came from, so a validation issue at a
 * field path can be reported at the line and column a person has to edit.
 *
 * YAML from anywhere is parsed as untrusted input: every check below refuses, at the line and
 * column responsible, what would otherwise crash the loader or take unbounded time and memory in
 * the parser or in everything after it (the schema, the copies made per alternative):
 *  - nesting deeper than MAX_YAML_DEPTH (flow brackets are counted by the lexer before parsing,
 *    since the parser's time grows steeply with them; block nesting too deep for the parser's
 *    recursion is reported as such), and more values than MAX_YAML_VALUES, counted by the lexer
 *    too, since the parser holds about 1 KB per value (130 MB for 100,000);
 *  - an alias to no anchor before it, or to the node that contains it (a cycle);
 *  - more than MAX_YAML_ALIASES aliases (the YAML library resolves each one by a scan of the
 *    anchors and aliases before it, so their cost grows with the square of their number);
 *  - more than MAX_YAML_VALUES values once aliases are expanded — an alias bomb ("billion
 *    laughs": ten aliases to a list of ten aliases to ...) is refused at the alias that crosses it;
 *  - a key twice in one mapping (checked here in one pass: the library's own check compares every
 *    key with every other, minutes for a mapping of 80,000 keys).
 * The byte and value limits are shared by an experiment and every YAML file it reads (YamlBudget).
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import { InputError } from '../options/input-error.js';
import { MAX_YAML_BYTES } from '../options/read-input.js';
import { formatBytes } from '../options/units.js';

/**
 * Deepest nesting of mappings and lists, aliases expanded. A real experiment nests about 8 deep
 * (guests, an entry, its workload, phases, a phase, its options); the parser's recursion fails
 * somewhere past 800 levels.
 */
export const MAX_YAML_DEPTH = 64;
/** Most aliases (`*name`) in one file. Experiments use a few dozen at most. */
export const MAX_YAML_ALIASES = 1_000;
/**
 * Most values (scalars, mappings and lists, aliases expanded) in an experiment and the YAML files
 * it reads together. An experiment has a few hundred; 100,000 keeps the schema's work and the copy
 * made of the whole per alternative small (about 50 MB of JavaScript objects at most).
 */
export const MAX_YAML_VALUES = 100_000;

/** What is left of the bytes and values an experiment and the YAML files it reads may hold. */
export class YamlBudget {
  bytesLeft = MAX_YAML_BYTES;
  valuesLeft = MAX_YAML_VALUES;

  /** The limit a file of the experiment is read against, in words, for "is N, more than ...". */
  describeBytesLimit(): string {
    return this.bytesLeft === MAX_YAML_BYTES
      ? `the ${formatBytes(MAX_YAML_BYTES)} an experiment file and the YAML files it reads may hold together`
      : `the ${formatBytes(this.bytesLeft)} left of the ${formatBytes(MAX_YAML_BYTES)} an experiment file and the YAML files it reads may hold together`;
  }
}

export interface Located {
  /** The file the place is in (an included file, for fields that came from it). */
  file: string;
  line: number;
  col: number;
  /** The source text there, shortened, for "found ..." in messages; undefined if the field is absent. */
  found: string | undefined;
  /** How many segments of the path exist in that file. */
  depth: number;
}

/** Where fields are written: one file, or an experiment with the files it includes. */
export interface Source {
  /** The experiment file itself. */
  readonly file: string;
  locate(path: readonly PropertyKey[], key?: boolean): Located;
}

export class YamlSource implements Source {
  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /**
   * Parses `text`, charging its bytes and values to `budget` (a fresh one: a file on its own); a
   * syntax error or anything listed at the top of this file becomes an InputError at its place.
   */
  static parse(file: string, text: string, budget = new YamlBudget()): YamlSource {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > budget.bytesLeft)
      throw new InputError(
        { file },
        undefined,
        `holds ${formatBytes(bytes)}, more than ${budget.describeBytesLimit()}`,
      );
    budget.bytesLeft -= bytes;
    const lines = new LineCounter();
    const at = (offset: number, problem: string): never => {
      const pos = lines.linePos(offset);
      throw new InputError({ file, line: pos.line, col: pos.col }, undefined, problem);
    };
    const early = prescan(text, budget.valuesLeft);
    if (early !== undefined) {
      lineCounterFor(text, lines);
      at(early.offset, early.problem);
    }
    // Keys are checked for duplicates in checkTree (the library's check is quadratic).
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    const err = doc.errors[0];
    if (err !== undefined) {
      // The parser recurses per level of nesting; past its stack it reports the overflow as an error.
      if (/call stack/i.test(err.message))
        at(err.pos[0], `nested too deeply (more than ${MAX_YAML_DEPTH} levels)`);
      const msg = err.message.split('\n')[0] ?? err.message;
      at(err.pos[0], `YAML syntax error: ${msg}`);
    }
    budget.valuesLeft -= checkTree(doc, budget.valuesLeft, at, lines);
    return new YamlSource(file, text, doc, lines);
  }

  /** The document as plain JS data (anchors and aliases resolved: checked by parse). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: -1 });
  }

  /**
   * Where `path` is in the file. Walks as deep as the path exists: for a missing field this is
   * its parent mapping. With `key`, points at the last segment's key rather than its value.
   */
  locate(path: readonly PropertyKey[], key = false): Located {
    let node: unknown = this.doc.contents;
    let at: Node | null = (this.doc.contents as Node | null) ?? null;
    let complete = true;
    let depth = 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) {
          complete = false;
          break;
        }
        const last = i === path.length - 1;
        if (last && key) {
          at = pair.key as Node;
          node = pair.key;
        } else {
          node = pair.value;
          at = (pair.value as Node | null) ?? (pair.key as Node);
        }
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        node = node.items[seg];
        at = node as Node;
      } else {
        complete = false;
        break;
      }
      depth = i + 1;
    }
    const offset = at?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    let found: string | undefined;
    if (complete && at?.range) {
      const src = this.text.slice(at.range[0], at.range[1]).trim();
      found = src.length > 60 ? `${src.slice(0, 57)}...` : src;
      if (found === '') found = 'nothing';
    }
    return { file: this.file, line: pos.line, col: pos.col, found, depth };
  }
}

/**
 * An experiment and the files it includes, highest precedence first: a path is located in the
 * layer that holds most of it (the experiment itself on ties), so a problem in a field that came
 * from an included file is reported in that file.
 */
export class LayeredSource implements Source {
  constructor(private readonly layers: readonly YamlSource[]) {}

  get file(): string {
    return this.layers[0]!.file;
  }

  locate(path: readonly PropertyKey[], key = false): Located {
    let best = this.layers[0]!.locate(path, key);
    for (const layer of this.layers.slice(1)) {
      const loc = layer.locate(path, key);
      if (loc.depth > best.depth) best = loc;
    }
    return best;
  }
}

/** Control characters the lexer emits that are not in the source (yaml's cst.ts): document start, flow error end, scalar. */
const SCALAR_MARK = '\x1f';
const LEXER_MARKS = new Set(['\x02', '\x18', SCALAR_MARK]);

/**
 * What the lexer alone can refuse, before the parser builds anything (its time grows steeply with
 * flow nesting, and it holds ~1 KB per value): flow brackets nested deeper than MAX_YAML_DEPTH, and
 * more values than are left (each scalar is announced by a marker token, each flow collection by
 * its bracket; block collections hold at least one scalar each, aliases are counted expanded later
 * by checkTree). The offset of the first token past a limit, and why.
 */
function prescan(text: string, valuesLeft: number): { offset: number; problem: string } | undefined {
  let offset = 0;
  let depth = 0;
  /** Block items begun on this line (`- - - x` nests a list in a list in a list). */
  let onLine = 0;
  let values = 0;
  const tooDeep = `nested more than ${MAX_YAML_DEPTH} deep`;
  for (const token of new Lexer().lex(text)) {
    if (token === SCALAR_MARK || token === '[' || token === '{') {
      if (++values > valuesLeft)
        return {
          offset,
          problem: `more than ${MAX_YAML_VALUES} values in the experiment and the YAML files it reads`,
        };
    }
    if (token === '[' || token === '{') {
      if (++depth > MAX_YAML_DEPTH) return { offset, problem: tooDeep };
    } else if (token === ']' || token === '}') depth--;
    else if (token === '-' || token === '?') {
      if (++onLine > MAX_YAML_DEPTH) return { offset, problem: tooDeep };
    } else if (token.startsWith('\n') || token.startsWith('\r')) onLine = 0;
    if (!LEXER_MARKS.has(token)) offset += token.length;
  }
  return undefined;
}

/** Fills `lines` with the line starts of `text` (parseDocument does it when it parses). */
function lineCounterFor(text: string, lines: LineCounter): void {
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
}

/**
 * One pass over the document in its order (a node before its children, a key before its value,
 * as aliases are resolved): anchors, aliases, nesting, duplicate keys and the values there will
 * be once aliases are expanded. Returns that number; refuses (through `at`) what the top of this
 * file lists.
 */
function checkTree(
  doc: Document.Parsed,
  valuesLeft: number,
  at: (offset: number, problem: string) => never,
  lines: LineCounter,
): number {
  const anchors = new Map<string, Node>();
  /** Values in a finished node, aliases expanded, and its height (a scalar 1). */
  const size = new Map<Node, number>();
  const height = new Map<Node, number>();
  const open = new Set<Node>();
  /** Each alias's anchored node (an anchor may be defined again later, for later aliases). */
  const targetOf = new Map<Node, Node>();
  let values = 0;
  let aliases = 0;
  const root = doc.contents as Node | null;
  if (root === null) return 0;
  const stack: { node: Node; depth: number; exit: boolean }[] = [{ node: root, depth: 1, exit: false }];
  while (stack.length > 0) {
    const { node, depth, exit } = stack.pop()!;
    const offset = node.range?.[0] ?? 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined)
        at(offset, `alias *${node.source} refers to no anchor &${node.source} before it`);
      if (open.has(target)) at(offset, `alias *${node.source} refers to the value that contains it`);
      if (++aliases > MAX_YAML_ALIASES) at(offset, `more than ${MAX_YAML_ALIASES} aliases in one file`);
      targetOf.set(node, target);
      const n = size.get(target) ?? 1;
      values += n;
      if (values > valuesLeft)
        at(
          offset,
          `alias *${node.source} stands for ${n} values; with it the experiment would hold more than ${MAX_YAML_VALUES} once aliases are expanded`,
        );
      if (depth - 1 + (height.get(target) ?? 1) > MAX_YAML_DEPTH)
        at(offset, `alias *${node.source} makes the data nested more than ${MAX_YAML_DEPTH} deep`);
      continue;
    }
    const children = childNodes(node);
    if (exit) {
      open.delete(node);
      let n = 1;
      let h = 0;
      for (const c of children) {
        const t = targetOf.get(c) ?? c;
        n += size.get(t) ?? 1;
        h = Math.max(h, height.get(t) ?? 1);
      }
      size.set(node, n);
      height.set(node, h + 1);
      if (isMap(node)) duplicateKeys(node, anchors, at, lines);
      continue;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    if (++values > valuesLeft)
      at(offset, `more than ${MAX_YAML_VALUES} values in the experiment and the YAML files it reads`);
    if (depth > MAX_YAML_DEPTH) at(offset, `nested more than ${MAX_YAML_DEPTH} deep`);
    if (children.length === 0) continue;
    open.add(node);
    stack.push({ node, depth, exit: true });
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ node: children[i]!, depth: depth + 1, exit: false });
  }
  return values;
}

/** A mapping's keys and values, or a list's items, that are nodes, in document order. */
function childNodes(node: Node): Node[] {
  if (!isMap(node) && !isSeq(node)) return [];
  const out: Node[] = [];
  for (const item of node.items as unknown[]) {
    if (isPair(item)) {
      if (item.key !== null && typeof item.key === 'object') out.push(item.key as Node);
      if (item.value !== null && typeof item.value === 'object') out.push(item.value as Node);
    } else if (item !== null && typeof item === 'object') out.push(item as Node);
  }
  return out;
}

/** Refuses a key written twice in mapping `map` (scalar keys, or aliases of scalars). */
function duplicateKeys(
  map: Node,
  anchors: ReadonlyMap<string, Node>,
  at: (offset: number, problem: string) => never,
  lines: LineCounter,
): void {
  const seen = new Map<string, number>();
  for (const pair of (map as { items: unknown[] }).items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node | null;
    const k = isAlias(keyNode) ? anchors.get(keyNode.source) : keyNode;
    if (!isScalar(k)) continue;
    const name = String(k.value);
    const offset = keyNode?.range?.[0] ?? 0;
    const first = seen.get(name);
    if (first !== undefined)
      at(offset, `duplicate key '${name}' in this mapping (first at line ${lines.linePos(first).line})`);
    seen.set(name, offset);
  }
}
