// Inputs with no end: devices (/dev/zero, /dev/urandom), fifos with no writer, folders and files
// past the size limits, as the experiment, an `include:`, a workload include or a trace; and counts
// that multiply (guests, vCPUs, sweep points, alternatives). Each is refused under a 64 MiB heap
// and a generous timeout (a read that never ends would be killed, a blow-up would abort): exit 2,
// one message at the file (and line and column where there is one), nothing written.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_TRACE_FILE_BYTES, MAX_YAML_BYTES } from '../../sim/options/read-input.js';
import {
  MAX_GUESTS_IN_ALL_ALTERNATIVES,
  MAX_GUESTS_PER_HOST,
  MAX_RUNS,
  MAX_VALUES_CHECKED,
  MAX_VCPUS_PER_HOST,
} from '../../sim/experiment/limits.js';
import { folderWith, refusedRun, refusedValidate } from './bounded.js';

const HOST = 'host: { pcpus: 2, memory: 1TiB }\n';
const exp = (guests: string, extra = '') => `name: t\nduration: 5s\n${HOST}guests:\n${guests}${extra}`;
const IDLE = "  - { name: 'g-{i}', count: 2, memory: 256MiB, workload: { type: idle } }\n";

/** A fifo (named pipe) at `path`: opening it for reading would wait for a writer for ever. */
function fifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  expect(r.status, String(r.stderr)).toBe(0);
}

describe('files that never end or are not files', () => {
  it('as the experiment: a device, a fifo, a folder', () => {
    const dir = folderWith({});
    fifo(join(dir, 'pipe.yaml'));
    mkdirSync(join(dir, 'folder.yaml'));
    expect(refusedRun(dir, '/dev/zero')).toBe(
      'vmisim: /dev/zero: cannot read experiment: is a device, not a regular file\n',
    );
    expect(refusedValidate(dir, '/dev/urandom')).toBe(
      'vmisim: /dev/urandom: cannot read experiment: is a device, not a regular file\n',
    );
    expect(refusedRun(dir, 'pipe.yaml')).toBe(
      'vmisim: pipe.yaml: cannot read experiment: is a fifo (named pipe), not a regular file\n',
    );
    expect(refusedRun(dir, 'folder.yaml')).toBe(
      'vmisim: folder.yaml: cannot read experiment: is a folder, not a file\n',
    );
  });

  it('as an include: at the include line', () => {
    const dir = folderWith({
      'zero.yaml': `include: /dev/zero\n${exp(IDLE)}`,
      'pipe.yaml': `include: [ok.yaml, pipe]\n${exp(IDLE)}`,
      'ok.yaml': 'description: fine\n',
    });
    fifo(join(dir, 'pipe'));
    expect(refusedValidate(dir, 'zero.yaml')).toMatch(
      /^vmisim: zero\.yaml:1:10: include: cannot read \/dev\/zero: is a device, not a regular file/,
    );
    expect(refusedRun(dir, 'pipe.yaml')).toMatch(
      /^vmisim: pipe\.yaml:1:20: include: cannot read pipe: is a fifo \(named pipe\), not a regular file/,
    );
  });

  it('as a workload include: at the guest’s include', () => {
    const dir = folderWith({
      'exp.yaml': exp('  - { name: a, memory: 256MiB, workload: { include: /dev/urandom } }\n'),
    });
    expect(refusedRun(dir, 'exp.yaml')).toBe(
      'vmisim: exp.yaml:5:53: guests[0].workload.include: cannot read /dev/urandom: is a device, not a regular file\n',
    );
  });

  it('as a trace: a device, a fifo, a folder', () => {
    const trace = (file: string) =>
      exp(`  - { name: a, memory: 256MiB, workload: { type: trace, file: ${file} } }\n`);
    const dir = folderWith({
      'zero.yaml': trace('/dev/zero'),
      'pipe.yaml': trace('t.csv'),
      'dir.yaml': trace('d'),
    });
    fifo(join(dir, 't.csv'));
    mkdirSync(join(dir, 'd'));
    expect(refusedRun(dir, 'zero.yaml')).toBe(
      "vmisim: /dev/zero: cannot read the trace named by workload option file '/dev/zero': is a device, not a regular file\n",
    );
    expect(refusedRun(dir, 'pipe.yaml')).toBe(
      "vmisim: t.csv: cannot read the trace named by workload option file 't.csv': is a fifo (named pipe), not a regular file\n",
    );
    expect(refusedValidate(dir, 'dir.yaml')).toMatch(
      /cannot read the trace named by workload option file 'd': is a folder, not a file/,
    );
  });
});

