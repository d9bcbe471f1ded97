/**
 * `phases`: a guest whose workload changes over time — a list of phases, each
 * `{ for: <duration>, type: <workload>, ...its options }`, run one after another. With
 * `loop: false` (default) the last phase goes on for the rest of the run (its `for` is then
 * unused); with `loop: true` the sequence repeats with period Σ for.
 *
 *   phase at t:  the i with S_i ≤ t' < S_i + for_i,  S_i = Σ_{j<i} for_j,
 *                t' = t mod Σ for (loop) or t (no loop; t' ≥ S_last → last phase);
 *   the phase's instance sees local time t − (start of the current occurrence of the phase).
 *
 * So on every occurrence a phase starts over in its own time: memhog restarts from `start`,
 * on-off replays its (same) ON/OFF timeline; one instance per phase, created on first use with
 * the guest's context and reused by later occurrences. Bursts come from the phase active at the
 * call; a sleep that would end at or after the phase's end is replaced by the next phase's first
 * burst from that boundary (at most 64 boundaries are crossed per call), so a phase change is
 * not delayed by a long sleep of the previous phase. Memory (anon, cache) and locality come from
 * the phase active at the last memory tick (`anonPages(now)`).
 *
 * Random streams: each phase gets its own per-vCPU streams, forked off vcpuRng[v] when the
 * `phases` instance is created (at boot, a fixed point), so a phase's draws never depend on how
 * many bursts other phases drew — the whole sequence is a function of the seed and of the times
 * at which the vCPU asks. The accesses per CPU-second (which `database` sets) are the active
 * phase's, like memory and locality.
 * Example: [{for: 60s, type: idle}, {for: 30s, type: constant, dutyCycle: 1}], loop: true →
 * idle for a minute, busy for 30 s, repeated every 90 s.
 */
import { z } from 'zod';
import type { WorkloadDecl, WorkloadInstance } from './types.js';
import type { Locality } from './types.js';
import { DEFAULT_ACCESSES_PER_CPU_S, DEFAULT_LOCALITY } from './types.js';
import { describe, pluginSelector, strictObject } from '../sim/options/fields.js';
import { parseDurationNs } from '../sim/options/units.js';
import { forkStream } from './common.js';
import { bindWorkload, type WorkloadRegistry } from './choice.js';

/** Most phase boundaries one burst's sleep may cross before the burst is taken as it is. */
export const MAX_CROSSINGS = 64;

/** One validated phase: its length and the chosen workload with its options (defaults applied). */
export interface Phase {
  forNs: number;
  name: string;
  options: Record<string, unknown>;
}

