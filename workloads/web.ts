/**
 * `web`: a request-serving workload, an M/M/c queue. Requests arrive as a Poisson process of rate
 * λ = `ratePerS` (guest-wide), each needs an exponential CPU service time of mean S = `service`,
 * and the guest's c vCPUs serve them first-come-first-served:
 *  - a vCPU that finishes a request takes the oldest waiting one at once (idleNs 0);
 *  - a vCPU that finds no request waiting claims the next future arrival and sleeps until it
 *    (wake `io` by default: the request comes in from the network as a device interrupt).
 * A request's latency is its completion time (the nextBurst call that follows its work) minus its
 * arrival time, so CPU contention on the host (queueing, steal) lengthens it.
 *
 * Offered load ρ = λ·S/c. Uncontended with c = 1 this is M/M/1, whose mean response time (wait +
 * service) is
 *   E[T] = S / (1 − ρ)   (ρ < 1; Kleinrock, Queueing Systems vol. 1, 1975, §3.2, eq. 3.26),
 * and T is itself exponential, so its p-th quantile is −E[T]·ln(1 − p).
 * Example: λ = 80 /s, S = 10 ms, c = 1 → ρ = 0.8, E[T] = 50 ms, p99 = 50 ms × ln 100 ≈ 230 ms.
 * With c > 1 a request may wait on a sleeping vCPU that claimed it while another vCPU frees up
 * first; both are idle then, so uncontended this is still M/M/c, only the server identity differs.
 *
 * Overload (ρ ≥ 1) is allowed — the queue grows, which is the experiment. It is bounded like a
 * real server's listen backlog: an arrival that finds `backlog` requests already waiting is
 * refused (counted in `dropped_count`), which makes the model M/M/c/(c + backlog) and keeps the
 * simulator's own memory bounded. Admission is decided when the simulation first learns of the
 * arrival (the next nextBurst call or memory tick), so the cap holds at those instants.
 *
 * Memory: anonymous = `resident` + `perRequest` × requests in the system (waiting + in service)
 * at nowNs, capped at the guest's usable memory (a process is not allowed more than the guest
 * has; the cap is what a real server's request memory would hit before it fails allocations).
 *
 * Determinism: `create` forks two streams off vcpuRng[0] (a fixed point, before any burst; see
 * common.ts forkStream): one for interarrival gaps, one for service times. Request k's arrival and
 * service are the k-th draws of each, so the arrival series and each request's demand are the
 * same for a seed whatever the host's contention and whichever vCPU serves it.
 *
 * Under `phases` with `loop: true` local time restarts at each occurrence; a call earlier than
 * the latest seen is taken as a server restart: requests in the system are abandoned (counted as
 * dropped) and the arrival series continues from where it was.
 */
import { z } from 'zod';
import type { WorkloadDecl, WorkloadInstance } from './types.js';
import type { RandomStream } from '../sim/kernel/index.js';
import { durationNs, sizeBytes, strictObject } from '../sim/options/fields.js';
import { PAGE_SIZE_BYTES } from '../sim/options/units.js';
import { newLatencyHistogram } from '../sim/kernel/latency-histogram.js';
import { fitProblem, forkStream, pages, accessFields, accessOf, localityFields } from './common.js';
import { WEB_PRESET, processesField, resolveActivity } from './process-activity.js';

/** Largest latency the histogram tracks (1 h, as newLatencyHistogram); longer ones are clamped. */
const MAX_LATENCY_NS = 3_600_000_000_000;

const options = strictObject({
  ratePerS: z
    .number()
    .gt(0)
    .default(100)
    .describe('mean request arrival rate, requests per second (guest-wide, Poisson)'),
  service: durationNs().prefault('5ms').describe('mean CPU time one request needs (exponential)'),
  resident: sizeBytes().prefault('256MiB').describe('anonymous memory of the idle server process'),
  perRequest: sizeBytes()
    .prefault('64KiB')
    .describe('anonymous memory held by each request while it is in the system (waiting or served)'),
  backlog: z
    .number()
    .int()
    .min(0)
    .default(4096)
    .describe(
      'most requests that may wait for a vCPU; further arrivals are refused (default 4096, Linux SOMAXCONN since 5.4)',
    ),
  wake: z
    .enum(['timer', 'io'])
    .default('io')
    .describe("what ends an idle vCPU's wait for the next request: an I/O interrupt (network) or its timer"),
  ...accessFields(),
  ...localityFields(),
  processes: processesField(),
});

export type WebOptions = z.output<typeof options>;

/** One request: when it arrives and the CPU it needs, ns; `index` is its place in the series. */
export interface WebRequest {
  index: number;
  arrivalNs: number;
  serviceNs: number;
}

/** The request series: request k's arrival and service are the k-th draws of their own streams. */
export class RequestSeries {
  private nextIndex = 0;
  private lastArrivalNs = 0;

  constructor(
    private readonly arrivals: RandomStream,
    private readonly services: RandomStream,
    private readonly meanGapNs: number,
    private readonly meanServiceNs: number,
  ) {}

