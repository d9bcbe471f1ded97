// Folder snapshots for tests that check vmisim left something exactly as it was: every entry with
// its kind and, for files, a hash of the bytes; and the names an unfinished write would leave.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Every entry under `dir` by relative path: 'folder', 'link → target', or the file's sha256. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const path = join(dir, r);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        out[r] = 'folder';
        walk(r);
      } else if (st.isSymbolicLink()) out[r] = `link → ${readlinkSync(path)}`;
      else out[r] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk('');
  return out;
}

/** Names in `dir` that an unfinished output write leaves: `.<name>.tmp-…`, `.<name>.old-…`. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.(tmp|old)-\d/.test(f));
}

/**
 * A shell function `snap DIR` printing the same kind of snapshot (path, kind or sha256), for
 * checks inside `unshare -m sh -c …`, where the file system under test exists only for the script.
 */
export const SNAP_SH = `snap() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
  if [ -L "$p" ]; then echo "$p link $(readlink "$p")"; elif [ -d "$p" ]; then echo "$p folder";
  else echo "$p $(sha256sum < "$p" | cut -c1-64)"; fi; done); }`;
