/**
 * Growth benchmark (issue 22, item 4): the huge host's mix of guests at 10, 100, 1,000 and 4,000
 * guests, the host scaled with them, to show how the simulator's cost grows with guests. Each size
 * runs in a child process of its own (its peak RSS is its own), which first runs the kernel's
 * PHOLD (bench/kernel-phold.ts) so that every size's speed sits beside the kernel's speed measured
 * in the same process a moment before: on a loaded machine the ratio holds where wall time does
 * not.
 *
 * The shape, per 10 guests: 1 pCPU and 4,480 MiB of host memory (the huge host's 448 MiB per
 * guest), 3 web front ends at 20 requests/s, 3 idle desktops, 2 bursty batch jobs (duty 0.3) and
 * 2 leaky services (duty 0.05), every guest 1 vCPU × 1 GiB, VMI at HZ 250, credit, ESX ballooning.
 * CPU demand is about 0.54 of the pCPUs (bench/huge-host.yaml's estimate: 54 pCPUs per 1,000
 * guests), and 10 is the smallest size with whole pCPUs and whole groups. The huge host itself has
 * 15.6 guests per pCPU; the growth host is less crowded so that every size has the same shape.
 *
 * Figures per size: wall s, events per simulated s, cost per guest per simulated s — wall ns ÷
 * guests ÷ simulated s, and events ÷ guests ÷ simulated s — and simulated s per wall s beside the
 * PHOLD rate. The cost per guest is that of the run's second half (the steady state, timed from
 * the first wake-up past the middle): the start-up is a fixed cost that a short run of a small
 * host does not amortise. Cost per guest is also given in PHOLD events (wall ns per guest per simulated s ×
 * PHOLD events per ns): what the same wall time would have run of the bare kernel, which does not
 * move with the machine's load. Target: that normalised cost flat within 1.5× from 100 to 4,000
 * guests, and 4,000 guests finish.
 *
 *   node dist/bench/growth.js                      # all sizes, a table (part of npm run bench)
 *   node dist/bench/growth.js --duration-s 5       # shorter
 *   node dist/bench/growth.js --guests 1000 --json # one size in this process, one line of JSON
 *   node dist/bench/profile.js --growth 1000 --duration 10s --count-events
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { loadExperimentText, runSpecs } from '../sim/experiment/load.js';
import type { RunSpec } from '../sim/spec/run-spec.js';
import { runPhold } from './kernel-phold.js';
import { measureSpec, type RunMeasurement } from './measure.js';
import type { Row } from './report-share.js';

export const GROWTH_SIZES = [10, 100, 1000, 4000] as const;
/**
 * Simulated seconds per size (--duration-s to change): short enough that 4,000 guests finish in a
 * few minutes on a loaded 2-core machine. Ten seconds hold ten balloon polls and every guest's
 * first web requests, alarms and bursts, but not a whole batch ON/OFF cycle (20 s / 40 s on
 * average): the figures are of the start of the huge host's day, not of its average.
 */
export const GROWTH_DURATION_S = 10;
/** Cost per guest may grow at most this much from 100 to 4,000 guests (issue 22). */
export const GROWTH_FLAT_MAX = 1.5;

/** The growth host with `guests` guests (a multiple of 10), as experiment text. */
export function growthYaml(guests: number, durationS = GROWTH_DURATION_S): string {
  if (!(Number.isInteger(guests) && guests > 0 && guests % 10 === 0))
    throw new Error(`growth host: guests must be a positive multiple of 10, got ${guests}`);
  const tenths = guests / 10;
  const group = (name: string, per10: number, workload: string) =>
    `  - name: ${name}-{i}\n    count: ${per10 * tenths}\n    memory: 1GiB\n    workload: ${workload}\n`;
  return (
    `name: bench-growth-${guests}\nduration: ${durationS}s\nsampleInterval: 10s\nseeds: 1\n` +
    `host:\n  pcpus: ${tenths}\n  memory: ${4480 * tenths}MiB\n  abi: vmi\n` +
    `  scheduler: { policy: credit }\n  balloon: { policy: esx }\n` +
    `guests:\n` +
    group('web', 3, '{ preset: web-frontend, ratePerS: 20 }') +
    group('desktop', 3, '{ preset: idle-desktop }') +
    group('batch', 2, '{ preset: batch-bursty, dutyCycle: 0.3 }') +
    group('leak', 2, '{ preset: leaky-service, dutyCycle: 0.05 }')
  );
}

