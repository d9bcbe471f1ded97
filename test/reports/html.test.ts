/**
 * report.html as text: hostile names only ever appear escaped, the page is self-contained (no URL
 * is loaded), the embedded JSON is safe inside a script element, and the output is deterministic.
 */
import { describe, expect, it } from 'vitest';
import {
  chartJsUmdSource,
  escapeHtml,
  jsonForScript,
  renderHtml,
  writeRunDetailScript,
} from '../../reports/html.js';
import { errorBarsUmdSource } from '../../reports/umd-sources.js';
import { reportFileStems } from '../../reports/names.js';
import { EVIL_GUEST, makeFixtureResults, QUOTED_ALTERNATIVE } from '../fixtures/results-fixture.js';

const html = renderHtml(makeFixtureResults({ withFailedRun: true }));

describe('escaping', () => {
  it('escapeHtml covers the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('jsonForScript cannot close the script element and stays valid JS and JSON', () => {
    const value = { s: '</script><!-- & \u2028\u2029 >' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('the <script> guest name appears only escaped', () => {
    expect(html).not.toContain(EVIL_GUEST);
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain(escapeHtml(EVIL_GUEST)); // in the guest table
    // In the run's script beside the page (its charts), escaped as in the page's data.
    const results = makeFixtureResults({ withFailedRun: true });
    const run = results.runs.find((r) => r.status === 'ok')!;
    const parts: string[] = [];
    writeRunDetailScript(run, reportFileStems(results), (t) => parts.push(t));
    const script = parts.join('');
    expect(script).not.toContain(EVIL_GUEST);
    expect(script).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
    // Exactly our four script elements: data, chart.js, its error-bar plugin, page script.
    expect(html.match(/<script\b/gi)).toHaveLength(4);
    expect(html.match(/<\/script>/gi)).toHaveLength(4);
  });

  it('other user strings (experiment name, alternative, error) are escaped too', () => {
    expect(html).toContain('<h1>overcommit &#60;basic&#62; &#38; &#34;quoted&#34;</h1>');
    expect(html).toContain(escapeHtml(QUOTED_ALTERNATIVE));
    expect(html).not.toContain('<b>web-1</b>');
    expect(html).toContain('&#60;b&#62;web-1&#60;/b&#62;');
  });
});

describe('self-contained page', () => {
  it('inlines chart.js and loads nothing from anywhere', () => {
    expect(html).toContain('Chart.js v4');
    expect(html).toContain(chartJsUmdSource());
    // Our own markup, CSS and script (chart.js itself mentions e.g. toDataURL( in code).
    expect(html).toContain(errorBarsUmdSource());
    const ours = html.replace(chartJsUmdSource(), '').replace(errorBarsUmdSource(), '');
    expect(ours).not.toMatch(/<(link|img|iframe|object|embed|audio|video|source)\b/i);
    expect(ours).not.toMatch(/\s(src|srcset|href|action|poster)\s*=/i);
    expect(ours).not.toMatch(/@import|@font-face|url\(|https?:/i);
    expect(html).not.toContain('sourceMappingURL');
  });

  it('has a Content-Security-Policy that forbids network access', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // chart.js, the error-bar plugin and the page script.
    expect(csp.match(/'sha256-/g)).toHaveLength(4);
  });

  it('is deterministic', () => {
    expect(renderHtml(makeFixtureResults({ withFailedRun: true }))).toBe(html);
  });

  it('shows header facts, the comparison table and failed runs', () => {
    for (const s of ['10 min', '1, 2, 3', 'vmisim', '0123456789abcdef', 'credit', 'id="comparison-table"']) {
      expect(html).toContain(s);
    }
    expect(html).toContain('★ best');
    expect(html).toContain('equivalent best (within ± 25,073 calls)');
    expect(html).toContain('Δ ');
    expect(html).toContain('p-values are Holm-corrected across the alternatives at a family-wise α = 0.05');
    expect(html).toContain('Failed runs (1)');
  });
});
