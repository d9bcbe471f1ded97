// The layer rules of docs/architecture.md as the lint enforces them: each probe is a file that
// would sit in one layer and import one other; the project's own ESLint configuration must refuse
// every upward import the layering forbids and accept the downward ones, so a change to the zones
// that lets an upward import through fails here, not only in review.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The layer rules that fire when a file at `from` (a path in the repo) imports `target`. */
async function importRules(from: string, target: string): Promise<string[]> {
  const code = `import * as m from '${target}';\nexport const probe = m;\n`;
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, from) });
  return result!.messages
    .map((m) => m.ruleId ?? m.message)
    .filter((r) => r.startsWith('import-x/') || !r.startsWith('@typescript-eslint/'));
}

// Each row: a file in a layer, a module it imports (which exists), and whether the layering lets it.
const PROBES: [from: string, target: string, allowed: boolean][] = [
  // The kernel knows nothing of virtual machines.
  ['sim/kernel/probe.ts', '../host/host.js', false],
  ['sim/kernel/probe.ts', '../options/fields.js', false],
  ['sim/kernel/probe.ts', './rng.js', true],
  // Policies and workloads see only their own folder, policies/shared, the options vocabulary and the kernel.
  ['policies/balloon/probe.ts', '../../sim/host/host.js', false],
  ['policies/balloon/probe.ts', '../../sim/guest/guest.js', false],
  ['policies/balloon/probe.ts', '../../sim/spec/run-spec.js', false],
  ['policies/balloon/probe.ts', '../../sim/experiment/load.js', false],
  ['policies/balloon/probe.ts', '../cpu/credit.js', false],
  ['policies/balloon/probe.ts', '../shared/water-fill.js', true],
  ['policies/balloon/probe.ts', '../../sim/options/fields.js', true],
  ['policies/cpu/probe.ts', '../../sim/kernel/rng.js', true],
  ['workloads/probe.ts', '../sim/guest/guest.js', false],
  ['workloads/probe.ts', '../sim/host/cpu.js', false],
  ['workloads/probe.ts', '../policies/cpu/credit.js', false],
  ['workloads/probe.ts', '../sim/kernel/latency-histogram.js', true],
  // The interfaces never reach up into the guest, the host or the loader.
  ['sim/abi/xen/probe.ts', '../../guest/guest.js', false],
  ['sim/abi/vmi/probe.ts', '../../host/host.js', false],
  ['sim/abi/probe.ts', '../experiment/load.js', false],
  ['sim/abi/xen/probe.ts', '../i386/idt.js', true],
  // The guest runs on an interface and never sees the host.
  ['sim/guest/probe.ts', '../host/host.js', false],
  ['sim/guest/probe.ts', '../abi/costs.js', true],
  // The host applies decisions of policies; it never imports the loader or the runner.
  ['sim/host/probe.ts', '../experiment/load.js', false],
  ['sim/host/probe.ts', '../runner/pool.js', false],
  ['sim/host/probe.ts', '../../policies/cpu/credit.js', true],
  // The loader configures the host model but never imports it.
  ['sim/experiment/probe.ts', '../host/host.js', false],
  ['sim/experiment/probe.ts', '../../policies/cpu/registry.js', true],
  // Reports read the results contract only.
  ['reports/probe.ts', '../sim/host/host.js', false],
  ['reports/probe.ts', '../sim/experiment/load.js', false],
  ['reports/probe.ts', '../sim/results/types.js', true],
  // No production code imports the tests.
  ['sim/cli/probe.ts', '../../test/helpers/experiment.js', false],
];

describe('import layers (eslint.config.js)', () => {
  it.each(PROBES)('%s importing %s: allowed = %s', async (from, target, allowed) => {
    const rules = await importRules(from, target);
    // The probe's target must exist, or the zone rule would have nothing to judge.
    expect(rules).not.toContain('import-x/no-unresolved');
    expect(rules.includes('import-x/no-restricted-paths')).toBe(!allowed);
  });
});
