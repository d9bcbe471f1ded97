/**
 * A text file written in many pieces (results.json a run at a time, a series CSV a thousand rows
 * at a time), so that no file of the report has to be one string in memory. Small pieces are
 * gathered into writes of about a megabyte.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Pieces are gathered until they hold this many UTF-16 code units, then written. */
const FLUSH_CHARS = 1 << 20;

export class TextFile {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;

  /** Creates (or truncates) `path`. */
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  /** Writes what is pending and closes the file (also after a failed write: call it in `finally`). */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    for (let off = 0; off < bytes.length;) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }
}

/** Writes a file's text, produced in pieces by `produce`, through a TextFile. */
export function writeTextFile(path: string, produce: (write: (text: string) => void) => void): void {
  const f = new TextFile(path);
  try {
    produce((s) => f.write(s));
  } finally {
    f.close();
  }
}
