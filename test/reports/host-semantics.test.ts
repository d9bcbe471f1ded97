// The report says which host memory semantics the runs used: results.json records the preset of
// every alternative (experiment.host.memorySemantics), and the HTML header and summary.md say it in
// one line — one preset when all alternatives share it, else which alternative ran on which.
import { describe, expect, it } from 'vitest';
import { resultsOf } from '../helpers/experiment.js';
import { renderHtml } from '../../reports/html.js';
import { summaryMarkdown } from '../../reports/summary-md.js';
import { memorySemanticsText } from '../../reports/host-semantics.js';
import { MEMORY_SEMANTICS } from '../../sim/spec/memory-semantics.js';

const EXP = (compare: string) => `name: t
duration: 2s
host: { pcpus: 1, memory: 1GiB }
guests:
  - { name: g, memory: 256MiB, workload: { type: idle } }
compare:
${compare}
`;

describe('host memory semantics in results and report', () => {
  it('interfaces compared: each alternative with its own preset, in results.json and both texts', () => {
    const r = resultsOf(
      EXP('  vmi: {}\n  xen: { host.abi: xen }\n  xen-lazy: { host.abi: xen, host.memorySemantics: kvm }'),
    );
    expect(r.experiment.host.memorySemantics).toEqual({
      vmi: { preset: 'esx', description: MEMORY_SEMANTICS.esx.description },
      xen: { preset: 'xen-pv', description: MEMORY_SEMANTICS['xen-pv'].description },
      'xen-lazy': { preset: 'kvm', description: MEMORY_SEMANTICS.kvm.description },
    });
    const text = memorySemanticsText(r)!;
    expect(
      text.startsWith(
        'vmi: esx; xen: xen-pv; xen-lazy: kvm (esx: VMware ESX: pages backed when first written',
      ),
    ).toBe(true);
    expect(summaryMarkdown(r)).toContain('Host memory semantics: vmi: esx; xen: xen-pv; xen-lazy: kvm (');
    expect(renderHtml(r)).toContain(
      '<dt>Host memory semantics</dt><dd>vmi: esx; xen: xen-pv; xen-lazy: kvm (',
    );
  });

  it('one preset for all: said once, with what it does', () => {
    const r = resultsOf(
      EXP('  a: { host.abi: xen }\n  b: { host.abi: xen, host.balloon: { policy: squeezed } }'),
    );
    expect(memorySemanticsText(r)).toBe(`xen-pv (${MEMORY_SEMANTICS['xen-pv'].description})`);
  });

  it('a results file written before the field existed is still reported, without the line', () => {
    const r = resultsOf(EXP('  a: {}'));
    delete r.experiment.host.memorySemantics;
    expect(memorySemanticsText(r)).toBeUndefined();
    expect(summaryMarkdown(r)).not.toContain('Host memory semantics');
  });
});
