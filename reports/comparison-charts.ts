/**
 * The time-series comparison across alternatives: one line per alternative, from its first
 * successful seed. Each run is first reduced to what these charts draw (ComparisonRun: the time
 * axis, the host columns, and each per-guest quantity summed and its worst value taken over the
 * guests), so the report can read runs one at a time and keep a few reduced runs instead of whole
 * series: the reduction is rows × (host columns + 2 × quantities) numbers, whatever the number of
 * guests, and only for the runs whose lines are drawn.
 */
import type { ChartDataset } from 'chart.js';
import type { ResultsFile, RunResult, SeriesColumnDef } from '../sim/results/types.js';
import { alternativeOrder } from './aggregate.js';
import { quantityLabel, shortAlternative, timeScale, withUnit } from './chart-labels.js';
import {
  columnsOf,
  familyLabel,
  guestFamilies,
  guestsInRun,
  linePoints,
  seriesLabel,
  type Family,
} from './chart-series.js';
import { CHART_DEFAULTS, DASHES, type ChartOptions, type ChartSpec, type LinePoint } from './chart-spec.js';
import { lineConfig, lineDataset } from './line-chart.js';
import { levelsOf } from './catalog-hints.js';
import { safeFileStem } from './names.js';

type Dataset = ChartDataset<'line', LinePoint[]>;

/** A per-guest quantity over guests, row by row: the sum and the value largest in magnitude. */
interface QuantityOverGuests {
  sum: number[];
  worst: number[];
  guests: number;
}

/** What the comparison charts need of one run. */
export interface ComparisonRun {
  alternative: string;
  seed: number;
  /** Time of the last row, s (0 without rows). */
  lastTimeS: number;
  /** Host columns that are not reference levels, in column order. */
  hostColumns: SeriesColumnDef[];
  families: Family[];
  guestCount: number;
  /** The data of the lines, for runs that are drawn (the first CHART_DEFAULTS.maxLines). */
  lines?: {
    timeS: number[];
    /** Values of the first column of each host column's name. */
    byName: Map<string, number[]>;
    byQuantity: Map<string, QuantityOverGuests>;
  };
}

/**
 * For each alternative in `order`, its runs' indexes by seed (file order on a tie): the comparison
 * shows the first of them that succeeded with a series.
 */
export function comparisonCandidates(
  slots: readonly Pick<RunResult, 'alternative' | 'seed'>[],
  order: readonly string[],
): number[][] {
  return order.map((alt) =>
    slots
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.alternative === alt)
      .sort((a, b) => a.s.seed - b.s.seed)
      .map(({ i }) => i),
  );
}

/**
 * Indexes of the runs the comparison shows: for each alternative in order, its successful run
 * with a series and the smallest seed (the first such run in file order on a tie).
 */
export function firstOkRunIndexes(r: ResultsFile, hasSeries: (i: number) => boolean): number[] {
  return comparisonCandidates(r.runs, alternativeOrder(r)).flatMap((candidates) => {
    const first = candidates.find((i) => r.runs[i]!.status === 'ok' && hasSeries(i));
    return first === undefined ? [] : [first];
  });
}

/** For each alternative, its successful run with the smallest seed (the run comparison charts show). */
export function firstOkRuns(r: ResultsFile): RunResult[] {
  return firstOkRunIndexes(r, (i) => r.runs[i]?.series !== undefined).map((i) => r.runs[i]!);
}

/** Reduces a run to what the comparison charts need; `drawn`: keep the data of its lines too. */
export function reduceForComparison(run: RunResult, drawn: boolean): ComparisonRun {
  const cols = columnsOf(run);
  const timeS = run.series?.timeS ?? [];
  const reduced: ComparisonRun = {
    alternative: run.alternative,
    seed: run.seed,
    lastTimeS: timeS[timeS.length - 1] ?? 0,
    // Reference levels (thresholds) belong beside their data in the run charts, not compared.
    hostColumns: cols.filter((c) => c.def.guest === undefined && c.def.reference !== true).map((c) => c.def),
    families: guestFamilies(cols),
    guestCount: guestsInRun(cols).length,
  };
  if (!drawn) return reduced;
  const byName = new Map<string, number[]>();
  for (const c of cols)
    if (c.def.guest === undefined && !byName.has(c.def.name)) byName.set(c.def.name, c.values);
  const byQuantity = new Map<string, QuantityOverGuests>();
  for (const q of new Set(cols.filter((c) => c.def.guest !== undefined).map((c) => c.def.quantity))) {
    const qc = cols.filter((c) => c.def.guest !== undefined && c.def.quantity === q);
    // Folded in column order from 0, as a reduce over the guests' values row by row would.
    const sum = timeS.map(() => 0);
    const worst = timeS.map(() => 0);
    for (const c of qc) {
      for (let i = 0; i < timeS.length; i++) {
        const x = c.values[i] ?? NaN;
        sum[i] = (sum[i] as number) + x;
        if (Math.abs(x) > Math.abs(worst[i] as number)) worst[i] = x;
      }
    }
    byQuantity.set(q, { sum, worst, guests: qc.length });
  }
  reduced.lines = { timeS, byName, byQuantity };
  return reduced;
}

/** Time-series comparison of the results' first successful runs (see comparisonChartsOf). */
export function comparisonCharts(r: ResultsFile, options: Partial<ChartOptions> = {}): ChartSpec[] {
  const maxLines = { ...CHART_DEFAULTS, ...options }.maxLines;
  const runs = firstOkRuns(r).map((run, k) => reduceForComparison(run, k < maxLines));
  return comparisonChartsOf(runs, alternativeOrder(r), options);
}