describe('files past their size limit', () => {
  it('an experiment of 50 MB of small mappings is refused before it is read', () => {
    const dir = folderWith({});
    const line = 'k: { a: 1 }\n';
    writeFileSync(join(dir, 'big.yaml'), line.repeat(Math.ceil(50e6 / line.length)));
    expect(refusedRun(dir, 'big.yaml')).toBe(
      `vmisim: big.yaml: cannot read experiment: is 47.68MiB, more than the 512KiB an experiment file and the YAML files it reads may hold together\n`,
    );
  });

  it(`the experiment and its includes together: ${MAX_YAML_BYTES / 1024} KiB`, () => {
    const pad = (n: number) => `# ${'x'.repeat(n)}\n`;
    const dir = folderWith({
      'a.yaml': `${pad(200 * 1024)}description: a\n`,
      'b.yaml': `${pad(200 * 1024)}description: b\n`,
      'exp.yaml': `include: [a.yaml, b.yaml, a.yaml]\n${exp(IDLE)}`,
    });
    // a and b fit (~400 KiB with the experiment); a again would pass 512 KiB: at its place in the list.
    expect(refusedValidate(dir, 'exp.yaml')).toMatch(
      /^vmisim: exp\.yaml:1:27: include: cannot read a\.yaml: is 200\.02KiB, more than the 111\.\d+KiB left of the 512KiB an experiment file and the YAML files it reads may hold together/,
    );
  });

  it(`a trace over ${MAX_TRACE_FILE_BYTES / 2 ** 20} MiB`, () => {
    const dir = folderWith({
      'exp.yaml': exp('  - { name: a, memory: 256MiB, workload: { type: trace, file: huge.csv } }\n'),
    });
    // Sparse: one byte over the limit, refused by its size before a byte is read.
    writeFileSync(join(dir, 'huge.csv'), '');
    truncateSync(join(dir, 'huge.csv'), MAX_TRACE_FILE_BYTES + 1);
    expect(refusedRun(dir, 'exp.yaml')).toBe(
      "vmisim: huge.csv: cannot read the trace named by workload option file 'huge.csv': is 64MiB, more than the 64MiB such a file may have\n",
    );
  });
});

