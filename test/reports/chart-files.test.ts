/**
 * Chart files for papers (reports/png.ts): the same spec gives the same SVG and PDF bytes whatever
 * was rendered before it on the same thread (so the report's files do not depend on how charts are
 * spread over render processes), and the vectors are vectors: no page rasterized into an image.
 */
import { describe, expect, it } from 'vitest';
import { metricCharts } from '../../reports/charts.js';
import { renderChart, renumberSvgSurfaces } from '../../reports/png.js';
import { makeFixtureResults } from '../fixtures/results-fixture.js';

const specs = metricCharts(makeFixtureResults());

describe('chart files', () => {
  it('SVG and PDF bytes of a chart do not depend on what was rendered before', () => {
    expect(specs.length).toBeGreaterThan(1);
    for (const format of ['svg', 'pdf'] as const) {
      const first = renderChart(specs[0]!, format);
      renderChart(specs[1]!, format);
      const again = renderChart(specs[0]!, format);
      expect(again.equals(first), format).toBe(true);
    }
  });

  it('SVG surfaces are numbered from 1 in order of appearance, references included', () => {
    expect(renumberSvgSurfaces('<g id="surface41"><use href="#surface7"/></g><g id="surface7"/>')).toBe(
      '<g id="surface1"><use href="#surface2"/></g><g id="surface2"/>',
    );
    // surface12 and surface1 are different names, not a prefix of each other.
    expect(renumberSvgSurfaces('surface12 surface1 surface12')).toBe('surface1 surface2 surface1');
  });

  it('vectors are drawn as paths and text, not as an embedded raster image', () => {
    const svg = renderChart(specs[0]!, 'svg').toString('utf8');
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg');
    expect(svg).not.toContain('<image');
    const pdf = renderChart(specs[0]!, 'pdf');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // cairo falls back to an image for what it cannot draw as vectors: an /Image XObject.
    expect(pdf.toString('latin1')).not.toMatch(/\/Subtype\s*\/Image/);
  });
});
