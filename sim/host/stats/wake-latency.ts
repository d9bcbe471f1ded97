/**
 * Wake-to-run latency per guest, kept by the statistics from the dispatcher's `vcpu.wake-to-run`
 * events: one HDR histogram per guest for the measured window (restarted at the warmup's end) and
 * one per guest for the current sample interval (restarted after each sample). Latencies are
 * recorded from 1 ns (a vCPU placed at once counts as 1 ns), 3 significant digits, up to 1 h.
 */
import type { TraceBus } from '../../kernel/index.js';
import { newLatencyHistogram, type Histogram } from '../../kernel/latency-histogram.js';
import type { CpuTrace } from '../cpu.js';

export class WakeLatencyStats {
  /** Per guest, since the warmup's end (since boot without a warmup). */
  readonly window: Histogram[];
  /** Per guest, since the previous sample. */
  readonly interval: Histogram[];

  constructor(trace: Pick<TraceBus<CpuTrace>, 'on'>, guests: number) {
    this.window = Array.from({ length: guests }, newLatencyHistogram);
    this.interval = Array.from({ length: guests }, newLatencyHistogram);
    trace.on('vcpu.wake-to-run', (e) => {
      const ns = Math.max(1, e.waitedNs);
      this.window[e.guest]!.recordValue(ns);
      this.interval[e.guest]!.recordValue(ns);
    });
  }

  /** After a sample: the next interval starts empty. */
  restartInterval(): void {
    for (const h of this.interval) h.reset();
  }

  /** At the warmup's end: percentiles cover the measured window only. */
  restartWindow(): void {
    for (const h of this.window) h.reset();
  }
}