/** The run spec of the growth host with `guests` guests. */
export function growthSpec(guests: number, durationS = GROWTH_DURATION_S): RunSpec {
  return runSpecs(loadExperimentText(`bench/growth (${guests} guests)`, growthYaml(guests, durationS)))[0]!;
}

/** One size measured in its own process: the kernel's PHOLD rate around it, and the run. */
export interface GrowthMeasurement {
  /** Mean of the PHOLD rates measured just before and just after the run, events per wall s. */
  pholdEventsPerS: number;
  run: RunMeasurement;
}

/** Runs one size in a child process (`growth.js --guests n --json`); throws with its stderr. */
export function measureGrowthInChild(guests: number, durationS: number, cwd: string): GrowthMeasurement {
  const stdout = execFileSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--guests', String(guests), '--duration-s', String(durationS), '--json'],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as GrowthMeasurement;
}

/**
 * The steady state: the second half of the run (RunMeasurement.secondPart), or the whole run if it
 * was not split. Start-up (building the guests, their boot, the JIT's first compilations) is about
 * 0.7 CPU s at 100 guests: in a 10-simulated-second run it is most of the cost of the small sizes,
 * which is why they used to look dearer per guest than 1,000.
 */
function steady(r: RunMeasurement): { wallS: number; cpuS: number; simS: number } {
  const p = r.secondPart;
  return p === undefined ? r : { wallS: p.wallS, cpuS: p.cpuS, simS: r.simS - p.fromS };
}
/** Wall ns per guest per simulated s, in the steady state. */
const costNs = (r: RunMeasurement) => (steady(r).wallS * 1e9) / r.guests / steady(r).simS;
/** CPU ns per guest per simulated s, in the steady state. */
const cpuCostNs = (r: RunMeasurement) => (steady(r).cpuS * 1e9) / r.guests / steady(r).simS;
/** The same in PHOLD events: what the kernel alone would have run in that wall time. */
const costPhold = (m: GrowthMeasurement) => (costNs(m.run) * m.pholdEventsPerS) / 1e9;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const fmt = (n: number) => n.toLocaleString('en-US');

