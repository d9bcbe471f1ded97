// The report's interface comparison: every call name of every alternative, per simulated second,
// means over seeds checked by hand against the fixture, and names escaped.
import { describe, expect, it } from 'vitest';
import { interfaceComparisonSection } from '../../reports/interface-section.js';
import { makeFixtureResults, EVIL_GUEST } from '../fixtures/results-fixture.js';

describe('interface comparison section', () => {
  it('lists each call per alternative as a mean rate, totals and cycles, with names escaped', () => {
    const r = makeFixtureResults({ alternatives: ['vmi', 'xen'] });
    const html = interfaceComparisonSection(r);
    expect(html).toContain('<h2>Interface comparison</h2>');
    // The fixture: UpdatePTE = 50,000 + 7,000 × altIndex per guest, 3 guests, same for every
    // seed; duration 10 min → vmi: 150,000 / 600 s = 250 per s; xen: 171,000 / 600 = 285 per s.
    const row = html.match(/<code>UpdatePTE<\/code><\/td>(.*?)<\/tr>/)![1]!;
    expect(row).toBe('<td class="num">250</td><td class="num">285</td>');
    // Cycles by call: UpdatePTE = 23,456,789 × (1 + 2 + 3) cycles per run ≈ 140.74 Mcycles.
    const rows = [...html.matchAll(/<code>UpdatePTE<\/code><\/td>(.*?)<\/tr>/g)].map((m) => m[1]);
    expect(rows[1]).toBe('<td class="num">140.7</td><td class="num">140.7</td>');
    expect(html).toContain('<code>Set,&#34;Odd&#34;</code>');
    // Bytes copied apart from argument bytes in registers (400 × (altIndex + 1) per guest, 3
    // guests), and the totals by path: interrupt cycles 2 M × (1 + 2 + 3) for vmi, 0 for xen.
    const total = (label: string) => html.match(new RegExp(`<td>${label}</td>(.*?)</tr>`))![1]!;
    expect(total('Argument bytes passed in registers')).toBe(
      '<td class="num">1200</td><td class="num">2400</td>',
    );
    expect(total('interrupt path: cycles \\(Mcycles\\)')).toBe(
      '<td class="num">12</td><td class="num">0</td>',
    );
    expect(total('boot path: bytes copied')).toBe('<td class="num">36</td><td class="num">36</td>');
    expect(html).not.toContain(EVIL_GUEST);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});

describe('interface comparison notes', () => {
  it('says what each interface counts as its caller states it, escaped, and nothing when not told', () => {
    const r = makeFixtureResults({ alternatives: ['vmi', 'xen'] });
    const note = (html: string) => html.match(/<p class="note">(.*?)<\/p>/)![1]!;
    expect(note(interfaceComparisonSection(r))).toMatch(/means over successful seeds\.$/);
    const told = interfaceComparisonSection(r, { interfaceCalls: 'A <b> counts calls & traps.' });
    expect(note(told)).toMatch(/means over successful seeds\. A &#60;b&#62; counts calls &#38; traps\.$/);
  });
});
