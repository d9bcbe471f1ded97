/**
 * PNG rendering of chart specs with chartjs-node-canvas (chart.js on node-canvas), plus the
 * `overview.png` panel meant for a paper or a slide: one bar chart per metric (mean and 95 % CI per
 * alternative) in a grid under a title.
 *
 * Sizes are chosen for reading, not for the screen they were made on: 1200×600 at pixel ratio 1
 * with 16 px base fonts, white background (a transparent PNG is unreadable on dark slides), no
 * animation. The specs themselves are shared with the HTML report; only rendering options are added.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ResultsFile } from '../sim/results/types.js';
import type { ChartSpec, ReportCharts } from './charts.js';

/** Pixel size of ordinary charts. */
export const CHART_SIZE = { width: 1200, height: 600 } as const;
/** Pixel size of one metric panel inside overview.png. */
const PANEL = { width: 640, height: 440 } as const;
const HEADER_HEIGHT = 96;
const MAX_PANELS = 9;
const FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

/** Paints the whole canvas white before drawing; per chart, so differing sizes are handled. */
const whiteBackground: Plugin = {
  id: 'vmisim-white-background',
  beforeDraw(chart: Chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
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
  constructor(width: number, height: number, baseFont: number) {
    super({
      width,
      height,
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

  /** Renders a spec; the spec is copied because chartjs-node-canvas mutates the configuration. */
  async render(spec: ChartSpec, overrides: (c: ChartConfiguration) => void = () => {}): Promise<Buffer> {
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
    return this.renderToBuffer(config, 'image/png');
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
    return canvas.toBuffer('image/png');
  }
}

/** Shortens `text` with an ellipsis until it fits `maxWidth` pixels in the context's current font. */
function fitText(ctx: { measureText(t: string): { width: number } }, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > maxWidth) s = s.slice(0, -1);
  return `${s}…`;
}

/** Renders one chart spec to PNG bytes at CHART_SIZE. */
export async function renderChartPng(spec: ChartSpec): Promise<Buffer> {
  return new Renderer(CHART_SIZE.width, CHART_SIZE.height, 16).render(spec);
}

/**
 * Renders overview.png: up to nine metric bar charts (legend dropped, explained in the header) in a
 * grid of up to three columns, titled with the experiment name. With no metrics, the first
 * comparison chart stands in so the file always shows something.
 */
export async function renderOverviewPng(
  results: ResultsFile,
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
  const panels: Buffer[] = [];
  for (const spec of metricSpecs) {
    panels.push(
      await r.render(spec, (c) => {
        const plugins = c.options?.plugins;
        if (plugins?.legend) plugins.legend.display = false;
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
    `Bars: mean over successful seeds per alternative; black whisker: 95 % confidence interval; ★ = clearly best${more}`,
  );
}

/**
 * Writes the report's PNGs into `<dir>/charts/`, one chart at a time as they come (every metric
 * chart, every comparison chart, the run charts of each alternative's first successful seed — all
 * runs are browsable in report.html — then overview.png). Each file is named by its chart id, made
 * unique ignoring case in the order written.
 */
export class ChartPngWriter {
  private readonly renderer = new Renderer(CHART_SIZE.width, CHART_SIZE.height, 16);
  private readonly used = new Set<string>(['overview']);
  /** Paths written so far, relative to the report directory. */
  readonly written: string[] = [];

  constructor(private readonly dir: string) {}

  async write(specs: readonly ChartSpec[]): Promise<void> {
    await mkdir(join(this.dir, 'charts'), { recursive: true });
    for (const spec of specs) {
      let stem = spec.id;
      for (let i = 2; this.used.has(stem.toLowerCase()); i++) stem = `${spec.id}-${i}`;
      this.used.add(stem.toLowerCase());
      const rel = `charts/${stem}.png`;
      await writeFile(join(this.dir, rel), await this.renderer.render(spec));
      this.written.push(rel);
    }
  }

  /** overview.png, last. */
  async overview(results: ResultsFile, charts: Pick<ReportCharts, 'metrics' | 'comparison'>): Promise<void> {
    await mkdir(join(this.dir, 'charts'), { recursive: true });
    await writeFile(join(this.dir, 'charts', 'overview.png'), await renderOverviewPng(results, charts));
    this.written.push('charts/overview.png');
  }
}
