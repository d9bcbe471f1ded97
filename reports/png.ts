/**
 * Rendering of chart specs to PNG, SVG and PDF with chartjs-node-canvas (chart.js on node-canvas,
 * i.e. cairo), plus the `overview.png` panel meant for a slide: one bar chart per metric (mean and
 * 95 % CI per alternative) in a grid under a title. Called in the report's render workers
 * (reports/render-worker.ts), one chart at a time.
 *
 * Sizes are chosen for reading, not for the screen they were made on: 1200×600 at pixel ratio 1
 * with 16 px base fonts, white background (a transparent PNG is unreadable on dark slides), no
 * animation. The specs themselves are shared with the HTML report; only rendering options are added.
 *
 * The bytes depend only on the spec, never on what this thread rendered before, so the report's
 * files do not depend on the number of render threads: cairo's PDF carries a creation date (fixed
 * here to the epoch) and its SVG numbers its surfaces with a process-wide counter (renumbered here).
 */
import { createRequire } from 'node:module';
import type { Chart, ChartConfiguration, ChartItem, Plugin } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ResultsFile } from '../sim/results/types.js';
import type { ChartSpec, ReportCharts } from './charts.js';

/** The file formats a chart is written in; vectors (SVG, PDF) are for papers. */
export type ChartFormat = 'png' | 'svg' | 'pdf';
export const CHART_FORMATS: readonly ChartFormat[] = ['png', 'svg', 'pdf'];
/**
 * PNG encoding: no per-row filter. Charts are flat colour on white, which deflate packs well as is;
 * the default adaptive filtering took half of a chart's rendering time and gave files about a
 * quarter larger (measured on the 20 charts of bench/report-32.yaml: 1.89 MB → 1.46 MB).
 */
const PNG_ENCODING = { compressionLevel: 6, filters: 8 /* PNG_FILTER_NONE */ } as const;
/** A fixed PDF creation date, so the same chart gives the same bytes (cairo writes the time otherwise). */
const PDF_DATE = new Date(0);

/** Pixel size of ordinary charts. */
export const CHART_SIZE = { width: 1200, height: 600 } as const;
/** Pixel size of one metric panel inside overview.png. */
const PANEL = { width: 640, height: 440 } as const;
const HEADER_HEIGHT = 96;
const MAX_PANELS = 9;
const FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

/**
 * Paints the whole canvas white before anything else is drawn; per chart, so differing sizes are
 * handled. Plain source-over: a 'destination-over' fill has no vector form, and cairo then
 * rasterizes the whole SVG or PDF page (ten times the time, five times the bytes).
 */
