// The built-in quickstart as a new user runs it: `vmisim run` with no file writes the whole
// output directory, and nothing is left behind in temporary folders.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';

describe('vmisim run (built-in quickstart)', () => {
  it('writes results, tables, series, report and PNG charts into out/quickstart', () => {
    const dir = scratch();
    const r = vmisim(['run'], dir);
    expect(r.code, r.stderr).toBe(0);
    // Not a terminal: one plain line per finished run.
    expect(r.stderr.match(/^\[\d+\/6\] /gm)).toHaveLength(6);
    // Then the report's rendering, started and finished.
    expect(r.stderr).toMatch(/^report: rendering charts and run files on \d+ threads?$/m);
    expect(r.stderr).toMatch(/^report: \d+ charts and run files in \d+\.\d s$/m);
    const out = join(dir, 'out', 'quickstart');
    for (const f of ['results.json', 'summary.csv', 'report.html', 'timings.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    // The output, and beside it the run cache that lets an interrupted run resume: no temporary dirs.
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.quickstart.runs', 'quickstart']);
    expect(readdirSync(join(dir, 'out', '.quickstart.runs'))).toHaveLength(6);
    const pngs = readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(4);
    for (const p of pngs) {
      const bytes = readFileSync(join(out, 'charts', p));
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    }
    const series = readdirSync(join(out, 'series'));
    expect(series).toHaveLength(6);
    const header = readFileSync(join(out, 'series', series[0]!), 'utf8').split('\n')[0]!;
    expect(header).toMatch(/^time_s,host_free_MiB,host_swapped_MiB,/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Record<string, unknown>;
    expect(results.formatVersion).toBe(1);
    expect(JSON.stringify(results)).not.toMatch(/20\d\d-\d\d-\d\dT/); // no wall-clock timestamps
    // What the result shows and what decides its size, where the user reads it: the experiment's
    // description, in results.json, at the top of the report and of summary.md.
    const about = (results as { experiment: { description?: string } }).experiment.description;
    expect(about).toMatch(/thrashes on its one disk/);
    expect(about).toMatch(/uncalibrated 2000 page touches per CPU second/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      '<dt>About</dt><dd>No ballooning versus',
    );
    expect(readFileSync(join(out, 'summary.md'), 'utf8').split('\n')[2]).toMatch(/^No ballooning versus/);
  });
});