describe('counts that multiply, refused before anything is expanded', () => {
  it('count: 1000000000 in one entry', () => {
    const dir = folderWith({
      'exp.yaml': exp(
        "  - name: 'g-{i}'\n    count: 1000000000\n    memory: 256MiB\n    workload: { type: idle }\n",
      ),
    });
    expect(refusedRun(dir, 'exp.yaml')).toBe(
      `vmisim: exp.yaml:6:12: guests[0].count: count must be at most ${MAX_GUESTS_PER_HOST} (the most guests one host may have), found 1000000000\n`,
    );
  });

  it('guests and vCPUs summed over the entries of one host', () => {
    const entry = (name: string, count: number, vcpus = 1) =>
      `  - { name: '${name}-{i}', count: ${count}, vcpus: ${vcpus}, memory: 64MiB, kernel: { reserved: 16MiB, minFree: 4MiB }, workload: { type: idle, resident: 8MiB } }\n`;
    const dir = folderWith({
      'guests.yaml': exp(entry('a', 6000) + entry('b', 6000)),
      'vcpus.yaml': exp(entry('a', 600, 32)),
    });
    expect(refusedValidate(dir, 'guests.yaml')).toMatch(
      new RegExp(
        `^vmisim: guests\\.yaml:6:29: guests\\[1\\]\\.count: expected at most ${MAX_GUESTS_PER_HOST} guests on one host, found 12000 up to this entry`,
      ),
    );
    expect(refusedValidate(dir, 'vcpus.yaml')).toMatch(
      new RegExp(
        `^vmisim: vcpus\\.yaml:5:29: guests\\[0\\]\\.count: expected at most ${MAX_VCPUS_PER_HOST} vCPUs on one host \\(count × vcpus summed over the guests\\), found 19200 up to this entry`,
      ),
    );
  });

  it('guests summed over all alternatives', () => {
    const dir = folderWith({
      'exp.yaml': exp(
        "  - { name: 'g-{i}', count: 10000, memory: 64MiB, kernel: { reserved: 16MiB, minFree: 4MiB }, workload: { type: idle, resident: 8MiB } }\n",
        'sweep:\n  host.cpuMHz: { from: 1000, to: 1020 }\n',
      ),
    });
    // 21 alternatives of 10,000 guests: the 21st passes 200,000. The 200,000 before it are held
    // (~0.45 KiB each, measured: 20 alternatives of 10,000 guests take ~85 MB more than one), so
    // this one gets a 256 MiB heap.
    expect(refusedValidate(dir, 'exp.yaml', 256)).toMatch(
      new RegExp(
        `guests: expected at most ${MAX_GUESTS_IN_ALL_ALTERNATIVES} guests summed over all alternatives, found more \\(this alternative alone has 10000\\)`,
      ),
    );
  });

  it('sweep points, compare × sweep × seeds, and alternatives × values', () => {
    const dir = folderWith({
      'range.yaml': exp(IDLE, 'sweep:\n  host.cpuMHz: { from: 1, to: 1000000000 }\n'),
      'lists.yaml': exp(
        IDLE,
        `sweep:\n  host.pcpus: [${Array(400).fill(1).join(',')}]\n  host.cpuMHz: [${Array(400).fill(1000).join(',')}]\n`,
      ),
      'runs.yaml': exp(
        IDLE,
        'seeds: 100\ncompare:\n  a: {}\n  b: {}\nsweep:\n  host.cpuMHz: { from: 1000, to: 1999 }\n',
      ),
      'values.yaml': exp(
        `  - { name: a, memory: 256MiB, cpu: { affinity: [${Array(300).fill(0).join(', ')}] }, workload: { type: idle } }\n`,
        'sweep:\n  host.cpuMHz: { from: 1000, to: 50999 }\n',
      ),
    });
    expect(refusedRun(dir, 'range.yaml')).toBe(
      `vmisim: range.yaml:7:16: sweep.host.cpuMHz: range from 1 to 1000000000 by 1 has 1000000000 values, more than ${MAX_RUNS}, found { from: 1, to: 1000000000 }\n`,
    );
    expect(refusedValidate(dir, 'lists.yaml')).toBe(
      `vmisim: lists.yaml:8:3: sweep.host.cpuMHz: the sweep has more than ${MAX_RUNS} points; narrow it\n`,
    );
    expect(refusedRun(dir, 'runs.yaml')).toBe(
      `vmisim: runs.yaml:10:1: sweep: 2000 alternatives × 100 seeds = 200000 runs, more than ${MAX_RUNS}; the alternatives were not checked\n`,
    );
    expect(refusedValidate(dir, 'values.yaml')).toMatch(
      new RegExp(
        `^vmisim: values\\.yaml:6:1: sweep: 50000 alternatives × \\d+ values \\(each alternative is the whole experiment checked again\\) = \\d+, more than ${MAX_VALUES_CHECKED}`,
      ),
    );
  });
});
