// Where `vmisim run --out` and `vmisim report` may write, and what they keep. A location that is not
// vmisim's (a folder of other files, the experiment's own folder, a regular file) is refused with
// exit 2 and one line, and left exactly as it was; an empty folder is used. Inside an output
// folder vmisim owns a documented set of names; a user's own files there survive a rerun, a
// resume after Ctrl-C, a changed experiment and `report`, and so do files beside the output that
// merely look like vmisim's hidden siblings. Outputs of vmisim 0.1 (no marker) are still its own,
// and a work folder left by a vmisim killed outright gives back what it held.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { startVmisim, vmisim } from '../helpers/cli.js';
import {
  copyFixture,
  expectFailsLeavingAll,
  makeOutputFixture,
  SMALL_EXPERIMENT,
} from '../helpers/output-fixture.js';
import { leftovers, tree } from '../helpers/tree.js';

/** A pid no process can have (above Linux's pid_max), for leftovers of a process that is gone. */
const DEAD_PID = 2147483646;

/** What vmisim writes first into a new output (only `vmisimOutput` matters). */
const MARKER = '{ "vmisimOutput": 1, "vmisimVersion": "0.1.0" }\n';

const run = (dir: string, ...args: string[]) =>
  vmisim(['run', 'e.yaml', '--quiet', '--threads', '1', ...args], dir);

/** `vmisim run e.yaml --out <out>` in `dir` is refused: exit 2, exactly `line`, nothing changed. */
const refused = (dir: string, out: string, line: string) =>
  expectFailsLeavingAll(dir, ['run', 'e.yaml', '--quiet', '--threads', '1', '--out', out], 2, line);

/** The entries of `t` under the given paths (each path and everything below it). */
const under = (t: Record<string, string>, paths: readonly string[]) =>
  Object.fromEntries(Object.entries(t).filter(([p]) => paths.some((u) => p === u || p.startsWith(`${u}/`))));

let fixture: string;
beforeAll(() => {
  fixture = makeOutputFixture();
});

describe('an --out that is not vmisim’s to write', () => {
  it('a folder of other files is refused, exit 2, and left as it was', () => {
    const dir = copyFixture(fixture);
    mkdirSync(join(dir, 'mydocs', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'mydocs', 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'mydocs', 'b.txt'), 'b\n');
    writeFileSync(join(dir, 'mydocs', 'sub', 'c.txt'), 'c\n');
    writeFileSync(join(dir, 'mydocs', 'z.txt'), 'z\n');
    // Nothing changes, beside it either: no run cache, no temporary folder.
    refused(
      dir,
      'mydocs',
      'mydocs exists and is not a vmisim output folder (it holds 4 entries, among them a.txt, b.txt and sub/, and no vmisim marker); choose another --out (a new or empty folder)',
    );
  });

  it('--out . beside the experiment is refused and the experiment kept', () => {
    const dir = copyFixture(fixture);
    refused(
      dir,
      '.',
      '. exists and is not a vmisim output folder (it holds e.yaml and out/, and no vmisim marker); choose another --out (a new or empty folder)',
    );
    expect(readFileSync(join(dir, 'e.yaml'), 'utf8')).toBe(SMALL_EXPERIMENT);
  });

  it('--out a regular file is refused and the file kept', () => {
    const dir = copyFixture(fixture);
    writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
    refused(
      dir,
      'notes.txt',
      'notes.txt exists and is a file, not a folder; choose another --out (a new or empty folder)',
    );
  });

  it('a file of the user’s under a name vmisim writes is refused, not replaced', () => {
    const dir = copyFixture(fixture);
    const out = join(dir, 'out', 'e');
    rmSync(join(out, 'charts'), { recursive: true });
    writeFileSync(join(out, 'charts'), 'my chart list\n');
    refused(
      dir,
      'out/e',
      'out/e/charts is in the way: vmisim writes charts in its output folder, but this is a file vmisim did not write; move it elsewhere and try again',
    );
  });
});

