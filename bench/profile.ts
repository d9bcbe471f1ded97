/**
 * Runs the first run of an experiment file on this thread, optionally shortened, and prints how
 * fast it went: the tool behind the profiles in bench/README.md, and the huge host's own process
 * in `npm run bench` (--json). Under `node --cpu-prof` it writes a CPU profile of the simulation
 * alone (no worker pool, no report).
 *
 *   node --cpu-prof dist/bench/profile.js bench/huge-host.yaml --duration 60s
 *   node dist/bench/profile.js bench/dense-host.yaml --duration 60s --eager-timers
 *
 * --eager-timers runs an event per timer interrupt (RunOptions.eagerTimers) to show what lazy
 * timer accounting saves; the results are the same.
 */
import { Command, InvalidArgumentError } from 'commander';
import { parseDurationNs } from '../sim/options/units.js';
import { measureRun } from './measure.js';

function duration(text: string): number {
  const r = parseDurationNs(text);
  if (!r.ok) throw new InvalidArgumentError(r.problem);
  return r.value;
}

const cmd = new Command('profile')
  .argument('<file>', 'experiment file; its first alternative and seed are run')
  .option('--duration <time>', 'simulate this long instead of the file’s duration (e.g. 60s)', duration)
  .option('--eager-timers', 'an event per timer interrupt instead of lazy accounting')
  .option('--json', 'print the measurement as one line of JSON (bench/measure.ts RunMeasurement)')
  // Bad flags exit 2, as the vmisim CLI's do (commander's own default is 1).
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
  .parse();
const opts = cmd.opts<{ duration?: number; eagerTimers?: boolean; json?: boolean }>();
const m = measureRun(cmd.args[0]!, {
  ...(opts.duration !== undefined ? { durationNs: opts.duration } : {}),
  eagerTimers: opts.eagerTimers === true,
});
const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d });
console.log(
  opts.json === true
    ? JSON.stringify(m)
    : `${m.status}: ${f(m.simS)} simulated s in ${f(m.wallS, 2)} wall s = ${f(m.simS / m.wallS, 1)} × real time; ` +
        `${f(m.eventsProcessed)} events (${f(m.eventsProcessed / m.wallS)} per wall s, ${f(m.eventsProcessed / m.simS)} per simulated s)`,
);
