/**
 * Turns a validated experiment and its finished runs into the ResultsFile that results.json
 * holds. Nothing time- or machine-dependent goes in, so the same experiment and seeds give the
 * same bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Experiment } from '../experiment/load.js';
import { BYTES_PER_MIB } from '../options/units.js';
import { memorySemanticsNamed } from '../spec/memory-semantics.js';
import { METRICS } from '../results/catalog/run-metrics.js';
import { RESULTS_FORMAT_VERSION, type ResultsFile, type RunResult } from '../results/types.js';

/**
 * The package version, from the nearest package.json above this module (dist/sim/runner when
 * built, sim/runner when tests import the source).
 */
export function vmisimVersion(): string {
  for (const up of ['../../../package.json', '../../package.json']) {
    const url = new URL(up, import.meta.url);
    if (!existsSync(url)) continue;
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version: string };
    if (pkg.name === 'vmisim') return pkg.version;
  }
  throw new Error('package.json of vmisim not found');
}

export function assembleResults(exp: Experiment, runs: RunResult[], fileLabel: string): ResultsFile {
  const first = exp.alternatives[0]!;
  return {
    formatVersion: RESULTS_FORMAT_VERSION,
    vmisimVersion: vmisimVersion(),
    experiment: {
      name: exp.name,
      ...(exp.description === undefined ? {} : { description: exp.description }),
      fileHash: exp.fileHash,
      file: fileLabel,
      ...(exp.overrides.length > 0 ? { overrides: exp.overrides } : {}),
      durationNs: exp.durationNs,
      warmupNs: exp.warmupNs,
      seeds: exp.seeds,
      alternatives: exp.alternatives.map((a) => a.name),
      host: {
        pcpus: first.host.pcpus,
        memoryMiB: first.host.memoryBytes / BYTES_PER_MIB,
        abi: first.host.abi,
        scheduler: first.host.scheduler.name,
        memorySemantics: Object.fromEntries(
          exp.alternatives.map((a) => {
            const m = memorySemanticsNamed(a.host.memorySemantics);
            return [a.name, { preset: m.name, description: m.description }];
          }),
        ),
      },
      guests: first.guests.map((g) => ({
        name: g.name,
        vcpus: g.vcpus,
        memoryMiB: g.memoryBytes / BYTES_PER_MIB,
        workload: g.workload.name,
      })),
      ...(exp.comparison === undefined ? {} : { comparison: exp.comparison }),
      sweep: exp.sweep,
    },
    metrics: [...METRICS],
    runs,
  };
}
