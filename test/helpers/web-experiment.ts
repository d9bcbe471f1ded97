// A small experiment for CLI tests: `count` web guests of 1 GiB on a 2-pCPU, 3 GiB host running a
// constant workload, with the name, duration, seeds and compare: block a test needs.
export interface WebExperiment {
  name: string;
  duration: string;
  seeds: number;
  count?: number;
  dutyCycle?: number;
  /** The lines of a compare: block, each `  name: { … }`. */
  compare?: string[];
}

export function webExperiment(e: WebExperiment): string {
  const compare = e.compare === undefined ? '' : `compare:\n${e.compare.join('\n')}\n`;
  return `name: ${e.name}
duration: ${e.duration}
seeds: ${e.seeds}
host: { pcpus: 2, memory: 3GiB }
guests:
  - name: web-{i}
    count: ${e.count ?? 1}
    memory: 1GiB
    workload: { type: constant, dutyCycle: ${e.dutyCycle ?? 0.5}, burst: 2ms, resident: 300MiB }
${compare}`;
}
