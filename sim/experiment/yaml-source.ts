/**
 * A parsed YAML file that remembers where everything came from, so a validation issue at a
 * field path can be reported at the line and column a person has to edit.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InputError } from './input-error.js';

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

  /** Parses `text`; a syntax error becomes an InputError at its line and column. */
  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const err = doc.errors[0];
    if (err !== undefined) {
      const pos = lines.linePos(err.pos[0]);
      const msg = err.message.split('\n')[0] ?? err.message;
      throw new InputError({ file, line: pos.line, col: pos.col }, undefined, `YAML syntax error: ${msg}`);
    }
    return new YamlSource(file, text, doc, lines);
  }

  /** The document as plain JS data (anchors and aliases resolved). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 10_000 });
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
