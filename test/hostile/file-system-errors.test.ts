// File-system failures, on real file systems: a read-only mount, a full tmpfs, permission denied
// for another user, a path through a regular file, a name too long, a run cache that cannot be
// written. Each prints one line naming the path and the cause in words (no stack trace), exits 3
// for output that cannot be written and 2 for input that cannot be read, and leaves the previous
// output byte for byte as it was, with no temporary folder behind.
//
// The mounts run in a private mount namespace (`unshare -m`), so they vanish with the script, and
// the permission checks run as user nobody (`setpriv`), since root ignores file modes. These need
// root; where that is missing the tests fail saying so, they are never skipped.
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, scratch, vmisim } from '../helpers/cli.js';
import { copyFixture, expectFailsLeavingAll, makeOutputFixture } from '../helpers/output-fixture.js';
import { leftovers, SNAP_SH, tree } from '../helpers/tree.js';

const RUN = ['run', 'e.yaml', '--out', 'out/e', '--quiet', '--threads', '1'];

let fixture: string;
beforeAll(() => {
  fixture = makeOutputFixture();
});

function needRoot(what: string): void {
  if (process.getuid?.() !== 0)
    throw new Error(
      `${what} needs root (it mounts file systems or becomes another user); run the tests as root`,
    );
}

interface Outcome {
  code: number;
  stderr: string;
}

/**
 * Runs `script` with sh in a private mount namespace, cwd `dir`. Inside, `cli NAME ARGS…` runs
 * vmisim and records its exit code and stderr as NAME; `snap DIR > "$R/NAME"` records a snapshot.
 * Returns what `cli` recorded, and every snapshot by name.
 */
function inNamespace(
  dir: string,
  script: string,
): { cli: Record<string, Outcome>; snaps: Record<string, string> } {
  const rec = scratch();
  const prelude = `set -u
${SNAP_SH}
cli() { name=$1; shift; node "$CLI" "$@" >/dev/null 2>"$R/$name.err"; echo $? >"$R/$name.code"; }
`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', prelude + script], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CLI, R: rec },
    timeout: 600_000,
  });
  if (r.error !== undefined || r.status !== 0)
    throw new Error(
      `the test's own setup failed (unshare -m sh, exit ${r.status}): ${r.error?.message ?? r.stderr}`,
    );
  const cli: Record<string, Outcome> = {};
  const snaps: Record<string, string> = {};
  for (const f of readdirSync(rec)) {
    const name = f.replace(/\.(code|err)$/, '');
    if (f.endsWith('.code'))
      cli[name] = {
        code: Number(readFileSync(join(rec, f), 'utf8')),
        stderr: readFileSync(join(rec, `${name}.err`), 'utf8'),
      };
    else if (!f.endsWith('.err')) snaps[f] = readFileSync(join(rec, f), 'utf8');
  }
  return { cli, snaps };
}

/** Runs vmisim as user nobody (uid 65534), for permission checks. */
function asNobody(args: string[], cwd: string): Outcome {
  const r = spawnSync(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args],
    { cwd, encoding: 'utf8', timeout: 600_000 },
  );
  if (r.error !== undefined) throw new Error(`cannot run setpriv: ${r.error.message}`);
  return { code: r.status ?? -1, stderr: r.stderr };
}

const untouched = (path: string, problem: string) =>
  `vmisim: cannot write the output to ${path}: ${problem}; the previous output is untouched\n`;

describe('paths that cannot be output folders', () => {
  it('--out through a regular file: exit 3, the file named, nothing written', () => {
    const dir = copyFixture(fixture);
    writeFileSync(join(dir, 'afile'), 'mine\n');
    expectFailsLeavingAll(
      dir,
      ['run', 'e.yaml', '--out', 'afile/sub', '--quiet'],
      3,
      'cannot write the output to afile/sub: afile is a file, not a folder (ENOTDIR)',
    );
  });

  it('a name too long: exit 3, nothing written', () => {
    const long = 'n'.repeat(300);
    expectFailsLeavingAll(
      copyFixture(fixture),
      ['run', 'e.yaml', '--out', long, '--quiet'],
      3,
      `cannot write the output to ${long}: a file name or the path is too long (ENAMETOOLONG)`,
    );
  });
});

describe('a read-only file system', () => {
  it('run and report: exit 3, one line, the previous output byte for byte as it was', () => {
    needRoot('a read-only mount');
    const dir = copyFixture(fixture);
    const before = tree(join(dir, 'out'));
    const { cli } = inNamespace(
      dir,
      `mount --bind out out && mount -o remount,bind,ro out || exit 97
cli run ${RUN.join(' ')}
cli fresh ${RUN.join(' ')} --fresh
cli report report out/e
`,
    );
    for (const name of ['run', 'fresh', 'report'])
      expect(cli[name], name).toEqual({
        code: 3,
        stderr: untouched('out/e', 'the file system is read-only (EROFS)'),
      });
    expect(tree(join(dir, 'out'))).toEqual(before);
  });
});

