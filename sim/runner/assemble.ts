/**
 * Turns a validated experiment and its finished runs into the ResultsFile that results.json
 * holds. Nothing time- or machine-dependent goes in, so the same experiment and seeds give the
 * same bytes.
 */
import { readFileSync } from 'node:fs';
import type { Experiment } from '../experiment/load.js';
import { BYTES_PER_MIB } from '../experiment/units.js';
import { METRICS } from '../host/stats.js';
import { RESULTS_FORMAT_VERSION, type ResultsFile, type RunResult } from '../results/types.js';

/** The package version, read once from package.json at the package root. */
export function vmisimVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function assembleResults(exp: Experiment, runs: RunResult[], fileLabel: string): ResultsFile {
  const first = exp.alternatives[0]!;
  return {
    formatVersion: RESULTS_FORMAT_VERSION,
    vmisimVersion: vmisimVersion(),
    experiment: {
      name: exp.name,
      fileHash: exp.fileHash,
      file: fileLabel,
      durationNs: exp.durationNs,
      seeds: exp.seeds,
      alternatives: exp.alternatives.map((a) => a.name),
      host: {
        pcpus: first.host.pcpus,
        memoryMiB: first.host.memoryBytes / BYTES_PER_MIB,
        abi: first.host.abi,
        scheduler: first.host.scheduler.name,
      },
      guests: first.guests.map((g) => ({
        name: g.name,
        vcpus: g.vcpus,
        memoryMiB: g.memoryBytes / BYTES_PER_MIB,
        workload: g.workload.name,
      })),
    },
    metrics: METRICS,
    runs,
  };
}