/** Runs every size (a child process each) and returns the bench table's rows. */
export function growthRows(cwd: string, progress: (s: string) => void, durationS = GROWTH_DURATION_S): Row[] {
  const rows: Row[] = [];
  const done: GrowthMeasurement[] = [];
  for (const guests of GROWTH_SIZES) {
    progress(`growth: ${guests} guests, ${durationS} simulated s, in a child process …`);
    let m: GrowthMeasurement | undefined;
    let error = '';
    try {
      m = measureGrowthInChild(guests, durationS, cwd);
      if (m.run.status !== 'ok') error = m.run.error ?? 'run failed';
    } catch (e) {
      error = (e as Error).message.split('\n')[0]!;
    }
    const name = `growth (bench/growth.ts), ${fmt(guests)} guests on ${fmt(guests / 10)} pCPUs, ${durationS} s`;
    if (m === undefined || error !== '') {
      rows.push({
        benchmark: `${name}: finishes`,
        figure: null,
        unit: '',
        target: null,
        targetShown: 'finishes',
        pass: false,
        shown: `FAILED: ${error}`,
      });
      continue;
    }
    done.push(m);
    const r = m.run;
    rows.push(
      {
        benchmark: `${name}: wall s (${fmt(r.eventsProcessed)} events)`,
        figure: round(r.wallS, 2),
        unit: 's',
        target: null,
        ...(guests === 4000 ? { targetShown: 'finishes', pass: true } : { pass: null }),
      },
      {
        benchmark: `  ${fmt(guests)} guests: events per simulated s`,
        figure: Math.round(r.eventsProcessed / r.simS),
        unit: 'events',
        target: null,
        pass: null,
      },
      {
        benchmark: `  ${fmt(guests)} guests: events per guest per simulated s`,
        figure: round(r.eventsProcessed / r.guests / r.simS, 1),
        unit: 'events',
        target: null,
        pass: null,
      },
      {
        benchmark: `  ${fmt(guests)} guests: wall ns per guest per simulated s, second half (steady state)`,
        figure: Math.round(costNs(r)),
        unit: 'ns',
        target: null,
        pass: null,
      },
      {
        benchmark: `  ${fmt(guests)} guests: CPU ns per guest per simulated s, second half (${round(steady(r).cpuS, 2)} of the run's ${round(r.cpuS, 2)} CPU s)`,
        figure: Math.round(cpuCostNs(r)),
        unit: 'ns',
        target: null,
        pass: null,
      },
      {
        benchmark: `  ${fmt(guests)} guests: the same in kernel PHOLD events (PHOLD ${round(m.pholdEventsPerS / 1e6, 2)} M events/s in the same process)`,
        figure: Math.round(costPhold(m)),
        unit: 'PHOLD events',
        target: null,
        pass: null,
      },
      {
        benchmark: `  ${fmt(guests)} guests: simulated s per wall s (model events at ${round((100 * r.eventsProcessed) / r.wallS / m.pholdEventsPerS, 1)} % of the PHOLD rate)`,
        figure: round(r.simS / r.wallS, 2),
        unit: '× real time',
        target: null,
        pass: null,
      },
      {
        benchmark: `  ${fmt(guests)} guests: peak RSS of its process`,
        figure: Math.round(r.maxRssMiB),
        unit: 'MiB',
        target: null,
        pass: null,
      },
    );
  }
  const flat = done.filter((m) => m.run.guests >= 100);
  if (flat.length === GROWTH_SIZES.length - 1) {
    const costs = flat.map(costPhold);
    const growth = Math.max(...costs) / Math.min(...costs);
    rows.push({
      benchmark:
        'growth: cost per guest per simulated s, second half (PHOLD events), largest ÷ smallest, 100 to 4,000 guests',
      figure: round(growth, 2),
      unit: '×',
      target: GROWTH_FLAT_MAX,
      cmp: '≤',
      pass: growth <= GROWTH_FLAT_MAX,
    });
    const cpu = flat.map((m) => cpuCostNs(m.run));
    rows.push({
      benchmark: 'growth: the same on CPU ns per guest per simulated s (steadier on a loaded machine)',
      figure: round(Math.max(...cpu) / Math.min(...cpu), 2),
      unit: '×',
      target: null,
      pass: null,
    });
  }
  return rows;
}

function main(): void {
  const arg = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i < 0 ? undefined : Number(process.argv[i + 1]);
  };
  const durationS = arg('--duration-s') ?? GROWTH_DURATION_S;
  const guests = arg('--guests');
  if (guests === undefined) {
    const rows = growthRows(process.cwd(), (s) => process.stderr.write(`${s}\n`), durationS);
    for (const r of rows)
      console.log(`${r.benchmark} | ${r.shown ?? `${r.figure === null ? '—' : fmt(r.figure)} ${r.unit}`}`);
    return;
  }
  const spec = growthSpec(guests, durationS);
  const before = runPhold().eventsPerS;
  const run = measureSpec(spec, { splitAtNs: spec.durationNs / 2 });
  const m: GrowthMeasurement = { pholdEventsPerS: (before + runPhold().eventsPerS) / 2, run };
  console.log(process.argv.includes('--json') ? JSON.stringify(m) : m);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
