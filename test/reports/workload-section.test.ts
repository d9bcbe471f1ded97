// The report's workload section: demand beside what each guest got, and the workload's own
// measurements, checked by hand against the fixture (test/fixtures/results-fixture.ts).
import { describe, expect, it } from 'vitest';
import { formatMetric, workloadSection } from '../../reports/workload-section.js';
import { renderHtml } from '../../reports/html.js';
import { escapeHtml } from '../../reports/escape.js';
import { EVIL_GUEST, makeFixtureResults } from '../fixtures/results-fixture.js';

/** The cells of the row of guest `name` in the first (open) alternative's table. */
function row(html: string, name: string): string[] {
  const first = html.split('<details')[1]!;
  const tr = first.split('<tr>').find((r) => r.includes(`<td class="name">${escapeHtml(name)}</td>`))!;
  return [...tr.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);
}

describe('workload section', () => {
  it('sets CPU and memory demand beside what each guest got, with the workload’s own metrics', () => {
    const r = makeFixtureResults();
    const html = workloadSection(r);
    const names = r.experiment.guests.map((g) => g.name);
    const g1 = row(html, names[1]!);
    // Guest 1 of the fixture, seeds 1 and 2: running 410 s + seed ms → done 410.0015 s mean,
    // unconstrained = 1.1 × done = 451.0 s, slowdown 1.1; anon demand 300 + 1 + 2 = 303 MiB,
    // resident anon 301 MiB, cache 0, swapped 2 MiB; it has no workload metrics ("–").
    expect(g1.slice(1)).toEqual(['constant', '451', '410', '1.1', '303', '301', '2', '–']);
    // Guest 0 measures latency_p99_ms = 12.5 + seed: mean 14 over seeds 1 and 2.
    expect(row(html, names[0]!).at(-1)).toBe('latency p99 14 ms');
    expect(html).not.toContain(EVIL_GUEST);
  });

  it('names each metric with its unit from the key', () => {
    expect(formatMetric('latency_p99_ms', 19.77)).toBe('latency p99 19.77 ms');
    expect(formatMetric('hit_ratio', 0.8268)).toBe('hit ratio 0.827');
    expect(formatMetric('throughput_per_s', 150.5)).toBe('throughput 150.5/s');
    expect(formatMetric('cpu_demand_cpu_s', 135.81)).toBe('cpu demand 135.8 CPU s');
    expect(formatMetric('builds_done_count', 5)).toBe('builds done 5');
    expect(formatMetric('oddly_named', 2)).toBe('oddly named 2');
  });

  it('is part of the page, before the memory section', () => {
    const page = renderHtml(makeFixtureResults());
    expect(page.indexOf('id="workloads"')).toBeGreaterThan(0);
    expect(page.indexOf('id="workloads"')).toBeLessThan(page.indexOf('id="memory"'));
  });
});