const whiteBackground: Plugin = {
  id: 'vmisim-white-background',
  beforeDraw(chart: Chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/**
 * Datasets marked `legend: false` (the edges of an interval band, reports/sweep-charts.ts) get no
 * legend entry: a legend filter is a function, which a plain-data spec cannot carry.
 */
function hideFromLegend(config: ChartConfiguration): void {
  const hidden = (i: number) =>
    (config.data.datasets[i] as { legend?: boolean } | undefined)?.legend === false;
  if (!config.data.datasets.some((_, i) => hidden(i))) return;
  const legend = (config.options ??= {}).plugins?.legend;
  if (legend === undefined) return;
  legend.labels = { ...legend.labels, filter: (item) => !hidden(item.datasetIndex ?? -1) };
}

/**
 * Registers chartjs-chart-error-bars' interval bars with `ChartJS`. chartjs-node-canvas loads a
 * fresh chart.js (CommonJS) per renderer and drops it from the require cache after this callback,
 * so the plugin's CommonJS build is loaded fresh too: it then extends that very chart.js, not
 * another copy (a controller of another copy draws nothing).
 */
function registerErrorBars(ChartJS: { register(...items: object[]): void }): void {
  const require = createRequire(import.meta.url);
  const path = require.resolve('chartjs-chart-error-bars');
  delete require.cache[path];
  const bars = require(path) as typeof import('chartjs-chart-error-bars');
  delete require.cache[path];
  ChartJS.register(bars.BarWithErrorBarsController, bars.BarWithErrorBar);
}

/** A renderer that can also compose several rendered charts into one image (for overview.png). */
class Renderer extends ChartJSNodeCanvas {
  constructor(
    width: number,
    height: number,
    baseFont: number,
    private readonly format: ChartFormat = 'png',
  ) {
    super({
      width,
      height,
      ...(format === 'png' ? {} : { type: format }),
      chartCallback: (ChartJS) => {
        registerErrorBars(ChartJS);
        ChartJS.defaults.font.family = FONT_FAMILY;
        ChartJS.defaults.font.size = baseFont;
        ChartJS.defaults.color = '#222222';
        ChartJS.defaults.plugins.title.font = { size: Math.round(baseFont * 1.3), weight: 'bold' };
        ChartJS.defaults.plugins.subtitle.font = { size: baseFont - 1 };
        ChartJS.defaults.plugins.subtitle.color = '#444444';
        ChartJS.defaults.plugins.legend.labels.boxWidth = 28;
      },
    });
  }

  /** Renders a spec in this renderer's format; the spec is copied because chart.js mutates it. */
  render(spec: ChartSpec, overrides: (c: ChartConfiguration) => void = () => {}): Buffer {
    const config = structuredClone(spec.config) as unknown as ChartConfiguration;
    config.options = { ...config.options, animation: false, responsive: false, devicePixelRatio: 1 };
    config.plugins = [whiteBackground];
    hideFromLegend(config);
    const names = spec.yTickLabels;
    const y = config.options.scales?.y;
    // A state axis: ticks named by the spec's yTickLabels (the page script does the same).
    if (names !== undefined && y !== undefined)
      y.ticks = { ...y.ticks, callback: (v) => names[Number(v)] ?? '' };
    overrides(config);
    // As chartjs-node-canvas's renderToBuffer, but with the PDF's creation date fixed.
    const canvas = this._createCanvas(this._width, this._height, this._type);
    const chart = new this._chartJs(canvas.getContext('2d') as unknown as ChartItem, config);
    try {
      if (this.format === 'pdf') return canvas.toBuffer('application/pdf', { creationDate: PDF_DATE });
      if (this.format === 'svg') return Buffer.from(renumberSvgSurfaces(canvas.toBuffer().toString('utf8')));
      return canvas.toBuffer('image/png', PNG_ENCODING);
    } finally {
      chart.destroy();
    }
  }

  /** Draws `panels` (PNG buffers of PANEL size) in a grid under a two-line header. */
  compose(panels: Buffer[], columns: number, title: string, subtitle: string): Buffer {
    const rows = Math.ceil(panels.length / columns);
    const width = columns * PANEL.width;
    const canvas = this._createCanvas(width, HEADER_HEIGHT + rows * PANEL.height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#111111';
    ctx.textBaseline = 'top';
    ctx.font = `bold 28px ${FONT_FAMILY}`;
    ctx.fillText(fitText(ctx, title, width - 40), 20, 16);
    ctx.font = `18px ${FONT_FAMILY}`;
    ctx.fillStyle = '#444444';
    ctx.fillText(fitText(ctx, subtitle, width - 40), 20, 56);
    panels.forEach((png, i) => {
      const img = new this._image();
      img.src = png;
      ctx.drawImage(img, (i % columns) * PANEL.width, HEADER_HEIGHT + Math.floor(i / columns) * PANEL.height);
    });
    return canvas.toBuffer('image/png', PNG_ENCODING);
  }
}

/** Shortens `text` with an ellipsis until it fits `maxWidth` pixels in the context's current font. */
function fitText(ctx: { measureText(t: string): { width: number } }, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > maxWidth) s = s.slice(0, -1);
  return `${s}…`;
}

/**
 * cairo names each SVG surface `surface<n>` from a counter shared by the whole process, so the same
 * chart's SVG would differ with what was rendered before it; renumbered from 1 in order of appearance.
 */
export function renumberSvgSurfaces(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\bsurface\d+\b/g, (id) => {
    let to = ids.get(id);
    if (to === undefined) ids.set(id, (to = `surface${ids.size + 1}`));
    return to;
  });
}

const renderers = new Map<ChartFormat, Renderer>();

/** Renders one chart spec at CHART_SIZE in `format` (PNG by default). */
export function renderChart(spec: ChartSpec, format: ChartFormat = 'png'): Buffer {
  let r = renderers.get(format);
  if (r === undefined)
    renderers.set(format, (r = new Renderer(CHART_SIZE.width, CHART_SIZE.height, 16, format)));
  return r.render(spec);
}

/** Renders one chart spec to PNG bytes at CHART_SIZE. */
export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  return Promise.resolve(renderChart(spec));
}

/**
 * Renders overview.png: up to nine metric bar charts (legend dropped, explained in the header) — or,
 * for a sweep, the metrics against the swept factor — in a grid of up to three columns, titled with
 * the experiment name. With no metrics, the first
 * comparison chart stands in so the file always shows something.
 */
export async function renderOverviewPng(
  results: Pick<ResultsFile, 'experiment'>,
  charts: Pick<ReportCharts, 'metrics' | 'comparison'>,
): Promise<Buffer> {
  const metricSpecs = charts.metrics.slice(0, MAX_PANELS);
  if (metricSpecs.length === 0) {
    const fallback = charts.comparison[0];
    if (fallback) return renderChartPng(fallback);
    const r = new Renderer(PANEL.width, PANEL.height, 15);
    return r.compose([], 1, `${results.experiment.name}: no metrics and no series to show`, '');
  }
  const r = new Renderer(PANEL.width, PANEL.height, 15);
  // Panels of a sweep are line charts against the swept factor: their legend names the lines, and
  // their per-point verdicts (the subtitle) are left to the full-size charts.
  const lines = metricSpecs.every((spec) => (spec.config.type as string) === 'line');
  const panels: Buffer[] = [];
  for (const spec of metricSpecs) {
    panels.push(
      r.render(spec, (c) => {
        const plugins = c.options?.plugins;
        if (plugins?.legend && !lines) plugins.legend.display = false;
        if (plugins?.subtitle && lines) plugins.subtitle.display = false;
        // A panel is half as wide as a chart: "label (unit) — lower is better" on two lines, or
        // a long label runs off both edges.
        const title = plugins?.title;
        if (title && typeof title.text === 'string') title.text = title.text.split(' — ');
      }),
    );
  }
  const columns = panels.length <= 2 ? panels.length : panels.length <= 4 ? 2 : 3;
  const more =
    charts.metrics.length > MAX_PANELS ? ` (first ${MAX_PANELS} of ${charts.metrics.length} metrics)` : '';
  return r.compose(
    panels,
    columns,
    results.experiment.name,
    lines
      ? `Each metric against the swept factor: mean over seeds per alternative, band: 95 % confidence interval; ★ = clearly best at that point${more}`
      : `Bars: mean over successful seeds per alternative; black whisker: 95 % confidence interval; ★ = clearly best${more}`,
  );
}