/** The `phases` workload over the workloads of `inner` (which must not contain `phases`). */
export function phasesWorkload(inner: WorkloadRegistry) {
  const selector = pluginSelector(inner, 'workload', 'type');
  const phase = z.unknown().transform((v, ctx): Phase => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a phase '{ for: <duration>, type: <workload>, ...options }', found ${describe(v)}`,
        input: v,
      });
      return z.NEVER;
    }
    const { for: forRaw, ...rest } = v as Record<string, unknown>;
    if (rest.type === 'phases') {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: "a phase cannot itself be 'phases'",
        input: v,
      });
      return z.NEVER;
    }
    const d = parseDurationNs(forRaw);
    if (!d.ok || d.value <= 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['for'],
        message:
          forRaw === undefined
            ? "each phase needs 'for: <duration>'"
            : d.ok
              ? 'for must be longer than 0'
              : d.problem,
        input: forRaw,
      });
      return z.NEVER;
    }
    const sel = selector.safeParse(rest);
    if (!sel.success) {
      for (const iss of sel.error.issues)
        ctx.addIssue({ code: 'custom', path: iss.path, message: iss.message });
      return z.NEVER;
    }
    return { forNs: d.value, name: sel.data.name, options: sel.data.options };
  });
  const options = strictObject({
    phases: z
      .array(phase)
      .min(1)
      .describe(
        `the phases in order, each '{ for: <duration>, type: <${Object.keys(inner).join('|')}>, ...options }' (required)`,
      ),
    loop: z
      .boolean()
      .default(false)
      .describe('repeat the sequence forever (otherwise the last phase continues)'),
  });

  return {
    name: 'phases',
    description: 'A sequence of other workloads, each for a duration, optionally looping.',
    options,
    check: (o, ctx) => {
      for (const [i, p] of o.phases.entries()) {
        const problem = bindWorkload(inner, p).check(ctx);
        if (problem !== undefined)
          return { field: `phases[${i}].${problem.field}`, problem: problem.problem };
      }
      return undefined;
    },
    // Phases that read files (a trace) read them here, once, like a guest's own workload would.
    load: (o, ctx) => ({
      ...o,
      phases: o.phases.map((p) => ({ ...p, options: bindWorkload(inner, p).load(ctx).options })),
    }),
    create: (o, ctx): PhasesInstance => {
      const n = o.phases.length;
      const starts: number[] = [];
      let total = 0;
      for (const p of o.phases) {
        starts.push(total);
        total += p.forNs;
      }
      // Per-phase streams: fixed draws at create, in phase then vCPU order.
      const streams = o.phases.map((_, i) => ctx.vcpuRng.map((r) => forkStream(r, `phase${i}`)));
      const instances: (WorkloadInstance | undefined)[] = new Array<WorkloadInstance | undefined>(n);
      const localities: (Locality | undefined)[] = new Array<Locality | undefined>(n);
      const inst = (i: number): WorkloadInstance => {
        let w = instances[i];
        if (w === undefined) {
          const p = o.phases[i]!;
          w = bindWorkload(inner, p).create({
            vcpus: ctx.vcpus,
            usablePages: ctx.usablePages,
            vcpuRng: streams[i]!,
          });
          instances[i] = w;
        }
        return w;
      };
      const loc = (i: number): Locality => {
        let l = localities[i];
        if (l === undefined) {
          l = inst(i).locality?.() ?? DEFAULT_LOCALITY;
          localities[i] = l;
        }
        return l;
      };

      /** The phase active at t, the start of its current occurrence and its end. */
      const at = (t: number): { i: number; startNs: number; endNs: number } => {
        let base = 0;
        let u = t;
        if (o.loop) {
          base = Math.floor(t / total) * total;
          u = t - base;
        } else if (t >= starts[n - 1]!) {
          return { i: n - 1, startNs: starts[n - 1]!, endNs: Infinity };
        }
        let i = 0;
        while (i + 1 < n && starts[i + 1]! <= u) i++;
        const startNs = base + starts[i]!;
        return { i, startNs, endNs: startNs + o.phases[i]!.forNs };
      };

      let memPhase = 0;
      const locality: Locality = {
        get hotFraction() {
          return loc(memPhase).hotFraction;
        },
        get hotShare() {
          return loc(memPhase).hotShare;
        },
      };

      return {
        phaseAt: (nowNs) => at(nowNs).i,
        anonPages: (nowNs) => {
          const a = at(nowNs);
          memPhase = a.i;
          return inst(a.i).anonPages(nowNs - a.startNs);
        },
        cachePages: (nowNs) => {
          const a = at(nowNs);
          return inst(a.i).cachePages?.(nowNs - a.startNs) ?? 0;
        },
        locality: () => locality,
        accessesPerCpuS: () => inst(memPhase).accessesPerCpuS?.() ?? DEFAULT_ACCESSES_PER_CPU_S,
        cacheReadsPerCpuS: () => inst(memPhase).cacheReadsPerCpuS?.() ?? 0,
        // Each phase's own measurements, as `phase<i>_<key>`, for the phases that ran, in the
        // phase's local time: the active one's time so far, a finished one's whole length.
        metrics: (nowNs) => {
          const out: Record<string, number> = {};
          const a = at(nowNs);
          instances.forEach((w, i) => {
            const local = i === a.i ? nowNs - a.startNs : o.phases[i]!.forNs;
            for (const [k, v] of Object.entries(w?.metrics?.(local) ?? {})) out[`phase${i}_${k}`] = v;
          });
          return out;
        },
        nextBurst: (vcpu, nowNs) => {
          let a = at(nowNs);
          let b = inst(a.i).nextBurst(vcpu, nowNs - a.startNs);
          for (let c = 0; c < MAX_CROSSINGS && nowNs + b.idleNs >= a.endNs; c++) {
            // The sleep reaches the next phase: start that phase's first burst at the boundary.
            const next = at(a.endNs);
            const nb = inst(next.i).nextBurst(vcpu, a.endNs - next.startNs);
            b = { workNs: nb.workNs, idleNs: a.endNs - nowNs + nb.idleNs, wake: nb.wake ?? 'timer' };
            a = next;
          }
          return b;
        },
      };
    },
  } satisfies WorkloadDecl<z.output<typeof options>>;
}

export interface PhasesInstance extends WorkloadInstance {
  /** Index of the phase active at `nowNs` (for tests and reports). */
  phaseAt(nowNs: number): number;
}
