/**
 * Runs the first run of an experiment file on this thread, optionally shortened, and prints how
 * fast it went: the tool behind the profiles in bench/README.md. Under `node --cpu-prof` it writes
 * a CPU profile of the simulation alone (no worker pool, no report).
 *
 *   node --cpu-prof dist/bench/profile.js bench/huge-host.yaml --duration 60s
 *   node dist/bench/profile.js bench/dense-host.yaml --duration 60s --eager-timers
 *
 * --eager-timers runs an event per timer interrupt (RunOptions.eagerTimers) to show what lazy
 * timer accounting saves; the results are the same.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadExperimentFile, runSpecs } from '../sim/experiment/load.js';
import { parseDurationNs } from '../sim/experiment/units.js';
import { simulate } from '../sim/host/run.js';

function duration(text: string): number {
  const r = parseDurationNs(text);
  if (!r.ok) throw new InvalidArgumentError(r.problem);
  return r.value;
}

const cmd = new Command('profile')
  .argument('<file>', 'experiment file; its first alternative and seed are run')
  .option('--duration <time>', 'simulate this long instead of the file’s duration (e.g. 60s)', duration)
  .option('--eager-timers', 'an event per timer interrupt instead of lazy accounting')
  // Bad flags exit 2, as the vmisim CLI's do (commander's own default is 1).
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
  .parse();
const opts = cmd.opts<{ duration?: number; eagerTimers?: boolean }>();
const spec = runSpecs(loadExperimentFile(cmd.args[0]!))[0]!;
if (opts.duration !== undefined) spec.durationNs = opts.duration;
const t0 = process.hrtime.bigint();
const r = simulate(spec, { checkInvariants: false, eagerTimers: opts.eagerTimers === true });
const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
const simS = spec.durationNs / 1e9;
const events = r.summary?.eventsProcessed ?? 0;
const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d });
console.log(
  `${r.status}: ${f(simS)} simulated s in ${f(wallS, 2)} wall s = ${f(simS / wallS, 1)} × real time; ` +
    `${f(events)} events (${f(events / wallS)} per wall s, ${f(events / simS)} per simulated s)`,
);