describe('an empty folder', () => {
  it('is used, and everything vmisim writes there is a name it owns', () => {
    const dir = copyFixture(fixture);
    mkdirSync(join(dir, 'empty'));
    const r = run(dir, '--out', 'empty');
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'empty');
    // The documented set (README: what vmisim writes and owns in an output folder), by hand.
    expect(readdirSync(out).sort()).toEqual([
      '.vmisim-output.json',
      'charts',
      'comparison.csv',
      'guest-summary.csv',
      'report.html',
      'results.json',
      'results.schema.json',
      'runs',
      'series',
      'summary-by-alternative.csv',
      'summary.csv',
      'summary.md',
      'tidy.csv',
      'tidy.parquet',
      'timings.json',
    ]);
    expect(readdirSync(join(out, 'series'))).toEqual(['default__seed-1.csv']);
    const charts = readdirSync(join(out, 'charts'));
    expect(charts.length).toBeGreaterThan(5);
    expect(charts.filter((f) => !/\.(png|svg|pdf)$/.test(f))).toEqual([]);
    // Every chart in the three formats: an image, and vectors for papers.
    for (const png of charts.filter((f) => f.endsWith('.png') && f !== 'overview.png'))
      for (const ext of ['svg', 'pdf']) expect(charts).toContain(png.replace(/png$/, ext));
    expect(readdirSync(join(out, 'runs'))).toEqual(['default__seed-1.js']);
    const marker = JSON.parse(readFileSync(join(out, '.vmisim-output.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(marker.vmisimOutput).toBe(1);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('a user’s files inside an output folder', () => {
  it('survive a rerun, a resume after Ctrl-C, a changed experiment and report; stale vmisim files go', async () => {
    const dir = copyFixture(fixture);
    const out = join(dir, 'out', 'e');
    writeFileSync(join(out, 'notes.txt'), 'what I saw\n');
    mkdirSync(join(out, 'mine', 'deep'), { recursive: true });
    writeFileSync(join(out, 'mine', 'deep', 'data.bin'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(out, 'series', 'README.txt'), 'series are per run\n');
    mkdirSync(join(out, 'charts', 'drafts'));
    writeFileSync(join(out, 'charts', 'drafts', 'sketch.png'), 'not really a png');
    symlinkSync('notes.txt', join(out, 'latest'));
    const user = ['charts/drafts', 'latest', 'mine', 'notes.txt', 'series/README.txt'];
    const mine = under(tree(out), user);
    expect(Object.keys(mine)).toHaveLength(8);
    const inode = statSync(join(out, 'notes.txt')).ino;
    const kept = (what: string) => {
      expect(under(tree(out), user), what).toEqual(mine);
      // The same file, moved, not a copy.
      expect(statSync(join(out, 'notes.txt')).ino, what).toBe(inode);
      expect(leftovers(join(dir, 'out')), what).toEqual([]);
      expect(existsSync(join(out, '.vmisim-output.json')), what).toBe(true);
    };

    const rerun = run(dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    kept('rerun');

    // Interrupted while running more seeds, then resumed.
    writeFileSync(
      join(dir, 'e.yaml'),
      SMALL_EXPERIMENT.replace('duration: 2s', 'duration: 20s').replace('seeds: 1', 'seeds: 4'),
    );
    const started = startVmisim(['run', 'e.yaml', '--threads', '1'], dir);
    await started.waitForStderr(/^\[\d\/4\] default\/seed-\d ok/m);
    started.child.kill('SIGINT');
    const interrupted = await started.exited;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    kept('interrupted');
    const resumed = run(dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    kept('resumed');
    expect(readdirSync(join(out, 'series')).sort()).toEqual([
      'README.txt',
      'default__seed-1.csv',
      'default__seed-2.csv',
      'default__seed-3.csv',
      'default__seed-4.csv',
    ]);

    // Fewer seeds: the series of the dropped runs are vmisim's and go; the user's README stays.
    writeFileSync(join(dir, 'e.yaml'), SMALL_EXPERIMENT.replace('duration: 2s', 'duration: 20s'));
    const fewer = run(dir);
    expect(fewer.code, fewer.stderr).toBe(0);
    kept('fewer seeds');
    expect(readdirSync(join(out, 'series')).sort()).toEqual(['README.txt', 'default__seed-1.csv']);

    const report = vmisim(['report', 'out/e'], dir);
    expect(report.code, report.stderr).toBe(0);
    kept('report');
    expect(existsSync(join(out, 'timings.json'))).toBe(true);
  });

  it('an output of vmisim 0.1 (results.json, no marker) is still vmisim’s: report and run work', () => {
    const dir = copyFixture(fixture);
    const out = join(dir, 'out', 'e');
    const marker = join(out, '.vmisim-output.json');
    rmSync(marker, { force: true });
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    const report = vmisim(['report', 'out/e'], dir);
    expect(report.code, report.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    const rerun = run(dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(leftovers(join(dir, 'out'))).toEqual([]);
  });
});

describe('folders beside the output', () => {
  it('a work folder of a vmisim killed before its commit gives the user’s file back', () => {
    const dir = copyFixture(fixture);
    const out = join(dir, 'out', 'e');
    // The commit had moved notes.txt into the new output when the process died.
    const work = join(dir, 'out', `.e.tmp-${DEAD_PID}-AbC123`);
    mkdirSync(join(work, 'new'), { recursive: true });
    writeFileSync(join(work, 'new', '.vmisim-output.json'), MARKER);
    writeFileSync(join(work, 'new', 'results.json'), '{"half');
    writeFileSync(join(work, 'new', 'notes.txt'), 'mine\n');
    const r = run(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(leftovers(join(dir, 'out'))).toEqual([]);
  });

  it('a work folder of a vmisim killed between its two renames gives the previous output back', () => {
    const dir = copyFixture(fixture);
    const out = join(dir, 'out', 'e');
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    // The previous output had been moved into the work folder; the new one was not yet in place.
    const work = join(dir, 'out', `.e.tmp-${DEAD_PID}-XyZ789`);
    mkdirSync(work);
    renameSync(out, join(work, 'old'));
    mkdirSync(join(work, 'new'));
    writeFileSync(join(work, 'new', '.vmisim-output.json'), MARKER);
    const r = run(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(out, 'results.json'))).toBe(true);
    expect(leftovers(join(dir, 'out'))).toEqual([]);
  });

  it('folders that only look like vmisim’s temporary folders are left alone', () => {
    const dir = copyFixture(fixture);
    const parent = join(dir, 'out');
    // Names of the shape vmisim uses, of a process that is gone, but not holding what vmisim puts there.
    const lookalikes = [`.e.tmp-${DEAD_PID}`, `.e.tmp-${DEAD_PID}-Qq1Qq1`, `.e.tmp-${DEAD_PID}-Zz9Zz9`];
    mkdirSync(join(parent, lookalikes[0]!));
    writeFileSync(join(parent, lookalikes[0]!, 'thesis.tex'), '\\chapter{Results}\n');
    mkdirSync(join(parent, lookalikes[1]!, 'new'), { recursive: true });
    writeFileSync(join(parent, lookalikes[1]!, 'new', 'notes.txt'), 'mine\n');
    mkdirSync(join(parent, lookalikes[2]!));
    writeFileSync(join(parent, lookalikes[2]!, 'x.txt'), 'x\n');
    const before = lookalikes.map((f) => tree(join(parent, f)));
    const r = run(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(lookalikes.map((f) => tree(join(parent, f)))).toEqual(before);
    expect(existsSync(join(parent, 'e', 'notes.txt'))).toBe(false);
  });
});
