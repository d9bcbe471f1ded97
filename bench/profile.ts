/**
 * Runs the first run of an experiment file on this thread, optionally shortened, and prints how
 * fast it went: the tool behind the profiles in bench/README.md, and the huge host's own process
 * in `npm run bench` (--json). Under `node --cpu-prof` it writes a CPU profile of the simulation
 * alone (no worker pool, no report).
 *
 *   node --cpu-prof dist/bench/profile.js bench/huge-host.yaml --duration 60s
 *   node dist/bench/profile.js bench/dense-host.yaml --duration 60s --eager-timers
 *
 *   node dist/bench/profile.js --growth 4000 --duration 5s --count-events
 *
 * --growth <guests> runs the growth benchmark's host (bench/growth.ts) instead of a file.
 * --count-events counts events by kind (bench/measure.ts; slower, a wrapper call per event), and
 * the pCPU scheduling events by cause (bench/pcpu-event-causes.ts), and the events that ran at the
 * same ns as the one before them (their order is the kernel's tie-break).
 * --eager-timers runs an event per timer interrupt (the lazyTimers aggregation off) to show what
 * lazy timer accounting saves; --aggregations-off turns every aggregation off (sim/host/aggregations.ts),
 * to show what they save together. The results are the same.
 * --aggregate-bursts runs the look-ahead of running vCPUs' steps (RunOptions.aggregateBursts) under
 * the entity tie order it needs; --entity-ties alone gives the run to compare it with (same results).
 */
import { Command, InvalidArgumentError } from 'commander';
import { parseDurationNs } from '../sim/options/units.js';
import { measureRun, measureSpec } from './measure.js';
import { growthSpec } from './growth.js';
import { allAggregations } from '../sim/host/aggregations.js';

function duration(text: string): number {
  const r = parseDurationNs(text);
  if (!r.ok) throw new InvalidArgumentError(r.problem);
  return r.value;
}

const cmd = new Command('profile')
  .argument('[file]', 'experiment file; its first alternative and seed are run')
  .option('--growth <guests>', 'the growth benchmark’s host with this many guests instead of a file', (t) => {
    const n = Number(t);
    if (!(Number.isInteger(n) && n > 0 && n % 10 === 0))
      throw new InvalidArgumentError('a positive multiple of 10');
    return n;
  })
  .option('--count-events', 'count events by kind (slower)')
  .option('--duration <time>', 'simulate this long instead of the file’s duration (e.g. 60s)', duration)
  .option('--eager-timers', 'an event per timer interrupt instead of lazy accounting')
  .option('--aggregations-off', 'every aggregation off (sim/host/aggregations.ts): the plain reference')
  .option('--entity-ties', 'simultaneous events in the kernel’s entity order (RunOptions.tieOrder)')
  .option('--aggregate-bursts', 'the look-ahead of running vCPUs’ steps (implies --entity-ties)')
  .option('--json', 'print the measurement as one line of JSON (bench/measure.ts RunMeasurement)')
  // Bad flags exit 2, as the vmisim CLI's do (commander's own default is 1).
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
  .parse();
const opts = cmd.opts<{
  duration?: number;
  eagerTimers?: boolean;
  aggregationsOff?: boolean;
  entityTies?: boolean;
  aggregateBursts?: boolean;
  json?: boolean;
  growth?: number;
  countEvents?: boolean;
}>();
if ((cmd.args[0] === undefined) === (opts.growth === undefined))
  cmd.error('give either an experiment file or --growth <guests> (exactly one of them)');
const measureOpts = {
  ...(opts.duration !== undefined ? { durationNs: opts.duration } : {}),
  aggregations:
    opts.aggregationsOff === true
      ? allAggregations(false)
      : opts.eagerTimers === true
        ? { lazyTimers: false }
        : {},
  entityTies: opts.entityTies === true,
  aggregateBursts: opts.aggregateBursts === true,
  countEvents: opts.countEvents === true,
};
const m =
  opts.growth !== undefined
    ? measureSpec(growthSpec(opts.growth), measureOpts)
    : measureRun(cmd.args[0]!, measureOpts);
const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d });
console.log(
  opts.json === true
    ? JSON.stringify(m)
    : `${m.status}: ${f(m.simS)} simulated s in ${f(m.wallS, 2)} wall s = ${f(m.simS / m.wallS, 1)} × real time; ` +
        `${f(m.eventsProcessed)} events (${f(m.eventsProcessed / m.wallS)} per wall s, ${f(m.eventsProcessed / m.simS)} per simulated s); ` +
        `${f(m.cpuS, 2)} CPU s; peak RSS ${f(m.maxRssMiB)} MiB` +
        (m.eventsByKind ?? [])
          .map((k) => `\n  ${f(k.events / m.simS, 1).padStart(10)} /simulated s  ${k.kind}`)
          .join('') +
        (m.sameInstantEvents === undefined ? '' : '\n  events at the same ns as the event before them:') +
        (m.sameInstantEvents ?? [])
          .map((k) => `\n  ${f(k.events / m.simS, 1).padStart(10)} /simulated s  ${k.kinds}`)
          .join('') +
        (m.pcpuEventCauses === undefined ? '' : '\n  pCPU scheduling events by cause:') +
        (m.pcpuEventCauses ?? [])
          .map((k) => `\n  ${f(k.events / m.simS, 1).padStart(10)} /simulated s  ${k.cause}`)
          .join(''),
);