  next(): WebRequest {
    this.lastArrivalNs += Math.round(this.arrivals.exponential(this.meanGapNs));
    return {
      index: this.nextIndex++,
      arrivalNs: this.lastArrivalNs,
      // At least 1 ns so a request always makes progress.
      serviceNs: Math.max(1, Math.round(this.services.exponential(this.meanServiceNs))),
    };
  }
}

export interface WebInstance extends WorkloadInstance {
  /** The request vCPU `vcpu` was handed at its last nextBurst call (undefined: none), for tests. */
  serving(vcpu: number): WebRequest | undefined;
}

export const webWorkload = {
  name: 'web',
  description:
    'Request server (M/M/c): Poisson arrivals, exponential service, FCFS over the vCPUs; reports latency.',
  options,
  check: (o, ctx) => {
    if (o.service <= 0)
      return { field: 'service', problem: 'service (mean CPU per request) must be longer than 0' };
    return fitProblem('resident', o.resident, ctx.usablePages);
  },
  create: (o, ctx): WebInstance => {
    const series = new RequestSeries(
      forkStream(ctx.vcpuRng[0]!, 'web-arrivals'),
      forkStream(ctx.vcpuRng[0]!, 'web-services'),
      1e9 / o.ratePerS,
      o.service,
    );
    const residentPages = pages(o.resident);
    const hist = newLatencyHistogram();
    let latencySumNs = 0;
    let completed = 0;
    let dropped = 0;
    /** The next request of the series not yet admitted, dropped or claimed (one lookahead). */
    let pending = series.next();
    /** Requests waiting for a vCPU, oldest first: queue[head…]. */
    let queue: WebRequest[] = [];
    let head = 0;
    const inService: (WebRequest | undefined)[] = new Array<WebRequest | undefined>(ctx.vcpus).fill(
      undefined,
    );
    const started = new Uint8Array(ctx.vcpus);
    /** Local time → the instance's own monotonic time (shifted after a restart under phases). */
    let offsetNs = 0;
    let lastNs = 0;

    const clock = (nowNs: number): number => {
      if (nowNs + offsetNs < lastNs) {
        // Local time went back (a new occurrence of a phase): the server restarted.
        offsetNs = lastNs - nowNs;
        for (let v = 0; v < ctx.vcpus; v++) if (inService[v] !== undefined) dropped++;
        dropped += queue.length - head;
        inService.fill(undefined);
        queue = [];
        head = 0;
      }
      lastNs = nowNs + offsetNs;
      return lastNs;
    };

    /** Admit every arrival up to `t` into the queue, refusing those that find the backlog full. */
    const admit = (t: number): void => {
      while (pending.arrivalNs <= t) {
        if (queue.length - head >= o.backlog) dropped++;
        else queue.push(pending);
        pending = series.next();
      }
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
    };

    const activity = resolveActivity(WEB_PRESET, o.service / 1e9, o.processes);
    return {
      ...accessOf(o),
      processActivity: () => activity,
      serving: (vcpu) => inService[vcpu],
      anonPages: (nowNs) => {
        const t = clock(nowNs);
        admit(t);
        let n = queue.length - head;
        for (const r of inService) if (r !== undefined && r.arrivalNs <= t) n++;
        return Math.min(ctx.usablePages, residentPages + Math.ceil((n * o.perRequest) / PAGE_SIZE_BYTES));
      },
      nextBurst: (vcpu, nowNs) => {
        const t = clock(nowNs);
        if (started[vcpu] === 0) {
          // Boot: the guest runs the first burst's work at once and never sleeps its idleNs, so
          // the first burst is a 1-ns start-up of the server, not a request.
          started[vcpu] = 1;
          return { workNs: 1, idleNs: 0 };
        }
        const done = inService[vcpu];
        if (done !== undefined) {
          const lat = t - done.arrivalNs;
          latencySumNs += lat;
          completed++;
          hist.recordValue(Math.min(MAX_LATENCY_NS, Math.max(1, lat)));
        }
        admit(t);
        let r: WebRequest;
        if (head < queue.length) r = queue[head++]!;
        else {
          r = pending;
          pending = series.next();
        }
        inService[vcpu] = r;
        return { workNs: r.serviceNs, idleNs: Math.max(0, r.arrivalNs - t), wake: o.wake };
      },
      metrics: (nowNs) => {
        const ms = (ns: number) => Math.round(ns) / 1e6;
        const pct = (p: number) => (completed === 0 ? 0 : ms(hist.getValueAtPercentile(p)));
        const t = nowNs + offsetNs;
        return {
          requests_count: completed,
          dropped_count: dropped,
          throughput_per_s: t > 0 ? completed / (t / 1e9) : 0,
          latency_mean_ms: completed === 0 ? 0 : ms(latencySumNs / completed),
          latency_p50_ms: pct(50),
          latency_p95_ms: pct(95),
          latency_p99_ms: pct(99),
          offered_load_ratio: (o.ratePerS * o.service) / 1e9 / ctx.vcpus,
        };
      },
    };
  },
} satisfies WorkloadDecl<WebOptions>;
