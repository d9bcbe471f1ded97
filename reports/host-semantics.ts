/**
 * The report's sentence on the host memory semantics the runs used (results.json
 * experiment.host.memorySemantics): one preset for every alternative, or which alternative ran
 * on which. Said in the report's header and in summary.md, because a balloon policy's ranking
 * depends on whether the host backs pages lazily and swaps them (ESX, KVM) or not (Xen PV).
 */
import type { ResultsFile } from '../sim/results/types.js';

/**
 * `xen-pv (Xen 3.0.4 PV: …)` when every alternative ran on the same semantics, else
 * `vmi: esx; xen: xen-pv (…; …)` by alternative; undefined for files written before it was recorded.
 */
export function memorySemanticsText(r: ResultsFile): string | undefined {
  const by = r.experiment.host.memorySemantics;
  if (by === undefined) return undefined;
  const entries = r.experiment.alternatives.flatMap((a) =>
    by[a] === undefined ? [] : [[a, by[a]] as const],
  );
  if (entries.length === 0) return undefined;
  const presets = [...new Map(entries.map(([, m]) => [m.preset, m.description])).entries()];
  if (presets.length === 1) return `${presets[0]![0]} (${presets[0]![1]})`;
  const which = entries.map(([a, m]) => `${a}: ${m.preset}`).join('; ');
  return `${which} (${presets.map(([p, d]) => `${p}: ${d}`).join('; ')})`;
}