/**
 * Time-series comparison across alternatives, one line per alternative (its first successful seed):
 * each host column on its own chart, and each per-guest family aggregated over guests (percentages
 * averaged, amounts and rates summed, errors and latencies by the worst guest). Alternatives beyond
 * the line cap are left out and the subtitle says so. `runs` are reduced with their lines for at
 * least the first `maxLines`; `order` gives each alternative its colour.
 */
export function comparisonChartsOf(
  runs: readonly ComparisonRun[],
  order: readonly string[],
  options: Partial<ChartOptions> = {},
): ChartSpec[] {
  const opt = { ...CHART_DEFAULTS, ...options };
  if (runs.length === 0) return [];
  const maxT = Math.max(...runs.map((x) => x.lastTimeS));
  const ts = timeScale(maxT);
  const time = { unit: ts.unit, max: maxT / ts.divisor };
  const seeds = [...new Set(runs.map((x) => x.seed))];
  const seedNote = seeds.length === 1 ? `seed ${seeds[0]}` : 'first successful seed of each alternative';
  const label = (run: ComparisonRun) =>
    seeds.length === 1
      ? shortAlternative(run.alternative)
      : `${shortAlternative(run.alternative)} (seed ${run.seed})`;
  const linesOf = (run: ComparisonRun) => {
    if (run.lines === undefined)
      throw new Error(`comparison: run ${run.alternative} was reduced without lines`);
    return run.lines;
  };
  const specs: ChartSpec[] = [];
  const push = (
    id: string,
    title: string,
    shown: number,
    yTitle: string,
    datasets: Dataset[],
    levels?: readonly string[],
  ) =>
    specs.push({
      id,
      title,
      config: lineConfig(title, capNote(seedNote, shown, runs.length), yTitle, time, datasets, levels),
      ...(levels === undefined ? {} : { yTickLabels: [...levels] }),
    });

  // Host columns: the union over runs, in first-seen order.
  const hostCols: SeriesColumnDef[] = [];
  for (const run of runs)
    for (const c of run.hostColumns) if (!hostCols.some((h) => h.name === c.name)) hostCols.push(c);
  for (const def of hostCols) {
    const qLabel = quantityLabel(def.quantity, def.unit);
    const shown = runs.slice(0, opt.maxLines);
    const datasets = shown.flatMap((run) => {
      const lines = linesOf(run);
      const values = lines.byName.get(def.name);
      return values
        ? [
            lineDataset(
              label(run),
              linePoints(lines.timeS, values, ts.divisor, opt.maxPoints),
              order.indexOf(run.alternative),
            ),
          ]
        : [];
    });
    // Host columns are named host_*: their label already says "Host".
    const hostLabel = /^host\b/i.test(qLabel)
      ? qLabel
      : `Host ${qLabel.charAt(0).toLowerCase()}${qLabel.slice(1)}`;
    const title = `${hostLabel} by alternative`;
    // A state is named by its ticks (its levels): its unit would say nothing more.
    const levels = levelsOf(def);
    const yTitle = levels === undefined ? withUnit(hostLabel, def.unit) : hostLabel;
    push(`compare-${safeFileStem(def.name)}`, title, shown.length, yTitle, datasets, levels);
  }

  // Per-guest families, aggregated over guests.
  const families: Family[] = [];
  for (const run of runs)
    for (const f of run.families) if (!families.some((x) => x.key === f.key)) families.push(f);
  for (const fam of families) {
    const perAlt = Math.max(1, Math.floor(opt.maxLines / fam.quantities.length));
    const shown = runs.slice(0, perAlt);
    const how = fam.overGuests;
    const datasets: Dataset[] = [];
    let guestCount = 0;
    for (const run of shown) {
      const lines = linesOf(run);
      guestCount = Math.max(guestCount, run.guestCount);
      fam.quantities.forEach((q, qi) => {
        const over = lines.byQuantity.get(q);
        if (over === undefined) return;
        const agg =
          how === 'worst' ? over.worst : how === 'mean' ? over.sum.map((x) => x / over.guests) : over.sum;
        const suffix = seriesLabel(fam, q);
        datasets.push(
          lineDataset(
            suffix ? `${label(run)} ${suffix}` : label(run),
            linePoints(lines.timeS, agg, ts.divisor, opt.maxPoints),
            order.indexOf(run.alternative),
            fam.quantities.length > 1 ? DASHES[qi % DASHES.length] : [],
          ),
        );
      });
    }
    const fLabel = familyLabel(fam);
    // With one guest there is nothing to aggregate: say nothing about it.
    const title =
      guestCount === 1
        ? `${fLabel} by alternative`
        : `${fLabel} (${how} over ${guestCount} guests) by alternative`;
    // The aggregation is in the title; on the axis it made long labels ("Swapped: swapped vs
    // by host, total over guests (MiB)") longer than the plot is tall in the page.
    push(
      `compare-guests-${safeFileStem(fam.stem)}`,
      title,
      shown.length,
      withUnit(fLabel, fam.unit),
      datasets,
    );
  }
  // A chart whose every line holds one value throughout (swapped memory 0 on a host that never
  // swaps) says nothing a sentence does not: the page says such charts are not drawn.
  return specs.filter((spec) => !allOneValue(spec));
}

/** Every point of every line of a line-chart spec has the same value. */
function allOneValue(spec: ChartSpec): boolean {
  const ys = (spec.config.data.datasets as { data: unknown[] }[]).flatMap((d) =>
    d.data.map((p) => (Array.isArray(p) ? (p[1] as number) : NaN)),
  );
  return ys.length > 0 && ys.every((y) => y === ys[0]);
}

function capNote(seedNote: string, shown: number, total: number): string {
  return shown < total ? `${seedNote}; first ${shown} of ${total} alternatives shown` : seedNote;
}
