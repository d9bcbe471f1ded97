// `vmisim sensitivity` end to end on a tiny experiment whose verdict on boot cost turns on one
// constant, and `vmisim run` of an experiment that asks for the sensitivity section.
//
// Boot cost of the one 1-vCPU guest, by hand (sim/abi/costs.ts, p4-2006; the call lists are the
// guest's interfaceCalls in results.json):
//   VMI: 244 WriteIDTEntry × vmiCallCycles 50 + SetIDT (50 + 6 bytes copied × 1 cycle/B)
//        = 12,200 + 56 = 12,256 cycles; no exits.
//   Xen: 11 hypercalls (set_trap_table, callback_op × 3, xen_version × 2, vcpu_op runstate area,
//        bind_virq, bind_ipi × 2, alloc_unbound) × hypercallCycles 1,000 + 340 bytes copied × 1
//        = 11,340 cycles.
//   Margin (xen − vmi) / vmi = −916 / 12,256 = −7.474 %: xen better (every seed the same, so the
//   paired difference is exact and significant).
//   hypercallCycles high (2,000): xen 22,340 → +82.28 %, xen worse: the verdict flips.
//   hypercallCycles low (500): xen 5,840 → −52.35 %.
//   copyCyclesPerByte high (2): xen 11,680, vmi 12,262 → −4.746 %; low (0.5): 11,170 vs 12,253 →
//   −8.839 %: xen better at both ends, no flip.
//   exitCycles: neither boot sequence exits, so the margin does not move at all.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, vmisim } from '../helpers/cli.js';
import type { SensitivityFile } from '../../reports/sensitivity.js';

const EXP = `name: tiny
duration: 1s
seeds: 2
host: { pcpus: 1, memory: 2GiB, costs: p4-2006 }
guests:
  - name: g
    vcpus: 1
    memory: 512MiB
    workload: { type: idle }
compare:
  vmi: { host.abi: vmi }
  xen: { host.abi: xen }
`;

const CONSTANTS = 'hypercallCycles,copyCyclesPerByte,exitCycles';

/** Every file under `dir`, by its path relative to it. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const p = join(e.parentPath, e.name);
      out.set(p.slice(dir.length + 1), readFileSync(p));
    }
  return out;
}

describe('vmisim sensitivity', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'exp.yaml'), EXP);
  const one = vmisim(['sensitivity', 'exp.yaml', '--constants', CONSTANTS, '-t', '1', '-o', 'one'], dir);
  const two = vmisim(
    ['sensitivity', 'exp.yaml', '--constants', CONSTANTS, '-t', '2', '-o', 'two', '-q'],
    dir,
  );

  it('finds the constant that flips the boot verdict and the ones that do not', () => {
    expect(one.stderr).toMatch(/28 distinct runs, 0 reused, 28 to compute/);
    expect(one.code).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'one', 'sensitivity.json'), 'utf8')) as SensitivityFile;
    const boot = s.verdicts.find((v) => v.metric === 'interface_boot_kcycles')!;
    expect(boot).toMatchObject({ baseline: 'vmi', alternative: 'xen', verdict: 'better', winner: 'xen' });
    expect(boot.marginPct).toBeCloseTo((100 * (11340 - 12256)) / 12256, 9);
    const by = new Map(boot.constants.map((c) => [c.constant, c]));
    const hc = by.get('hypercallCycles')!;
    expect(hc.high).toMatchObject({ verdict: 'worse', winner: 'vmi', flips: true });
    expect(hc.high!.marginPct).toBeCloseTo((100 * (22340 - 12256)) / 12256, 9);
    expect(hc.low).toMatchObject({ verdict: 'better', flips: false });
    expect(hc.low!.marginPct).toBeCloseTo((100 * (5840 - 12256)) / 12256, 9);
    const copy = by.get('copyCyclesPerByte')!;
    expect(copy.high).toMatchObject({ verdict: 'better', flips: false, notSignificant: false });
    expect(copy.high!.marginPct).toBeCloseTo((100 * (11680 - 12262)) / 12262, 9);
    expect(copy.low!.marginPct).toBeCloseTo((100 * (11170 - 12253)) / 12253, 9);
    expect(by.get('exitCycles')).toMatchObject({ swingPp: 0, low: { shiftPp: 0 }, high: { shiftPp: 0 } });
    // Largest swing first: 82.28 + 52.35 pp, then 4.09 pp, then 0.
    expect(boot.constants.map((c) => c.constant)).toEqual([
      'hypercallCycles',
      'copyCyclesPerByte',
      'exitCycles',
    ]);
    // The constants as the runs took them.
    expect(s.constants.find((c) => c.id === 'hypercallCycles')!.values).toEqual({
      baseline: [1000],
      low: [500],
      high: [2000],
    });
  });

  it('writes the CSV, the page and a tornado chart per verdict', () => {
    const csv = readFileSync(join(dir, 'one', 'sensitivity.csv'), 'utf8');
    expect(csv).toMatch(
      /^interface_boot_kcycles,,vmi,xen,better,xen,[^,]+,hypercallCycles,host\.costs\.hypercallCycles,500,2000,better,[^,]+,false,false,worse,[^,]+,true,false,/m,
    );
    const html = readFileSync(join(dir, 'one', 'sensitivity.html'), 'utf8');
    expect(html).toContain('<img src="charts/sensitivity-interface_boot_kcycles.png"');
    expect(html).toContain('hypercallCycles (high: flips)');
    const png = readFileSync(join(dir, 'one', 'charts', 'sensitivity-interface_boot_kcycles.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('gives the same bytes on 1 and 2 threads', () => {
    expect(two.code).toBe(0);
    const a = files(join(dir, 'one'));
    const b = files(join(dir, 'two'));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
  });

  it('computes nothing the second time', () => {
    const again = vmisim(['sensitivity', 'exp.yaml', '--constants', CONSTANTS, '-t', '1', '-o', 'one'], dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/28 distinct runs, 28 reused, 0 to compute/);
  });
});

describe('vmisim run of an experiment with sensitivity:', () => {
  it('adds the section to the report and its files to the output', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'exp.yaml'), `${EXP}sensitivity: { constants: [hypercallCycles] }\n`);
    const r = vmisim(['run', 'exp.yaml', '-o', 'out', '-t', '2', '-q'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const page = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(page).toContain('<section id="sensitivity">');
    expect(page).toMatch(
      /Boot cost: xen vs vmi better \(−7\.474 %\); deciding: hypercallCycles \(high: flips\)/,
    );
    expect(existsSync(join(dir, 'out', 'sensitivity.json'))).toBe(true);
    const png = readFileSync(join(dir, 'out', 'charts', 'sensitivity-interface_boot_kcycles.png'));
    // The tornado chart is in the page itself, as the only kind of image its content policy allows.
    expect(page).toContain(`<img src="data:image/png;base64,${png.toString('base64')}"`);
  });
});
