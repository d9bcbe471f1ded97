/**
 * Render-pool worker: the slow, independent parts of a report, each a task that takes plain data
 * and writes files into the report directory (reports/render-pool.ts sends them). A task's files
 * are a pure function of the task, so which thread runs it, and in what order, never shows in them.
 *
 * - `charts`: chart specs → charts/<stem>.<format> for each format (PNG, SVG, PDF);
 * - `overview`: charts/overview.png from the metric charts;
 * - `run`: one run → its series CSV and the script with its charts for report.html's run picker.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResultsFile, RunResult } from '../sim/results/types.js';
import type { ChartSpec } from './chart-spec.js';
import { writeRunDetailScript } from './html.js';
import { renderChart, renderOverviewPng, type ChartFormat } from './png.js';
import { writeSeriesCsv } from './tables.js';
import { writeTextFile } from './text-file.js';

/** One chart to write: its spec and the file stem (unique in charts/, chosen by the sender). */
export interface ChartFile {
  spec: ChartSpec;
  stem: string;
  formats: readonly ChartFormat[];
}

export type RenderTask =
  | { kind: 'charts'; dir: string; charts: ChartFile[] }
  | {
      kind: 'overview';
      dir: string;
      experiment: ResultsFile['experiment'];
      metrics: ChartSpec[];
      comparison: ChartSpec[];
    }
  | {
      kind: 'run';
      dir: string;
      /** A successful run with its series. */
      run: RunResult;
      /** Paths relative to `dir`. */
      csvPath: string;
      /** Absent: no script (the run is not in the run picker: failed). */
      detailPath?: string;
      stems: Map<string, string>;
    };

/** Runs one task; returns the paths written, relative to the task's `dir`. */
export default async function renderTask(task: RenderTask): Promise<string[]> {
  const write = (rel: string, bytes: Buffer | string): string => {
    mkdirSync(dirname(join(task.dir, rel)), { recursive: true });
    writeFileSync(join(task.dir, rel), bytes);
    return rel;
  };
  switch (task.kind) {
    case 'charts':
      return task.charts.flatMap((c) =>
        c.formats.map((f) => write(`charts/${c.stem}.${f}`, renderChart(c.spec, f))),
      );
    case 'overview':
      return [write('charts/overview.png', await renderOverviewPng({ experiment: task.experiment }, task))];
    case 'run': {
      const series = task.run.series;
      if (series === undefined) return [];
      const csv = join(task.dir, task.csvPath);
      mkdirSync(dirname(csv), { recursive: true });
      writeTextFile(csv, (w) => writeSeriesCsv(series, w));
      if (task.detailPath === undefined) return [task.csvPath];
      const detail = join(task.dir, task.detailPath);
      mkdirSync(dirname(detail), { recursive: true });
      writeTextFile(detail, (w) => writeRunDetailScript(task.run, task.stems, w));
      return [task.csvPath, task.detailPath];
    }
  }
}
