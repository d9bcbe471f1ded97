// The progress formatter of `vmisim run` as pure functions of the numbers: the bar line, its ETA
// and throughput, the plain per-run line used when stderr is not a terminal, and the line of the
// report's rendering after the runs.
import { describe, expect, it } from 'vitest';
import {
  etaSeconds,
  formatBar,
  formatDuration,
  formatProgressLine,
  formatRate,
  formatRenderLine,
  formatRunLine,
  throughput,
  type ProgressState,
} from '../../sim/cli/progress.js';

const state = (p: Partial<ProgressState>): ProgressState => ({
  done: 0,
  total: 12,
  reused: 0,
  failed: 0,
  simulatedS: 0,
  wallS: 0,
  remainingSimS: 12 * 600,
  ...p,
});

describe('progress formatter', () => {
  it('the bar line: runs done / total, reused, failures, throughput, ETA', () => {
    // 3 of 12 runs of 600 simulated s, 1 reused: 2 computed = 1200 sim-s in 40 s → 30 sim-s/s;
    // 9 runs left = 5400 sim-s → 180 s.
    const p = state({ done: 3, reused: 1, failed: 0, simulatedS: 1200, wallS: 40, remainingSimS: 5400 });
    expect(throughput(p.simulatedS, p.wallS)).toBe(30);
    expect(etaSeconds(p)).toBe(180);
    expect(formatProgressLine(p)).toBe(
      '█████░░░░░░░░░░░░░░░ 3/12 runs (1 reused) | 0 failed | 30.0 sim-s/s | ETA 3m00s',
    );
    expect(
      formatProgressLine(state({ done: 5, failed: 2, simulatedS: 1800, wallS: 3, remainingSimS: 4200 }), 10),
    ).toBe('████░░░░░░ 5/12 runs | 2 failed | 600 sim-s/s | ETA 7s');
  });

  it('before the first run: no throughput, unknown ETA; at the end: ETA 0', () => {
    expect(formatProgressLine(state({ wallS: 5 }))).toBe(
      '░░░░░░░░░░░░░░░░░░░░ 0/12 runs | 0 failed | -- sim-s/s | ETA --',
    );
    expect(etaSeconds(state({ done: 12, remainingSimS: 0, simulatedS: 7200, wallS: 60 }))).toBe(0);
    // Everything reused: nothing computed, nothing left.
    expect(formatProgressLine(state({ done: 12, reused: 12, remainingSimS: 0 }), 4)).toBe(
      '████ 12/12 runs (12 reused) | 0 failed | -- sim-s/s | ETA 0s',
    );
  });

  it('durations, rates and the bar', () => {
    expect([undefined, Infinity, 0, 42.4, 59.6, 185, 3599, 3600, 7620].map(formatDuration)).toEqual([
      '--',
      '--',
      '0s',
      '42s',
      '1m00s',
      '3m05s',
      '59m59s',
      '1h00m',
      '2h07m',
    ]);
    expect([undefined, 0.523, 8.314, 42, 315.4, 12_400, 3_100_000].map(formatRate)).toEqual([
      '--',
      '0.52',
      '8.31',
      '42.0',
      '315',
      '12.4k',
      '3.1M',
    ]);
    expect(formatBar(0, 0, 3)).toBe('░░░');
    expect(formatBar(1, 3, 6)).toBe('██░░░░');
    expect(formatBar(7, 3, 6)).toBe('██████');
  });

  it('the plain line of a finished run', () => {
    const ok = {
      runId: 'static/seed-2',
      alternative: 'static',
      seed: 2,
      specHash: 'x',
      status: 'ok' as const,
    };
    expect(formatRunLine(3, 12, ok, 1.4159)).toBe('[3/12] static/seed-2 ok (1.42 s)');
    expect(formatRunLine(4, 12, { ...ok, status: 'failed', error: 'boom' }, 0.2)).toBe(
      '[4/12] static/seed-2 failed: boom (0.20 s)',
    );
  });

  it('the report line: charts and run files rendered of those queued, and the time so far', () => {
    // 41 of 82 tasks: half the bar.
    expect(formatRenderLine(41, 82, 3.2, 10)).toBe('report █████░░░░░ 41/82 charts and run files | 3s');
    expect(formatRenderLine(82, 82, 75, 4)).toBe('report ████ 82/82 charts and run files | 1m15s');
    // Nothing queued yet: an empty bar, not a division by zero.
    expect(formatRenderLine(0, 0, 0, 4)).toBe('report ░░░░ 0/0 charts and run files | 0s');
  });
});