describe('a full disk', () => {
  it('full before and during the write: exit 3, one line, the previous output as it was, nothing left behind', () => {
    needRoot('a tmpfs mount');
    const src = copyFixture(fixture);
    const dir = scratch();
    mkdirSync(join(dir, 'fs'));
    // A 64 MiB tmpfs holding the previous output (charts in three formats), filled up by a file of the user's.
    const { cli, snaps } = inNamespace(
      dir,
      `mount -t tmpfs -o size=64m tmpfs fs || exit 97
cp -a "${src}/." fs/ && cd fs || exit 98
head -c 128M /dev/zero > filler 2>/dev/null
snap out/e > "$R/before"
cli full ${RUN.join(' ')}
cli fullreport report out/e
snap out/e > "$R/after-full"
ls -A out > "$R/names-full"
truncate -s -300K filler
cli midway ${RUN.join(' ')} --fresh
snap out/e > "$R/after-midway"
ls -A out > "$R/names-midway"
`,
    );
    for (const name of ['full', 'fullreport', 'midway'])
      expect(cli[name], name).toEqual({ code: 3, stderr: untouched('out/e', 'the disk is full (ENOSPC)') });
    expect(snaps.before).toMatch(/^\.\/results\.json [0-9a-f]{64}$/m);
    expect(snaps['after-full']).toBe(snaps.before);
    expect(snaps['after-midway']).toBe(snaps.before);
    expect(snaps['names-full']).toBe('.e.runs\ne\n');
    expect(snaps['names-midway']).toBe('.e.runs\ne\n');
  });
});

describe('permission denied', () => {
  it('output in a folder the user may not write: exit 3, one line, the previous output as it was', () => {
    needRoot('becoming user nobody');
    const dir = copyFixture(fixture);
    chmodSync(dir, 0o755); // a scratch folder is private to root
    const before = tree(join(dir, 'out'));

    chmodSync(join(dir, 'out'), 0o555);
    const run = asNobody(RUN, dir);
    expect(run).toEqual({ code: 3, stderr: untouched('out/e', 'permission denied (EACCES)') });
    const report = asNobody(['report', 'out/e'], dir);
    expect(report).toEqual({ code: 3, stderr: untouched('out/e', 'permission denied (EACCES)') });
    expect(tree(join(dir, 'out'))).toEqual(before);

    // The parent writable, the output folder itself not: found only at the commit, then undone.
    chmodSync(join(dir, 'out'), 0o777);
    chmodSync(join(dir, 'out', 'e'), 0o555);
    const commit = asNobody(['report', 'out/e'], dir);
    expect(commit).toEqual({ code: 3, stderr: untouched('out/e', 'permission denied (EACCES)') });
    expect(tree(join(dir, 'out'))).toEqual(before);
    expect(leftovers(join(dir, 'out'))).toEqual([]);
  });

  it('a folder of the user’s that may not be moved: exit 3 naming it, everything as it was', () => {
    needRoot('becoming user nobody');
    const dir = copyFixture(fixture);
    chmodSync(dir, 0o755);
    // The user's own output, holding a read-only folder of theirs: a folder changes parent only
    // if its owner may write it (to update its '..').
    spawnSync('chown', ['-R', '65534:65534', join(dir, 'out')]);
    mkdirSync(join(dir, 'out', 'e', 'data'));
    writeFileSync(join(dir, 'out', 'e', 'data', 'raw.csv'), 't,x\n');
    spawnSync('chown', ['-R', '65534:65534', join(dir, 'out', 'e', 'data')]);
    chmodSync(join(dir, 'out', 'e', 'data'), 0o555);
    const before = tree(join(dir, 'out'));
    expect(asNobody(['report', 'out/e'], dir)).toEqual({
      code: 3,
      stderr: untouched(
        'out/e',
        "out/e/data, not vmisim's, cannot be moved into it: permission denied (EACCES)",
      ),
    });
    expect(tree(join(dir, 'out'))).toEqual(before);
    expect(leftovers(join(dir, 'out'))).toEqual([]);
  });

  it('inputs the user may not read: exit 2, the file and the cause named', () => {
    needRoot('becoming user nobody');
    const dir = copyFixture(fixture);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'e.yaml'), 0o600);
    chmodSync(join(dir, 'out', 'e', 'results.json'), 0o600);
    const before = tree(dir);
    expect(asNobody(['run', 'e.yaml', '--out', 'elsewhere'], dir)).toEqual({
      code: 2,
      stderr: 'vmisim: e.yaml: cannot read experiment: permission denied (EACCES)\n',
    });
    expect(asNobody(['validate', 'e.yaml'], dir).code).toBe(2);
    expect(asNobody(['report', 'out/e'], dir)).toEqual({
      code: 2,
      stderr: 'vmisim: out/e/results.json: cannot read it: permission denied (EACCES)\n',
    });
    expect(tree(dir)).toEqual(before);
  });
});

describe('a run cache that cannot be written', () => {
  it('is a warning naming it and the cause; the run and its output still succeed', () => {
    const dir = copyFixture(fixture);
    rmSync(join(dir, 'out', '.e.runs'), { recursive: true });
    writeFileSync(join(dir, 'out', '.e.runs'), 'a file of mine\n');
    const r = vmisim(['run', 'e.yaml', '--threads', '1'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      '\nwarning: cannot write the run cache out/.e.runs: something of that name is already there (EEXIST); finished runs will not be kept for resuming\n',
    );
    expect(readFileSync(join(dir, 'out', '.e.runs'), 'utf8')).toBe('a file of mine\n');
    expect(readFileSync(join(dir, 'out', 'e', 'results.json'), 'utf8')).toMatch(/"formatVersion"/);
  });
});
