// The workload measures among the run metrics (sim/results/catalog/run-metrics.ts): what web,
// database and kernel-build workloads measured of themselves, combined over guests and phases, and
// absent — not 0 — from a run where no workload measures them.
import { describe, expect, it } from 'vitest';
import { metricValue, workloadMeasureValues, type MetricInputs } from '../../sim/results/catalog/figure.js';
import { RUN_METRICS } from '../../sim/results/catalog/run-metrics.js';
import type { GuestSummary } from '../../sim/results/types.js';
import { simulate } from '../../sim/host/run.js';
import { runSpecs } from '../../sim/experiment/load.js';
import { experiment } from '../helpers/experiment.js';

const metric = (id: string) => RUN_METRICS.find((m) => m.id === id)!;

/** Guests with only the workload measures set: what the workload windows read. */
function inputs(measures: Record<string, number>[]): MetricInputs {
  const guests = measures.map((workloadMetrics) => ({ workloadMetrics }) as unknown as GuestSummary);
  const none = () => {
    throw new Error('a workload measure reads nothing but the guests');
  };
  return { guests, windowNs: 1e9, increase: none, sampleMean: none, readNow: none };
}

describe('workload measures as run metrics', () => {
  it('takes the worst guest’s latency and sums counts and rates, phases included', () => {
    const x = inputs([
      { latency_p99_ms: 12.5, dropped_count: 3, txn_per_s: 90.25 },
      { latency_p99_ms: 30, dropped_count: 4 },
      // A `phases` workload: the web phase's figures carry its index.
      { phase1_latency_p99_ms: 40, phase1_dropped_count: 2, phase0_builds_done_count: 1 },
      { builds_done_count: 2, txn_per_s: 10 },
    ]);
    // By hand: max(12.5, 30, 40) = 40; 3 + 4 + 2 = 9; 90.25 + 10 = 100.25; 1 + 2 = 3.
    expect(metricValue(metric('web_latency_p99_worst_ms'), x)).toBe(40);
    expect(metricValue(metric('web_dropped_requests'), x)).toBe(9);
    expect(metricValue(metric('db_txn_per_s'), x)).toBe(100.25);
    expect(metricValue(metric('kernel_builds'), x)).toBe(3);
    // latency_p50 is measured by nobody here.
    expect(metricValue(metric('web_latency_p50_worst_ms'), x)).toBeUndefined();
  });

  it('does not mistake a longer key for the measure', () => {
    const g = inputs([{ model_hit_ratio: 0.8, hit_ratio: 0.7, xdropped_count: 5 }]).guests;
    expect(workloadMeasureValues(g, 'hit_ratio')).toEqual([0.7]);
    expect(workloadMeasureValues(g, 'dropped_count')).toEqual([]);
  });

  it('are in the summary of a run with those workloads, equal to what the guests measured', () => {
    const exp = experiment(`name: t
duration: 20s
host: { pcpus: 2, memory: 4GiB }
guests:
  - { name: 'web-{i}', count: 2, vcpus: 1, memory: 512MiB, workload: { type: web, ratePerS: 150, service: 5ms, backlog: 20 } }
  - { name: db, vcpus: 1, memory: 768MiB, workload: { type: database, size: 256MiB, bufferPool: 128MiB } }
  - { name: build, vcpus: 2, memory: 768MiB, workload: { type: kernel-build, units: 20, cpuPerUnit: 200ms, link: 1s } }
`);
    const run = simulate(runSpecs(exp)[0]!);
    const s = run.summary!;
    const [w0, w1, db, build] = s.guests.map((g) => g.workloadMetrics);
    expect(s.metrics.web_latency_p99_worst_ms).toBe(Math.max(w0!.latency_p99_ms!, w1!.latency_p99_ms!));
    expect(s.metrics.web_latency_p50_worst_ms).toBe(Math.max(w0!.latency_p50_ms!, w1!.latency_p50_ms!));
    expect(s.metrics.web_dropped_requests).toBe(w0!.dropped_count! + w1!.dropped_count!);
    // Two web guests at ρ = 150 × 5 ms = 0.75 each served requests: a latency, not a 0 by default.
    expect(s.metrics.web_latency_p99_worst_ms).toBeGreaterThan(0);
    expect(s.metrics.db_txn_per_s).toBeCloseTo(db!.txn_per_s!, 6);
    expect(s.metrics.db_txn_per_s).toBeGreaterThan(0);
    // 20 units × 200 ms on 2 vCPUs ≈ 2 s + 1 s link: one build well within 20 s.
    expect(s.metrics.kernel_builds).toBe(build!.builds_done_count);
    expect(s.metrics.kernel_builds).toBeGreaterThanOrEqual(1);
  });
});
